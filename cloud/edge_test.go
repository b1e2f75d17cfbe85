package cloud

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud/sim"
)

const (
	edgeACR   = "epsrv-bp1hym4l1vfz3zfkkibj3j4"
	edgeACK   = "epsrv-bp1wj99ibag7i1mnbqns6pu"
	edgeDCVPC = "vpc-bp15v2seh60kvj50ce9uvw5"
	edgeDCG   = "vsw-bp13efr4edt2sywb3wkh5dn"
	edgeDCK   = "vsw-bp139zzzzg4zdmen2khvdga"
)

// edgeClock is the simulated cloud's clock, moved by hand so that endpoints
// become Active without sleeping.
type edgeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *edgeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *edgeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestVisibleEndpointServicesPagesThroughPublishedServices(t *testing.T) {
	srv := startSim(t, "edge", nil)
	c := newSimClient(t, srv, func(cfg *Config) { cfg.PageSize = 1 })
	svcs, err := c.VisibleEndpointServices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range svcs {
		ids = append(ids, s.ID)
	}
	if !slices.Equal(ids, []string{edgeACR, edgeACK}) {
		t.Fatalf("visible services %v, want both published services over two pages", ids)
	}
	// The consumer's listing carries no status (SDK model of
	// ListVpcEndpointServicesByEndUser).
	if s := svcs[0]; s.Name != "com.aliyuncs.privatelink.cn-hangzhou.acr" || s.Status != "" ||
		!slices.Equal(s.Zones, []string{"cn-hangzhou-g", "cn-hangzhou-k"}) || s.Domain != edgeACR+".cn-hangzhou.privatelink.aliyuncs.com" {
		t.Fatalf("ACR service %+v", s)
	}
}

func TestCreateEndpointDryRunThenCreateReadBackAndZones(t *testing.T) {
	clock := &edgeClock{now: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
	w, err := sim.LoadWorld("edge")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sim.New(w, sim.Options{Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	c := newSimClient(t, srv, nil)
	ctx := context.Background()
	req := EndpointRequest{
		VpcID: edgeDCVPC, ServiceID: edgeACR, Name: "asmlink-acr", SecurityGroupID: "sg-bp1edgedc00000000001",
		Zones:  []EndpointZone{{ZoneID: "cn-hangzhou-g", VSwitchID: edgeDCG}, {ZoneID: "cn-hangzhou-k", VSwitchID: edgeDCK}},
		DryRun: true,
	}
	ep, err := c.CreateEndpoint(ctx, req)
	if err != nil || ep.ID != "" {
		t.Fatalf("dry run: %+v %v", ep, err)
	}
	if n := len(srv.State().Endpoints()); n != 0 {
		t.Fatalf("a dry run created %d endpoints", n)
	}

	bad := req
	bad.Zones = []EndpointZone{{ZoneID: "cn-hangzhou-k", VSwitchID: edgeDCG}}
	if _, err := c.CreateEndpoint(ctx, bad); KindOf(err) != KindInvalid {
		t.Fatalf("a dry run with a vSwitch outside its zone: %v, want the cloud's refusal", err)
	}

	req.DryRun = false
	ep, err = c.CreateEndpoint(ctx, req)
	if err != nil || ep.ID == "" || ep.Status != "Creating" || ep.ServiceID != edgeACR || ep.VpcID != edgeDCVPC {
		t.Fatalf("create: %+v %v", ep, err)
	}
	clock.Advance(time.Minute)
	got, err := c.Endpoint(ctx, ep.ID)
	if err != nil || got.Status != "Active" || got.ConnectionStatus != "Connected" || got.Domain != ep.Domain || got.Name != "asmlink-acr" {
		t.Fatalf("read back: %+v %v", got, err)
	}
	zones, err := c.EndpointZones(ctx, ep.ID)
	if err != nil || len(zones) != 2 {
		t.Fatalf("zones: %+v %v", zones, err)
	}
	for _, z := range zones {
		if z.IP == "" || z.EniID == "" || z.Status != "Connected" || z.Domain == "" {
			t.Errorf("zone %+v lacks its IP, interface, domain or state", z)
		}
	}
	if _, err := c.Endpoint(ctx, "ep-bp1doesnotexist0000000"); !IsNotFound(err) {
		t.Fatalf("unknown endpoint: %v", err)
	}
}

func TestCreateEndpointDeniedByRAMIsAPermissionError(t *testing.T) {
	srv := startSim(t, "edge", nil)
	c := newSimClient(t, srv, func(cfg *Config) {
		cfg.Credentials = credentials.NewStaticAKCredentialsProvider("LTAI5tSimEdgeReadOnly3kLx", "SimEdgeReadOnlySecretNot9q4z0v")
	})
	_, err := c.CreateEndpoint(context.Background(), EndpointRequest{VpcID: edgeDCVPC, ServiceID: edgeACK, SecurityGroupID: "sg-1",
		Zones: []EndpointZone{{ZoneID: "cn-hangzhou-g", VSwitchID: edgeDCG}}, DryRun: true})
	if KindOf(err) != KindPermission || err.(*Error).RAMAction != "privatelink:CreateVpcEndpoint" {
		t.Fatalf("denied dry run: %v", err)
	}
}
