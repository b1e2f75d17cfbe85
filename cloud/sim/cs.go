package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// cs (ACK) 2015-12-15 handlers, ROA style: routed by method and path,
// snake_case keys, lower-case error bodies, page_number/page_size paging
// (default 10, at most 100) with a page_info object.

// routeROA maps an ACK call to its API name, handler and path parameters.
func routeROA(method, path string) (string, handler, []string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case method == http.MethodGet && path == "/api/v1/clusters":
		return "DescribeClustersV1", describeClustersV1, nil
	case method == http.MethodGet && len(parts) == 3 && parts[0] == "regions" && parts[2] == "clusters":
		return "DescribeClustersForRegion", describeClustersForRegion, parts[1:2]
	case method == http.MethodGet && len(parts) == 2 && parts[0] == "clusters":
		return "DescribeClusterDetail", describeClusterDetail, parts[1:2]
	case method == http.MethodGet && len(parts) == 3 && parts[0] == "k8s" && parts[2] == "user_config":
		return "DescribeClusterUserKubeconfig", describeClusterUserKubeconfig, parts[1:2]
	case method == http.MethodPut && len(parts) == 4 && parts[0] == "api" && parts[1] == "v2" && parts[2] == "clusters":
		return "ModifyCluster", modifyCluster, parts[3:4]
	}
	return "", nil, nil
}

func (st *State) clusterJSON(cs *clusterState) J {
	st.settleCluster(cs)
	c := cs.c
	masterURL, _ := json.Marshal(J{"api_server_endpoint": "", "intranet_api_server_endpoint": c.APIServer})
	updated := c.Created
	if !cs.updated.IsZero() {
		updated = cs.updated.Format(time.RFC3339)
	}
	zone := ""
	if len(c.VSwitches) > 0 {
		zone = st.vswitches[c.VSwitches[0]].vsw.Zone
	}
	return J{
		"cluster_id": c.ID, "name": c.Name, "region_id": c.Region, "zone_id": zone, "cluster_type": c.ClusterType,
		"profile": c.Profile, "cluster_spec": c.ClusterSpec, "state": cs.state, "size": c.Size,
		"current_version": c.Version, "init_version": c.Version, "next_version": "",
		"vpc_id": c.VPC, "vswitch_ids": nonNil(c.VSwitches), "vswitch_id": strings.Join(c.VSwitches, ","),
		"security_group_id": c.SecurityGroup, "container_cidr": c.PodCIDR, "subnet_cidr": c.PodCIDR, "service_cidr": c.ServiceCIDR,
		"network_mode": "vpc", "proxy_mode": "ipvs", "ip_stack": "ipv4", "cluster_domain": "cluster.local", "timezone": "Asia/Shanghai",
		"master_url": string(masterURL), "external_loadbalancer_id": c.APIServerLB, "resource_group_id": "rg-acfm2pz25js4kry",
		"deletion_protection": true, "private_zone": false, "created": c.Created, "updated": updated,
		"tags": []J{{"key": "ack.aliyun.com", "value": c.ID}}, "meta_data": st.metaData(cs),
	}
}

// metaData is the cluster's meta_data: a JSON object in a string. It holds
// the custom certificate SANs as ExtraCertSAN unless the world reports them
// in extra_sans only; Terraform's managed Kubernetes resource reads
// custom_san from there (aliyun/terraform-provider-alicloud).
func (st *State) metaData(cs *clusterState) string {
	meta := J{"Capabilities": J{"PublicSLB": false}, "KubernetesVersion": cs.c.Version}
	if st.world.SANFields != "extra_sans" && len(cs.extraSANs) > 0 {
		meta["ExtraCertSAN"] = slices.Clone(cs.extraSANs)
	}
	b, _ := json.Marshal(meta)
	return string(b)
}

func (st *State) listClusters(c *call, region string) (J, error) {
	var match []*clusterState
	for i := range st.world.Clusters {
		cs := st.clusters[st.world.Clusters[i].ID]
		cl := cs.c
		if (region != "" && cl.Region != region) ||
			(c.param("name") != "" && !strings.Contains(cl.Name, c.param("name"))) ||
			(c.param("cluster_type") != "" && c.param("cluster_type") != cl.ClusterType) ||
			(c.param("profile") != "" && c.param("profile") != cl.Profile) ||
			(c.param("cluster_spec") != "" && c.param("cluster_spec") != cl.ClusterSpec) ||
			(c.param("cluster_id") != "" && c.param("cluster_id") != cl.ID) {
			continue
		}
		match = append(match, cs)
	}
	num, size, lo, hi, err := pageByNumber(c, "page_number", "page_size", 10, 100, len(match))
	if err != nil {
		return nil, err
	}
	// A world may serve smaller pages than asked; page_info then reports
	// the size served, which is what a client must page by.
	if limit := st.world.CSPageSizeLimit; limit > 0 && size > limit {
		size = limit
		lo = min((num-1)*size, len(match))
		hi = min(lo+size, len(match))
	}
	list := []J{}
	for _, cs := range match[lo:hi] {
		list = append(list, st.clusterJSON(cs))
	}
	return J{"clusters": list, "page_info": J{"page_number": num, "page_size": size, "total_count": len(match)}}, nil
}

func describeClustersV1(st *State, c *call) (J, error) {
	return st.listClusters(c, c.params.Get("region_id"))
}

func describeClustersForRegion(st *State, c *call) (J, error) {
	if _, ok := st.regions[c.path[0]]; !ok {
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter", "The region_id %q is not a region.", c.path[0])
	}
	return st.listClusters(c, c.path[0])
}

func (st *State) clusterPath(c *call) (*clusterState, error) {
	cs, ok := st.clusters[c.path[0]]
	if !ok {
		return nil, apiErr(http.StatusNotFound, "ErrorClusterNotFound", "cluster %s not found", c.path[0])
	}
	st.settleCluster(cs)
	return cs, nil
}

func describeClusterDetail(st *State, c *call) (J, error) {
	cs, err := st.clusterPath(c)
	if err != nil {
		return nil, err
	}
	j := st.clusterJSON(cs)
	// extra_sans appeared in DescribeClusterDetail in 2025; a world can
	// leave it out, as older answers do.
	if st.world.SANFields != "meta_data" {
		j["extra_sans"] = nonNil(slices.Clone(cs.extraSANs))
	}
	j["node_cidr_mask"] = "26"
	j["parameters"] = J{}
	j["control_plane_endpoints_config"] = J{
		"internal_dns_config":   J{"enabled": false, "bind_vpcs": []string{}},
		"load_balancers_config": []J{{"endpoint": cs.c.APIServer, "endpoint_type": "intranet", "load_balancer_id": cs.c.APIServerLB}},
	}
	return j, nil
}

func describeClusterUserKubeconfig(st *State, c *call) (J, error) {
	cs, err := st.clusterPath(c)
	if err != nil {
		return nil, err
	}
	name := "kubernetes-" + cs.c.ID
	// As for meshes: the world's address is named, never pointed at.
	cfg := fmt.Sprintf(`# Simulated ACK cluster %s: its API server would be %s.
# The simulator serves no ACK API server, so this points at a closed loopback port.
apiVersion: v1
clusters:
- cluster:
    server: %s
    insecure-skip-tls-verify: true
  name: %s
contexts:
- context:
    cluster: %s
    user: "%s"
  name: %s-%s
current-context: %s-%s
kind: Config
preferences: {}
users:
- name: "%s"
  user:
    token: simulated-token-%s
`, cs.c.ID, cs.c.APIServer, unattachedAPIServer, name, name, st.world.AccountID, st.world.AccountID, cs.c.ID, st.world.AccountID, cs.c.ID, st.world.AccountID, cs.c.ID[1:13])
	return J{"config": cfg, "expiration": st.clock().Add(3 * 365 * 24 * time.Hour).UTC().Format(timeFormat)}, nil
}

// modifyClusterBody is the part of ModifyCluster's body the simulator acts
// on; other documented keys are accepted and ignored.
type modifyClusterBody struct {
	APIServerCustomCertSANs *struct {
		Action string   `json:"action"`
		SANs   []string `json:"subject_alternative_names"`
	} `json:"api_server_custom_cert_sans"`
}

// modifyCluster changes the API server certificate SANs: the cluster is
// updating for the world's cluster_update delay, then running with the new
// extra_sans.
func modifyCluster(st *State, c *call) (J, error) {
	cs, err := st.clusterPath(c)
	if err != nil {
		return nil, err
	}
	var body modifyClusterBody
	if len(c.body) > 0 {
		if err := json.Unmarshal(c.body, &body); err != nil {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter", "the request body is not valid JSON: %v", err)
		}
	}
	sans := body.APIServerCustomCertSANs
	if sans == nil {
		return J{"cluster_id": cs.c.ID, "task_id": ""}, nil
	}
	if cs.c.ClusterType != "ManagedKubernetes" {
		return nil, apiErr(http.StatusBadRequest, "ErrorClusterType", "custom API server certificate SANs can be set only on managed clusters; cluster %s is %s", cs.c.ID, cs.c.ClusterType)
	}
	if cs.state != "running" {
		return nil, apiErr(http.StatusBadRequest, "ErrorClusterState", "cluster %s is %s; it must be running to be modified", cs.c.ID, cs.state)
	}
	var next []string
	switch sans.Action {
	case "append":
		if len(sans.SANs) == 0 {
			return nil, apiErr(http.StatusBadRequest, "InvalidParameter", "api_server_custom_cert_sans.subject_alternative_names must not be empty")
		}
		next = slices.Clone(cs.extraSANs)
		for _, s := range sans.SANs {
			if !slices.Contains(next, s) {
				next = append(next, s)
			}
		}
	case "overwrite":
		next = slices.Clone(sans.SANs)
	default:
		return nil, apiErr(http.StatusBadRequest, "InvalidParameter", "api_server_custom_cert_sans.action %q must be append or overwrite", sans.Action)
	}
	cs.state = "updating"
	cs.pendingSANs = next
	cs.updateUntil = st.clock().Add(st.delays.ClusterUpdate.Std())
	st.settleCluster(cs)
	return J{"cluster_id": cs.c.ID, "task_id": "T-" + st.randID("", 24)}, nil
}
