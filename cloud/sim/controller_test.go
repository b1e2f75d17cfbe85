package sim

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/spec"
)

// The demo world's production mesh and two of its clusters, in other VPCs.
const (
	meshProd   = "d564b858f9a3e247cb2c083eb8cb37f0"
	asmVPC     = "vpc-bp1hbrpoig8f1cbfno6b9"
	asmVswH    = "vsw-bp1msnd8dudd467kd6fle"
	asmVswJ    = "vsw-bp13uea3ge8n6qiwepxsk"
	shopProd   = "cbfbdabe898736a3566f893697b590487" // vSwitches in zones j and i
	shopVswJ   = "vsw-bp128t7a9tgiqhg9jrsnv"
	payments   = "c194f309ffea518f32cf21449273d7ce7" // vSwitches in zones h and k
	payVswH    = "vsw-bp1pgw90jpkl0blv0prkg"
	payVswK    = "vsw-bp1yc4om3wtoobmzvrerw"
	paymentVPC = "vpc-bp1wwqc38hyf9sxmecosf"
	zoneH      = "cn-hangzhou-h"
	zoneJ      = "cn-hangzhou-j"
	zoneK      = "cn-hangzhou-k"
)

// rig is a simulated cloud, its controller for meshProd on the real API
// server, asmlink's client of that API server, and a cloud client.
type rig struct {
	ctx  context.Context
	sim  *Server
	kube *kube.Client
	api  cloud.API
}

// newRig starts the demo world, changed by edit, and the controller.
func newRig(t *testing.T, edit func(w *World)) *rig {
	t.Helper()
	kubeSrv.Reset(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	w, err := LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	w.Delays = Delays{Endpoint: Duration(600 * time.Millisecond), EndpointService: Duration(300 * time.Millisecond), ClusterUpdate: Duration(300 * time.Millisecond)}
	if edit != nil {
		edit(w)
	}
	srv, err := New(w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	kc, err := kube.NewForConfig(ctx, kubeSrv.Config)
	if err != nil {
		t.Fatal(err)
	}
	ctrl, err := NewController(srv.State(), meshProd, kubeSrv.Config, ControllerOptions{Interval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { ctrl.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		srv.Close()
	})
	id, secret := srv.AccessKey()
	api, err := cloud.New(ctx, cloud.Config{Region: srv.Region(), Endpoint: srv.URL(), Credentials: credentials.NewStaticAKCredentialsProvider(id, secret)})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{ctx: ctx, sim: srv, kube: kc, api: api}
}

// connect applies one cluster's entry as asmlink does.
func (r *rig) connect(t *testing.T, cluster, vsw, zone, asmVsw, asmZone string) {
	t.Helper()
	entry := spec.AckVpcEndpoint{ClusterID: cluster, VSwitches: []spec.VSwitch{{VSwitchID: vsw, ZoneID: zone}}}
	if _, err := r.kube.Apply(r.ctx, kube.MergeCluster(entry, []spec.VSwitch{{VSwitchID: asmVsw, ZoneID: asmZone}}), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
}

// await watches the object until ok holds for its status, and returns every
// status seen on the way.
func (r *rig) await(t *testing.T, what string, ok func(*spec.Status) bool) (last *spec.Status, seen []*spec.Status) {
	t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 30*time.Second)
	defer cancel()
	for u := range r.kube.Watch(ctx, kube.WatchOptions{}) {
		if u.Err != nil || u.Config == nil || u.Config.Status == nil {
			continue
		}
		seen = append(seen, u.Config.Status)
		if ok(u.Config.Status) {
			return u.Config.Status, seen
		}
	}
	t.Fatalf("status never showed %s; last seen: %+v", what, seen[max(len(seen)-1, 0):])
	return nil, nil
}

func available(s *spec.Status) bool { return s.Status == spec.StatusAvailable }

// link returns cluster's link A and link B entries.
func link(s *spec.Status, cluster string) (a, b spec.ClusterLink) {
	for _, l := range s.Clusters {
		if l.ClusterID == cluster {
			a = l
		}
	}
	if s.Pilot != nil {
		for _, l := range s.Pilot.Clusters {
			if l.ClusterID == cluster {
				b = l
			}
		}
	}
	return a, b
}

// meshClusterState is how the mesh sees cluster, through the cloud API.
func (r *rig) meshClusterState(t *testing.T, cluster string) cloud.MeshCluster {
	t.Helper()
	list, err := r.api.MeshClusters(r.ctx, meshProd)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.ClusterID == cluster {
			return c
		}
	}
	t.Fatalf("cluster %s is not in mesh %s", cluster, meshProd)
	return cloud.MeshCluster{}
}

// endpointIDs lists the IDs of the endpoints in vpc, through the cloud API.
func (r *rig) endpointIDs(t *testing.T, vpc string) []string {
	t.Helper()
	list, err := r.api.Endpoints(r.ctx, vpc)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range list {
		ids = append(ids, e.ID)
	}
	return ids
}

func TestControllerGoodInputProgressesToAvailableAndShowsInPrivateLink(t *testing.T) {
	r := newRig(t, nil)
	r.connect(t, shopProd, shopVswJ, zoneJ, asmVswJ, zoneJ)
	st, seen := r.await(t, "Available", available)
	if !slices.ContainsFunc(seen, func(s *spec.Status) bool {
		a, _ := link(s, shopProd)
		return a.PvlEndpoint != nil && a.PvlEndpoint.Status == "Creating" && a.PvlEndpoint.ConnectionStatus == "Connecting"
	}) {
		t.Errorf("status never showed the endpoint Creating and Connecting before Available: %d statuses seen", len(seen))
	}
	a, b := link(st, shopProd)
	for name, ep := range map[string]*spec.PvlEndpoint{"link A": a.PvlEndpoint, "link B": b.PvlEndpoint} {
		if ep == nil || ep.Status != spec.StateActive || ep.ConnectionStatus != spec.ConnectionHealthy ||
			!strings.HasPrefix(ep.ID, "ep-") || !strings.HasSuffix(ep.DomainName, ".privatelink.aliyuncs.com") {
			t.Errorf("%s endpoint in Available status: %+v", name, ep)
		}
	}

	// The same endpoints and services, by ID and domain, in PrivateLink.
	asmSide, err := r.api.Endpoints(r.ctx, asmVPC)
	if err != nil {
		t.Fatal(err)
	}
	if len(asmSide) != 1 || asmSide[0].ID != a.PvlEndpoint.ID || asmSide[0].Domain != a.PvlEndpoint.DomainName ||
		asmSide[0].ServiceID != a.PvlEndpointService.ID || asmSide[0].ConnectionStatus != spec.ConnectionHealthy {
		t.Errorf("endpoints in the ASM VPC = %+v, want link A's %+v", asmSide, a.PvlEndpoint)
	}
	cluster, _ := r.sim.State().Cluster(shopProd)
	ackSide, err := r.api.Endpoints(r.ctx, cluster.VpcID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ackSide) != 1 || ackSide[0].ID != b.PvlEndpoint.ID || ackSide[0].ServiceID != st.Pilot.PvlEndpointService.ID {
		t.Errorf("endpoints in the cluster's VPC = %+v, want link B's %+v", ackSide, b.PvlEndpoint)
	}
	services, err := r.api.EndpointServices(r.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range services {
		names = append(names, s.ID+" "+s.Name+" "+s.Status)
	}
	for _, want := range []*spec.EndpointService{a.PvlEndpointService, st.Pilot.PvlEndpointService} {
		if !slices.Contains(names, want.ID+" "+want.Name+" "+spec.StateActive) {
			t.Errorf("endpoint services %v lack %+v", names, want)
		}
	}
}

func TestControllerMissingSANFailsTheClusterUntilAppended(t *testing.T) {
	r := newRig(t, nil)
	r.connect(t, shopProd, shopVswJ, zoneJ, asmVswJ, zoneJ)
	st, _ := r.await(t, "Available", available)
	a, _ := link(st, shopProd)
	domain := a.PvlEndpoint.DomainName
	deadline := time.Now().Add(10 * time.Second)
	mc := r.meshClusterState(t, shopProd)
	for mc.State != "failed" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		mc = r.meshClusterState(t, shopProd)
	}
	if mc.State != "failed" || !strings.Contains(mc.ErrorMessage, "x509: certificate is valid for") ||
		!strings.Contains(mc.ErrorMessage, "shop-api.internal.example.com") || !strings.HasSuffix(mc.ErrorMessage, "not "+domain) {
		t.Fatalf("cluster without the endpoint domain in its SANs: state %q, message %q", mc.State, mc.ErrorMessage)
	}
	if err := r.api.AppendSANs(r.ctx, shopProd, []string{domain}); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(10 * time.Second)
	for mc.State != "running" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		mc = r.meshClusterState(t, shopProd)
	}
	if mc.State != "running" || mc.ErrorMessage != "" {
		t.Fatalf("after appending %s to the SANs the cluster is %q (%q), want running", domain, mc.State, mc.ErrorMessage)
	}
}

func TestControllerAddingAndRemovingBLeavesAsEndpointsAlone(t *testing.T) {
	r := newRig(t, nil)
	r.connect(t, shopProd, shopVswJ, zoneJ, asmVswJ, zoneJ)
	st, _ := r.await(t, "Available with A", available)
	aA, aB := link(st, shopProd)

	r.connect(t, payments, payVswH, zoneH, asmVswH, zoneH)
	st, _ = r.await(t, "Available with A and B", func(s *spec.Status) bool { return available(s) && len(s.Clusters) == 2 })
	gotA, gotB := link(st, shopProd)
	if gotA.PvlEndpoint.ID != aA.PvlEndpoint.ID || gotA.PvlEndpointService.ID != aA.PvlEndpointService.ID || gotB.PvlEndpoint.ID != aB.PvlEndpoint.ID {
		t.Fatalf("connecting B replaced A's endpoints: before %+v %+v, after %+v %+v", aA, aB, gotA, gotB)
	}
	bA, bB := link(st, payments)
	if ids := r.endpointIDs(t, paymentVPC); !slices.Equal(ids, []string{bB.PvlEndpoint.ID}) {
		t.Fatalf("endpoints in B's VPC = %v, want B's link B endpoint %s", ids, bB.PvlEndpoint.ID)
	}

	if _, err := r.kube.Apply(r.ctx, kube.RemoveCluster(payments, nil), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	st, _ = r.await(t, "Available with A only", func(s *spec.Status) bool { return available(s) && len(s.Clusters) == 1 })
	if gotA, gotB := link(st, shopProd); gotA.PvlEndpoint.ID != aA.PvlEndpoint.ID || gotB.PvlEndpoint.ID != aB.PvlEndpoint.ID {
		t.Fatalf("removing B changed A's endpoints: %+v %+v", gotA, gotB)
	}
	if ids := r.endpointIDs(t, paymentVPC); len(ids) != 0 {
		t.Errorf("B's endpoints in its VPC after removing B: %v", ids)
	}
	if ids := r.endpointIDs(t, asmVPC); slices.Contains(ids, bA.PvlEndpoint.ID) || !slices.Contains(ids, aA.PvlEndpoint.ID) {
		t.Errorf("endpoints in the ASM VPC after removing B = %v, want A's %s and not B's %s", ids, aA.PvlEndpoint.ID, bA.PvlEndpoint.ID)
	}
	if _, ok := r.sim.State().EndpointService(bA.PvlEndpointService.ID); ok {
		t.Errorf("B's endpoint service %s still exists", bA.PvlEndpointService.ID)
	}
}

func TestControllerBrokenZoneRuleLeavesOnlyThatClusterConnecting(t *testing.T) {
	r := newRig(t, nil)
	r.connect(t, shopProd, shopVswJ, zoneJ, asmVswJ, zoneJ)
	// payments' only vSwitch here is in zone k, where the ASM instance has
	// no vSwitch: the zone rule is broken for payments alone.
	r.connect(t, payments, payVswK, zoneK, asmVswJ, zoneJ)
	st, _ := r.await(t, "payments' endpoints Active", func(s *spec.Status) bool {
		a, b := link(s, payments)
		sa, _ := link(s, shopProd)
		return a.PvlEndpoint != nil && a.PvlEndpoint.Status == spec.StateActive && b.PvlEndpoint != nil && b.PvlEndpoint.Status == spec.StateActive &&
			sa.PvlEndpoint != nil && sa.PvlEndpoint.ConnectionStatus == spec.ConnectionHealthy
	})
	a, b := link(st, payments)
	if a.PvlEndpoint.ConnectionStatus == spec.ConnectionHealthy || b.PvlEndpoint.ConnectionStatus == spec.ConnectionHealthy {
		t.Errorf("payments breaks the zone rule but is connected: link A %+v, link B %+v", a.PvlEndpoint, b.PvlEndpoint)
	}
	if sa, sb := link(st, shopProd); sa.PvlEndpoint.ConnectionStatus != spec.ConnectionHealthy || sb.PvlEndpoint.ConnectionStatus != spec.ConnectionHealthy {
		t.Errorf("shop-prod keeps the zone rule but is not connected: %+v %+v", sa.PvlEndpoint, sb.PvlEndpoint)
	}
	if st.Status == spec.StatusAvailable {
		t.Error("status is Available with a cluster not connected")
	}
}

func TestControllerPrivateLinkNotActivatedUntilActivated(t *testing.T) {
	r := newRig(t, func(w *World) { w.PrivateLink.Activated = false })
	r.connect(t, shopProd, shopVswJ, zoneJ, asmVswJ, zoneJ)
	st, _ := r.await(t, "a failed endpoint service", func(s *spec.Status) bool {
		a, _ := link(s, shopProd)
		return a.PvlEndpointService != nil && a.PvlEndpointService.Status != spec.StateActive
	})
	if a, _ := link(st, shopProd); a.PvlEndpointService.Status != statusFailed || st.Status == spec.StatusAvailable {
		t.Fatalf("with PrivateLink off: service %+v, status %q", a.PvlEndpointService, st.Status)
	}
	if err := r.api.ActivatePrivateLink(r.ctx); err != nil {
		t.Fatal(err)
	}
	r.await(t, "Available after activating PrivateLink", available)
}

func TestControllerEndpointQuotaLeavesAnEndpointFailed(t *testing.T) {
	r := newRig(t, func(w *World) { w.PrivateLink.EndpointQuota = 1 })
	r.connect(t, shopProd, shopVswJ, zoneJ, asmVswJ, zoneJ)
	st, _ := r.await(t, "link B's endpoint failed", func(s *spec.Status) bool {
		_, b := link(s, shopProd)
		return b.PvlEndpoint != nil && b.PvlEndpoint.Status == statusFailed
	})
	if a, _ := link(st, shopProd); a.PvlEndpoint == nil || a.PvlEndpoint.ID == "" {
		t.Errorf("link A's endpoint, within the quota, is missing: %+v", a)
	}
	if st.Status == spec.StatusAvailable {
		t.Error("status is Available with an endpoint over quota")
	}
}
