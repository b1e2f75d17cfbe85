package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/asmlink/asmlink/testdata/worlds"
)

// World is the set of facts the simulated cloud starts from: one Alibaba
// Cloud account with its keys, regions, zones, VPCs, vSwitches, ASM
// instances, ACK clusters, PrivateLink state, CEN instances, provisioning
// delays and faults. World files are strict YAML with snake_case keys.
type World struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// AccountID is the Alibaba Cloud account (UID) that owns everything.
	AccountID string `yaml:"account_id"`
	// Region is the default region, printed by `asmlink sim`.
	Region string `yaml:"region"`
	// AccessKeys are the key pairs the simulator accepts. The first one is
	// the account's main key.
	AccessKeys  []AccessKey      `yaml:"access_keys"`
	Regions     []Region         `yaml:"regions"`
	PrivateLink PrivateLinkState `yaml:"privatelink"`
	VPCs        []VPC            `yaml:"vpcs"`
	Meshes      []Mesh           `yaml:"meshes"`
	Clusters    []Cluster        `yaml:"clusters"`
	CENs        []CEN            `yaml:"cens"`
	// PublishedServices are endpoint services Alibaba Cloud publishes to
	// the account (ACR, the ACK control plane), for ACK Edge clusters.
	PublishedServices []PublishedService `yaml:"published_services"`
	// DataPlane is what ASM knows of its clusters' namespaces, pods and
	// gateways (dataplane.go).
	DataPlane DataPlane `yaml:"data_plane"`
	// SANFields says where DescribeClusterDetail reports the custom API
	// server certificate SANs: "extra_sans" (the field added in 2025),
	// "meta_data" (ExtraCertSAN in the meta_data JSON string, where
	// Terraform reads them), or "both", the default.
	SANFields string `yaml:"san_fields"`
	// MeshAPI shapes the in-memory Kubernetes API of each mesh.
	MeshAPI MeshAPIOptions `yaml:"mesh_api"`
	// CSPageSizeLimit, when set, is the largest page DescribeClustersV1
	// serves: a larger page_size is served as this many, and page_info
	// reports the size served (the cs reference documents page_size up to
	// 100 but not what a server under load does).
	CSPageSizeLimit int `yaml:"cs_page_size_limit"`
	// MeshNotFound is how DescribeServiceMeshDetail and
	// DescribeServiceMeshKubeconfig answer a mesh ID the account does not
	// have in the region (MeshNotFoundAnswers); default ServiceMesh.NotFound.
	MeshNotFound string `yaml:"mesh_not_found"`
	Delays       Delays `yaml:"delays"`
	Faults       Faults `yaml:"faults"`
	// Generate, when set, adds generated VPCs, vSwitches, meshes and clusters
	// to the listed ones, deterministically, so a large world fits in a small
	// file.
	Generate *Generate `yaml:"generate"`
}

// AccessKey is an AccessKey pair the simulator accepts. DeniedAPIs lists the
// APIs a RAM policy denies to this key, as "product:Action" (for example
// "privatelink:CreateVpcEndpoint", "cs:ModifyCluster") or "product:*".
type AccessKey struct {
	ID         string   `yaml:"id"`
	Secret     string   `yaml:"secret"`
	DeniedAPIs []string `yaml:"denied_apis"`
}

// Region is a region and its zones.
type Region struct {
	ID        string `yaml:"id"`
	LocalName string `yaml:"local_name"`
	Zones     []Zone `yaml:"zones"`
}

// Zone is an availability zone. PrivateLink tells whether PrivateLink
// endpoints can be placed in it.
type Zone struct {
	ID          string `yaml:"id"`
	LocalName   string `yaml:"local_name"`
	PrivateLink bool   `yaml:"privatelink"`
}

// PrivateLinkState is the account's PrivateLink activation and quota.
type PrivateLinkState struct {
	Activated bool `yaml:"activated"`
	// EndpointQuota is the most endpoints the account may have in a region.
	EndpointQuota int `yaml:"endpoint_quota"`
	// ActivationError, when set, is how OpenPrivateLinkService refuses to
	// activate: AccountTypeRestricted or InvalidAccountStatus.NotEnoughBalance.
	ActivationError string `yaml:"activation_error"`
	// PendingConnections leaves every endpoint's connection Pending, as when
	// the endpoint service does not accept connections automatically.
	PendingConnections bool `yaml:"pending_connections"`
	// QuotaCenter is how Quota Center answers for PrivateLink (quotas.go):
	// "" or "documented" serves the documented per-VPC and per-account
	// quotas, "region" serves EndpointQuota as a per-region quota, "none"
	// serves no PrivateLink quota. A refusal is a key's denied_apis
	// (quotas:ListProductQuotas).
	QuotaCenter string `yaml:"quota_center"`
	// EndpointsPerVPC is the documented per-VPC endpoint quota Quota
	// Center serves (default 1,000); Endpoint services is the per-account
	// endpoint service quota (default 200).
	EndpointsPerVPC  int `yaml:"endpoints_per_vpc"`
	EndpointServices int `yaml:"endpoint_services"`
}

// VPC is a VPC and its vSwitches.
type VPC struct {
	ID             string    `yaml:"id"`
	Name           string    `yaml:"name"`
	Region         string    `yaml:"region"`
	CIDR           string    `yaml:"cidr"`
	SecondaryCIDRs []string  `yaml:"secondary_cidrs"`
	IsDefault      bool      `yaml:"is_default"`
	VSwitches      []VSwitch `yaml:"vswitches"`
}

// VSwitch is a subnet of a VPC in one zone. FreeIPs is the number of
// available IP addresses.
type VSwitch struct {
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Zone    string `yaml:"zone"`
	CIDR    string `yaml:"cidr"`
	FreeIPs int64  `yaml:"free_ips"`
}

// Mesh is an ASM instance. ID is 32 lower-case hex characters.
type Mesh struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Region        string   `yaml:"region"`
	State         string   `yaml:"state"`
	Version       string   `yaml:"version"`
	Profile       string   `yaml:"profile"`
	VPC           string   `yaml:"vpc"`
	VSwitches     []string `yaml:"vswitches"`
	SecurityGroup string   `yaml:"security_group"`
	// APIServer and Pilot are the intranet addresses, e.g.
	// https://192.168.0.10:6443 and 192.168.0.11:15011.
	APIServer       string `yaml:"api_server"`
	PublicAPIServer string `yaml:"public_api_server"`
	Pilot           string `yaml:"pilot"`
	// APIServerLB and PilotLB are the CLB instances in front of them.
	APIServerLB string `yaml:"api_server_lb"`
	PilotLB     string `yaml:"pilot_lb"`
	// Clusters are the ACK clusters already added to the mesh.
	Clusters []string `yaml:"clusters"`
	Created  string   `yaml:"created"`
	// NoAPIServer makes the mesh's Kubernetes API unreachable: its
	// kubeconfig's server answers every request 503 with a message saying so.
	NoAPIServer bool `yaml:"no_api_server"`
}

// Cluster is an ACK cluster. ID is "c" plus 32 lower-case hex characters.
type Cluster struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Region        string   `yaml:"region"`
	Profile       string   `yaml:"profile"`
	ClusterType   string   `yaml:"cluster_type"`
	ClusterSpec   string   `yaml:"cluster_spec"`
	State         string   `yaml:"state"`
	Version       string   `yaml:"version"`
	VPC           string   `yaml:"vpc"`
	VSwitches     []string `yaml:"vswitches"`
	SecurityGroup string   `yaml:"security_group"`
	PodCIDR       string   `yaml:"pod_cidr"`
	ServiceCIDR   string   `yaml:"service_cidr"`
	ExtraSANs     []string `yaml:"extra_sans"`
	// APIServer is the intranet API server address, e.g. https://10.1.0.5:6443.
	APIServer   string `yaml:"api_server"`
	APIServerLB string `yaml:"api_server_lb"`
	Size        int    `yaml:"size"`
	Created     string `yaml:"created"`
	// NoClusterAdmin makes ASM report that the caller has no admin-level
	// permission on the cluster (DescribeServiceMeshClusters ForbiddenFlag 1).
	NoClusterAdmin bool `yaml:"no_cluster_admin"`
	// IstioSystemNamespace makes the cluster hold a namespace istio-system
	// already (ForbiddenFlag 4).
	IstioSystemNamespace bool `yaml:"istio_system_namespace"`
}

// CEN is a Cloud Enterprise Network instance and the VPCs attached to it.
type CEN struct {
	ID   string   `yaml:"id"`
	Name string   `yaml:"name"`
	VPCs []string `yaml:"vpcs"`
}

// Delays are how long provisioning takes in the simulated cloud.
type Delays struct {
	// Endpoint is how long an endpoint stays Creating before it is Active,
	// and its connection Connecting before it is Connected.
	Endpoint Duration `yaml:"endpoint"`
	// EndpointService is how long an endpoint service stays Creating.
	EndpointService Duration `yaml:"endpoint_service"`
	// ClusterUpdate is how long an ACK cluster stays updating after
	// ModifyCluster.
	ClusterUpdate Duration `yaml:"cluster_update"`
	// MeshUpdate is how long an ASM instance stays updating, and a cluster
	// being added connecting, after AddClusterIntoServiceMesh (and the
	// instance updating after RemoveClusterFromServiceMesh). Zero settles
	// at once; ASM documents no duration.
	MeshUpdate Duration `yaml:"mesh_update"`
}

// SetDelays replaces every provisioning delay of the world (endpoints,
// endpoint services, cluster and mesh updates, gateway deployments) with d,
// so a demo, a trial or a test moves at the pace it needs.
func (w *World) SetDelays(d time.Duration) {
	v := Duration(d)
	w.Delays = Delays{Endpoint: v, EndpointService: v, ClusterUpdate: v, MeshUpdate: v}
	w.DataPlane.GatewayDelay = v
}

// Faults are injected into API calls. Rates are fractions between 0 and 1;
// the same Seed gives the same sequence of faults.
type Faults struct {
	Latency      Duration `yaml:"latency"`
	ThrottleRate float64  `yaml:"throttle_rate"`
	// ThrottleCode is the error code of throttled calls (ThrottleCodes);
	// default Throttling.User.
	ThrottleCode string  `yaml:"throttle_code"`
	ErrorRate    float64 `yaml:"error_rate"`
	HangRate     float64 `yaml:"hang_rate"`
	Seed         uint64  `yaml:"seed"`
	// Actions limits faults to these API actions (RPC Action or ROA API
	// name such as DescribeClusterDetail); empty means every API.
	Actions []string `yaml:"actions"`
}

// Generate describes generated resources for large worlds.
type Generate struct {
	Meshes    int `yaml:"meshes"`
	Clusters  int `yaml:"clusters"`
	VPCs      int `yaml:"vpcs"`
	VSwitches int `yaml:"vswitches"`
	// Seed makes IDs differ between worlds; the same seed gives the same world.
	Seed uint64 `yaml:"seed"`
}

// Duration is a time.Duration written as "20s" or "1m30s" in world files.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q is not a duration: write it like 20s or 1m30s", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// Std returns the duration as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// BuiltinWorlds lists the names of the worlds shipped with asmlink.
func BuiltinWorlds() []string { return worlds.Names() }

// LoadWorld loads a world: a bare name (no slash, no .yaml suffix) is a
// built-in world from testdata/worlds, anything else is a file path.
func LoadWorld(nameOrPath string) (*World, error) {
	if !strings.ContainsAny(nameOrPath, `/\`) && !strings.HasSuffix(nameOrPath, ".yaml") && !strings.HasSuffix(nameOrPath, ".yml") {
		data, err := worlds.Read(nameOrPath)
		if err != nil {
			return nil, fmt.Errorf("world %q is not built in (built-in worlds: %s); pass a file path to load your own", nameOrPath, strings.Join(worlds.Names(), ", "))
		}
		return ParseWorld(nameOrPath+".yaml", data)
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		return nil, fmt.Errorf("reading world file: %w", err)
	}
	return ParseWorld(nameOrPath, data)
}

// ParseWorld decodes and validates a world file's content. file names the
// source in error messages, which also give the line and the field.
func ParseWorld(file string, data []byte) (*World, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var w World
	if err := dec.Decode(&w); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: the world file is empty", file)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if w.Generate != nil {
		w.generate()
	}
	w.applyDefaults()
	if fe := w.validate(); fe != nil {
		return nil, fmt.Errorf("%s:%d: %s: %s", file, lineOf(&root, fe.path), fe.path, fe.msg)
	}
	return &w, nil
}

// clone returns a copy of w that shares no slice with it, so a server can
// change its facts without touching the world it was given.
func (w *World) clone() *World {
	c := *w
	c.AccessKeys = slices.Clone(w.AccessKeys)
	c.Regions = slices.Clone(w.Regions)
	for i := range c.Regions {
		c.Regions[i].Zones = slices.Clone(w.Regions[i].Zones)
	}
	c.VPCs = slices.Clone(w.VPCs)
	for i := range c.VPCs {
		c.VPCs[i].VSwitches = slices.Clone(w.VPCs[i].VSwitches)
	}
	c.Meshes = slices.Clone(w.Meshes)
	for i := range c.Meshes {
		c.Meshes[i].Clusters = slices.Clone(w.Meshes[i].Clusters)
	}
	c.Clusters = slices.Clone(w.Clusters)
	for i := range c.Clusters {
		c.Clusters[i].ExtraSANs = slices.Clone(w.Clusters[i].ExtraSANs)
	}
	c.CENs = slices.Clone(w.CENs)
	c.PublishedServices = slices.Clone(w.PublishedServices)
	for i := range c.PublishedServices {
		c.PublishedServices[i].Zones = slices.Clone(w.PublishedServices[i].Zones)
	}
	return &c
}

// fieldError is a validation failure at a field path such as
// "clusters[2].vpc".
type fieldError struct {
	path string
	msg  string
}

func fieldErrf(path, format string, args ...any) *fieldError {
	return &fieldError{path: path, msg: fmt.Sprintf(format, args...)}
}

var pathPart = regexp.MustCompile(`([a-z_]+)|\[(\d+)\]`)

// lineOf finds the line of path's field in the document; a missing key or
// list item gives the line of the object that lacks it.
func lineOf(root *yaml.Node, path string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, m := range pathPart.FindAllStringSubmatch(path, -1) {
		var next *yaml.Node
		switch {
		case m[1] != "" && n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == m[1] {
					next, line = n.Content[i+1], n.Content[i].Line
				}
			}
		case m[2] != "" && n.Kind == yaml.SequenceNode:
			if i, _ := strconv.Atoi(m[2]); i < len(n.Content) {
				next = n.Content[i]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

func (w *World) applyDefaults() {
	for i := range w.Meshes {
		m := &w.Meshes[i]
		if m.State == "" {
			m.State = "running"
		}
		if m.Profile == "" {
			m.Profile = "Default"
		}
		if m.Version == "" {
			m.Version = "v1.24.6.49-g1d2a7fa1-aliyun"
		}
		if m.Created == "" {
			m.Created = "2025-03-11T10:24:05+08:00"
		}
	}
	for i := range w.Clusters {
		c := &w.Clusters[i]
		if c.Profile == "" {
			c.Profile = "Default"
		}
		if c.ClusterType == "" {
			c.ClusterType = "ManagedKubernetes"
		}
		if c.ClusterSpec == "" {
			c.ClusterSpec = "ack.pro.small"
		}
		if c.State == "" {
			c.State = "running"
		}
		if c.Version == "" {
			c.Version = "1.32.1-aliyun.1"
		}
		if c.Size == 0 {
			c.Size = 3
		}
		if c.Created == "" {
			c.Created = "2025-04-07T09:57:26+08:00"
		}
	}
	if w.PrivateLink.EndpointQuota == 0 {
		w.PrivateLink.EndpointQuota = 50
	}
}

var (
	reMeshID    = regexp.MustCompile(`^[0-9a-f]{32}$`)
	reClusterID = regexp.MustCompile(`^c[0-9a-f]{32}$`)
	reVPCID     = regexp.MustCompile(`^vpc-[0-9a-z]{10,30}$`)
	reVSwitchID = regexp.MustCompile(`^vsw-[0-9a-z]{10,30}$`)
	reCENID     = regexp.MustCompile(`^cen-[0-9a-z]{10,30}$`)
)

// validate checks every fact and every reference between facts, and returns
// the first problem with the path of the field that has it.
func (w *World) validate() *fieldError {
	if err := w.MeshAPI.checkAccessOptions(); err != nil {
		return fieldErrf("mesh_api.access_review", "%v", err)
	}
	if w.AccountID == "" {
		return fieldErrf("account_id", "is required (a 16-digit account UID)")
	}
	if len(w.AccessKeys) == 0 {
		return fieldErrf("access_keys", "at least one access key pair is required")
	}
	keys := map[string]bool{}
	for i, k := range w.AccessKeys {
		p := fmt.Sprintf("access_keys[%d]", i)
		if k.ID == "" || k.Secret == "" {
			return fieldErrf(p, "id and secret are both required")
		}
		if keys[k.ID] {
			return fieldErrf(p+".id", "%s is listed twice", k.ID)
		}
		keys[k.ID] = true
		for j, d := range k.DeniedAPIs {
			if prod, act, ok := strings.Cut(d, ":"); !ok || products[prod] == "" || act == "" {
				return fieldErrf(fmt.Sprintf("%s.denied_apis[%d]", p, j), "%q must be product:Action (products: servicemesh, vpc, privatelink, cbn, cs) or product:*", d)
			}
		}
	}
	zones := map[string]string{} // zone -> region
	regions := map[string]bool{}
	for i, r := range w.Regions {
		p := fmt.Sprintf("regions[%d]", i)
		if r.ID == "" {
			return fieldErrf(p+".id", "is required")
		}
		regions[r.ID] = true
		for j, z := range r.Zones {
			if !strings.HasPrefix(z.ID, r.ID+"-") {
				return fieldErrf(fmt.Sprintf("%s.zones[%d].id", p, j), "zone %q must start with its region %q", z.ID, r.ID+"-")
			}
			zones[z.ID] = r.ID
		}
	}
	if !regions[w.Region] {
		return fieldErrf("region", "%q is not one of the regions listed under regions", w.Region)
	}
	vpcs := map[string]*VPC{}
	vsw := map[string]string{} // vSwitch -> VPC
	for i := range w.VPCs {
		v := &w.VPCs[i]
		p := fmt.Sprintf("vpcs[%d]", i)
		if !reVPCID.MatchString(v.ID) {
			return fieldErrf(p+".id", "%q is not a VPC ID like vpc-bp1k2j3h4g5f6d7s8a9q0", v.ID)
		}
		if vpcs[v.ID] != nil {
			return fieldErrf(p+".id", "%s is listed twice", v.ID)
		}
		if !regions[v.Region] {
			return fieldErrf(p+".region", "%q is not one of the regions listed under regions", v.Region)
		}
		vpcPrefix, err := netip.ParsePrefix(v.CIDR)
		if err != nil {
			return fieldErrf(p+".cidr", "%q is not a CIDR block like 192.168.0.0/16", v.CIDR)
		}
		vpcs[v.ID] = v
		for j, s := range v.VSwitches {
			sp := fmt.Sprintf("%s.vswitches[%d]", p, j)
			if !reVSwitchID.MatchString(s.ID) {
				return fieldErrf(sp+".id", "%q is not a vSwitch ID like vsw-bp1a2s3d4f5g6h7j8k9l0", s.ID)
			}
			if vsw[s.ID] != "" {
				return fieldErrf(sp+".id", "%s is listed twice", s.ID)
			}
			if zones[s.Zone] != v.Region {
				return fieldErrf(sp+".zone", "%q is not a zone of region %s", s.Zone, v.Region)
			}
			sub, err := netip.ParsePrefix(s.CIDR)
			if err != nil || sub.Bits() < vpcPrefix.Bits() || !vpcPrefix.Contains(sub.Addr()) {
				if !inAny(sub, v.SecondaryCIDRs) {
					return fieldErrf(sp+".cidr", "%q is not a CIDR block inside the VPC's %s", s.CIDR, v.CIDR)
				}
			}
			vsw[s.ID] = v.ID
		}
	}
	checkVSwitches := func(p string, list []string, vpc string) *fieldError {
		for j, id := range list {
			if vsw[id] != vpc {
				return fieldErrf(fmt.Sprintf("%s.vswitches[%d]", p, j), "vSwitch %q is not in VPC %s", id, vpc)
			}
		}
		return nil
	}
	clusters := map[string]*Cluster{}
	for i := range w.Clusters {
		c := &w.Clusters[i]
		p := fmt.Sprintf("clusters[%d]", i)
		if !reClusterID.MatchString(c.ID) {
			return fieldErrf(p+".id", "%q is not an ACK cluster ID (c followed by 32 hex digits)", c.ID)
		}
		if clusters[c.ID] != nil {
			return fieldErrf(p+".id", "%s is listed twice", c.ID)
		}
		if c.Profile != "Default" && c.Profile != "Edge" && c.Profile != "Serverless" && c.Profile != "Lingjun" {
			return fieldErrf(p+".profile", "%q must be Default, Edge, Serverless or Lingjun", c.Profile)
		}
		if vpcs[c.VPC] == nil || vpcs[c.VPC].Region != c.Region {
			return fieldErrf(p+".vpc", "%q is not a VPC of region %q", c.VPC, c.Region)
		}
		if len(c.VSwitches) == 0 {
			return fieldErrf(p+".vswitches", "at least one vSwitch is required")
		}
		if fe := checkVSwitches(p, c.VSwitches, c.VPC); fe != nil {
			return fe
		}
		for _, f := range []struct{ name, v string }{{"pod_cidr", c.PodCIDR}, {"service_cidr", c.ServiceCIDR}} {
			if _, err := netip.ParsePrefix(f.v); f.v != "" && err != nil {
				return fieldErrf(p+"."+f.name, "%q is not a CIDR block", f.v)
			}
		}
		clusters[c.ID] = c
	}
	meshes := map[string]bool{}
	for i := range w.Meshes {
		m := &w.Meshes[i]
		p := fmt.Sprintf("meshes[%d]", i)
		if !reMeshID.MatchString(m.ID) {
			return fieldErrf(p+".id", "%q is not an ASM instance ID (32 hex digits)", m.ID)
		}
		if meshes[m.ID] {
			return fieldErrf(p+".id", "%s is listed twice", m.ID)
		}
		meshes[m.ID] = true
		if vpcs[m.VPC] == nil || vpcs[m.VPC].Region != m.Region {
			return fieldErrf(p+".vpc", "%q is not a VPC of region %q", m.VPC, m.Region)
		}
		if fe := checkVSwitches(p, m.VSwitches, m.VPC); fe != nil {
			return fe
		}
		for j, id := range m.Clusters {
			if clusters[id] == nil {
				return fieldErrf(fmt.Sprintf("%s.clusters[%d]", p, j), "cluster %q is not listed under clusters", id)
			}
		}
	}
	for i, c := range w.CENs {
		p := fmt.Sprintf("cens[%d]", i)
		if !reCENID.MatchString(c.ID) {
			return fieldErrf(p+".id", "%q is not a CEN ID like cen-7qthudw0ll6jmc3x8k", c.ID)
		}
		for j, v := range c.VPCs {
			if vpcs[v] == nil {
				return fieldErrf(fmt.Sprintf("%s.vpcs[%d]", p, j), "VPC %q is not listed under vpcs", v)
			}
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"throttle_rate", w.Faults.ThrottleRate}, {"error_rate", w.Faults.ErrorRate}, {"hang_rate", w.Faults.HangRate}} {
		if f.v < 0 || f.v > 1 {
			return fieldErrf("faults."+f.name, "%v must be between 0 and 1", f.v)
		}
	}
	if !slices.Contains([]string{"", "both", "extra_sans", "meta_data"}, w.SANFields) {
		return fieldErrf("san_fields", "%q must be extra_sans, meta_data or both", w.SANFields)
	}
	if a := w.MeshNotFound; a != "" && !slices.Contains(MeshNotFoundAnswers(), a) {
		return fieldErrf("mesh_not_found", "%q is not one of %s", a, strings.Join(MeshNotFoundAnswers(), ", "))
	}
	if c := w.Faults.ThrottleCode; c != "" && !slices.Contains(ThrottleCodes(), c) {
		return fieldErrf("faults.throttle_code", "%q is not one of %s", c, strings.Join(ThrottleCodes(), ", "))
	}
	if a := w.PrivateLink.ActivationError; a != "" && activationErrors[a] == "" {
		return fieldErrf("privatelink.activation_error", "%q must be AccountTypeRestricted or InvalidAccountStatus.NotEnoughBalance", a)
	}
	if w.PrivateLink.EndpointQuota < 0 {
		return fieldErrf("privatelink.endpoint_quota", "must not be negative")
	}
	if err := w.PrivateLink.validateQuotas(); err != nil {
		return err
	}
	if err := w.validatePublished(); err != nil {
		return err
	}
	return w.validateDataPlane()
}

func inAny(p netip.Prefix, cidrs []string) bool {
	for _, c := range cidrs {
		if q, err := netip.ParsePrefix(c); err == nil && p.IsValid() && p.Bits() >= q.Bits() && q.Contains(p.Addr()) {
			return true
		}
	}
	return false
}
