package sim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"time"
)

// servicemesh (ASM) 2020-01-11 handlers. Lists are plain arrays; only
// DescribeServiceMeshClusters pages, with Limit/Offset.

func (st *State) meshParam(c *call) (*meshState, error) {
	id := c.param("ServiceMeshId")
	if id == "" {
		return nil, missingParam("ServiceMeshId")
	}
	ms, ok := st.meshes[id]
	if !ok || ms.mesh.Region != c.region {
		return nil, st.meshNotFoundAnswer(id)
	}
	st.settleMesh(ms)
	return ms, nil
}

func (st *State) meshJSON(ms *meshState) J {
	m := ms.mesh
	spec := "standard"
	if m.Profile == "Pro" {
		spec = "enterprise"
	}
	return J{
		"ServiceMeshInfo": J{"ServiceMeshId": m.ID, "Name": m.Name, "RegionId": m.Region, "State": ms.state,
			"Version": m.Version, "Profile": m.Profile, "CreationTime": m.Created, "UpdateTime": m.Created, "ErrorMessage": ""},
		"Spec": J{
			"Network":      J{"VpcId": m.VPC, "VSwitches": nonNil(m.VSwitches), "SecurityGroupId": m.SecurityGroup},
			"LoadBalancer": J{"ApiServerLoadbalancerId": m.APIServerLB, "ApiServerPublicEip": m.PublicAPIServer != "", "PilotPublicLoadbalancerId": m.PilotLB, "PilotPublicEip": false},
			"MeshConfig": J{"Mtls": true, "StrictMtls": false, "OutboundTrafficPolicy": "ALLOW_ANY", "Telemetry": true, "Tracing": false,
				"EnableLocalityLB": false, "Pilot": J{"TraceSampling": 1.0, "Http10Enabled": false}, "Proxy": J{"ClusterDomain": "cluster.local"},
				"SidecarInjector": st.sidecarInjectorJSON(m.ID)},
		},
		"Clusters": nonNil(ms.members),
		"Endpoints": J{"IntranetApiServerEndpoint": m.APIServer, "PublicApiServerEndpoint": m.PublicAPIServer,
			"IntranetPilotEndpoint": m.Pilot, "PublicPilotEndpoint": "", "ReverseTunnelEndpoint": "none"},
		"ClusterSpec": spec,
		"OwnerId":     st.world.AccountID,
	}
}

// describeServiceMeshes lists the meshes of the call's region.
func describeServiceMeshes(st *State, c *call) (J, error) {
	list := []J{}
	for _, id := range st.meshOrder {
		if st.meshes[id].mesh.Region != c.region {
			continue
		}
		st.settleMesh(st.meshes[id])
		list = append(list, st.meshJSON(st.meshes[id]))
	}
	return J{"ServiceMeshes": list}, nil
}

func describeServiceMeshDetail(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	return J{"ServiceMesh": st.meshJSON(ms)}, nil
}

// unattachedAPIServer is where a kubeconfig of something the simulator
// serves no API for (an ACK cluster's) points: port 1 on loopback, where
// nothing listens.
const unattachedAPIServer = "https://127.0.0.1:1"

// describeServiceMeshKubeconfig returns the mesh's kubeconfig: the one
// attached with SetMeshKubeconfig (a real API server), else one for the
// simulator's own in-memory Kubernetes API of the mesh (meshapi.go), served
// on this same address under /meshes/<mesh ID>. The world's addresses are
// only named, never pointed at: nothing may be sent off this machine.
func describeServiceMeshKubeconfig(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	if ms.kubeconfig != nil {
		return J{"Kubeconfig": string(ms.kubeconfig)}, nil
	}
	address := ms.mesh.PublicAPIServer
	if c.param("PrivateIpAddress") == "true" || address == "" {
		address = ms.mesh.APIServer
	}
	name := "asm-" + ms.mesh.ID
	kc := fmt.Sprintf(`# Simulated ASM instance %s: its API server would be %s.
# The simulator serves its Kubernetes API in memory, here.
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: %s
    server: %s
  name: %s
contexts:
- context:
    cluster: %s
    user: %s-admin
  name: %s-admin@%s
current-context: %s-admin@%s
preferences: {}
users:
- name: %s-admin
  user:
    token: %s
`, ms.mesh.ID, address, base64.StdEncoding.EncodeToString(st.meshCA), st.meshAPIBase+ms.mesh.ID, name, name, st.world.AccountID, st.world.AccountID, name, st.world.AccountID, name, st.world.AccountID, meshToken(ms.mesh.ID))
	return J{"Kubeconfig": kc, "ExpireTime": st.clock().Add(72 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")}, nil
}

func (st *State) meshClusterJSON(cs *clusterState, state, errMsg string) J {
	c := cs.c
	return J{"ClusterId": c.ID, "Name": c.Name, "ClusterType": c.ClusterType, "RegionId": c.Region, "VpcId": c.VPC,
		"SgId": c.SecurityGroup, "State": state, "Version": c.Version, "ClusterDomain": "cluster.local",
		"CreationTime": c.Created, "UpdateTime": c.Created, "ErrorMessage": errMsg}
}

func describeClustersInServiceMesh(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	list := []J{}
	for _, id := range ms.members {
		m := ms.member[id]
		list = append(list, st.meshClusterJSON(st.clusters[id], m.state, m.errorMessage))
	}
	return J{"Clusters": list}, nil
}

// describeServiceMeshClusters lists the ACK clusters of the mesh's region
// that are not in the mesh, each with ForbiddenFlag and ForbiddenInfo as
// the API reference documents them (help.aliyun.com/zh/asm/developer-reference/
// api-servicemesh-2020-01-11-describeservicemeshclusters): 0 can be added,
// 1 the caller has no admin-level permission on the cluster, 2 the cluster
// is in another VPC with no CEN between them, 3 its CIDRs conflict with the
// mesh's (ForbiddenInfo is the documented JSON list [{cluster,object,cidr}]),
// 4 it already has a namespace istio-system. The reference names no order
// when several apply; the simulator reports the first of 1, 3, 4, 2, and
// gives ForbiddenInfo only for 3. The page is Limit (default 20; the
// reference gives no maximum, the simulator allows 100) from Offset.
func describeServiceMeshClusters(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	limit, offset := 20, 0
	if v := c.param("Limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 100 {
			return nil, invalidParam("Limit", v, "it must be a whole number from 1 to 100")
		}
	}
	if v := c.param("Offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return nil, invalidParam("Offset", v, "it must be a whole number of at least 0")
		}
	}
	var all []J
	for i := range st.world.Clusters {
		cs := st.clusters[st.world.Clusters[i].ID]
		if _, in := ms.member[cs.c.ID]; in || cs.c.Region != ms.mesh.Region {
			continue
		}
		j := st.meshClusterJSON(cs, cs.state, "")
		j["ServiceMeshId"] = st.meshOf(cs.c.ID)
		flag, info := st.forbidden(ms, cs.c)
		j["ForbiddenFlag"] = flag
		j["ForbiddenInfo"] = info
		all = append(all, j)
	}
	lo := min(offset, len(all))
	hi := min(lo+limit, len(all))
	return J{"NumberOfClusters": len(all), "Clusters": nonNil(all[lo:hi])}, nil
}

// The ForbiddenFlag values of DescribeServiceMeshClusters (API reference).
const (
	flagNone             = 0
	flagNoAdmin          = 1
	flagNoCEN            = 2
	flagCIDRConflict     = 3
	flagIstioNamespace   = 4
	istioSystemNamespace = "istio-system"
)

// forbidden is ASM's ForbiddenFlag and ForbiddenInfo for adding c to ms.
func (st *State) forbidden(ms *meshState, c *Cluster) (int, string) {
	switch conflicts := st.cidrConflicts(ms, c); {
	case c.NoClusterAdmin:
		return flagNoAdmin, ""
	case len(conflicts) > 0:
		info, _ := json.Marshal(conflicts)
		return flagCIDRConflict, string(info)
	case c.IstioSystemNamespace:
		return flagIstioNamespace, ""
	case c.VPC != ms.mesh.VPC && !st.cenConnected(c.VPC, ms.mesh.VPC):
		return flagNoCEN, ""
	}
	return flagNone, ""
}

func (st *State) meshOf(clusterID string) string {
	for _, id := range st.meshOrder {
		if _, ok := st.meshes[id].member[clusterID]; ok {
			return id
		}
	}
	return ""
}

// cidrConflict names a cluster of the mesh whose network overlaps the
// candidate's, as ASM's ForbiddenInfo does.
type cidrConflict struct {
	Cluster string `json:"cluster"`
	Object  string `json:"object"`
	CIDR    string `json:"cidr"`
}

// cidrConflicts lists the overlaps between c's pod and Service CIDRs and
// those of the mesh's clusters, and between c's VPC and theirs when the
// VPCs differ (ACK One network requirements).
func (st *State) cidrConflicts(ms *meshState, c *Cluster) []cidrConflict {
	var out []cidrConflict
	for _, id := range ms.members {
		m := st.clusters[id].c
		for _, pair := range []struct{ object, mine, theirs string }{
			{"Pod", c.PodCIDR, m.PodCIDR}, {"Service", c.ServiceCIDR, m.ServiceCIDR}, {"Pod", c.PodCIDR, m.ServiceCIDR}, {"Service", c.ServiceCIDR, m.PodCIDR},
		} {
			if overlaps(pair.mine, pair.theirs) {
				out = append(out, cidrConflict{Cluster: m.ID, Object: pair.object, CIDR: pair.theirs})
			}
		}
		if c.VPC != m.VPC && overlaps(st.vpcs[c.VPC].CIDR, st.vpcs[m.VPC].CIDR) {
			out = append(out, cidrConflict{Cluster: m.ID, Object: "VPC", CIDR: st.vpcs[m.VPC].CIDR})
		}
	}
	return out
}

func overlaps(a, b string) bool {
	pa, err1 := netip.ParsePrefix(a)
	pb, err2 := netip.ParsePrefix(b)
	return err1 == nil && err2 == nil && pa.Overlaps(pb)
}

func (st *State) clusterParam(c *call, name string) (*clusterState, error) {
	id := c.param(name)
	if id == "" {
		return nil, missingParam(name)
	}
	cs, ok := st.clusters[id]
	if !ok {
		return nil, apiErr(http.StatusNotFound, "InvalidClusterId.NotFound", "The cluster %s does not exist.", id)
	}
	return cs, nil
}

func addClusterIntoServiceMesh(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	cs, err := st.clusterParam(c, "ClusterId")
	if err != nil {
		return nil, err
	}
	if other := st.meshOf(cs.c.ID); other != "" {
		return nil, apiErr(http.StatusBadRequest, "Conflict.ClusterAlreadyAdded", "The cluster %s is already added to service mesh %s.", cs.c.ID, other)
	}
	if ms.state != "running" {
		return nil, apiErr(http.StatusBadRequest, "IncorrectStatus.ServiceMesh", "The service mesh %s is %s; clusters can be added only while it is running.", ms.mesh.ID, ms.state)
	}
	// The reference documents no error codes for these refusals; the
	// simulator's are named after what ForbiddenFlag says.
	if cs.c.NoClusterAdmin {
		return nil, apiErr(http.StatusForbidden, "Forbidden.ClusterAdmin", "You have no admin-level permission on cluster %s; ask its owner to grant it in ACK authorization.", cs.c.ID)
	}
	if conflicts := st.cidrConflicts(ms, cs.c); len(conflicts) > 0 {
		k := conflicts[0]
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter.CidrConflict", "The %s CIDR of cluster %s overlaps %s of cluster %s in the service mesh.", k.Object, cs.c.ID, k.CIDR, k.Cluster)
	}
	if cs.c.IstioSystemNamespace && c.param("IgnoreNamespaceCheck") != "true" {
		return nil, apiErr(http.StatusBadRequest, "Conflict.NamespaceExists", "Cluster %s already has a namespace %s; delete it or pass IgnoreNamespaceCheck=true.", cs.c.ID, istioSystemNamespace)
	}
	ms.members = append(ms.members, cs.c.ID)
	m := &memberState{state: "running"}
	ms.member[cs.c.ID] = m
	if d := st.delays.MeshUpdate.Std(); d > 0 {
		m.state, m.connectingUntil = "connecting", st.clock().Add(d)
		ms.state, ms.updatingUntil = "updating", m.connectingUntil
	}
	return J{"Code": "200", "Message": "success"}, nil
}

func removeClusterFromServiceMesh(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	cs, err := st.clusterParam(c, "ClusterId")
	if err != nil {
		return nil, err
	}
	if _, ok := ms.member[cs.c.ID]; !ok {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter.ClusterNotInServiceMesh", "The cluster %s is not in service mesh %s.", cs.c.ID, ms.mesh.ID)
	}
	if ms.state != "running" {
		return nil, apiErr(http.StatusBadRequest, "IncorrectStatus.ServiceMesh", "The service mesh %s is %s; clusters can be removed only while it is running.", ms.mesh.ID, ms.state)
	}
	delete(ms.member, cs.c.ID)
	ms.members = slices.DeleteFunc(ms.members, func(id string) bool { return id == cs.c.ID })
	if d := st.delays.MeshUpdate.Std(); d > 0 {
		ms.state, ms.updatingUntil = "updating", st.clock().Add(d)
	}
	return J{"Code": "200", "Message": "success"}, nil
}

// describeMeshCens lists the mesh's clusters in other VPCs that no CEN
// instance connects to the mesh's VPC.
func describeMeshCens(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	list := []string{}
	for _, id := range ms.members {
		vpc := st.clusters[id].c.VPC
		if vpc != ms.mesh.VPC && !st.cenConnected(vpc, ms.mesh.VPC) {
			list = append(list, id)
		}
	}
	return J{"Clusters": list}, nil
}

func (st *State) cenConnected(a, b string) bool {
	for _, cen := range st.world.CENs {
		if slices.Contains(cen.VPCs, a) && slices.Contains(cen.VPCs, b) {
			return true
		}
	}
	return false
}

// nonNil makes nil slices encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
