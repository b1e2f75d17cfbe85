package cloud

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
)

// pagesOf is how many pages n items fill at size per page (at least one).
func pagesOf(n, size int) int64 { return int64(max(1, (n+size-1)/size)) }

func TestNumberedPagingOverSeveralPages(t *testing.T) {
	const size = 7
	srv := startSim(t, "large", nil)
	c := newSimClient(t, srv, func(cfg *Config) { cfg.PageSize = size })
	w := srv.World()
	ctx := context.Background()

	// Each listing must return every item exactly once and use exactly
	// one call per page.
	check := func(t *testing.T, name string, want []string, run func() ([]string, error)) {
		t.Helper()
		before := srv.Calls()
		got, err := run()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		calls := srv.Calls() - before
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s returned %d items, want %d (missing or repeated items)", name, len(got), len(want))
		}
		if pages := pagesOf(len(want), size); calls != pages || pages < 3 {
			t.Errorf("%s made %d calls for %d items at %d per page, want %d (at least 3)", name, calls, len(want), size, pages)
		}
	}

	t.Run("cs page_info", func(t *testing.T) {
		var want []string
		for _, wc := range w.Clusters {
			if wc.Region == srv.Region() {
				want = append(want, wc.ID)
			}
		}
		check(t, "Clusters", want, func() ([]string, error) {
			cl, err := c.Clusters(ctx)
			return sortedIDs(cl, func(c Cluster) string { return c.ID }), err
		})
	})
	t.Run("vpc PageNumber", func(t *testing.T) {
		var want []string
		for _, v := range w.VPCs {
			if v.Region == srv.Region() {
				want = append(want, v.ID)
			}
		}
		check(t, "VPCs", want, func() ([]string, error) {
			v, err := c.VPCs(ctx)
			return sortedIDs(v, func(v VPC) string { return v.ID }), err
		})
	})
	t.Run("vpc PageNumber for vSwitches", func(t *testing.T) {
		big := slices.MaxFunc(w.VPCs, func(a, b sim.VPC) int { return len(a.VSwitches) - len(b.VSwitches) })
		want := sortedIDs(big.VSwitches, func(v sim.VSwitch) string { return v.ID })
		check(t, "VSwitches", want, func() ([]string, error) {
			v, err := c.VSwitches(ctx, big.ID)
			return sortedIDs(v, func(v VSwitch) string { return v.ID }), err
		})
	})
	t.Run("servicemesh Limit/Offset", func(t *testing.T) {
		m := w.Meshes[0]
		var want []string
		for _, wc := range w.Clusters {
			if !slices.Contains(m.Clusters, wc.ID) {
				want = append(want, wc.ID)
			}
		}
		check(t, "AddableClusters", want, func() ([]string, error) {
			a, err := c.AddableClusters(ctx, m.ID)
			return sortedIDs(a, func(a AddableCluster) string { return a.ClusterID }), err
		})
	})
}

func TestTokenPagingOverSeveralPages(t *testing.T) {
	const size, n = 3, 8
	srv := startSim(t, "large", nil)
	c := newSimClient(t, srv, func(cfg *Config) { cfg.PageSize = size })
	w := srv.World()
	st := srv.State()

	// An endpoint VPC with a vSwitch in a PrivateLink zone, and n services
	// with one endpoint each in that VPC.
	plZones := map[string]bool{}
	for _, r := range w.Regions {
		for _, z := range r.Zones {
			plZones[z.ID] = z.PrivateLink
		}
	}
	var vpcID string
	var zone struct{ ZoneID, VSwitchID string }
	for _, v := range w.VPCs {
		for _, s := range v.VSwitches {
			if vpcID == "" && v.Region == srv.Region() && plZones[s.Zone] && s.FreeIPs > n {
				vpcID = v.ID
				zone.ZoneID, zone.VSwitchID = s.Zone, s.ID
			}
		}
	}
	if vpcID == "" {
		t.Fatal("the large world has no vSwitch in a PrivateLink zone")
	}
	var wantServices, wantEndpoints []string
	for i := range n {
		svc, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: srv.Region(), ResourceType: "slb", ResourceID: fmt.Sprintf("lb-test%02d", i), Zones: []string{zone.ZoneID}})
		if err != nil {
			t.Fatalf("CreateEndpointService: %v", err)
		}
		ep, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: srv.Region(), VpcID: vpcID, ServiceID: svc.ID, Name: fmt.Sprintf("ep-%d", i),
			Zones: []sim.EndpointZone{{ZoneID: zone.ZoneID, VSwitchID: zone.VSwitchID}}})
		if err != nil {
			t.Fatalf("CreateEndpoint: %v", err)
		}
		wantServices, wantEndpoints = append(wantServices, svc.ID), append(wantEndpoints, ep.ID)
	}

	before := srv.Calls()
	services, err := c.EndpointServices(context.Background())
	if err != nil {
		t.Fatalf("EndpointServices: %v", err)
	}
	if calls := srv.Calls() - before; calls != pagesOf(n, size) {
		t.Errorf("EndpointServices made %d calls, want %d", calls, pagesOf(n, size))
	}
	if got := sortedIDs(services, func(s EndpointService) string { return s.ID }); !slices.Equal(got, slices.Sorted(slices.Values(wantServices))) {
		t.Errorf("EndpointServices = %v, want %v", got, wantServices)
	}
	for _, s := range services {
		if s.Status == "" || s.Domain == "" || s.Name == "" || !slices.Equal(s.Zones, []string{zone.ZoneID}) {
			t.Errorf("endpoint service %+v lacks status, domain, name or zones", s)
		}
	}

	before = srv.Calls()
	endpoints, err := c.Endpoints(context.Background(), vpcID)
	if err != nil {
		t.Fatalf("Endpoints: %v", err)
	}
	if calls := srv.Calls() - before; calls != pagesOf(n, size) {
		t.Errorf("Endpoints made %d calls, want %d", calls, pagesOf(n, size))
	}
	if got := sortedIDs(endpoints, func(e Endpoint) string { return e.ID }); !slices.Equal(got, slices.Sorted(slices.Values(wantEndpoints))) {
		t.Errorf("Endpoints = %v, want %v", got, wantEndpoints)
	}
	for _, e := range endpoints {
		if e.VpcID != vpcID || e.ServiceID == "" || e.Status == "" || e.ConnectionStatus == "" || e.Domain == "" {
			t.Errorf("endpoint %+v lacks VPC, service, status or domain", e)
		}
	}
	other, err := c.Endpoints(context.Background(), w.Meshes[0].VPC)
	if err != nil || (vpcID != w.Meshes[0].VPC && len(other) != 0) {
		t.Errorf("Endpoints of another VPC = %v, %v; want none", other, err)
	}
}

func TestPagesAreFetchedConcurrentlyWithinTheLimit(t *testing.T) {
	const limit = 3
	srv := startSim(t, "large", &sim.Faults{Latency: sim.Duration(30 * time.Millisecond)})
	tr := newInFlight(t)
	c := newSimClient(t, srv, func(cfg *Config) {
		cfg.PageSize = 10
		cfg.MaxConcurrency = limit
		cfg.Transport = tr
	})
	clusters, err := c.Clusters(context.Background())
	if err != nil {
		t.Fatalf("Clusters: %v", err)
	}
	if len(clusters) < 100 {
		t.Fatalf("only %d clusters; the test needs many pages", len(clusters))
	}
	if p := tr.peak(); p != limit {
		t.Errorf("peak calls in flight = %d, want exactly the limit %d", p, limit)
	}
}

// TestClusterPagesFollowTheReportedPageSize: a server that serves smaller
// pages than asked and says so in page_info.page_size is paged by its own
// size. Paging by the size asked for skipped every cluster beyond the first
// page of each stride.
func TestClusterPagesFollowTheReportedPageSize(t *testing.T) {
	w, err := sim.LoadWorld("large")
	if err != nil {
		t.Fatal(err)
	}
	w.CSPageSizeLimit = 7
	srv, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	got, err := newSimClient(t, srv, nil).Clusters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, c := range w.Clusters {
		if c.Region == w.Region {
			want++
		}
	}
	if len(got) != want || want <= 7 {
		t.Fatalf("listed %d clusters, want all %d of the region", len(got), want)
	}
	seen := map[string]bool{}
	for _, c := range got {
		if seen[c.ID] {
			t.Fatalf("cluster %s listed twice", c.ID)
		}
		seen[c.ID] = true
	}
}
