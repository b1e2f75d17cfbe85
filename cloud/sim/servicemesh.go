package sim

import (
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
	if !ok {
		return nil, meshNotFound(id)
	}
	return ms, nil
}

func (st *State) meshJSON(ms *meshState) J {
	m := ms.mesh
	spec := "standard"
	if m.Profile == "Pro" {
		spec = "enterprise"
	}
	return J{
		"ServiceMeshInfo": J{"ServiceMeshId": m.ID, "Name": m.Name, "RegionId": m.Region, "State": m.State,
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

func describeServiceMeshes(st *State, c *call) (J, error) {
	list := []J{}
	for _, id := range st.meshOrder {
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

// unattachedAPIServer is where the kubeconfig of a simulated mesh without an
// API server points: port 1 on loopback, where nothing listens.
const unattachedAPIServer = "https://127.0.0.1:1"

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
	// The world's address is not on this machine, and nothing may ever be
	// sent off it: without --asm-kubeconfig the kubeconfig names the
	// address it stands for and points at a loopback port that refuses.
	kc := fmt.Sprintf(`# Simulated ASM instance %s: its API server would be %s.
# No API server is attached, so this points at a closed loopback port;
# start asmlink sim with --asm-kubeconfig %s=PATH to serve one.
apiVersion: v1
kind: Config
clusters:
- cluster:
    insecure-skip-tls-verify: true
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
    token: simulated-token-%s
`, ms.mesh.ID, address, ms.mesh.ID, unattachedAPIServer, name, name, st.world.AccountID, st.world.AccountID, name, st.world.AccountID, name, st.world.AccountID, ms.mesh.ID[:12])
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

// describeServiceMeshClusters lists the ACK clusters that are not in the
// mesh, with ForbiddenFlag 0 when one can be added, 1 when it conflicts with
// the mesh's networks (ForbiddenInfo says which CIDR) and 2 when it is
// already in another mesh.
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
		if _, in := ms.member[cs.c.ID]; in {
			continue
		}
		j := st.meshClusterJSON(cs, cs.state, "")
		j["ServiceMeshId"] = ""
		j["ForbiddenFlag"] = 0
		j["ForbiddenInfo"] = ""
		if other := st.meshOf(cs.c.ID); other != "" {
			j["ServiceMeshId"] = other
			j["ForbiddenFlag"] = 2
			j["ForbiddenInfo"] = "The cluster is already added to service mesh " + other + "."
		} else if conflicts := st.cidrConflicts(ms, cs.c); len(conflicts) > 0 {
			info, _ := json.Marshal(conflicts)
			j["ForbiddenFlag"] = 1
			j["ForbiddenInfo"] = string(info)
		}
		all = append(all, j)
	}
	lo := min(offset, len(all))
	hi := min(lo+limit, len(all))
	return J{"NumberOfClusters": len(all), "Clusters": nonNil(all[lo:hi])}, nil
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
	if ms.mesh.State != "running" {
		return nil, apiErr(http.StatusBadRequest, "IncorrectStatus.ServiceMesh", "The service mesh %s is %s; clusters can be added only while it is running.", ms.mesh.ID, ms.mesh.State)
	}
	if conflicts := st.cidrConflicts(ms, cs.c); len(conflicts) > 0 {
		k := conflicts[0]
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter.CidrConflict", "The %s CIDR of cluster %s overlaps %s of cluster %s in the service mesh.", k.Object, cs.c.ID, k.CIDR, k.Cluster)
	}
	ms.members = append(ms.members, cs.c.ID)
	ms.member[cs.c.ID] = &memberState{state: "running"}
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
	delete(ms.member, cs.c.ID)
	ms.members = slices.DeleteFunc(ms.members, func(id string) bool { return id == cs.c.ID })
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
