package sim

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// The CLB annotations of the ACK cloud controller manager that the
// simulated gateway controller reads from serviceAnnotations ("Add
// annotations to the YAML file of a Service to configure CLB instances").
const (
	annotationAddressType = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type"
	annotationLBID        = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id"
)

// GatewaySpec is an IstioGateway (istio.alibabacloud.com/v1beta1) as the
// simulated ASM gateway controller reads it from the mesh's API server:
// the fields "CRD fields for an ASM gateway" documents.
type GatewaySpec struct {
	Namespace, Name string
	// Generation changes with every change of the spec.
	Generation  int64
	ClusterIDs  []string
	ServiceType string
	Annotations map[string]string
	Ports       []GatewayPort
}

// GatewayPort is one port of a gateway's Service.
type GatewayPort struct {
	Port int64
	// Protocol is TCP, UDP or SCTP; empty is TCP, as in a Service.
	Protocol string
}

// gatewayState is one gateway in one cluster.
type gatewayState struct {
	spec    GatewaySpec
	cluster string
	// since is when the current generation was first seen; deployed is
	// whether an earlier generation had been deployed.
	since    time.Time
	deployed bool
	// failure, when set, is why the gateway cannot be deployed.
	failure string
	lbID    string
	address string
}

// ReconcileGateways is the simulated ASM gateway controller's view of the
// IstioGateways in meshID's API server: each gateway is deployed to each of
// its clusters over the world's gateway delay, gets the address of its CLB,
// or fails with the reason ASM would report (a cluster not in the mesh,
// clashing ports, a CLB that does not exist or is of the other type).
// Gateways no longer listed are removed.
func (s *State) ReconcileGateways(meshID string, gws []GatewaySpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms, ok := s.meshes[meshID]
	if !ok {
		return
	}
	old := s.dp.gateways[meshID]
	next := map[string]*gatewayState{}
	now := s.clock()
	for _, g := range gws {
		for _, cluster := range g.ClusterIDs {
			key := g.Namespace + "/" + g.Name + "/" + cluster
			gs := old[key]
			switch {
			case gs == nil:
				gs = &gatewayState{spec: g, cluster: cluster, since: now}
			case gs.spec.Generation != g.Generation:
				gs.deployed = gs.deployed || now.Sub(gs.since) >= s.gatewayDelay() && gs.failure == ""
				gs.spec, gs.since = g, now
			}
			gs.failure, gs.lbID, gs.address = s.deployGateway(ms, gs)
			next[key] = gs
		}
	}
	s.dp.gateways[meshID] = next
}

// deployGateway decides what deploying gs gives: a failure, or the CLB and
// its address.
func (s *State) deployGateway(ms *meshState, gs *gatewayState) (failure, lbID, address string) {
	g := gs.spec
	if _, ok := ms.member[gs.cluster]; !ok {
		return fmt.Sprintf("cluster %s is not in service mesh %s", gs.cluster, ms.mesh.ID), "", ""
	}
	if len(g.Ports) == 0 {
		return "the gateway has no ports", "", ""
	}
	seen := map[GatewayPort]bool{}
	for i, p := range g.Ports {
		if p.Protocol == "" {
			p.Protocol = "TCP"
		}
		if seen[p] {
			return fmt.Sprintf(`Service "istio-%s" is invalid: spec.ports[%d]: Duplicate value: core.ServicePort{Port:%d, Protocol:"%s"}`, g.Name, i, p.Port, p.Protocol), "", ""
		}
		seen[p] = true
	}
	if g.ServiceType != "LoadBalancer" {
		return "", "", ""
	}
	want := g.Annotations[annotationAddressType]
	if want == "" {
		want = "internet"
	}
	key := ms.mesh.ID + "/" + g.Namespace + "/" + g.Name + "/" + gs.cluster
	if id := g.Annotations[annotationLBID]; id != "" {
		lb, ok := s.dp.lbs[id]
		switch {
		case !ok:
			return fmt.Sprintf("SyncLoadBalancerFailed: the loadbalancer %s does not exist", id), "", ""
		case lb.AddressType != want:
			return fmt.Sprintf("SyncLoadBalancerFailed: the loadbalancer %s is %s, but the service asks for address type %s", id, lb.AddressType, want), "", ""
		}
		return "", id, lb.Address
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	lbID = fmt.Sprintf("lb-bp1%017x", h.Sum64()>>4)
	if want == "intranet" {
		cs := s.clusters[gs.cluster]
		for _, v := range cs.c.VSwitches {
			if ref, ok := s.vswitches[v]; ok {
				return "", lbID, ipIn(ref.vsw.CIDR, uint32(h.Sum64()%200))
			}
		}
		return "cluster has no vSwitch for an intranet CLB", "", ""
	}
	return "", lbID, publicIP(key)
}

// gatewayListing is the key spelling of DescribeIngressGateways' entries
// (see DataPlane.GatewayListing).
type gatewayListing struct {
	name, status, address, serviceType, message string
	pending, updating, running, failed          string
}

var gatewayListings = map[string]gatewayListing{
	"asm": {name: "IstioGatewayName", status: "Status", address: "IPAddress", serviceType: "ServiceType", message: "ErrorMessage",
		pending: "Deploying", updating: "Updating", running: "Running", failed: "Failed"},
	"plain": {name: "Name", status: "State", address: "ExternalIp", serviceType: "Type", message: "Message",
		pending: "creating", updating: "updating", running: "ready", failed: "error"},
}

// describeIngressGateways lists the mesh's gateways, one entry per gateway
// and cluster (DescribeIngressGateways).
func describeIngressGateways(st *State, c *call) (J, error) {
	ms, err := st.meshParam(c)
	if err != nil {
		return nil, err
	}
	style := st.world.DataPlane.GatewayListing
	if style == "" {
		style = "asm"
	}
	k := gatewayListings[style]
	now := st.clock()
	list := []J{}
	gws := st.dp.gateways[ms.mesh.ID]
	for _, key := range slices.Sorted(maps.Keys(gws)) {
		gs := gws[key]
		e := J{"ClusterId": gs.cluster, k.name: gs.spec.Name, "Namespace": gs.spec.Namespace, k.serviceType: gs.spec.ServiceType}
		switch {
		case gs.failure != "":
			e[k.status], e[k.message] = k.failed, gs.failure
		case now.Sub(gs.since) < st.gatewayDelay() && gs.deployed:
			e[k.status] = k.updating
		case now.Sub(gs.since) < st.gatewayDelay():
			e[k.status] = k.pending
		default:
			e[k.status] = k.running
			if gs.address != "" {
				e[k.address] = gs.address
			}
		}
		if gs.lbID != "" {
			e["LoadBalancerId"] = gs.lbID
		}
		list = append(list, e)
	}
	return J{"IngressGateways": list}, nil
}

// gatewayGVR is the IstioGateway resource.
var gatewayGVR = schema.GroupVersionResource{Group: "istio.alibabacloud.com", Version: "v1beta1", Resource: "istiogateways"}

// GatewayController is the simulated ASM gateway controller of one mesh: it
// reads the IstioGateways of the mesh's API server every Interval and hands
// them to ReconcileGateways, so DescribeIngressGateways reports them.
type GatewayController struct {
	st       *State
	meshID   string
	dyn      dynamic.Interface
	interval time.Duration
	log      io.Writer
}

// NewGatewayController returns the gateway controller of meshID, reading
// the API server cfg points to.
func NewGatewayController(st *State, meshID string, cfg *rest.Config, opts ControllerOptions) (*GatewayController, error) {
	if _, ok := st.Mesh(meshID); !ok {
		return nil, fmt.Errorf("the simulated world has no ASM instance %s", meshID)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	if opts.Interval <= 0 {
		opts.Interval = 250 * time.Millisecond
	}
	return &GatewayController{st: st, meshID: meshID, dyn: dyn, interval: opts.Interval, log: opts.Log}, nil
}

// Run reconciles every Interval until ctx is done. A failed listing (the
// API server down, no IstioGateway kind) is logged and tried again.
func (g *GatewayController) Run(ctx context.Context) {
	tick := time.NewTicker(g.interval)
	defer tick.Stop()
	for {
		if err := g.reconcile(ctx); err != nil && g.log != nil && ctx.Err() == nil {
			fmt.Fprintf(g.log, "asm gateway controller %s: %v\n", g.meshID, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (g *GatewayController) reconcile(ctx context.Context) error {
	list, err := g.dyn.Resource(gatewayGVR).Namespace("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	specs := make([]GatewaySpec, 0, len(list.Items))
	for _, u := range list.Items {
		specs = append(specs, gatewaySpecOf(&u))
	}
	g.st.ReconcileGateways(g.meshID, specs)
	return nil
}

// gatewaySpecOf reads the fields the controller acts on.
func gatewaySpecOf(u *unstructured.Unstructured) GatewaySpec {
	s := GatewaySpec{Namespace: u.GetNamespace(), Name: u.GetName(), Generation: u.GetGeneration()}
	s.ClusterIDs, _, _ = unstructured.NestedStringSlice(u.Object, "spec", "clusterIds")
	s.ServiceType, _, _ = unstructured.NestedString(u.Object, "spec", "serviceType")
	s.Annotations, _, _ = unstructured.NestedStringMap(u.Object, "spec", "serviceAnnotations")
	ports, _, _ := unstructured.NestedSlice(u.Object, "spec", "ports")
	for _, p := range ports {
		if m, ok := p.(map[string]any); ok {
			if n, ok := m["port"].(int64); ok {
				proto, _ := m["protocol"].(string)
				s.Ports = append(s.Ports, GatewayPort{Port: n, Protocol: proto})
			}
		}
	}
	if strings.TrimSpace(s.ServiceType) == "" {
		s.ServiceType = "LoadBalancer"
	}
	return s
}
