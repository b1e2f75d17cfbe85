// Package cloud is asmlink's view of Alibaba Cloud: ASM instances, ACK
// clusters, VPCs, vSwitches, zones and PrivateLink, as plain domain values.
// It talks to the cloud through github.com/aliyun/alibaba-cloud-sdk-go and
// knows nothing of the terminal.
package cloud

import "context"

// Mesh is an ASM instance.
type Mesh struct {
	ID              string
	Name            string
	RegionID        string
	State           string // running, upgrading, upgrading_failed, ...; only running is ready
	Version         string
	Profile         string // Default or Pro
	VpcID           string
	VSwitchIDs      []string
	SecurityGroupID string
	ClusterIDs      []string // ACK clusters added to the mesh
	Endpoints       MeshEndpoints
	ErrorMessage    string
}

// MeshEndpoints are the addresses of the mesh's API server and Pilot.
type MeshEndpoints struct {
	IntranetAPIServer string
	PublicAPIServer   string
	IntranetPilot     string
	PublicPilot       string
}

// MeshCluster is an ACK cluster as the mesh sees it (DescribeClustersInServiceMesh).
type MeshCluster struct {
	ClusterID    string
	Name         string
	ClusterType  string
	RegionID     string
	VpcID        string
	State        string // running, failed, ...
	Version      string
	ErrorMessage string // e.g. the x509 error while the endpoint domain is not in the certificate SANs
}

// AddableCluster is a cluster ASM lists for the mesh
// (DescribeServiceMeshClusters), with what ASM says about adding it.
type AddableCluster struct {
	ClusterID string
	Name      string
	RegionID  string
	VpcID     string
	State     string
	// ServiceMeshID is the ASM instance the cluster is already in, if ASM
	// names one.
	ServiceMeshID string
	// ForbiddenFlag is ASM's reason the cluster cannot simply be added
	// (ForbiddenNone, ForbiddenNoAdmin, ForbiddenNoCEN, ForbiddenCIDR,
	// ForbiddenIstioNamespace; other values may come).
	ForbiddenFlag int
	// ForbiddenInfo is ASM's detail, as sent: for ForbiddenCIDR a JSON list
	// that CIDRConflicts holds decoded. Never shown to a person as is.
	ForbiddenInfo string
	// CIDRConflicts are the clashes ForbiddenInfo names, when it is the
	// documented JSON list.
	CIDRConflicts []CIDRConflict
}

// The values of DescribeServiceMeshClusters' ForbiddenFlag, as the API
// reference documents them (help.aliyun.com/zh/asm/developer-reference/
// api-servicemesh-2020-01-11-describeservicemeshclusters, "数据面集群不能加入
// ASM 的原因"; the Tea SDK model lists enum 0|1|2|3|4).
const (
	// ForbiddenNone: the cluster can be added.
	ForbiddenNone = 0
	// ForbiddenNoAdmin: the caller lacks the cluster's admin-level (RBAC
	// cluster-admin) permission.
	ForbiddenNoAdmin = 1
	// ForbiddenNoCEN: the cluster is in another VPC with no CEN between the
	// VPCs. That is exactly what PrivateLink connects: not a refusal.
	ForbiddenNoCEN = 2
	// ForbiddenCIDR: the cluster's CIDRs conflict with the mesh's.
	ForbiddenCIDR = 3
	// ForbiddenIstioNamespace: the cluster already has a namespace named
	// istio-system.
	ForbiddenIstioNamespace = 4
)

// CIDRConflict is one entry of ForbiddenInfo for ForbiddenCIDR: the mesh's
// cluster whose network clashes, which of its networks (Pod, Service,
// VSwitch or VPC) and that network's CIDR.
type CIDRConflict struct {
	Cluster string `json:"cluster"`
	Object  string `json:"object"`
	CIDR    string `json:"cidr"`
}

// Cluster is an ACK cluster of any profile (DescribeClustersV1, DescribeClusterDetail).
type Cluster struct {
	ID              string
	Name            string
	RegionID        string
	ClusterType     string // ManagedKubernetes, Kubernetes, ExternalKubernetes, ...
	Profile         string // Default, Edge, Serverless, Lingjun
	State           string // running, updating, failed, ...
	Version         string
	VpcID           string
	VSwitchIDs      []string
	SecurityGroupID string
	PodCIDR         string // container_cidr; empty for Terway clusters
	ServiceCIDR     string
	ExtraSANs       []string // custom API server certificate SANs (detail only)
}

// IsEdge tells whether the cluster is an ACK Edge cluster.
func (c Cluster) IsEdge() bool { return c.Profile == "Edge" }

// VPC is a virtual private cloud.
type VPC struct {
	ID             string
	Name           string
	RegionID       string
	CIDR           string
	SecondaryCIDRs []string
	Status         string
}

// VSwitch is a vSwitch: a subnet of a VPC in one zone.
type VSwitch struct {
	ID      string
	Name    string
	VpcID   string
	ZoneID  string
	CIDR    string
	FreeIPs int64
	Status  string
}

// Zone is an availability zone, for example where PrivateLink is offered.
type Zone struct {
	ID        string
	LocalName string
}

// EndpointService is a PrivateLink endpoint service.
type EndpointService struct {
	ID           string
	Name         string
	Domain       string
	Status       string // Creating, Pending, Active, Deleting
	ResourceType string // slb, alb, nlb, gwlb
	Zones        []string
}

// Endpoint is a PrivateLink interface endpoint.
type Endpoint struct {
	ID               string
	Name             string
	Domain           string
	Status           string // Creating, Active, Pending, Deleting
	ConnectionStatus string // Pending, Connecting, Connected, Disconnected, ...
	ServiceID        string
	ServiceName      string
	VpcID            string
}

// Identity says which credentials and region asmlink uses. It never holds a secret.
type Identity struct {
	Provider string // e.g. environment, cli_profile, static_ak, oidc_role_arn, ecs_ram_role
	Profile  string // the ~/.aliyun/config.json profile, when one is used
	Region   string
	Endpoint string // the --endpoint override, when set
	// RegionFrom says where Region came from: --region,
	// ALIBABA_CLOUD_REGION_ID, or "profile NAME".
	RegionFrom string
}

// API is what asmlink needs from Alibaba Cloud. The real implementation uses
// the SDK; tests run it against the simulator in cloud/sim over HTTP.
type API interface {
	Identity() Identity

	Meshes(ctx context.Context) ([]Mesh, error)
	Mesh(ctx context.Context, meshID string) (Mesh, error)
	MeshClusters(ctx context.Context, meshID string) ([]MeshCluster, error)
	AddableClusters(ctx context.Context, meshID string) ([]AddableCluster, error)
	MeshKubeconfig(ctx context.Context, meshID string, private bool) ([]byte, error)
	AddClusterToMesh(ctx context.Context, meshID, clusterID string) error
	// ClustersWithoutCEN lists clusters of the mesh in other VPCs not connected by CEN.
	ClustersWithoutCEN(ctx context.Context, meshID string) ([]string, error)
	// MeshProxyStatus lists the proxies istiod sees, with their sync state.
	MeshProxyStatus(ctx context.Context, meshID string) ([]ProxyStatus, error)
	// MeshAdditionalStatus reports the load balancers, EIPs and security
	// group the mesh depends on.
	MeshAdditionalStatus(ctx context.Context, meshID string) (MeshAdditionalStatus, error)

	Clusters(ctx context.Context) ([]Cluster, error)
	Cluster(ctx context.Context, clusterID string) (Cluster, error)
	AppendSANs(ctx context.Context, clusterID string, sans []string) error

	VPCs(ctx context.Context) ([]VPC, error)
	VSwitches(ctx context.Context, vpcID string) ([]VSwitch, error)

	PrivateLinkActivated(ctx context.Context) (bool, error)
	ActivatePrivateLink(ctx context.Context) error
	PrivateLinkZones(ctx context.Context) ([]Zone, error)
	EndpointServices(ctx context.Context) ([]EndpointService, error)
	Endpoints(ctx context.Context, vpcID string) ([]Endpoint, error)
	// PrivateLinkQuotas lists what Quota Center says of PrivateLink.
	PrivateLinkQuotas(ctx context.Context) ([]Quota, error)
}
