package flow

import (
	"context"
	"strings"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// Cluster IDs of the fixture, shaped like real ones so spec.Validate
// accepts them.
var (
	idA = "ca" + strings.Repeat("0", 31) // in the mesh, another VPC: connect
	idB = "cb" + strings.Repeat("0", 31) // connected in the ASMPvlConfig
	idC = "cc" + strings.Repeat("0", 31) // in the mesh's own VPC
	idD = "cd" + strings.Repeat("0", 31) // other region
	idE = "ce" + strings.Repeat("0", 31) // edge, not yet in the mesh
	idF = "cf" + strings.Repeat("0", 31) // ASM refuses to add it
	idG = "c0" + strings.Repeat("0", 31) // in the mesh, no usable shared zone
)

const (
	zoneH = "cn-hangzhou-h" // no PrivateLink
	zoneI = "cn-hangzhou-i"
	zoneJ = "cn-hangzhou-j"
	zoneK = "cn-hangzhou-k"
)

func vsw(id, vpc, zone, cidr string, free int64) cloud.VSwitch {
	return cloud.VSwitch{ID: id, VpcID: vpc, ZoneID: zone, CIDR: cidr, FreeIPs: free, Status: "Available"}
}

// fixture returns an environment with one mesh in cn-hangzhou and clusters
// of every kind; cluster B is already connected through vsw-meshi.
func fixture() *Env {
	inv := cloud.Inventory{
		Mesh: cloud.Mesh{ID: "m1", Name: "prod-mesh", RegionID: "cn-hangzhou", State: "running", VpcID: "vpc-mesh",
			ClusterIDs: []string{idA, idB, idC, idG}},
		MeshClusters: []cloud.MeshCluster{
			{ClusterID: idA, Name: "alpha", VpcID: "vpc-a", State: "running"},
			{ClusterID: idB, Name: "bravo", VpcID: "vpc-b", State: "running"},
			{ClusterID: idC, Name: "charlie", VpcID: "vpc-mesh", State: "running"},
			{ClusterID: idG, Name: "golf", VpcID: "vpc-g", State: "running"},
		},
		AddableClusters: []cloud.AddableCluster{
			{ClusterID: idE, Name: "echo", VpcID: "vpc-e"},
			{ClusterID: idF, Name: "foxtrot", VpcID: "vpc-f", ForbiddenFlag: 7, ForbiddenInfo: "the cluster version is too old"},
		},
		Clusters: []cloud.Cluster{
			{ID: idA, Name: "alpha", RegionID: "cn-hangzhou", State: "running", VpcID: "vpc-a", PodCIDR: "172.20.0.0/16", ServiceCIDR: "172.21.0.0/20"},
			{ID: idB, Name: "bravo", RegionID: "cn-hangzhou", State: "running", VpcID: "vpc-b", PodCIDR: "172.22.0.0/16", ServiceCIDR: "172.23.0.0/20"},
			{ID: idC, Name: "charlie", RegionID: "cn-hangzhou", State: "running", VpcID: "vpc-mesh", PodCIDR: "172.24.0.0/16", ServiceCIDR: "172.25.0.0/20"},
			{ID: idD, Name: "delta", RegionID: "cn-shanghai", State: "running", VpcID: "vpc-d"},
			{ID: idE, Name: "echo", RegionID: "cn-hangzhou", State: "running", VpcID: "vpc-e", Profile: "Edge", PodCIDR: "172.26.0.0/16", ServiceCIDR: "172.27.0.0/20"},
			{ID: idF, Name: "foxtrot", RegionID: "cn-hangzhou", State: "running", VpcID: "vpc-f"},
			{ID: idG, Name: "golf", RegionID: "cn-hangzhou", State: "running", VpcID: "vpc-g", PodCIDR: "172.28.0.0/16", ServiceCIDR: "172.29.0.0/20"},
		},
		VPCs: []cloud.VPC{
			{ID: "vpc-mesh", RegionID: "cn-hangzhou", CIDR: "192.168.0.0/16"},
			{ID: "vpc-a", RegionID: "cn-hangzhou", CIDR: "10.0.0.0/16"},
			{ID: "vpc-b", RegionID: "cn-hangzhou", CIDR: "10.1.0.0/16"},
			{ID: "vpc-e", RegionID: "cn-hangzhou", CIDR: "10.4.0.0/16"},
			{ID: "vpc-g", RegionID: "cn-hangzhou", CIDR: "10.6.0.0/16"},
		},
		VSwitches: map[string][]cloud.VSwitch{
			"vpc-mesh": {
				vsw("vsw-meshi", "vpc-mesh", zoneI, "192.168.1.0/24", 200),
				vsw("vsw-meshj", "vpc-mesh", zoneJ, "192.168.2.0/24", 50),
				vsw("vsw-meshk", "vpc-mesh", zoneK, "192.168.3.0/24", 0),
			},
			"vpc-a": {
				vsw("vsw-ai", "vpc-a", zoneI, "10.0.1.0/24", 100),
				vsw("vsw-aj", "vpc-a", zoneJ, "10.0.2.0/24", 300),
				vsw("vsw-ah", "vpc-a", zoneH, "10.0.3.0/24", 500),
			},
			"vpc-b": {vsw("vsw-bi", "vpc-b", zoneI, "10.1.1.0/24", 80)},
			"vpc-e": {vsw("vsw-ei", "vpc-e", zoneI, "10.4.1.0/24", 80)},
			"vpc-g": {vsw("vsw-gk", "vpc-g", zoneK, "10.6.1.0/24", 90)},
		},
		PrivateLinkActivated: true,
		PrivateLinkZones:     []cloud.Zone{{ID: zoneI}, {ID: zoneJ}, {ID: zoneK}},
		// The documented quotas (PrivateLink "Quotas and limits") and the
		// endpoints of cluster B's links.
		EndpointQuota: cloud.EndpointQuota{PerVPC: 1000, Services: 200, ByVPC: map[string]int{"vpc-mesh": 1, "vpc-b": 1}, Endpoints: 2, ServicesUsed: 2},
	}
	cfg := spec.New()
	cfg.Spec.AckVpcEndpoint = []spec.AckVpcEndpoint{{ClusterID: idB, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bi", ZoneID: zoneI}}}}
	cfg.Spec.AsmVpcEndpoint.VSwitches = []spec.VSwitch{{VSwitchID: "vsw-meshi", ZoneID: zoneI}}
	return &Env{Inventory: inv, Config: cfg}
}

// findVSwitch returns a fixture vSwitch by ID.
func (e *Env) mustVSwitch(id string) cloud.VSwitch {
	v, ok := e.vswitch(id)
	if !ok {
		panic("no vSwitch " + id)
	}
	return v
}

// fakeAPI records the mutating calls that fixes make; every other method
// of cloud.API is left nil, so a test fails loudly if flow calls it.
type fakeAPI struct {
	cloud.API
	added     []string
	activated int
	sans      map[string][]string
}

func (f *fakeAPI) AddClusterToMesh(_ context.Context, meshID, clusterID string) error {
	f.added = append(f.added, meshID+"/"+clusterID)
	return nil
}

// Mesh and MeshClusters answer as a mesh that settled an add at once.
func (f *fakeAPI) Mesh(_ context.Context, meshID string) (cloud.Mesh, error) {
	return cloud.Mesh{ID: meshID, State: "running"}, nil
}

func (f *fakeAPI) MeshClusters(_ context.Context, meshID string) ([]cloud.MeshCluster, error) {
	var out []cloud.MeshCluster
	for _, a := range f.added {
		if m, c, _ := strings.Cut(a, "/"); m == meshID {
			out = append(out, cloud.MeshCluster{ClusterID: c, State: "running"})
		}
	}
	return out, nil
}

func (f *fakeAPI) ActivatePrivateLink(context.Context) error {
	f.activated++
	return nil
}

func (f *fakeAPI) AppendSANs(_ context.Context, clusterID string, sans []string) error {
	if f.sans == nil {
		f.sans = map[string][]string{}
	}
	f.sans[clusterID] = append(f.sans[clusterID], sans...)
	return nil
}
