package sim

import (
	"fmt"
	"hash/fnv"
	"maps"
	"net/http"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// DataPlane is what the simulated ASM knows of its data-plane clusters
// beyond the cloud's listings: each mesh's sidecar injection policy, each
// cluster's namespaces and pods, the CLB instances a gateway may reuse, and
// the answers to the questions ASM's documentation leaves open, so that
// every plausible answer can be tried:
//
//   - GatewayListing: DescribeIngressGateways documents its entries only as
//     "Array of Object" with the example key ClusterId. "asm" answers with
//     IstioGatewayName, Status and IPAddress; "plain" with Name, State and
//     ExternalIp.
//   - InjectionOff: UpdateIstioInjectionConfig documents EnableIstioInjection
//     as "whether to enable automatic injection", not what false does to
//     the namespace label. "remove" drops istio-injection; "disabled" sets
//     it to disabled (which matters when the mesh injects namespaces by
//     default).
type DataPlane struct {
	// GatewayListing is asm (default) or plain.
	GatewayListing string `yaml:"gateway_listing"`
	// GatewayDelay is how long ASM takes to deploy or update a gateway in a
	// cluster; default 3s.
	GatewayDelay Duration `yaml:"gateway_delay"`
	// InjectionOff is remove (default) or disabled.
	InjectionOff  string             `yaml:"injection_off"`
	Meshes        []DataPlaneMesh    `yaml:"meshes"`
	LoadBalancers []LoadBalancer     `yaml:"load_balancers"`
	Clusters      []DataPlaneCluster `yaml:"clusters"`
}

// DataPlaneMesh is one mesh's sidecar injection policy, as
// DescribeServiceMeshDetail reports it under Spec.MeshConfig.SidecarInjector.
type DataPlaneMesh struct {
	Mesh                       string `yaml:"mesh"`
	EnableNamespacesByDefault  bool   `yaml:"enable_namespaces_by_default"`
	AutoInjectionPolicyEnabled bool   `yaml:"auto_injection_policy_enabled"`
}

// LoadBalancer is a CLB instance the account owns, which a gateway can use
// instead of creating one.
type LoadBalancer struct {
	ID string `yaml:"id"`
	// AddressType is internet or intranet.
	AddressType string `yaml:"address_type"`
	Address     string `yaml:"address"`
}

// DataPlaneCluster is the namespaces of one ACK cluster.
type DataPlaneCluster struct {
	Cluster    string      `yaml:"cluster"`
	Namespaces []Namespace `yaml:"namespaces"`
}

// Namespace is a namespace of a data-plane cluster, with its labels and the
// names of its pods (as Kubernetes names them: a Deployment's pods are
// <deployment>-<pod-template-hash>-<5 characters>).
type Namespace struct {
	Name   string            `yaml:"name"`
	Labels map[string]string `yaml:"labels"`
	Pods   []string          `yaml:"pods"`
}

var (
	reLBID   = regexp.MustCompile(`^lb-[0-9a-z]{8,30}$`)
	reNSName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
)

// validateDataPlane checks the data_plane section against the rest of the
// world.
func (w *World) validateDataPlane() *fieldError {
	d := w.DataPlane
	if !slices.Contains([]string{"", "asm", "plain"}, d.GatewayListing) {
		return fieldErrf("data_plane.gateway_listing", "%q is not asm or plain", d.GatewayListing)
	}
	if !slices.Contains([]string{"", "remove", "disabled"}, d.InjectionOff) {
		return fieldErrf("data_plane.injection_off", "%q is not remove or disabled", d.InjectionOff)
	}
	for i, m := range d.Meshes {
		if !slices.ContainsFunc(w.Meshes, func(x Mesh) bool { return x.ID == m.Mesh }) {
			return fieldErrf(fmt.Sprintf("data_plane.meshes[%d].mesh", i), "%q is not one of the meshes", m.Mesh)
		}
	}
	for i, lb := range d.LoadBalancers {
		path := fmt.Sprintf("data_plane.load_balancers[%d]", i)
		if !reLBID.MatchString(lb.ID) {
			return fieldErrf(path+".id", "%q is not a CLB ID like lb-bp1edgegw0000000001", lb.ID)
		}
		if lb.AddressType != "internet" && lb.AddressType != "intranet" {
			return fieldErrf(path+".address_type", "%q is not internet or intranet", lb.AddressType)
		}
		if _, err := netip.ParseAddr(lb.Address); err != nil {
			return fieldErrf(path+".address", "%q is not an IP address", lb.Address)
		}
	}
	for i, c := range d.Clusters {
		path := fmt.Sprintf("data_plane.clusters[%d]", i)
		if !slices.ContainsFunc(w.Clusters, func(x Cluster) bool { return x.ID == c.Cluster }) {
			return fieldErrf(path+".cluster", "%q is not one of the clusters", c.Cluster)
		}
		for j, n := range c.Namespaces {
			if !reNSName.MatchString(n.Name) {
				return fieldErrf(fmt.Sprintf("%s.namespaces[%d].name", path, j), "%q is not a namespace name", n.Name)
			}
		}
	}
	return nil
}

// dataPlane is the simulated ASM's data-plane state.
type dataPlane struct {
	policy     map[string]DataPlaneMesh
	namespaces map[string]map[string]*Namespace // cluster -> name -> namespace
	lbs        map[string]LoadBalancer
	// gateways are by mesh, then by namespace/name/cluster.
	gateways map[string]map[string]*gatewayState
}

// seedDataPlane copies the world's data plane into the state.
func (s *State) seedDataPlane() {
	d := &dataPlane{policy: map[string]DataPlaneMesh{}, namespaces: map[string]map[string]*Namespace{},
		lbs: map[string]LoadBalancer{}, gateways: map[string]map[string]*gatewayState{}}
	for _, m := range s.world.DataPlane.Meshes {
		d.policy[m.Mesh] = m
	}
	for _, lb := range s.world.DataPlane.LoadBalancers {
		d.lbs[lb.ID] = lb
	}
	for _, c := range s.world.DataPlane.Clusters {
		nss := map[string]*Namespace{}
		for _, n := range c.Namespaces {
			nss[n.Name] = &Namespace{Name: n.Name, Labels: maps.Clone(n.Labels), Pods: slices.Clone(n.Pods)}
		}
		d.namespaces[c.Cluster] = nss
	}
	s.dp = d
}

// sidecarInjectorJSON is the SidecarInjector part of a mesh's MeshConfig.
func (st *State) sidecarInjectorJSON(meshID string) J {
	p := st.dp.policy[meshID]
	return J{"AutoInjectionPolicyEnabled": p.AutoInjectionPolicyEnabled, "EnableNamespacesByDefault": p.EnableNamespacesByDefault,
		"RequestCPU": "100m", "RequestMemory": "128Mi", "LimitCPU": "2000m", "LimitMemory": "1024Mi", "SidecarInjectorNum": 1}
}

// notFound404 is ASM's answer for a cluster or namespace it does not know,
// as the API reference's error table gives it (HTTP 404, ERR404).
func notFound404(format string, args ...any) *APIError {
	return apiErr(http.StatusNotFound, "ERR404", format, args...)
}

// guestCluster reads ServiceMeshId and GuestClusterID: a cluster of the mesh.
func (st *State) guestCluster(c *call) (string, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return "", err
	}
	id := c.param("GuestClusterID")
	if id == "" {
		return "", missingParam("GuestClusterID")
	}
	if _, ok := ms.member[id]; !ok {
		return "", notFound404("Not found: cluster %s is not in service mesh %s", id, ms.mesh.ID)
	}
	return id, nil
}

// describeGuestClusterNamespaces lists a member cluster's namespaces, with
// their labels when ShowNsLabels is true (DescribeGuestClusterNamespaces).
func describeGuestClusterNamespaces(st *State, c *call) (J, error) {
	id, err := st.guestCluster(c)
	if err != nil {
		return nil, err
	}
	nss := st.dp.namespaces[id]
	names := slices.Sorted(maps.Keys(nss))
	out := J{"NsList": nonNil(names)}
	if show, _ := strconv.ParseBool(c.param("ShowNsLabels")); show {
		labels := J{}
		for _, n := range names {
			labels[n] = nonNilMap(nss[n].Labels)
		}
		out["NsLabels"] = labels
	}
	return out, nil
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// describeGuestClusterPods lists the pods of a namespace of a member
// cluster (DescribeGuestClusterPods).
func describeGuestClusterPods(st *State, c *call) (J, error) {
	id, err := st.guestCluster(c)
	if err != nil {
		return nil, err
	}
	name := c.param("Namespace")
	if name == "" {
		return nil, missingParam("Namespace")
	}
	ns, ok := st.dp.namespaces[id][name]
	if !ok {
		return nil, notFound404("Not found: namespace %s does not exist in cluster %s", name, id)
	}
	return J{"PodList": nonNil(slices.Clone(ns.Pods))}, nil
}

// updateIstioInjectionConfig labels a global namespace for injection, and
// with it the namespace of that name in every cluster of the mesh that has
// one, as ASM synchronises the label ("Manage global namespaces").
// Existing pods are left as they are: injection happens when a pod is
// created.
func updateIstioInjectionConfig(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	name := c.param("Namespace")
	if name == "" {
		return nil, missingParam("Namespace")
	}
	if !reNSName.MatchString(name) {
		return nil, invalidParam("Namespace", name, "a namespace name is lower-case letters, digits and '-'")
	}
	raw := c.param("EnableIstioInjection")
	if raw == "" {
		return nil, missingParam("EnableIstioInjection")
	}
	on, err := strconv.ParseBool(raw)
	if err != nil {
		return nil, invalidParam("EnableIstioInjection", raw, "must be true or false")
	}
	for _, id := range ms.members {
		ns, ok := st.dp.namespaces[id][name]
		if !ok {
			continue
		}
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		switch {
		case on:
			ns.Labels["istio-injection"] = "enabled"
		case st.world.DataPlane.InjectionOff == "disabled":
			ns.Labels["istio-injection"] = "disabled"
		default:
			delete(ns.Labels, "istio-injection")
		}
	}
	return J{}, nil
}

// ipIn returns the n-th address (from the end, leaving the top one) of
// cidr, for addresses the simulator hands out.
func ipIn(cidr string, n uint32) string {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return ""
	}
	a := p.Masked().Addr().As4()
	size := uint32(1) << (32 - p.Bits())
	base := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v := base + size - 2 - n%max(size-3, 1)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}).String()
}

// publicIP is a stable made-up public address for key, in 47.96.0.0/12
// (Alibaba Cloud's range in Hangzhou).
func publicIP(key string) string {
	h := fnv.New32a()
	h.Write([]byte(key))
	v := h.Sum32()
	return fmt.Sprintf("47.%d.%d.%d", 96+(v>>16)%16, (v>>8)%256, 1+v%254)
}

// gatewayDelay is the world's gateway deployment delay.
func (st *State) gatewayDelay() time.Duration {
	if d := time.Duration(st.world.DataPlane.GatewayDelay); d > 0 {
		return d
	}
	return 3 * time.Second
}
