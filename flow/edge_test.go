package flow_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
)

// Edge world IDs.
const (
	meshEdge      = "569969e58b081006f7e3dfc967a64cb1"
	edgeDC        = "c8d41bed440e50454f31af3176813e02e"
	edgeLab       = "ca68ef786e4d3cea27d26934b484e73cf"
	cloudApps     = "c575dcad6ba2b0aee0ca923732881584d"
	edgeACR       = "epsrv-bp1hym4l1vfz3zfkkibj3j4"
	edgeACK       = "epsrv-bp1wj99ibag7i1mnbqns6pu"
	vpcEdgeDC     = "vpc-bp15v2seh60kvj50ce9uvw5"
	vpcEdgeLab    = "vpc-bp1j8gxbenyjqwx4hh5344t"
	vswEdgeDCG    = "vsw-bp13efr4edt2sywb3wkh5dn"
	vswEdgeDCGOwn = "vsw-bp1sipzz5fk2z9ri19r0wyo"
	vswEdgeDCH    = "vsw-bp1jfljooa5lqsaj08xui6d"
	vswEdgeDCK    = "vsw-bp139zzzzg4zdmen2khvdga"
)

// planEdge loads the facts of an edge cluster and plans its endpoints.
func planEdge(t *testing.T, api cloud.EdgeAPI, clusterID string, req flow.EdgeRequest) *flow.EdgePlan {
	t.Helper()
	facts, err := flow.LoadEdgeFacts(context.Background(), api, clusterID)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := flow.PlanEdge(facts, req)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func edgeResult(t *testing.T, p *flow.EdgePlan, code string) flow.Result {
	t.Helper()
	for _, r := range p.Results {
		if string(r.Check.Code) == code {
			return r
		}
	}
	t.Fatalf("no result for %s in %+v", code, p.Results)
	return flow.Result{}
}

// advancing moves the simulated clock on every poll, so endpoints settle
// without sleeping.
func advancing(clk *clock) flow.WaitOptions {
	return flow.WaitOptions{Interval: time.Millisecond, MaxInterval: time.Millisecond, Timeout: 10 * time.Second,
		Observe: func(flow.Attempt) { clk.Advance(10 * time.Second) }}
}

func TestEdgeEndpointsHappyPath(t *testing.T) {
	api, srv, clk := demo(t, "edge")
	ctx := context.Background()
	plan := planEdge(t, api, edgeDC, flow.EdgeRequest{})
	if !plan.Ready() {
		t.Fatalf("plan not ready: %+v", flow.Failed(plan.Results))
	}
	var chosen []string
	for _, v := range plan.VSwitches {
		chosen = append(chosen, v.ID)
	}
	// Zone g: the cluster's own vSwitch wins over the one with more free
	// IPs; zone h is served by neither service, so it is not used.
	if !slices.Equal(chosen, []string{vswEdgeDCGOwn, vswEdgeDCK}) {
		t.Fatalf("chosen vSwitches %v", chosen)
	}
	if plan.SecurityGroupID != "sg-bp1edgedc00000000001" || len(plan.Endpoints) != 2 ||
		plan.Endpoints[0].EndpointService.ID != edgeACR || plan.Endpoints[1].EndpointService.ID != edgeACK {
		t.Fatalf("plan %+v", plan)
	}

	var created []string
	outcomes, err := flow.CreateEdgeEndpoints(ctx, api, plan, flow.EdgeApplyOptions{
		Wait:    advancing(clk),
		Created: func(_ flow.EdgeEndpoint, e cloud.Endpoint) { created = append(created, e.ID) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != 2 || len(srv.State().Endpoints()) != 2 {
		t.Fatalf("created %v; the cloud holds %d endpoints", created, len(srv.State().Endpoints()))
	}
	for _, o := range outcomes {
		if !o.Created || o.Endpoint.Status != "Active" || o.Endpoint.ConnectionStatus != "Connected" || len(o.Zones) != 2 {
			t.Fatalf("outcome %+v", o)
		}
		for _, z := range o.Zones {
			if !strings.HasPrefix(z.IP, "10.100.") || z.Status != "Connected" {
				t.Errorf("zone %+v has no IP in the VPC or is not connected", z)
			}
		}
	}

	dns := flow.BuildEdgeDNS(plan, outcomes)
	if len(dns.CNAMEs) != 2 || dns.CNAMEs[0].Name != "registry-cn-hangzhou-vpc.ack.aliyuncs.com" || dns.CNAMEs[0].Value != outcomes[0].Endpoint.Domain ||
		dns.CNAMEs[1].Name != "cs-anony-vpc.cn-hangzhou.aliyuncs.com" || dns.CNAMEs[1].Value != outcomes[1].Endpoint.Domain {
		t.Fatalf("CNAMEs %+v", dns.CNAMEs)
	}
	zone := dns.ZoneFile()
	if !strings.Contains(zone, "cs-anony-vpc.cn-hangzhou.aliyuncs.com.     IN CNAME "+outcomes[1].Endpoint.Domain+".\n") {
		t.Errorf("zone file lacks the ACK CNAME:\n%s", zone)
	}
	hosts := dns.HostsFile()
	acrG := outcomes[0].Zones[0].IP
	if len(dns.Hosts) != 4 || !strings.Contains(hosts, "\n"+acrG+"  registry-cn-hangzhou-vpc.ack.aliyuncs.com  # cn-hangzhou-g\n") ||
		!strings.Contains(hosts, "\n# "+outcomes[0].Zones[1].IP+"  registry-cn-hangzhou-vpc.ack.aliyuncs.com  # cn-hangzhou-k\n") {
		t.Errorf("hosts file:\n%s", hosts)
	}

	// Running again uses the endpoints already there and creates none.
	again := planEdge(t, api, edgeDC, flow.EdgeRequest{})
	if !again.Ready() || again.Endpoints[0].Existing == nil || again.Endpoints[0].Existing.ID != outcomes[0].Endpoint.ID {
		t.Fatalf("second plan %+v", again.Endpoints)
	}
	if _, err := flow.CreateEdgeEndpoints(ctx, api, again, flow.EdgeApplyOptions{Wait: advancing(clk)}); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.State().Endpoints()); n != 2 {
		t.Fatalf("a second run left %d endpoints, want the same 2", n)
	}
}

func TestEdgeServicesInNoSharedZoneSayWhatToCreate(t *testing.T) {
	api, srv, _ := demo(t, "edge")
	plan := planEdge(t, api, edgeLab, flow.EdgeRequest{})
	if plan.Ready() {
		t.Fatal("a plan for a VPC that shares no zone with the services is ready")
	}
	r := edgeResult(t, plan, "PVL303")
	if r.Status != flow.StatusFail || len(r.Details) != 2 {
		t.Fatalf("PVL303 = %+v", r)
	}
	want := "create a vSwitch in zone cn-hangzhou-g or cn-hangzhou-k of VPC " + vpcEdgeLab + ", e.g. 10.110.32.0/24 in cn-hangzhou-g"
	for _, d := range r.Details {
		if !strings.Contains(d, want) || !strings.Contains(d, "serves only cn-hangzhou-g, cn-hangzhou-k") {
			t.Errorf("detail %q does not say what to create (%q)", d, want)
		}
	}
	if r.Fix == nil || r.Fix.Command != "aliyun vpc CreateVSwitch --RegionId cn-hangzhou --VpcId "+vpcEdgeLab+" --ZoneId cn-hangzhou-g --CidrBlock 10.110.32.0/24 --VSwitchName asmlink-edge-g" {
		t.Fatalf("fix %+v", r.Fix)
	}
	if _, err := flow.CreateEdgeEndpoints(context.Background(), api, plan, flow.EdgeApplyOptions{}); err == nil {
		t.Fatal("a plan with a failed check was carried out")
	}
	if n := len(srv.State().Endpoints()); n != 0 {
		t.Fatalf("%d endpoints created", n)
	}
}

func TestEdgeDryRunCreatesNothing(t *testing.T) {
	api, srv, _ := demo(t, "edge")
	plan := planEdge(t, api, edgeDC, flow.EdgeRequest{})
	outcomes, err := flow.CreateEdgeEndpoints(context.Background(), api, plan, flow.EdgeApplyOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.State().Endpoints()); n != 0 {
		t.Fatalf("a dry run created %d endpoints", n)
	}
	if len(outcomes) != 2 || outcomes[0].Created || outcomes[0].Endpoint.ID != "" {
		t.Fatalf("dry-run outcomes %+v", outcomes)
	}
	if d := flow.BuildEdgeDNS(plan, outcomes); len(d.CNAMEs) != 0 {
		t.Fatalf("a dry run has DNS records %+v", d.CNAMEs)
	}
}

func TestEdgeOnPremisesCIDROverlapsAreWarnings(t *testing.T) {
	api, _, _ := demo(t, "edge")
	onPrem, err := flow.ParseOnPremCIDRs([]string{"100.100.0.0/16,10.100.16.0/24", "172.20.8.0/24", "172.21.0.0/24", "192.168.50.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	plan := planEdge(t, api, edgeDC, flow.EdgeRequest{OnPremCIDRs: onPrem})
	if !plan.Ready() {
		t.Fatalf("overlaps must warn, not fail: %+v", flow.Failed(plan.Results))
	}
	for code, want := range map[string]string{
		"PVL310": "100.100.0.0/16 (on-premises) overlaps 100.64.0.0/10 (range used by Alibaba Cloud services)",
		"PVL311": "10.100.16.0/24 (on-premises) overlaps 10.100.0.0/16 (CIDR of VPC " + vpcEdgeDC + ")",
		"PVL312": "172.20.8.0/24 (on-premises) overlaps 172.20.0.0/16 (pod CIDR of cluster " + edgeDC + " (edge-dc))",
		"PVL313": "172.21.0.0/24 (on-premises) overlaps 172.21.0.0/20 (Service CIDR of cluster " + edgeDC + " (edge-dc))",
	} {
		r := edgeResult(t, plan, code)
		if r.Status != flow.StatusWarn || !slices.Equal(r.Details, []string{want}) {
			t.Errorf("%s = %s %q %v, want a warning with %q", code, r.Status, r.Message, r.Details, want)
		}
	}

	clear := planEdge(t, api, edgeDC, flow.EdgeRequest{OnPremCIDRs: []netip.Prefix{netip.MustParsePrefix("192.168.50.0/24")}})
	if r := edgeResult(t, clear, "PVL310"); r.Status != flow.StatusPass {
		t.Errorf("a clear on-premises block: %+v", r)
	}
	none := planEdge(t, api, edgeDC, flow.EdgeRequest{})
	if r := edgeResult(t, none, "PVL311"); r.Status != flow.StatusSkip || !strings.Contains(r.Message, "--onprem-cidr") {
		t.Errorf("no on-premises block: %+v", r)
	}
	var ue *flow.EdgeUsageError
	if _, err := flow.ParseOnPremCIDRs([]string{"10.0.0.0/33"}); !errors.As(err, &ue) || ue.Flag != "--onprem-cidr" {
		t.Errorf("bad CIDR: %v", err)
	}
}

func TestEdgeGivenVSwitchesAndServices(t *testing.T) {
	api, _, _ := demo(t, "edge")
	facts, err := flow.LoadEdgeFacts(context.Background(), api, edgeDC)
	if err != nil {
		t.Fatal(err)
	}
	usage := func(req flow.EdgeRequest, flag, want string) {
		t.Helper()
		_, err := flow.PlanEdge(facts, req)
		var ue *flow.EdgeUsageError
		if !errors.As(err, &ue) || ue.Flag != flag || !strings.Contains(ue.Message, want) {
			t.Errorf("PlanEdge(%+v) = %v, want %s: ...%s...", req, err, flag, want)
		}
	}
	usage(flow.EdgeRequest{VSwitchIDs: []string{"vsw-bp1fjgvq4k7bn7xj8b7tfq7"}}, "--vswitch", "is not a vSwitch of VPC "+vpcEdgeDC)
	usage(flow.EdgeRequest{VSwitchIDs: []string{vswEdgeDCG, vswEdgeDCGOwn}}, "--vswitch", "are both in zone cn-hangzhou-g")
	usage(flow.EdgeRequest{Services: map[flow.EdgeService]string{flow.EdgeACR: edgeACK}}, "--ack-service", "is also the ACR endpoint service")

	// Given vSwitches are used as they are, by ID or name of the services.
	plan, err := flow.PlanEdge(facts, flow.EdgeRequest{VSwitchIDs: []string{vswEdgeDCK, vswEdgeDCG},
		Services: map[flow.EdgeService]string{flow.EdgeACR: edgeACR, flow.EdgeACK: "com.aliyuncs.privatelink.cn-hangzhou.ack"}, SecurityGroupID: "sg-given"})
	if err != nil || !plan.Ready() || plan.SecurityGroupID != "sg-given" {
		t.Fatalf("plan %v %+v", err, plan)
	}
	if z := plan.Endpoints[1].Zones; len(z) != 2 || z[0].VSwitchID != vswEdgeDCG || z[1].VSwitchID != vswEdgeDCK {
		t.Fatalf("ACK zones %+v", z)
	}

	// Only a zone the services do not serve: the zone check fails and says so.
	plan, err = flow.PlanEdge(facts, flow.EdgeRequest{VSwitchIDs: []string{vswEdgeDCH}})
	if err != nil {
		t.Fatal(err)
	}
	if r := edgeResult(t, plan, "PVL303"); r.Status != flow.StatusFail || !strings.Contains(r.Details[0], "--vswitch chose "+vswEdgeDCH+" in cn-hangzhou-h") {
		t.Fatalf("PVL303 = %+v", r)
	}

	// A service support did not publish to the account.
	plan, err = flow.PlanEdge(facts, flow.EdgeRequest{Services: map[flow.EdgeService]string{flow.EdgeACK: "epsrv-bp1notpublished00000"}})
	if err != nil {
		t.Fatal(err)
	}
	r := edgeResult(t, plan, "PVL302")
	if r.Status != flow.StatusFail || !strings.Contains(r.Details[0], "--ack-service epsrv-bp1notpublished00000 is not visible to this account") ||
		!strings.Contains(r.Check.Hint, "submit a ticket") {
		t.Fatalf("PVL302 = %+v", r)
	}
	if r := edgeResult(t, plan, "PVL303"); r.Status != flow.StatusSkip {
		t.Fatalf("PVL303 after a missing service = %+v", r)
	}
}

func TestEdgeWaitTimesOutWithTheLastStates(t *testing.T) {
	api, _, _ := demo(t, "edge")
	plan := planEdge(t, api, edgeDC, flow.EdgeRequest{})
	outcomes, err := flow.CreateEdgeEndpoints(context.Background(), api, plan, flow.EdgeApplyOptions{
		Wait: flow.WaitOptions{Interval: time.Millisecond, Timeout: 30 * time.Millisecond},
	})
	var te *flow.TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(te.LastState, outcomes[0].Endpoint.ID+" Creating/Disconnected") {
		t.Fatalf("wait: %v", err)
	}
}

// Edge clusters go through the wizard's listing and checks like any other
// cluster: labelled, eligible, paired in a shared zone, addable to a mesh.
func TestEdgeClustersInTheMeshLikeOthers(t *testing.T) {
	api, _, _ := demo(t, "edge")
	env := loadMesh(t, api, meshEdge, nil)
	byID := map[string]flow.Candidate{}
	for _, c := range flow.Candidates(env) {
		byID[c.Cluster.ID] = c
	}
	if c := byID[edgeDC]; !c.Edge || c.Eligibility != flow.EligibleConnect || !strings.HasSuffix(c.Reason, "; ACK Edge cluster") {
		t.Errorf("edge-dc candidate %+v", c)
	}
	if c := byID[edgeLab]; !c.Edge || c.Eligibility != flow.EligibleAdd {
		t.Errorf("edge-lab candidate %+v", c)
	}
	if c := byID[cloudApps]; c.Edge || strings.Contains(c.Reason, "Edge") {
		t.Errorf("cloud-apps candidate %+v", c)
	}

	env.ClusterID = edgeDC
	pairing, err := env.Pairing()
	if err != nil {
		t.Fatal(err)
	}
	pair, ok := pairing.Recommend()
	if !ok || pair.ASM.ZoneID != pair.ACK.ZoneID {
		t.Fatalf("no same-zone pair for edge-dc: %+v", pairing)
	}
	env.Pair = &pair
	results := flow.Runner{}.Run(context.Background(), env, flow.Checks())
	if failed := flow.Failed(results); len(failed) != 0 {
		t.Fatalf("preflight of edge-dc failed: %+v", failed)
	}
	if _, err := env.Desired(flow.IntentConnect); err != nil {
		t.Fatal(err)
	}

	if err := api.AddClusterToMesh(context.Background(), meshEdge, edgeLab); err != nil {
		t.Fatal(err)
	}
	env = loadMesh(t, api, meshEdge, nil)
	for _, c := range flow.Candidates(env) {
		if c.Cluster.ID == edgeLab && (!c.InMesh || !c.Edge) {
			t.Fatalf("edge-lab after being added: %+v", c)
		}
	}
}

func TestEdgeCodesAreDocumentedAndDistinct(t *testing.T) {
	var docs []flow.CodeDoc
	for _, d := range flow.Codes() {
		if strings.HasPrefix(string(d.Code), "PVL3") {
			docs = append(docs, d)
		}
	}
	if len(docs) != 8 {
		t.Fatalf("%d edge codes in flow.Codes, want 8", len(docs))
	}
	for _, d := range docs {
		if d.Summary == "" || d.Hint == "" || d.DocURL != flow.DocURL(d.Code) || d.Kind != "check" {
			t.Errorf("incomplete row %+v", d)
		}
	}
}
