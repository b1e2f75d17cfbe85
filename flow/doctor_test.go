package flow_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
)

// doctor runs every doctor check against in and returns the results by
// code.
func doctor(t *testing.T, in flow.DoctorInput) map[spec.Code]flow.Result {
	t.Helper()
	env := flow.DoctorEnv(context.Background(), in)
	out := map[spec.Code]flow.Result{}
	for _, r := range (flow.Runner{}).Run(context.Background(), env, flow.DoctorChecks()) {
		out[r.Check.Code] = r
	}
	return out
}

// expect checks the status of each listed code and that the message says
// what is named.
func expect(t *testing.T, results map[spec.Code]flow.Result, code spec.Code, status flow.Status, says string) {
	t.Helper()
	r, ok := results[code]
	if !ok {
		t.Fatalf("no result for %s", code)
	}
	all := r.Message + " " + strings.Join(r.Details, " ")
	if r.Status != status || !strings.Contains(all, says) {
		t.Errorf("%s = %s %q %q, want %s saying %q", code, r.Status, r.Message, r.Details, status, says)
	}
}

// connectShop creates shop-prod's two links in the simulated cloud as
// ASM's controller would, and returns the ASMPvlConfig with its status
// copied from PrivateLink once everything is Active and Connected.
func connectShop(t *testing.T, api cloud.API, srv *sim.Server, clk *clock) *spec.ASMPvlConfig {
	t.Helper()
	env := load(t, api, nil)
	env.ClusterID = shopProd
	p, err := env.Pairing()
	if err != nil {
		t.Fatal(err)
	}
	pair, _ := p.Recommend()
	cfg, err := flow.Desired(nil, shopProd, flow.IntentConnect, []flow.Pair{pair}, env.Facts())
	if err != nil {
		t.Fatal(err)
	}
	st := srv.State()
	zone := pair.ASM.ZoneID
	svcA, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: "lb-bp16g26oc7t3bd4z1g52", Zones: []string{zone}})
	if err != nil {
		t.Fatal(err)
	}
	epA, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: vpcASMProd, ServiceID: svcA.ID, Zones: []sim.EndpointZone{{ZoneID: zone, VSwitchID: pair.ASM.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	svcB, err := st.CreateEndpointService(sim.EndpointServiceSpec{RegionID: "cn-hangzhou", ResourceType: "slb", ResourceID: "lb-bp11dstwg6nj4ogw9xhr", Zones: []string{zone}})
	if err != nil {
		t.Fatal(err)
	}
	epB, err := st.CreateEndpoint(sim.EndpointSpec{RegionID: "cn-hangzhou", VpcID: vpcShopProd, ServiceID: svcB.ID, Zones: []sim.EndpointZone{{ZoneID: zone, VSwitchID: pair.ACK.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	a, _ := st.Endpoint(epA.ID)
	b, _ := st.Endpoint(epB.ID)
	cfg.Status = &spec.Status{
		Status: spec.StatusAvailable,
		Clusters: []spec.ClusterLink{{ClusterID: shopProd,
			PvlEndpoint:        &spec.PvlEndpoint{ID: a.ID, Status: a.Status, ConnectionStatus: a.ConnectionStatus, DomainName: a.Domain},
			PvlEndpointService: &spec.EndpointService{ID: svcA.ID, Name: svcA.Name, Status: spec.StateActive}}},
		Pilot: &spec.PilotLink{
			Clusters:           []spec.ClusterLink{{ClusterID: shopProd, PvlEndpoint: &spec.PvlEndpoint{ID: b.ID, Status: b.Status, ConnectionStatus: b.ConnectionStatus, DomainName: b.Domain}}},
			PvlEndpointService: &spec.EndpointService{ID: svcB.ID, Name: svcB.Name, Status: spec.StateActive}},
	}
	if a.Status != spec.StateActive || a.ConnectionStatus != spec.ConnectionHealthy {
		t.Fatalf("endpoint %s is %s/%s after the provisioning delay", a.ID, a.Status, a.ConnectionStatus)
	}
	return cfg
}

func TestDoctorChecksOrderAndDependencies(t *testing.T) {
	checks := flow.DoctorChecks()
	if checks[0].Code != flow.CodeCloudAccess || checks[len(checks)-1].Code != flow.CodeUnconnectedVPCs {
		t.Errorf("doctor runs %s first and %s last", checks[0].Code, checks[len(checks)-1].Code)
	}
	var cats []flow.Category
	for _, c := range checks[1:] {
		if len(cats) == 0 || cats[len(cats)-1] != c.Category {
			cats = append(cats, c.Category)
		}
		found := false
		for _, d := range c.DependsOn {
			found = found || d == flow.CodeCloudAccess
		}
		if !found {
			t.Errorf("%s does not depend on %s", c.Code, flow.CodeCloudAccess)
		}
	}
	want := []flow.Category{flow.CategoryMesh, flow.CategoryCluster, flow.CategoryPrivateLink, flow.CategoryVSwitches, flow.CategoryAPIServer, flow.CategoryLinks, flow.CategoryNetwork}
	if len(cats) != len(want) {
		t.Fatalf("categories in order %v, want %v", cats, want)
	}
	for i := range want {
		if cats[i] != want[i] {
			t.Errorf("categories in order %v, want %v", cats, want)
		}
	}
	if c, _ := flow.CheckByCode(flow.CodeClusterInMesh); len(c.DependsOn) != 2 {
		t.Errorf("DoctorChecks changed the catalog's dependencies: %v", c.DependsOn)
	}
}

func TestDoctorNothingConnectedYet(t *testing.T) {
	api, _, _ := demo(t, "demo")
	rs := doctor(t, flow.DoctorInput{API: api, MeshID: meshProd, ClusterID: shopProd, Server: "https://asm.example"})
	expect(t, rs, flow.CodeCloudAccess, flow.StatusPass, "region cn-hangzhou")
	expect(t, rs, flow.CodeAPIServer, flow.StatusPass, "no ASMPvlConfig default yet")
	for _, code := range []spec.Code{flow.CodeLiveZoneRule, flow.CodeLinksHealthy, flow.CodeSANPresent, flow.CodeClusterRunning} {
		expect(t, rs, code, flow.StatusSkip, "no cluster is connected")
	}
	// shop-prod, edge-factory and billing are in other VPCs without CEN.
	expect(t, rs, flow.CodeUnconnectedVPCs, flow.StatusFail, "cluster "+shopProd+" is in another VPC")
	if f := rs[flow.CodeUnconnectedVPCs].Fix; f == nil || f.Command != "asmlink apply --mesh "+meshProd+" --cluster "+shopProd {
		t.Errorf("fix = %+v", f)
	}
	expect(t, rs, flow.CodeMeshRunning, flow.StatusPass, "is running")
	expect(t, rs, flow.CodeResourceValid, flow.StatusSkip, "")
}

func TestDoctorAllWell(t *testing.T) {
	api, srv, clk := demo(t, "demo")
	cfg := connectShop(t, api, srv, clk)
	// Give shop-prod the SAN and let the mesh run it.
	if err := api.AppendSANs(context.Background(), shopProd, []string{cfg.Status.Clusters[0].PvlEndpoint.DomainName}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	rs := doctor(t, flow.DoctorInput{API: api, MeshID: meshProd, ClusterID: shopProd, Config: cfg})
	expect(t, rs, flow.CodeLiveZoneRule, flow.StatusPass, "follows the zone rule")
	expect(t, rs, flow.CodeLinksHealthy, flow.StatusPass, "PrivateLink agrees")
	expect(t, rs, flow.CodeSANPresent, flow.StatusPass, cfg.Status.Clusters[0].PvlEndpoint.DomainName)
	expect(t, rs, flow.CodeClusterRunning, flow.StatusPass, "1 connected cluster(s) are running")
	expect(t, rs, flow.CodeResourceValid, flow.StatusPass, "follows the zone rule")
}

func TestDoctorFindsBrokenLinks(t *testing.T) {
	api, srv, clk := demo(t, "demo")
	cfg := connectShop(t, api, srv, clk)
	if err := srv.State().SetMeshClusterState(meshProd, shopProd, "failed", "x509: certificate is valid for shop-api.internal.example.com"); err != nil {
		t.Fatal(err)
	}
	// The status names a link B endpoint that PrivateLink does not list,
	// and a zone that breaks the rule.
	cfg.Status.Pilot.Clusters[0].PvlEndpoint.ID = "ep-bp1gone"
	cfg.Spec.AsmVpcEndpoint.VSwitches[0].ZoneID = "cn-hangzhou-h"
	rs := doctor(t, flow.DoctorInput{API: api, MeshID: meshProd, Config: cfg})
	expect(t, rs, flow.CodeLiveZoneRule, flow.StatusFail, "PVL034")
	expect(t, rs, flow.CodeLinksHealthy, flow.StatusFail, "status names endpoint ep-bp1gone, which PrivateLink does not list")
	expect(t, rs, flow.CodeSANPresent, flow.StatusFail, "is not in the API server certificate's SANs")
	if f := rs[flow.CodeSANPresent].Fix; f == nil || !f.Mutating || f.Apply == nil {
		t.Errorf("SAN fix = %+v, want a mutating fix that can run", f)
	}
	expect(t, rs, flow.CodeClusterRunning, flow.StatusFail, "is failed in the mesh: x509")
	// Without --cluster, the cluster checks do not apply.
	expect(t, rs, flow.CodeSameRegion, flow.StatusSkip, "no ACK cluster is chosen")
}

func TestDoctorProvisioningWarns(t *testing.T) {
	api, srv, clk := demo(t, "demo")
	cfg := connectShop(t, api, srv, clk)
	cfg.Status.Status = "Provisioning"
	cfg.Status.Clusters[0].PvlEndpoint.Status = "Creating"
	cfg.Status.Clusters[0].PvlEndpoint.DomainName = ""
	rs := doctor(t, flow.DoctorInput{API: api, MeshID: meshProd, Config: cfg})
	expect(t, rs, flow.CodeLinksHealthy, flow.StatusWarn, "waiting for")
	expect(t, rs, flow.CodeSANPresent, flow.StatusSkip, "no link A domain is reported yet")
}

func TestDoctorPrivateLinkOff(t *testing.T) {
	api, _, _ := demo(t, "privatelink-off")
	cfg := spec.New()
	cfg.Spec.AckVpcEndpoint = []spec.AckVpcEndpoint{{ClusterID: "c5a7e9b1d3f5a7c9e1b3d5f7a9c1e3b57", VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bp1p0o9i8u7y6t5r4e3w2", ZoneID: "cn-hangzhou-i"}}}}
	cfg.Spec.AsmVpcEndpoint.VSwitches = []spec.VSwitch{{VSwitchID: "vsw-bp1a8s3d6f9g2h5j7k4l1", ZoneID: "cn-hangzhou-i"}}
	rs := doctor(t, flow.DoctorInput{API: api, MeshID: meshMain, Config: cfg})
	expect(t, rs, flow.CodePrivateLinkActive, flow.StatusFail, "not activated")
	expect(t, rs, flow.CodeLinksHealthy, flow.StatusFail, "PVL202 PrivateLink is not activated")
	if f := rs[flow.CodeLinksHealthy].Fix; f == nil || f.Command != "aliyun privatelink OpenPrivateLinkService" {
		t.Errorf("fix = %+v", f)
	}
	// The only cluster is connected over PrivateLink (in the spec).
	expect(t, rs, flow.CodeUnconnectedVPCs, flow.StatusPass, "1 over PrivateLink")
}

func TestDoctorCloudUnreadableSkipsTheRest(t *testing.T) {
	api, _, _ := demo(t, "demo")
	rs := doctor(t, flow.DoctorInput{API: api, MeshID: "0000000000000000000000000000dead"})
	expect(t, rs, flow.CodeCloudAccess, flow.StatusFail, "the cloud could not be read")
	for code, r := range rs {
		if code != flow.CodeCloudAccess && (r.Status != flow.StatusSkip || !strings.Contains(r.Message, "skipped because check PVL1")) {
			t.Errorf("%s = %s %q, want skipped because a check it depends on failed", code, r.Status, r.Message)
		}
	}
	rs = doctor(t, flow.DoctorInput{CloudErr: errors.New("no region: pass --region"), MeshID: meshProd})
	expect(t, rs, flow.CodeCloudAccess, flow.StatusFail, "no region: pass --region")
}

func TestDoctorAPIServerUnreachable(t *testing.T) {
	api, _, _ := demo(t, "demo")
	rs := doctor(t, flow.DoctorInput{API: api, MeshID: meshProd, ServerErr: errors.New("the API server at https://asm.example has no ASMPvlConfig kind")})
	expect(t, rs, flow.CodeAPIServer, flow.StatusFail, "has no ASMPvlConfig kind")
	for _, code := range []spec.Code{flow.CodeLiveZoneRule, flow.CodeLinksHealthy, flow.CodeSANPresent, flow.CodeClusterRunning, flow.CodeUnconnectedVPCs} {
		expect(t, rs, code, flow.StatusSkip, "skipped because check PVL141 failed")
	}
	expect(t, rs, flow.CodePodOverlap, flow.StatusPass, "no pod CIDRs overlap")
}

func TestDoctorCENSkipsWithoutOtherVPCs(t *testing.T) {
	api, _, _ := demo(t, "demo")
	// mesh-staging's only cluster is in the mesh's own VPC.
	rs := doctor(t, flow.DoctorInput{API: api, MeshID: "a72e9d34119f3374cebd4d3fd81b6ee7"})
	expect(t, rs, flow.CodeUnconnectedVPCs, flow.StatusSkip, "no cluster of the mesh is in another VPC")
}

func TestDoctorChecksSkipOutsideDoctor(t *testing.T) {
	api, _, _ := demo(t, "demo")
	env := load(t, api, nil)
	for _, r := range (flow.Runner{}).Run(context.Background(), env, flow.DoctorChecks()[:1]) {
		if r.Status != flow.StatusSkip {
			t.Errorf("%s without Live = %s %q", r.Check.Code, r.Status, r.Message)
		}
	}
}
