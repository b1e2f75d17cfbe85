package cloud

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
)

const (
	edgeMesh      = "569969e58b081006f7e3dfc967a64cb1"
	edgeDCCluster = "c8d41bed440e50454f31af3176813e02e"
	cloudApps     = "c575dcad6ba2b0aee0ca923732881584d"
)

// startDataPlaneSim starts the edge world with its data-plane answers
// edited by edit, on a clock moved by hand.
func startDataPlaneSim(t *testing.T, edit func(*sim.DataPlane)) (*sim.Server, *edgeClock) {
	t.Helper()
	w, err := sim.LoadWorld("edge")
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&w.DataPlane)
	}
	clock := &edgeClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	srv, err := sim.New(w, sim.Options{Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, clock
}

// TestIngressGatewaysReadsEachListingStyle proves that the gateway listing
// is read whichever key spelling ASM uses, through deploying, running with
// an address, and failing with ASM's reason.
func TestIngressGatewaysReadsEachListingStyle(t *testing.T) {
	for _, style := range []string{"asm", "plain"} {
		t.Run(style, func(t *testing.T) {
			srv, clock := startDataPlaneSim(t, func(d *sim.DataPlane) { d.GatewayListing = style })
			c := newSimClient(t, srv, nil)
			ctx := context.Background()
			srv.State().ReconcileGateways(edgeMesh, []sim.GatewaySpec{
				{Namespace: "istio-system", Name: "edge-gw", Generation: 1, ClusterIDs: []string{edgeDCCluster}, ServiceType: "LoadBalancer", Ports: []sim.GatewayPort{{Port: 80}, {Port: 443}}},
				{Namespace: "istio-system", Name: "bad-lb", Generation: 1, ClusterIDs: []string{edgeDCCluster}, ServiceType: "LoadBalancer", Ports: []sim.GatewayPort{{Port: 80}},
					Annotations: map[string]string{"service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id": "lb-bp1doesnotexist0001"}},
			})
			gws, err := c.IngressGateways(ctx, edgeMesh)
			if err != nil {
				t.Fatal(err)
			}
			byName := map[string]IngressGateway{}
			for _, g := range gws {
				byName[g.Name] = g
			}
			if g := byName["edge-gw"]; g.Phase != GatewayPending || g.ClusterID != edgeDCCluster || g.Namespace != "istio-system" || g.Address != "" {
				t.Fatalf("a new gateway: %+v, want pending without an address", g)
			}
			if g := byName["bad-lb"]; g.Phase != GatewayFailed || g.Message == "" {
				t.Fatalf("a gateway on a CLB that does not exist: %+v, want failed with a reason", g)
			}
			clock.Advance(10 * time.Second)
			gws, err = c.IngressGateways(ctx, edgeMesh)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(gws, func(g IngressGateway) bool { return g.Name == "edge-gw" })
			if g := gws[i]; g.Phase != GatewayRunning || g.Address == "" || g.LoadBalancerID == "" {
				t.Fatalf("after the delay: %+v, want running with a CLB and its address", g)
			}
		})
	}
}

// TestNamespaceInjectionThroughTheMesh proves that the namespaces, their
// labels, pods and the injection policy are read, and that turning
// injection on and off changes the label in every cluster of the mesh with
// that namespace, in each documented-or-plausible way of turning it off.
func TestNamespaceInjectionThroughTheMesh(t *testing.T) {
	for _, off := range []string{"remove", "disabled"} {
		t.Run(off, func(t *testing.T) {
			srv, _ := startDataPlaneSim(t, func(d *sim.DataPlane) { d.InjectionOff = off })
			c := newSimClient(t, srv, nil)
			ctx := context.Background()
			label := func(cluster, ns string) (string, bool) {
				t.Helper()
				nss, err := c.GuestNamespaces(ctx, edgeMesh, cluster)
				if err != nil {
					t.Fatal(err)
				}
				i := slices.IndexFunc(nss, func(n GuestNamespace) bool { return n.Name == ns })
				if i < 0 {
					t.Fatalf("namespace %s not listed in %s: %+v", ns, cluster, nss)
				}
				v, ok := nss[i].Labels["istio-injection"]
				return v, ok
			}
			if v, _ := label(edgeDCCluster, "shop"); v != "enabled" {
				t.Fatalf("shop label %q, want enabled as the world has it", v)
			}
			if _, ok := label(edgeDCCluster, "iot"); ok {
				t.Fatal("iot has an injection label before any change")
			}
			if err := c.SetNamespaceInjection(ctx, edgeMesh, "iot", true); err != nil {
				t.Fatal(err)
			}
			for _, cl := range []string{edgeDCCluster, cloudApps} {
				if v, _ := label(cl, "iot"); v != "enabled" {
					t.Fatalf("iot in %s labelled %q after enabling, want enabled in every cluster of the mesh", cl, v)
				}
			}
			if err := c.SetNamespaceInjection(ctx, edgeMesh, "iot", false); err != nil {
				t.Fatal(err)
			}
			v, ok := label(edgeDCCluster, "iot")
			if want := off == "disabled"; ok != want || (want && v != "disabled") {
				t.Fatalf("after disabling (%s): label %q present %v", off, v, ok)
			}
			pods, err := c.GuestPods(ctx, edgeMesh, edgeDCCluster, "iot")
			if err != nil || len(pods) != 4 {
				t.Fatalf("iot pods %v, %v; want the world's four", pods, err)
			}
			if _, err := c.GuestPods(ctx, edgeMesh, edgeDCCluster, "nope"); !IsNotFound(err) {
				t.Fatalf("pods of a namespace that does not exist: %v, want not found", err)
			}
			if _, err := c.GuestNamespaces(ctx, edgeMesh, "ca68ef786e4d3cea27d26934b484e73cf"); !IsNotFound(err) {
				t.Fatalf("namespaces of a cluster outside the mesh: %v, want not found", err)
			}
			p, err := c.InjectionPolicy(ctx, edgeMesh)
			if err != nil || p.EnableNamespacesByDefault {
				t.Fatalf("policy %+v, %v; want only labelled namespaces injected", p, err)
			}
		})
	}
}
