package cloud

import (
	"context"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
)

// TestMeshProxyAndAdditionalStatusDecodeTheirShapes reads both answers
// from the simulator, which serves them in the SDK models' shapes, over
// real HTTP: no proxy before link B connects; each injected pod's proxy,
// SYNCED, once it does; STALE when istiod gets no acknowledgement; and the
// mesh's load balancers, EIPs and security group.
func TestMeshProxyAndAdditionalStatusDecodeTheirShapes(t *testing.T) {
	const (
		meshProd = "d564b858f9a3e247cb2c083eb8cb37f0"
		shopProd = "cbfbdabe898736a3566f893697b590487"
		shopVsw  = "vsw-bp128t7a9tgiqhg9jrsnv"
	)
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	w.DataPlane.Clusters = append(w.DataPlane.Clusters, sim.DataPlaneCluster{Cluster: shopProd, Namespaces: []sim.Namespace{
		{Name: "shop", Labels: map[string]string{"istio-injection": "enabled"}, Pods: []string{"cart-7d4b9c6f58-x2k9p", "checkout-5f9d8b7c64-r7t2n"}},
		{Name: "kube-system", Pods: []string{"coredns-5d78c9869d-b2x7n"}},
	}})
	start := time.Now()
	srv, err := sim.New(w, sim.Options{Clock: func() time.Time { return start.Add(time.Since(start) * 500) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	c := newSimClient(t, srv, nil)
	ctx := context.Background()

	proxies, err := c.MeshProxyStatus(ctx, meshProd)
	if err != nil || proxies == nil || len(proxies) != 0 {
		t.Fatalf("proxies before link B = %v, %v; want none (and not nil)", proxies, err)
	}
	st := srv.State()
	mesh, _ := st.Mesh(meshProd)
	shop, _ := st.Cluster(shopProd)
	svc, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: srv.Region(), ResourceType: "slb", ResourceID: mesh.PilotLB, Zones: []string{"cn-hangzhou-j"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: srv.Region(), VpcID: shop.VpcID, ServiceID: svc.ID, Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-j", VSwitchID: shopVsw}}}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // 100 simulated seconds: connected
	proxies, err = c.MeshProxyStatus(ctx, meshProd)
	if err != nil || len(proxies) != 2 {
		t.Fatalf("proxies = %+v, %v; want the two injected pods", proxies, err)
	}
	p := proxies[0]
	if p.ProxyID != "cart-7d4b9c6f58-x2k9p.shop" || !p.Synced() || p.EndpointPercent != "1" || p.IstioVersion == "" || p.ProxyVersion == "" {
		t.Errorf("proxy = %+v", p)
	}
	st.SetProxySync(shopProd, sim.ProxyStale)
	proxies, _ = c.MeshProxyStatus(ctx, meshProd)
	if len(proxies) != 2 || proxies[0].Synced() || proxies[0].ClusterSynced != "STALE" || proxies[1].RouteSynced != "STALE" {
		t.Errorf("stale proxies = %+v", proxies)
	}

	a, err := c.MeshAdditionalStatus(ctx, meshProd)
	if err != nil {
		t.Fatal(err)
	}
	if a.PilotLB.Exist != "exist" || a.PilotLB.Backends != "num_exact" || a.APIServerLB.Exist != "exist" || a.SecurityGroup == "" || a.PilotEIP == "" || a.PilotLB.PayType == "" {
		t.Errorf("additional status = %+v", a)
	}
	st.SetAdditionalStatus(meshProd, sim.AdditionalStatus{PilotLB: sim.LoadBalancerStatus{Exist: "not_exist", Backends: "too_little", Locked: true}, SecurityGroup: "failed"})
	if a, err = c.MeshAdditionalStatus(ctx, meshProd); err != nil || a.PilotLB.Exist != "not_exist" || !a.PilotLB.Locked || a.PilotLB.Backends != "too_little" || a.SecurityGroup != "failed" {
		t.Errorf("additional status = %+v, %v", a, err)
	}
	if _, err := c.MeshProxyStatus(ctx, "e0000000000000000000000000000000"); err == nil {
		t.Error("a mesh that does not exist has a proxy status")
	}
}
