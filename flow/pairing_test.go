package flow

import (
	"slices"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

func codes(findings []spec.Finding) []spec.Code {
	var out []spec.Code
	for _, f := range findings {
		out = append(out, f.Code)
	}
	return out
}

func TestPairingRanksSameZoneReusedThenFreeIPs(t *testing.T) {
	env := fixture()
	env.ClusterID = idA
	p, err := env.Pairing()
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		asm, ack string
		verdict  Verdict
	}
	var got []row
	for _, o := range p.Options {
		got = append(got, row{o.ASM.ID, o.ACK.ID, o.Verdict})
	}
	want := []row{
		// Same zone, usable: vsw-meshi is already in asmVpcEndpoint, so it goes first.
		{"vsw-meshi", "vsw-ai", VerdictOK},
		{"vsw-meshj", "vsw-aj", VerdictOK},
		// Cross-zone pairs are allowed with a warning; most free IPs first.
		{"vsw-meshi", "vsw-aj", VerdictWarn},
		{"vsw-meshj", "vsw-ai", VerdictWarn},
		// Refused: zone h has no PrivateLink, vsw-meshk has no free IP.
		{"vsw-meshi", "vsw-ah", VerdictRefused},
		{"vsw-meshj", "vsw-ah", VerdictRefused},
		{"vsw-meshk", "vsw-ah", VerdictRefused},
		{"vsw-meshk", "vsw-ai", VerdictRefused},
		{"vsw-meshk", "vsw-aj", VerdictRefused},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("options =\n%v\nwant\n%v", got, want)
	}
	rec, ok := p.Recommend()
	if !ok || rec.ASM.ID != "vsw-meshi" || rec.ACK.ID != "vsw-ai" {
		t.Errorf("Recommend = %v, %v", rec, ok)
	}
	if len(p.Create) != 0 {
		t.Errorf("a usable same-zone pair exists, yet Create = %+v", p.Create)
	}
	cross := p.Options[2]
	if !slices.Contains(codes(cross.Findings), spec.CodeCrossZone) {
		t.Errorf("cross-zone pair findings = %v, want the spec's cross-zone warning", cross.Findings)
	}
	for _, o := range p.Options[4:] {
		if !spec.HasErrors(o.Findings) {
			t.Errorf("refused pair %s carries no error: %v", o.Pair, o.Findings)
		}
	}
}

func TestPairingWithoutReuseRanksByFreeIPs(t *testing.T) {
	env := fixture()
	env.ClusterID, env.Config = idA, nil
	// vsw-meshj+vsw-aj has 50 free IPs at its fuller side, vsw-meshi+vsw-ai 100.
	env.VSwitches["vpc-mesh"][1].FreeIPs = 5000
	env.VSwitches["vpc-a"][1].FreeIPs = 4000
	p, err := env.Pairing()
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := p.Recommend()
	if rec.ASM.ID != "vsw-meshj" || rec.ACK.ID != "vsw-aj" || rec.FreeIPs() != 4000 {
		t.Errorf("Recommend = %v (free %d), want the pair with the most free IPs", rec, rec.FreeIPs())
	}
}

func TestPairingZoneView(t *testing.T) {
	env := fixture()
	env.ClusterID = idA
	p, _ := env.Pairing()
	var zones []string
	for _, z := range p.Zones {
		zones = append(zones, z.ZoneID)
	}
	if !slices.Equal(zones, []string{zoneH, zoneI, zoneJ, zoneK}) {
		t.Fatalf("zones = %v", zones)
	}
	h, i, k := p.Zones[0], p.Zones[1], p.Zones[3]
	if h.PrivateLink || h.Shared() || len(h.Cluster) != 1 || h.Cluster[0].ID != "vsw-ah" {
		t.Errorf("zone h = %+v", h)
	}
	if !i.PrivateLink || !i.Shared() || i.Mesh[0].ID != "vsw-meshi" || i.Cluster[0].FreeIPs != 100 || i.Cluster[0].CIDR != "10.0.1.0/24" {
		t.Errorf("zone i = %+v", i)
	}
	if !k.PrivateLink || k.Shared() || len(k.Mesh) != 1 {
		t.Errorf("zone k = %+v", k)
	}
}

func TestPairingSaysWhatToCreateWhenNoZoneIsShared(t *testing.T) {
	env := fixture()
	env.ClusterID = idG
	p, err := env.Pairing()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Recommend(); ok {
		t.Fatal("recommended a pair although vsw-meshk has no free IP")
	}
	if len(p.Create) != 3 {
		t.Fatalf("Create = %+v, want one proposal on the mesh side and one per usable mesh zone on the cluster side", p.Create)
	}
	mesh := p.Create[0]
	if mesh.Side != SideMesh || mesh.VpcID != "vpc-mesh" || mesh.ZoneID != zoneK || mesh.PairsWith.ID != "vsw-gk" || mesh.CIDR != "192.168.0.0/24" {
		t.Errorf("mesh proposal = %+v", mesh)
	}
	wantMsg := "create a vSwitch in zone cn-hangzhou-k in VPC vpc-mesh (the mesh VPC), a zone where vpc-g (the cluster's VPC) already has vsw-gk"
	if mesh.Message != wantMsg {
		t.Errorf("message = %q\nwant      %q", mesh.Message, wantMsg)
	}
	wantCmd := "aliyun vpc CreateVSwitch --RegionId cn-hangzhou --VpcId vpc-mesh --ZoneId cn-hangzhou-k --CidrBlock 192.168.0.0/24 --VSwitchName asmlink-privatelink"
	if mesh.Command != wantCmd {
		t.Errorf("command = %q", mesh.Command)
	}
	// The other way round: the cluster's VPC gets a vSwitch in the zone of
	// the mesh vSwitch with the most free IPs first.
	cl := p.Create[1]
	if cl.Side != SideCluster || cl.VpcID != "vpc-g" || cl.ZoneID != zoneI || cl.PairsWith.ID != "vsw-meshi" || cl.CIDR != "10.6.0.0/24" {
		t.Errorf("cluster proposal = %+v", cl)
	}
	if !strings.Contains(cl.Message, "in VPC vpc-g (the cluster's VPC), a zone where vpc-mesh (the mesh VPC) already has vsw-meshi") {
		t.Errorf("cluster message = %q", cl.Message)
	}
	if j := p.Create[2]; j.ZoneID != zoneJ || j.PairsWith.ID != "vsw-meshj" {
		t.Errorf("second cluster proposal = %+v", j)
	}
}

func TestCheckPairManualChoice(t *testing.T) {
	env := fixture()
	env.ClusterID = idA
	for _, tc := range []struct {
		asm, ack  string
		want      []spec.Code
		hasErrors bool
	}{
		{"vsw-meshi", "vsw-ai", nil, false},
		{"vsw-meshj", "vsw-ai", []spec.Code{spec.CodeCrossZone, spec.CodeCrossZone}, false},
		// vsw-meshi is already listed and keeps its zoneId, so only the
		// cluster's entry is cross-zone.
		{"vsw-meshi", "vsw-ah", []spec.Code{CodePrivateLinkZones, spec.CodeCrossZone}, true},
		{"vsw-meshk", "vsw-aj", []spec.Code{CodeFreeIPs, spec.CodeCrossZone, spec.CodeCrossZone}, true},
		// A vSwitch of the wrong VPC on the cluster side.
		{"vsw-meshi", "vsw-bi", []spec.Code{spec.CodeACKVSwitchVPC}, true},
	} {
		p := Pair{ASM: env.mustVSwitch(tc.asm), ACK: env.mustVSwitch(tc.ack)}
		got := env.CheckPair(p)
		if !slices.Equal(codes(got), tc.want) || spec.HasErrors(got) != tc.hasErrors {
			t.Errorf("CheckPair(%s) = %v", p, got)
		}
	}
}

func TestCheckPairIgnoresOtherClustersEntries(t *testing.T) {
	env := fixture()
	env.ClusterID = idA
	// Another cluster's entry points at a zone without an ASM vSwitch.
	env.Config.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID = zoneJ
	if all := spec.Validate(env.Config, env.Facts()); !spec.HasErrors(all) {
		t.Fatalf("the fixture should break the zone rule in cluster B's entry: %v", all)
	}
	got := env.CheckPair(Pair{ASM: env.mustVSwitch("vsw-meshi"), ACK: env.mustVSwitch("vsw-ai")})
	if len(got) != 0 {
		t.Errorf("a problem of cluster B's entry was blamed on cluster A's pair: %v", got)
	}
}

func TestCheckPairRefusesSameVPCCluster(t *testing.T) {
	env := fixture()
	env.ClusterID = idC
	got := env.CheckPair(Pair{ASM: env.mustVSwitch("vsw-meshi"), ACK: env.mustVSwitch("vsw-meshj")})
	if !slices.Contains(codes(got), spec.CodeSameVPC) {
		t.Errorf("findings = %v, want %s", got, spec.CodeSameVPC)
	}
}

func TestPairVSwitchesWithoutCheckAppliesFlowRules(t *testing.T) {
	mesh := []cloud.VSwitch{vsw("vsw-m1", "vpc-m", zoneI, "192.168.1.0/24", 10)}
	ack := []cloud.VSwitch{vsw("vsw-c1", "vpc-c", zoneI, "10.0.1.0/24", 0), vsw("vsw-c2", "vpc-c", zoneJ, "10.0.2.0/24", 10)}
	p := PairVSwitches(PairInput{MeshVSwitches: mesh, ClusterVSwitches: ack, PrivateLinkZones: []cloud.Zone{{ID: zoneI}, {ID: zoneJ}},
		MeshVPC: cloud.VPC{ID: "vpc-m", CIDR: "192.168.0.0/16"}, ClusterVPC: cloud.VPC{ID: "vpc-c", CIDR: "10.0.0.0/16"}})
	if p.Options[0].ACK.ID != "vsw-c2" || p.Options[0].Verdict != VerdictWarn {
		t.Errorf("first option = %+v, want the cross-zone pair with a warning", p.Options[0])
	}
	if p.Options[1].Verdict != VerdictRefused || !slices.Equal(codes(p.Options[1].Findings), []spec.Code{CodeFreeIPs}) {
		t.Errorf("second option = %+v, want refused for lack of free IPs", p.Options[1])
	}
	if _, ok := p.Recommend(); ok || len(p.Create) != 2 {
		t.Errorf("Create = %+v", p.Create)
	}
	opt, ok := p.Option("vsw-m1", "vsw-c1")
	if !ok || opt.Verdict != VerdictRefused {
		t.Errorf("Option(vsw-m1, vsw-c1) = %+v, %v", opt, ok)
	}
	if _, ok := p.Option("vsw-m1", "vsw-nope"); ok {
		t.Error("Option found a pair that does not exist")
	}
}

func TestFreeBlock(t *testing.T) {
	for _, tc := range []struct {
		vpc  cloud.VPC
		used []string
		want string
	}{
		{cloud.VPC{CIDR: "10.0.0.0/16"}, []string{"10.0.0.0/24", "10.0.1.0/24"}, "10.0.2.0/24"},
		{cloud.VPC{CIDR: "10.0.0.0/16"}, []string{"10.0.0.0/17"}, "10.0.128.0/24"},
		{cloud.VPC{CIDR: "172.16.0.0/24"}, []string{"172.16.0.0/26"}, "172.16.0.64/26"},
		{cloud.VPC{CIDR: "10.0.0.0/24", SecondaryCIDRs: []string{"10.9.0.0/16"}}, []string{"10.0.0.0/24"}, "10.9.0.0/24"},
		{cloud.VPC{CIDR: "10.0.0.0/24"}, []string{"10.0.0.0/24"}, ""},
		{cloud.VPC{}, nil, ""},
	} {
		var vs []cloud.VSwitch
		for _, c := range tc.used {
			vs = append(vs, cloud.VSwitch{CIDR: c})
		}
		if got := freeBlock(tc.vpc, vs); got != tc.want {
			t.Errorf("freeBlock(%v, %v) = %q, want %q", tc.vpc.CIDR, tc.used, got, tc.want)
		}
	}
}
