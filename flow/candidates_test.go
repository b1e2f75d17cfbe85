package flow

import (
	"slices"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud"
)

func TestCandidatesOrderAndReasons(t *testing.T) {
	env := fixture()
	got := Candidates(env)
	type row struct {
		id     string
		elig   Eligibility
		reason string
	}
	want := []row{
		{idA, EligibleConnect, "in the mesh, VPC vpc-a"},
		{idG, EligibleConnect, "in the mesh, VPC vpc-g"},
		{idE, EligibleAdd, "not in the mesh yet, VPC vpc-e: it will be added first; ACK Edge cluster"},
		{idB, EligibleConnected, "connected over PrivateLink: change its vSwitches or remove it"},
		{idC, IneligibleSameVPC, "in the mesh's own VPC vpc-mesh: no PrivateLink needed"},
		{idD, IneligibleRegion, "in region cn-shanghai, the mesh is in cn-hangzhou"},
		{idF, IneligibleForbidden, "ASM cannot add it (reason 7: the cluster version is too old); see the ASM console's Add Cluster page for details"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d candidates, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Cluster.ID != w.id || g.Eligibility != w.elig || g.Reason != w.reason {
			t.Errorf("candidate %d = %s %s %q, want %s %s %q", i, g.Cluster.ID, g.Eligibility, g.Reason, w.id, w.elig, w.reason)
		}
		if g.Eligibility.Eligible() != (i < 4) {
			t.Errorf("candidate %s eligible = %v", g.Cluster.ID, g.Eligibility.Eligible())
		}
	}
	if b := got[3]; !b.Connected || !slices.Equal(b.Intents, []Intent{IntentChange, IntentRemove}) {
		t.Errorf("connected cluster intents = %v, connected = %v", b.Intents, b.Connected)
	}
	if e := got[2]; !e.Edge || e.InMesh || !slices.Equal(e.Intents, []Intent{IntentConnect}) {
		t.Errorf("edge cluster = %+v", e)
	}
	if len(got[4].Intents) != 0 {
		t.Errorf("an ineligible cluster offers %v", got[4].Intents)
	}
}

func TestCandidatesKeepConnectedClustersTheCloudNoLongerLists(t *testing.T) {
	env := fixture()
	env.Clusters = slices.DeleteFunc(env.Clusters, func(c cloud.Cluster) bool { return c.ID == idB })
	got := Candidates(env)
	i := slices.IndexFunc(got, func(c Candidate) bool { return c.Cluster.ID == idB })
	if i < 0 {
		t.Fatalf("cluster %s, still in the ASMPvlConfig, is not offered", idB)
	}
	if c := got[i]; c.Eligibility != EligibleConnected || !slices.Equal(c.Intents, []Intent{IntentRemove}) || !strings.Contains(c.Reason, "not listed by the cloud") {
		t.Errorf("candidate = %+v", c)
	}
}

func TestCandidatesSortIsStableAndPure(t *testing.T) {
	env := fixture()
	before := slices.Clone(env.Clusters)
	a, b := Candidates(env), Candidates(env)
	if !slices.EqualFunc(a, b, func(x, y Candidate) bool { return x.Cluster.ID == y.Cluster.ID }) {
		t.Error("two calls ordered the clusters differently")
	}
	if !slices.EqualFunc(before, env.Clusters, func(x, y cloud.Cluster) bool { return x.ID == y.ID }) {
		t.Error("Candidates reordered the inventory")
	}
}

// TestRefusalNeverShowsRawJSON covers ForbiddenInfo shapes ASM might send
// beyond the documented list: a CIDR conflict with no decodable detail and
// an unknown flag whose detail is JSON are told in words.
func TestRefusalNeverShowsRawJSON(t *testing.T) {
	mesh := cloud.Mesh{ID: "m1"}
	for _, tc := range []struct {
		a    cloud.AddableCluster
		want string
	}{
		{cloud.AddableCluster{ForbiddenFlag: cloud.ForbiddenCIDR, ForbiddenInfo: "not json"}, "ASM cannot add it: its CIDR blocks overlap those of the mesh's clusters (ASM named no CIDR); Pod, Service and VPC CIDRs must not overlap across the mesh"},
		{cloud.AddableCluster{ForbiddenFlag: cloud.ForbiddenCIDR, CIDRConflicts: []cloud.CIDRConflict{{Object: "VPC", CIDR: "10.0.0.0/8"}}}, "ASM cannot add it: its CIDR blocks overlap the mesh's VPC CIDR 10.0.0.0/8; Pod, Service and VPC CIDRs must not overlap across the mesh"},
		{cloud.AddableCluster{ForbiddenFlag: 9, ForbiddenInfo: `[{"x":1}]`}, "ASM cannot add it (reason 9); see the ASM console's Add Cluster page for details"},
		{cloud.AddableCluster{ForbiddenFlag: cloud.ForbiddenNoCEN}, ""},
		{cloud.AddableCluster{ServiceMeshID: "m2"}, "already in ASM instance m2: a cluster belongs to one mesh; remove it there first"},
	} {
		if got := refusal(tc.a, mesh); got != tc.want {
			t.Errorf("refusal(%+v) = %q, want %q", tc.a, got, tc.want)
		}
	}
}
