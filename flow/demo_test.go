package flow_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
)

// IDs of the demo world (testdata/worlds/demo.yaml).
const (
	meshProd     = "d564b858f9a3e247cb2c083eb8cb37f0"
	shopProd     = "cbfbdabe898736a3566f893697b590487"
	payments     = "c194f309ffea518f32cf21449273d7ce7"
	asmProdLocal = "c9d9136682575250def91799e2786d377"
	shAnalytics  = "c8421599e3e9c8fe21da80270815fe857"
	inventory    = "cf2fbdaa35adf9c1e2a8a3c0ed16bfe17"
	edgeFactory  = "c849ef307590d273e34f98dff7e4c6427"
	shopStaging  = "cda8099f4efbacea67c7d1afcc4f14a37"
	billing      = "c3e04d42f8ac2acaf127972d33e5901a7"
	meshMain     = "e41b7c9a20d5f8e63a1c4b7d9e2f0a58" // the privatelink-off world's mesh
	vpcASMProd   = "vpc-bp1hbrpoig8f1cbfno6b9"
	vpcShopProd  = "vpc-bp1m80o2rak1vrjnvgfyg"
	vpcBilling   = "vpc-bp11eyy37q9ah8rvhs1k3"
	vswASMProdH  = "vsw-bp1msnd8dudd467kd6fle"
	vswASMProdI  = "vsw-bp1epzhpcf07uqnupqzit"
	vswASMProdJ  = "vsw-bp13uea3ge8n6qiwepxsk"
	vswShopJ     = "vsw-bp128t7a9tgiqhg9jrsnv"
	vswShopK     = "vsw-bp19ahej8cx9j1ictxcwn"
	vswBillingK  = "vsw-bp1cp4e30my5zpjag1ol7"
	vswInvB      = "vsw-bp16z8vbhqlqcg1wu16hy"
	vswInvH      = "vsw-bp1mqc1a78mx1evuht6t0"
)

// clock is the simulated cloud's time, moved by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// demo serves a built-in world on loopback and returns the real client
// talking to it over HTTP, the simulator and its clock.
func demo(t *testing.T, world string) (*cloud.Client, *sim.Server, *clock) {
	t.Helper()
	return demoWith(t, world, func(*sim.World) {})
}

// demoWith is demo with the world changed by edit before it is served.
func demoWith(t *testing.T, world string, edit func(*sim.World)) (*cloud.Client, *sim.Server, *clock) {
	t.Helper()
	w, err := sim.LoadWorld(world)
	if err != nil {
		t.Fatal(err)
	}
	edit(w)
	clk := &clock{now: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
	srv, err := sim.New(w, sim.Options{Clock: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	id, secret := srv.AccessKey()
	c, err := cloud.New(context.Background(), cloud.Config{
		Region:      srv.Region(),
		Endpoint:    srv.URL(),
		Credentials: credentials.NewStaticAKCredentialsProvider(id, secret),
		Retry:       cloud.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, CallTimeout: 5 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv, clk
}

// load builds the environment of mesh-prod the way the wizard does.
func load(t *testing.T, api cloud.API, cfg *spec.ASMPvlConfig) *flow.Env {
	t.Helper()
	return loadMesh(t, api, meshProd, cfg)
}

// loadMesh builds the environment of one mesh.
func loadMesh(t *testing.T, api cloud.API, meshID string, cfg *spec.ASMPvlConfig) *flow.Env {
	t.Helper()
	inv, err := cloud.LoadInventory(context.Background(), api, meshID)
	if err != nil {
		t.Fatal(err)
	}
	return flow.NewEnv(inv, cfg, api)
}

func TestDemoCandidates(t *testing.T) {
	api, _, _ := demo(t, "demo")
	env := load(t, api, nil)
	got := map[string]flow.Candidate{}
	var order []string
	for _, c := range flow.Candidates(env) {
		got[c.Cluster.ID] = c
		order = append(order, c.Cluster.ID)
	}
	for id, want := range map[string]flow.Eligibility{
		shopProd: flow.EligibleConnect, payments: flow.EligibleConnect, billing: flow.EligibleConnect, edgeFactory: flow.EligibleConnect,
		inventory:    flow.EligibleAdd,
		asmProdLocal: flow.IneligibleSameVPC,
	} {
		if got[id].Eligibility != want {
			t.Errorf("%s (%s) = %s %q, want %s", id, got[id].Cluster.Name, got[id].Eligibility, got[id].Reason, want)
		}
	}
	if !got[edgeFactory].Edge || !strings.HasSuffix(got[edgeFactory].Reason, "ACK Edge cluster") {
		t.Errorf("edge-factory = %+v", got[edgeFactory])
	}
	// ASM refuses shop-staging: its pod CIDR is shop-prod's (ForbiddenFlag 3).
	if c := got[shopStaging]; c.Eligibility != flow.IneligibleForbidden || c.Reason != "ASM cannot add it: its CIDR blocks overlap the Pod CIDR 172.20.0.0/16 of cluster "+shopProd+"; Pod, Service and VPC CIDRs must not overlap across the mesh" {
		t.Errorf("shop-staging = %s %q", c.Eligibility, c.Reason)
	}
	// inventory has ForbiddenFlag 2, another VPC with no CEN: the very case
	// PrivateLink is for, so it is offered.
	if c := got[inventory]; !strings.Contains(c.Reason, "no CEN to the mesh's VPC, which PrivateLink connects") {
		t.Errorf("inventory reason %q does not say PrivateLink connects it", c.Reason)
	}
	// ASM lists the clusters of the mesh's region only.
	if _, ok := got[shAnalytics]; ok {
		t.Errorf("sh-analytics of cn-shanghai is a candidate: %+v", got[shAnalytics])
	}
	// Eligible clusters come first.
	firstIneligible := slices.IndexFunc(order, func(id string) bool { return !got[id].Eligibility.Eligible() })
	for _, id := range order[firstIneligible:] {
		if got[id].Eligibility.Eligible() {
			t.Errorf("eligible %s listed after an ineligible cluster: %v", id, order)
		}
	}
}

func TestDemoPairing(t *testing.T) {
	api, _, _ := demo(t, "demo")
	env := load(t, api, nil)

	env.ClusterID = shopProd
	p, err := env.Pairing()
	if err != nil {
		t.Fatal(err)
	}
	rec, ok := p.Recommend()
	// Zone j: asm-prod-j has 250 free IPs, asm-prod-i 236.
	if !ok || rec.ASM.ID != vswASMProdJ || rec.ACK.ID != vswShopJ || rec.ASM.ZoneID != "cn-hangzhou-j" {
		t.Errorf("shop-prod recommendation = %v, %v", rec, ok)
	}
	for _, o := range p.Options {
		if o.ACK.ID == vswShopK && o.Verdict != flow.VerdictRefused {
			t.Errorf("the full vSwitch %s is offered: %+v", vswShopK, o)
		}
	}

	env.ClusterID = billing
	p, _ = env.Pairing()
	if _, ok := p.Recommend(); ok {
		t.Fatal("billing shares no zone with asm-prod, yet a pair is recommended")
	}
	want := "create a vSwitch in zone cn-hangzhou-k in VPC " + vpcASMProd + " (the mesh VPC), a zone where " + vpcBilling +
		" (the cluster's VPC) already has " + vswBillingK
	if len(p.Create) == 0 || p.Create[0].Message != want {
		t.Fatalf("Create = %+v\nwant first %q", p.Create, want)
	}
	if c := p.Create[0]; c.CIDR != "192.168.3.0/24" || !strings.Contains(c.Command, "--ZoneId cn-hangzhou-k --CidrBlock 192.168.3.0/24") {
		t.Errorf("proposal = %+v", c)
	}

	env.ClusterID = inventory
	p, _ = env.Pairing()
	rec, ok = p.Recommend()
	if !ok || rec.ASM.ID != vswASMProdH || rec.ACK.ID != vswInvH {
		t.Errorf("inventory recommendation = %v", rec)
	}
	if o, ok := p.Option(vswASMProdH, vswInvB); !ok || o.Verdict != flow.VerdictRefused ||
		!slices.ContainsFunc(o.Findings, func(f spec.Finding) bool { return f.Code == flow.CodePrivateLinkZones }) {
		t.Errorf("the zone-b pair = %+v", o)
	}
}

func TestDemoPreflightAddsClusterAfterConsent(t *testing.T) {
	api, _, clk := demo(t, "demo")
	ctx := context.Background()
	env := load(t, api, nil)
	env.ClusterID = inventory
	p, _ := env.Pairing()
	rec, _ := p.Recommend()
	env.Pair = &rec

	results := flow.Runner{}.Run(ctx, env, flow.Checks())
	failed := flow.Failed(results)
	if len(failed) != 1 || failed[0].Check.Code != flow.CodeClusterInMesh {
		t.Fatalf("failed = %+v", failed)
	}
	if mcs, _ := api.MeshClusters(ctx, meshProd); slices.ContainsFunc(mcs, func(m cloud.MeshCluster) bool { return m.ClusterID == inventory }) {
		t.Fatal("the cluster was added before consent")
	}
	fix := failed[0].Fix
	if fix == nil || !fix.Mutating || fix.Apply == nil {
		t.Fatalf("fix = %+v", fix)
	}
	// Adding is asynchronous (the demo world's mesh_update is 10s): the fix
	// waits, telling the observer what it waits for, and ends only once the
	// simulated clock has moved past the delay.
	var seen []flow.Attempt
	observed := flow.WithWaitObserver(ctx, func(a flow.Attempt) {
		seen = append(seen, a)
		if !a.Done {
			clk.Advance(5 * time.Second)
		}
	})
	if err := fix.Apply(observed); err != nil {
		t.Fatalf("applying %s: %v", fix.Description, err)
	}
	if len(seen) < 2 || seen[0].State != "mesh updating, cluster connecting" || !seen[len(seen)-1].Done ||
		seen[0].What != "ASM instance "+meshProd+" to finish adding cluster "+inventory {
		t.Errorf("wait attempts %+v, want the mesh updating and the cluster connecting first, then done", seen)
	}
	reload := func(ctx context.Context) (*flow.Env, error) {
		inv, err := cloud.LoadInventory(ctx, api, meshProd)
		if err != nil {
			return nil, err
		}
		fresh := flow.NewEnv(inv, nil, api)
		fresh.ClusterID, fresh.Pair = env.ClusterID, env.Pair
		return fresh, nil
	}
	fresh, err := reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	results = flow.Runner{Reload: reload, Interval: time.Millisecond}.Run(ctx, fresh, flow.Checks())
	if failed := flow.Failed(results); len(failed) != 0 {
		t.Errorf("after adding the cluster: %+v", failed)
	}
}

func TestDemoPrivateLinkOff(t *testing.T) {
	api, _, _ := demo(t, "privatelink-off")
	ctx := context.Background()
	env := loadMesh(t, api, meshMain, nil)
	check, _ := flow.CheckByCode(flow.CodePrivateLinkActive)
	r := flow.Runner{}.Run(ctx, env, []flow.Check{check})[0]
	if r.Status != flow.StatusFail || r.Fix == nil {
		t.Fatalf("result = %+v", r)
	}
	if err := r.Fix.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	env = loadMesh(t, api, meshMain, nil)
	if after := (flow.Runner{}).Run(ctx, env, []flow.Check{check})[0]; after.Status != flow.StatusPass {
		t.Errorf("after activation: %+v", after)
	}
}

func TestDemoNetworkChecks(t *testing.T) {
	api, _, _ := demo(t, "demo")
	env := load(t, api, nil)
	results := flow.Runner{}.Run(context.Background(), env, flow.ChecksIn(flow.CategoryNetwork))
	for _, r := range results {
		want := flow.StatusPass
		if r.Status != want {
			t.Errorf("mesh-prod as it is: %s = %s %q %v", r.Check.Code, r.Status, r.Message, r.Details)
		}
	}
	// shop-staging reuses shop-prod's pod CIDR 172.20.0.0/16.
	env.ClusterID = shopStaging
	results = flow.Runner{}.Run(context.Background(), env, flow.ChecksIn(flow.CategoryNetwork))
	var pod flow.Result
	for _, r := range results {
		if r.Check.Code == flow.CodePodOverlap {
			pod = r
		}
	}
	if pod.Status != flow.StatusFail || len(pod.Details) != 1 ||
		!strings.Contains(pod.Details[0], "(shop-prod)") || !strings.Contains(pod.Details[0], "(shop-staging)") {
		t.Errorf("pod overlap = %+v", pod)
	}
}

// TestDemoLinksDiagnosesAndSAN plays ASM's part by hand on the simulated
// cloud: it creates link A's endpoint service and endpoint for shop-prod,
// writes the status ASM would write, and checks what flow diagnoses at each
// stage, through the PrivateLink APIs over HTTP, up to the SAN step.
func TestDemoLinksDiagnosesAndSAN(t *testing.T) {
	api, srv, clk := demo(t, "demo")
	ctx := context.Background()
	env := load(t, api, nil)
	env.ClusterID = shopProd
	p, _ := env.Pairing()
	pair, _ := p.Recommend()
	cfg, err := flow.Desired(nil, shopProd, flow.IntentConnect, []flow.Pair{pair}, env.Facts())
	if err != nil {
		t.Fatal(err)
	}

	st := srv.State()
	svcA, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: "lb-bp16g26oc7t3bd4z1g52", Zones: []string{"cn-hangzhou-j"}})
	if err != nil {
		t.Fatal(err)
	}
	epA, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: vpcASMProd, ServiceID: svcA.ID,
		Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-j", VSwitchID: vswASMProdJ}}})
	if err != nil {
		t.Fatal(err)
	}
	svcB, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: "lb-bp11dstwg6nj4ogw9xhr", Zones: []string{"cn-hangzhou-j"}})
	if err != nil {
		t.Fatal(err)
	}
	epB, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: vpcShopProd, ServiceID: svcB.ID,
		Zones: []sim.EndpointZone{{ZoneID: "cn-hangzhou-j", VSwitchID: vswShopJ}}})
	if err != nil {
		t.Fatal(err)
	}

	// observe lists PrivateLink over HTTP and writes the status as ASM would.
	observe := func(status string) flow.Observation {
		t.Helper()
		services, err := api.EndpointServices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var endpoints []cloud.Endpoint
		for _, vpc := range []string{vpcASMProd, vpcShopProd} {
			eps, err := api.Endpoints(ctx, vpc)
			if err != nil {
				t.Fatal(err)
			}
			endpoints = append(endpoints, eps...)
		}
		find := func(id string) (cloud.Endpoint, cloud.EndpointService) {
			e := endpoints[slices.IndexFunc(endpoints, func(e cloud.Endpoint) bool { return e.ID == id })]
			s := services[slices.IndexFunc(services, func(s cloud.EndpointService) bool { return s.ID == e.ServiceID })]
			return e, s
		}
		a, as := find(epA.ID)
		b, bs := find(epB.ID)
		cfg.Status = &spec.Status{
			Status: status,
			Clusters: []spec.ClusterLink{{ClusterID: shopProd,
				PvlEndpoint:        &spec.PvlEndpoint{ID: a.ID, Status: a.Status, ConnectionStatus: a.ConnectionStatus, DomainName: a.Domain},
				PvlEndpointService: &spec.EndpointService{ID: as.ID, Name: as.Name, Status: as.Status}}},
			Pilot: &spec.PilotLink{
				Clusters:           []spec.ClusterLink{{ClusterID: shopProd, PvlEndpoint: &spec.PvlEndpoint{ID: b.ID, Status: b.Status, ConnectionStatus: b.ConnectionStatus, DomainName: b.Domain}}},
				PvlEndpointService: &spec.EndpointService{ID: bs.ID, Name: bs.Name, Status: bs.Status}},
		}
		mcs, err := api.MeshClusters(ctx, meshProd)
		if err != nil {
			t.Fatal(err)
		}
		detail, err := api.Cluster(ctx, shopProd)
		if err != nil {
			t.Fatal(err)
		}
		return flow.Observation{Config: cfg, PrivateLinkListed: true, EndpointServices: services, Endpoints: endpoints,
			PrivateLinkActivated: true, MeshClusters: mcs, Clusters: []cloud.Cluster{detail}, Facts: env.Facts(), MeshID: meshProd, API: api}
	}

	// Just created: still provisioning, and flow says what it waits for.
	ds := flow.Diagnose(observe("Provisioning"))
	if len(ds) != 1 || ds[0].Code != flow.CodeProvisioning || !strings.Contains(ds[0].Wait, "endpoint "+epA.ID+" Creating") {
		t.Fatalf("while provisioning: %+v", ds)
	}
	view := flow.Links(cfg, nil, nil, nil)
	if view.Available() || len(view.Clusters) != 1 || view.Clusters[0].A.EndpointID != epA.ID || view.Clusters[0].B.ServiceID != svcB.ID {
		t.Errorf("view = %+v", view)
	}

	// After the provisioning delays everything is Active and Connected.
	clk.Advance(time.Minute)
	if err := st.SetMeshClusterState(meshProd, shopProd, "failed", "x509: certificate is valid for shop-api.internal.example.com, not "+epA.Domain); err != nil {
		t.Fatal(err)
	}
	o := observe(spec.StatusAvailable)
	if v := flow.Links(o.Config, o.EndpointServices, o.Endpoints, o.MeshClusters); !v.Available() || !v.Clusters[0].A.EndpointListed {
		t.Fatalf("view after provisioning = %+v", v)
	}
	// The cluster is not running in the mesh: the SAN is missing, named.
	ds = flow.Diagnose(o)
	if len(ds) != 1 || ds[0].Code != flow.CodeSANMissing || !strings.Contains(ds[0].Message, epA.Domain) || ds[0].Fix == nil {
		t.Fatalf("after Available: %+v", ds)
	}
	detail, _ := api.Cluster(ctx, shopProd)
	if d := flow.DecideSAN(detail, o.MeshClusters[0], true, cfg, api); d.State != flow.SANAppend || d.Domain != epA.Domain {
		t.Fatalf("SAN decision = %+v", d)
	}
	if err := ds[0].Fix.Apply(ctx); err != nil {
		t.Fatal(err)
	}

	// The cluster updates its certificate; the SAN step names that state
	// until the simulated cloud's clock has moved past the update.
	decide := func() flow.SANDecision {
		t.Helper()
		detail, err := api.Cluster(ctx, shopProd)
		if err != nil {
			t.Fatal(err)
		}
		mcs, err := api.MeshClusters(ctx, meshProd)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(mcs, func(m cloud.MeshCluster) bool { return m.ClusterID == shopProd })
		if i < 0 {
			t.Fatal("shop-prod left the mesh")
		}
		return flow.DecideSAN(detail, mcs[i], true, cfg, nil)
	}
	if d := decide(); !strings.Contains(d.Message, "updating") {
		t.Fatalf("during the update: %+v", d)
	}
	clk.Advance(time.Minute)
	if err := st.SetMeshClusterState(meshProd, shopProd, "running", ""); err != nil {
		t.Fatal(err)
	}
	if d := decide(); d.State != flow.SANDone {
		t.Fatalf("after the update: %+v", d)
	}
	if ds := flow.Diagnose(observe(spec.StatusAvailable)); len(ds) != 0 {
		t.Errorf("once everything works: %+v", ds)
	}
}

// TestForbiddenWorldCandidates reads the forbidden world over HTTP: each
// documented ForbiddenFlag gets its own meaning. 0 and 2 are offered (2 says
// PrivateLink connects it); 1 names the permission, 3 the clashing CIDR in
// words, 4 the namespace and what to do; no reason is raw JSON.
func TestForbiddenWorldCandidates(t *testing.T) {
	api, srv, _ := demo(t, "forbidden")
	env := loadMesh(t, api, srv.World().Meshes[0].ID, nil)
	byName := map[string]flow.Candidate{}
	for _, c := range flow.Candidates(env) {
		byName[c.Cluster.Name] = c
		if strings.ContainsAny(c.Reason, "{}[]\"") {
			t.Errorf("%s: reason %q shows raw JSON", c.Cluster.Name, c.Reason)
		}
	}
	member := srv.World().Meshes[0].Clusters[0]
	for name, want := range map[string]struct {
		elig flow.Eligibility
		says string
	}{
		"flag0-with-cen":     {flow.EligibleAdd, "it will be added first"},
		"flag1-no-admin":     {flow.IneligibleForbidden, "admin (cluster-admin) permission"},
		"flag2-no-cen":       {flow.EligibleAdd, "which PrivateLink connects"},
		"flag3-cidr":         {flow.IneligibleForbidden, "overlap the Pod CIDR 172.20.0.0/16 of cluster " + member},
		"flag4-istio-system": {flow.IneligibleForbidden, "kubectl delete namespace istio-system"},
	} {
		c, ok := byName[name]
		if !ok || c.Eligibility != want.elig || !strings.Contains(c.Reason, want.says) {
			t.Errorf("%s = %s %q, want %s saying %q", name, c.Eligibility, c.Reason, want.elig, want.says)
		}
	}
}
