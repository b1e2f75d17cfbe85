package flow

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

func TestCatalogIsComplete(t *testing.T) {
	seen := map[spec.Code]bool{}
	prev := spec.Code("")
	for _, c := range Checks() {
		if seen[c.Code] {
			t.Errorf("code %s is used twice", c.Code)
		}
		seen[c.Code] = true
		if c.Code <= prev {
			t.Errorf("code %s comes after %s: keep the table in code order", c.Code, prev)
		}
		prev = c.Code
		if !strings.HasPrefix(string(c.Code), "PVL1") || len(c.Code) != 6 {
			t.Errorf("check code %s is outside PVL100-PVL199", c.Code)
		}
		if c.Description == "" || c.Hint == "" || c.Category == "" || c.Run == nil {
			t.Errorf("check %s lacks a description, hint, category or run function", c.Code)
		}
		if c.DocURL != DocBaseURL+strings.ToLower(string(c.Code)) {
			t.Errorf("check %s doc URL = %s", c.Code, c.DocURL)
		}
		for _, d := range c.DependsOn {
			dep, ok := CheckByCode(d)
			if !ok || dep.Code >= c.Code {
				t.Errorf("check %s depends on %s, which does not run before it", c.Code, d)
			}
		}
		if _, clash := spec.Describe(c.Code); clash {
			t.Errorf("check code %s clashes with a spec code", c.Code)
		}
	}
	for _, d := range DiagnosisCodes {
		if seen[d.Code] || !strings.HasPrefix(string(d.Code), "PVL2") {
			t.Errorf("diagnosis code %s is reused or outside PVL200-PVL299", d.Code)
		}
		seen[d.Code] = true
	}
	if got := ChecksIn(CategoryNetwork); len(got) != 7 || got[0].Code != CodePodOverlap {
		t.Errorf("network checks = %d, first %s", len(got), got[0].Code)
	}
}

func statuses(results []Result) map[spec.Code]Status {
	out := map[spec.Code]Status{}
	for _, r := range results {
		out[r.Check.Code] = r.Status
	}
	return out
}

func result(results []Result, code spec.Code) Result {
	i := slices.IndexFunc(results, func(r Result) bool { return r.Check.Code == code })
	if i < 0 {
		panic("no result for " + string(code))
	}
	return results[i]
}

func TestPreflightAllPass(t *testing.T) {
	env := fixture()
	env.ClusterID = idA
	p := Pair{ASM: env.mustVSwitch("vsw-meshi"), ACK: env.mustVSwitch("vsw-ai")}
	env.Pair = &p
	var observed []spec.Code
	results := Runner{Observe: func(r Result) { observed = append(observed, r.Check.Code) }}.Run(context.Background(), env, Checks())
	if len(results) != len(Checks()) || len(observed) != len(results) {
		t.Fatalf("%d results, %d observed, want one per check", len(results), len(observed))
	}
	for _, r := range results {
		want := StatusPass
		if r.Check.Code == CodeEdgeReserved {
			want = StatusSkip // no edge cluster among A, B, C, G
		}
		if r.Status != want {
			t.Errorf("%s = %s %q %v, want %s", r.Check.Code, r.Status, r.Message, r.Details, want)
		}
	}
	if len(Failed(results)) != 0 || len(Fixes(results)) != 0 {
		t.Error("a passing run reports failures or fixes")
	}
}

func TestPreflightFailuresAndFixes(t *testing.T) {
	api := &fakeAPI{}
	env := fixture()
	env.API = api
	env.ClusterID = idE // not yet in the mesh
	env.PrivateLinkActivated = false
	p := Pair{ASM: env.mustVSwitch("vsw-meshk"), ACK: env.mustVSwitch("vsw-ei")}
	env.Pair = &p
	results := Runner{}.Run(context.Background(), env, Checks())
	got := statuses(results)
	for code, want := range map[spec.Code]Status{
		CodeMeshRunning: StatusPass, CodeSameRegion: StatusPass, CodeDifferentVPC: StatusPass,
		CodeClusterInMesh: StatusFail, CodePrivateLinkActive: StatusFail,
		CodePrivateLinkZones: StatusPass, CodeFreeIPs: StatusFail,
		// vsw-meshk (zone k) with vsw-ei (zone i) is a cross-zone pair: a warning.
		CodeResourceValid: StatusWarn,
	} {
		if got[code] != want {
			t.Errorf("%s = %s, want %s (%s)", code, got[code], want, result(results, code).Message)
		}
	}
	if d := result(results, CodeFreeIPs).Details; len(d) != 1 || !strings.Contains(d[0], "vsw-meshk") {
		t.Errorf("free IP details = %v", d)
	}
	fixes := Fixes(results)
	if len(fixes) != 2 {
		t.Fatalf("fixes = %+v", fixes)
	}
	add, activate := fixes[0], fixes[1]
	if !add.Mutating || add.Command != "aliyun servicemesh AddClusterIntoServiceMesh --ServiceMeshId m1 --ClusterId "+idE {
		t.Errorf("add fix = %+v", add)
	}
	if !activate.Mutating || activate.Command != "aliyun privatelink OpenPrivateLinkService" {
		t.Errorf("activate fix = %+v", activate)
	}
	if len(api.added) != 0 || api.activated != 0 {
		t.Fatal("the runner applied a mutating fix by itself")
	}
	if err := add.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := activate.Apply(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(api.added, []string{"m1/" + idE}) || api.activated != 1 {
		t.Errorf("after consent: added %v, activated %d", api.added, api.activated)
	}
	if f := result(results, CodeClusterInMesh).Finding(); f.Severity != spec.Error || !strings.Contains(f.Hint, "Run: aliyun servicemesh") {
		t.Errorf("finding = %+v", f)
	}
}

func TestFatalFailureSkipsDependants(t *testing.T) {
	env := fixture()
	env.ClusterID = idD // other region
	results := Runner{}.Run(context.Background(), env, Checks())
	got := statuses(results)
	if got[CodeSameRegion] != StatusFail {
		t.Fatalf("same region = %s", got[CodeSameRegion])
	}
	for _, code := range []spec.Code{CodeClusterInMesh, CodePrivateLinkZones, CodeFreeIPs, CodeResourceValid} {
		r := result(results, code)
		if r.Status != StatusSkip || !strings.Contains(r.Message, string(CodeSameRegion)) {
			t.Errorf("%s = %s %q, want skipped because of %s", code, r.Status, r.Message, CodeSameRegion)
		}
	}
	// Independent checks still run.
	if got[CodePrivateLinkActive] != StatusPass || got[CodeDifferentVPC] != StatusPass {
		t.Errorf("independent checks = %v", got)
	}
}

func TestSameVPCSaysNoPrivateLinkNeeded(t *testing.T) {
	env := fixture()
	env.ClusterID = idC
	r := result(Runner{}.Run(context.Background(), env, Checks()), CodeDifferentVPC)
	if r.Status != StatusFail || !strings.Contains(r.Message, "no PrivateLink is needed") {
		t.Errorf("result = %+v", r)
	}
}

func TestChecksWithoutChoicesSkip(t *testing.T) {
	env := fixture()
	env.Config = nil
	got := statuses(Runner{}.Run(context.Background(), env, Checks()))
	for _, code := range []spec.Code{CodeSameRegion, CodeDifferentVPC, CodeClusterInMesh, CodePrivateLinkZones, CodeFreeIPs, CodeResourceValid} {
		if got[code] != StatusSkip {
			t.Errorf("%s = %s, want skip with no cluster chosen", code, got[code])
		}
	}
	if got[CodeMeshRunning] != StatusPass || got[CodePodOverlap] != StatusPass {
		t.Errorf("mesh-wide checks = %v", got)
	}
}

func TestDoctorChecksTheExistingEntry(t *testing.T) {
	env := fixture()
	env.ClusterID = idB // connected; no pair chosen
	env.Config.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID = zoneJ
	results := Runner{}.Run(context.Background(), env, Checks())
	r := result(results, CodeResourceValid)
	if r.Status != StatusFail || len(r.Details) == 0 || !strings.Contains(strings.Join(r.Details, "\n"), string(spec.CodeACKZoneRule)) {
		t.Errorf("result = %+v", r)
	}
	if got := statuses(results); got[CodePrivateLinkZones] != StatusPass || got[CodeFreeIPs] != StatusPass {
		t.Errorf("vSwitch checks of the existing entry = %v", got)
	}
}

func TestMeshNotRunning(t *testing.T) {
	env := fixture()
	env.Mesh.State, env.Mesh.ErrorMessage = "upgrading_failed", "istiod did not start"
	r := result(Runner{}.Run(context.Background(), env, Checks()), CodeMeshRunning)
	if r.Status != StatusFail || r.Details[0] != "istiod did not start" {
		t.Errorf("result = %+v", r)
	}
}

func TestTransientFailureRetriesWithReload(t *testing.T) {
	env := fixture()
	env.Mesh.State = "updating"
	reloads := 0
	runner := Runner{Interval: time.Millisecond, Reload: func(context.Context) (*Env, error) {
		reloads++
		fresh := fixture()
		if reloads < 3 {
			fresh.Mesh.State = "updating"
		}
		return fresh, nil
	}}
	r := result(runner.Run(context.Background(), env, Checks()[:1]), CodeMeshRunning)
	if r.Status != StatusPass || reloads != 3 {
		t.Errorf("result = %s after %d reloads, want pass after 3", r.Status, reloads)
	}
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	env := fixture()
	env.Mesh.State = "upgrading_failed"
	reloads := 0
	runner := Runner{Interval: time.Millisecond, Reload: func(context.Context) (*Env, error) {
		reloads++
		return fixture(), nil
	}}
	r := result(runner.Run(context.Background(), env, Checks()[:1]), CodeMeshRunning)
	if r.Status != StatusFail || reloads != 0 {
		t.Errorf("result = %s after %d reloads", r.Status, reloads)
	}
}

func TestTransientRetryTimesOutWithLastState(t *testing.T) {
	env := fixture()
	env.Mesh.State = "updating"
	check := Checks()[0]
	check.RetryDeadline = 20 * time.Millisecond
	runner := Runner{Interval: time.Millisecond, Reload: func(context.Context) (*Env, error) {
		return nil, errors.New("Throttling.User")
	}}
	r := runner.Run(context.Background(), env, []Check{check})[0]
	if r.Status != StatusFail || len(r.Details) != 1 || !strings.Contains(r.Details[0], "Throttling.User") {
		t.Errorf("result = %+v", r)
	}
}

func TestWarningSeverityTurnsProblemsIntoWarnings(t *testing.T) {
	env := fixture()
	env.ClusterID = idE
	for i := range env.Clusters {
		if env.Clusters[i].ID == idE {
			env.Clusters[i].PodCIDR = "100.64.0.0/16"
		}
	}
	r := result(Runner{}.Run(context.Background(), env, ChecksIn(CategoryNetwork)), CodeEdgeReserved)
	if r.Status != StatusWarn || !strings.Contains(r.Details[0], "pod CIDR of cluster "+idE+" (echo)") {
		t.Errorf("result = %+v", r)
	}
	if len(Failed([]Result{r})) != 0 {
		t.Error("a warning counts as a failure")
	}
}

func TestNetworkOverlaps(t *testing.T) {
	type mutate func(e *Env)
	setCluster := func(id string, fn func(c *cloud.Cluster)) mutate {
		return func(e *Env) {
			for i := range e.Clusters {
				if e.Clusters[i].ID == id {
					fn(&e.Clusters[i])
				}
			}
		}
	}
	for _, tc := range []struct {
		name   string
		change mutate
		code   spec.Code
		detail string
		// also lists other checks the same change rightly fails.
		also []spec.Code
	}{
		{"pod vs pod", setCluster(idA, func(c *cloud.Cluster) { c.PodCIDR = "172.22.128.0/17" }), CodePodOverlap,
			"172.22.128.0/17 (pod CIDR of cluster " + idA + " (alpha)) overlaps 172.22.0.0/16 (pod CIDR of cluster " + idB + " (bravo))", nil},
		{"pod vs VPC", setCluster(idA, func(c *cloud.Cluster) { c.PodCIDR = "10.1.0.0/20" }), CodePodVPCOverlap,
			"10.1.0.0/20 (pod CIDR of cluster " + idA + " (alpha)) overlaps 10.1.0.0/16 (CIDR of VPC vpc-b)", []spec.Code{CodeVSwitchOverlap}},
		{"service vs service", setCluster(idG, func(c *cloud.Cluster) { c.ServiceCIDR = "172.21.0.0/24" }), CodeServiceOverlap,
			"172.21.0.0/20 (Service CIDR of cluster " + idA + " (alpha)) overlaps 172.21.0.0/24 (Service CIDR of cluster " + idG + " (golf))", nil},
		{"service vs VPC", setCluster(idG, func(c *cloud.Cluster) { c.ServiceCIDR = "10.6.128.0/20" }), CodeServiceVPCOverlap,
			"10.6.128.0/20 (Service CIDR of cluster " + idG + " (golf)) overlaps 10.6.0.0/16 (CIDR of VPC vpc-g)", nil},
		{"vSwitch vs pod", setCluster(idB, func(c *cloud.Cluster) { c.PodCIDR = "10.0.2.0/23" }), CodeVSwitchOverlap,
			"10.0.2.0/24 (vSwitch vsw-aj in VPC vpc-a) overlaps 10.0.2.0/23 (pod CIDR of cluster " + idB + " (bravo))", []spec.Code{CodePodVPCOverlap}},
		{"VPC vs VPC", func(e *Env) { e.VPCs[2].SecondaryCIDRs = []string{"10.0.128.0/17"} }, CodeVPCOverlap,
			"10.0.0.0/16 (CIDR of VPC vpc-a) overlaps 10.0.128.0/17 (CIDR of VPC vpc-b)", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := fixture()
			tc.change(env)
			results := Runner{}.Run(context.Background(), env, ChecksIn(CategoryNetwork))
			for _, r := range results {
				want := StatusPass
				switch {
				case r.Check.Code == tc.code || slices.Contains(tc.also, r.Check.Code):
					want = StatusFail
				case r.Check.Code == CodeEdgeReserved:
					want = StatusSkip
				}
				if r.Status != want {
					t.Errorf("%s = %s (%q %v), want %s", r.Check.Code, r.Status, r.Message, r.Details, want)
				}
			}
			r := result(results, tc.code)
			if !slices.Contains(r.Details, tc.detail) {
				t.Errorf("%s details = %q, want %q", tc.code, r.Details, tc.detail)
			}
		})
	}
}

func TestNetworkChecksIncludeTheChosenClusterAndReportGaps(t *testing.T) {
	env := fixture()
	env.ClusterID = idE // not yet in the mesh
	env.Mesh.ClusterIDs = append(env.Mesh.ClusterIDs, "c"+strings.Repeat("9", 32))
	for i := range env.Clusters {
		if env.Clusters[i].ID == idE {
			env.Clusters[i].PodCIDR = "172.20.0.0/16"
		}
		if env.Clusters[i].ID == idA {
			env.Clusters[i].ServiceCIDR = "not-a-cidr"
		}
	}
	results := Runner{}.Run(context.Background(), env, ChecksIn(CategoryNetwork))
	pod := result(results, CodePodOverlap)
	if pod.Status != StatusFail || !strings.Contains(pod.Details[0], idE) {
		t.Errorf("pod overlap = %+v", pod)
	}
	if !slices.ContainsFunc(pod.Details, func(d string) bool { return strings.Contains(d, "not listed in the region") }) {
		t.Errorf("a cluster of the mesh missing from the listing is not reported: %v", pod.Details)
	}
	svc := result(results, CodeServiceOverlap)
	if !slices.ContainsFunc(svc.Details, func(d string) bool { return strings.Contains(d, `"not-a-cidr" is not a CIDR block`) }) {
		t.Errorf("an unparsable CIDR is not reported: %+v", svc)
	}
	if result(results, CodeEdgeReserved).Status != StatusPass {
		t.Errorf("edge check = %+v", result(results, CodeEdgeReserved))
	}
}

func TestPrivateLinkZoneCheckNamesTheZones(t *testing.T) {
	env := fixture()
	env.ClusterID = idA
	p := Pair{ASM: env.mustVSwitch("vsw-meshi"), ACK: env.mustVSwitch("vsw-ah")}
	env.Pair = &p
	r := result(Runner{}.Run(context.Background(), env, Checks()), CodePrivateLinkZones)
	want := []string{"vsw-ah is in zone cn-hangzhou-h, where PrivateLink is not offered", "PrivateLink zones: cn-hangzhou-i, cn-hangzhou-j, cn-hangzhou-k"}
	if r.Status != StatusFail || !slices.Equal(r.Details, want) {
		t.Errorf("result = %+v", r)
	}
}

func TestCodesCoverChecksAndDiagnoses(t *testing.T) {
	docs := Codes()
	if len(docs) != len(Checks())+len(doctorCatalog)+len(DiagnosisCodes)+len(edgeCatalog) {
		t.Fatalf("%d documented codes", len(docs))
	}
	for i, d := range docs {
		if i > 0 && d.Code <= docs[i-1].Code {
			t.Errorf("%s after %s", d.Code, docs[i-1].Code)
		}
		if d.Summary == "" || d.Hint == "" || d.DocURL != DocURL(d.Code) {
			t.Errorf("incomplete row %+v", d)
		}
	}
	if z := docs[len(Checks())+len(doctorCatalog)+1]; z.Code != CodeZoneMismatch || z.Kind != "diagnosis" ||
		z.Summary != "an endpoint's connectionStatus is not Connected: the vSwitch zone IDs are misconfigured" {
		t.Errorf("zone diagnosis row = %+v", z)
	}
}
