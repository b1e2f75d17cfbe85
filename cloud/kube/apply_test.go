package kube_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/spec"
)

const (
	vswA   = "vsw-bp128t7a9tgiqhg9jrsnv"
	vswB   = "vsw-bp1pgw90jpkl0blv0prkg"
	vswASM = "vsw-bp13uea3ge8n6qiwepxsk"
	vswASH = "vsw-bp1msnd8dudd467kd6fle"
	zoneJ  = "cn-hangzhou-j"
	zoneH  = "cn-hangzhou-h"
)

func TestGetAbsentIsNil(t *testing.T) {
	c := connect(t)
	got, err := c.Get(ctx(t))
	if err != nil || got != nil {
		t.Fatalf("Get on an API server without the object = %v, %v; want nil, nil", got, err)
	}
}

func TestApplyClusterBKeepsClusterA(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := c.Apply(ctx(t), kube.MergeCluster(entry(b, vswB, zoneH), asmVSwitch(vswASH, zoneH)), kube.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if ids := got.ClusterIDs(); !slices.Equal(ids, []string{a, b}) {
		t.Fatalf("clusters after applying B = %v, want [A B]", ids)
	}
	if e, _ := got.Entry(a); e.VSwitches[0] != (spec.VSwitch{VSwitchID: vswA, ZoneID: zoneJ}) {
		t.Errorf("A's entry changed: %+v", e)
	}
	wantASM := []spec.VSwitch{{VSwitchID: vswASM, ZoneID: zoneJ}, {VSwitchID: vswASH, ZoneID: zoneH}}
	if !slices.Equal(got.Spec.AsmVpcEndpoint.VSwitches, wantASM) {
		t.Errorf("ASM vSwitches = %v, want %v", got.Spec.AsmVpcEndpoint.VSwitches, wantASM)
	}
	if res.After.Metadata.ResourceVersion != got.Metadata.ResourceVersion {
		t.Errorf("Apply returned resourceVersion %s, server has %s", res.After.Metadata.ResourceVersion, got.Metadata.ResourceVersion)
	}
	if d := res.Diff(); !strings.Contains(d, "+  - clusterId: "+b) || strings.Contains(d, "-  - clusterId: "+a) {
		t.Errorf("diff of applying B should add B and keep A:\n%s", d)
	}
	if m := managers(t); !slices.Equal(m, []string{"asmlink/Apply"}) {
		t.Errorf("field managers = %v, want only asmlink's apply", m)
	}
}

func TestEditByAnotherFieldManagerSurvivesApply(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// Someone runs kubectl edit and adds a second vSwitch to A's entry.
	editAs(t, "kubectl-edit", func(u *unstructured.Unstructured) {
		list, _, _ := unstructured.NestedSlice(u.Object, "spec", "ackVpcEndpoint")
		first := list[0].(map[string]any)
		vs := first["vSwitches"].([]any)
		first["vSwitches"] = append(vs, map[string]any{"vSwitchId": "vsw-bp1nq65qdf1rcaviqk291", "zoneId": "cn-hangzhou-i"})
		_ = unstructured.SetNestedSlice(u.Object, list, "spec", "ackVpcEndpoint")
	})
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(b, vswB, zoneH), asmVSwitch(vswASH, zoneH)), kube.ApplyOptions{}); err != nil {
		t.Fatalf("applying B after another manager edited A: %v", err)
	}
	got, err := c.Get(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := got.Entry(a)
	if !ok || len(e.VSwitches) != 2 || e.VSwitches[1].VSwitchID != "vsw-bp1nq65qdf1rcaviqk291" {
		t.Fatalf("kubectl-edit's vSwitch on A is gone after asmlink applied B: %+v", got.Spec.AckVpcEndpoint)
	}
	if _, ok := got.Entry(b); !ok {
		t.Fatal("B was not applied")
	}
	// With lists merged by key kubectl-edit keeps owning its vSwitch; an
	// atomic list asmlink wrote whole is asmlink's.
	if m := managers(t); srv.Shape.ListMaps && !slices.Contains(m, "kubectl-edit/Update") || !slices.Contains(m, "asmlink/Apply") {
		t.Errorf("field managers = %v, want asmlink and kubectl-edit", m)
	}
}

// TestFieldsAnUpdateSetAreTakenOverAfterReview: kubectl edit (an update)
// set A's zone; asmlink's change takes it over without force, since an
// update does not set it again, and the result names what it took over.
func TestFieldsAnUpdateSetAreTakenOverAfterReview(t *testing.T) {
	c := connect(t)
	a := clusterID(1)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	editAs(t, "kubectl-edit", func(u *unstructured.Unstructured) {
		list, _, _ := unstructured.NestedSlice(u.Object, "spec", "ackVpcEndpoint")
		list[0].(map[string]any)["vSwitches"].([]any)[0].(map[string]any)["zoneId"] = zoneH
		_ = unstructured.SetNestedSlice(u.Object, list, "spec", "ackVpcEndpoint")
	})
	change := kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ))
	plan, err := c.Plan(ctx(t), change)
	if err != nil {
		t.Fatalf("dry run over kubectl-edit's zoneId: %v", err)
	}
	if len(plan.TakenOver) != 1 || plan.TakenOver[0].Manager != "kubectl-edit" || plan.TakenOver[0].Applier ||
		!strings.Contains(plan.TakenOver[0].Field, field(`clusterId="`+a+`"`)) {
		t.Fatalf("dry run takes over %+v, want kubectl-edit's zoneId of A, as an update", plan.TakenOver)
	}
	if got, _ := c.Get(ctx(t)); got.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID != zoneH {
		t.Fatalf("a dry run changed the object: %+v", got.Spec)
	}
	res, err := c.Apply(ctx(t), change, kube.ApplyOptions{})
	if err != nil {
		t.Fatalf("apply over kubectl-edit's zoneId: %v", err)
	}
	got, _ := c.Get(ctx(t))
	if got.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID != zoneJ {
		t.Fatalf("apply did not take the field over: %+v", got.Spec)
	}
	sameAsReviewed(t, plan, res)
}

// TestOverwritingAServerSideAppliersFieldNeedsForce: a GitOps tool applied
// A's zone; asmlink stops naming it and what its next sync does, and only
// Force writes.
func TestOverwritingAServerSideAppliersFieldNeedsForce(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	applyAs(t, "gitops", spec.Merge(spec.Merge(nil, entry(a, vswA, zoneH), asmVSwitch(vswASM, zoneJ)), entry(b, vswB, zoneJ), nil))
	change := kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ))
	_, err := c.Apply(ctx(t), change, kube.ApplyOptions{})
	var conflict *kube.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("Apply over gitops's zoneId = %v, want a *ConflictError", err)
	}
	if !slices.Equal(conflict.Managers, []string{"gitops"}) || len(conflict.Fields) != 1 || !conflict.Fields[0].Applier ||
		!strings.Contains(conflict.Fields[0].Field, field(`clusterId="`+a+`"`)) || !strings.HasSuffix(conflict.Fields[0].Field, field("zoneId")) {
		t.Fatalf("conflict = %+v, want gitops's zoneId of A's vSwitch", conflict)
	}
	if msg := err.Error(); !strings.Contains(msg, "gitops") || !strings.Contains(msg, "next sync") || !strings.Contains(msg, "consent") {
		t.Errorf("conflict message %q should name the manager, its next sync and the consent", msg)
	}
	if got, _ := c.Get(ctx(t)); got.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID != zoneH {
		t.Fatalf("a refused apply changed the object: %+v", got.Spec)
	}
	plan, err := c.Apply(ctx(t), change, kube.ApplyOptions{DryRun: true, Force: true})
	if err != nil {
		t.Fatalf("forced dry run: %v", err)
	}
	res, err := c.Apply(ctx(t), change, kube.ApplyOptions{Force: true})
	if err != nil {
		t.Fatalf("forced apply: %v", err)
	}
	got, _ := c.Get(ctx(t))
	if got.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID != zoneJ {
		t.Fatalf("forced apply did not take the field over: %+v", got.Spec)
	}
	if e, ok := got.Entry(b); !ok || e.VSwitches[0] != (spec.VSwitch{VSwitchID: vswB, ZoneID: zoneJ}) {
		t.Fatalf("forced apply lost or changed B: %+v", got.Spec.AckVpcEndpoint)
	}
	sameAsReviewed(t, plan, res)
}

func TestRemoveClusterDeletesOnlyItsEntry(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	for _, ch := range []kube.Change{
		kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)),
		kube.MergeCluster(entry(b, vswB, zoneH), asmVSwitch(vswASH, zoneH)),
	} {
		if _, err := c.Apply(ctx(t), ch, kube.ApplyOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	facts := &spec.Facts{VSwitches: map[string]spec.VSwitchFact{
		vswA: {ZoneID: zoneJ}, vswB: {ZoneID: zoneH}, vswASM: {ZoneID: zoneJ}, vswASH: {ZoneID: zoneH},
	}}
	if _, err := c.Apply(ctx(t), kube.RemoveCluster(b, facts), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	requireOnlyA(t, c, a, "removing B")
}

// TestRemovingAnEntryAnUpdateAddedNeedsNoForce: kubectl edit added B; an
// update does not add it again, so removing it is the normal change.
func TestRemovingAnEntryAnUpdateAddedNeedsNoForce(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	editAs(t, "kubectl-edit", func(u *unstructured.Unstructured) {
		list, _, _ := unstructured.NestedSlice(u.Object, "spec", "ackVpcEndpoint")
		list = append(list, map[string]any{"clusterId": b, "vSwitches": []any{map[string]any{"vSwitchId": vswB, "zoneId": zoneJ}}})
		_ = unstructured.SetNestedSlice(u.Object, list, "spec", "ackVpcEndpoint")
	})
	res, err := c.Apply(ctx(t), kube.RemoveCluster(b, nil), kube.ApplyOptions{})
	if err != nil {
		t.Fatalf("removing B, which kubectl-edit added: %v", err)
	}
	if !slices.ContainsFunc(res.TakenOver, func(f kube.FieldConflict) bool {
		return f.Manager == "kubectl-edit" && f.Field == field("spec.ackVpcEndpoint[clusterId="+b+"]")
	}) {
		t.Errorf("TakenOver = %+v, want kubectl-edit's entry B", res.TakenOver)
	}
	requireOnlyA(t, c, a, "removing B")
}

// TestRemovingAnEntryAGitOpsToolAppliedNeedsForce: the GitOps tool would
// add B again at its next sync, so removing it needs consent.
func TestRemovingAnEntryAGitOpsToolAppliedNeedsForce(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	applyAs(t, "gitops", spec.Merge(spec.Merge(nil, entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), entry(b, vswB, zoneJ), nil))
	_, err := c.Apply(ctx(t), kube.RemoveCluster(b, nil), kube.ApplyOptions{})
	var conflict *kube.ConflictError
	if !errors.As(err, &conflict) || srv.Shape.ListMaps && !slices.Equal(conflict.Retained, []string{"spec.ackVpcEndpoint[clusterId=" + b + "]"}) ||
		!slices.Equal(conflict.Managers, []string{"gitops"}) {
		t.Fatalf("removing B, which gitops applied = %v, want a conflict naming B's entry and gitops", err)
	}
	if got, _ := c.Get(ctx(t)); len(got.ClusterIDs()) != 2 {
		t.Fatalf("a refused removal changed the object: %v", got.ClusterIDs())
	}
	if _, err := c.Apply(ctx(t), kube.RemoveCluster(b, nil), kube.ApplyOptions{Force: true}); err != nil {
		t.Fatalf("forced removal: %v", err)
	}
	requireOnlyA(t, c, a, "forced removal of B")
}

func TestApplyRereadsAndRemergesAfterAConcurrentWrite(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// Another person's asmlink records its writes as asmlink too.
	other := c.WithFieldManager(kube.FieldManager)
	calls := 0
	merge := kube.MergeCluster(entry(b, vswB, zoneJ), nil)
	change := func(cur *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error) {
		calls++
		if calls == 1 {
			// Between asmlink's read and its write, another person's
			// asmlink connects a third cluster.
			if _, err := other.Apply(ctx(t), kube.MergeCluster(entry(clusterID(3), "vsw-bp1yc4om3wtoobmzvrerw", zoneJ), nil), kube.ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		return merge(cur)
	}
	if _, err := c.Apply(ctx(t), change, kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("change computed %d times, want 2 (once more after the conflict)", calls)
	}
	got, _ := c.Get(ctx(t))
	if ids := got.ClusterIDs(); !slices.Equal(ids, []string{a, clusterID(3), b}) {
		t.Fatalf("clusters = %v, want A, the concurrent one, then B", ids)
	}
}

func TestDryRunStoresNothing(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	before, _ := c.Get(ctx(t))
	plan, err := c.Plan(ctx(t), kube.MergeCluster(entry(b, vswB, zoneH), asmVSwitch(vswASH, zoneH)))
	if err != nil {
		t.Fatal(err)
	}
	if ids := plan.After.ClusterIDs(); !slices.Equal(ids, []string{a, b}) {
		t.Errorf("dry run result has clusters %v, want [A B]", ids)
	}
	after, _ := c.Get(ctx(t))
	if after.Metadata.ResourceVersion != before.Metadata.ResourceVersion || len(after.ClusterIDs()) != 1 {
		t.Fatalf("a dry run changed the object: %v", after.ClusterIDs())
	}
}

func TestInvalidObjectIsRefusedByTheServer(t *testing.T) {
	c := connect(t)
	dup := spec.AckVpcEndpoint{ClusterID: clusterID(1), VSwitches: []spec.VSwitch{{VSwitchID: vswA, ZoneID: zoneJ}, {VSwitchID: vswA, ZoneID: zoneH}}}
	_, err := c.Apply(ctx(t), kube.MergeCluster(dup, nil), kube.ApplyOptions{})
	if !srv.Shape.ListMaps {
		// An atomic list has no key to keep unique: the server stores the
		// duplicate, which is why asmlink validate refuses it first.
		if err != nil {
			t.Fatalf("the atomic-list server refused a vSwitch listed twice: %v", err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), vswA) {
		t.Fatalf("applying a vSwitch listed twice = %v, want the server's refusal naming it", err)
	}
	if got, _ := c.Get(ctx(t)); got != nil {
		t.Fatalf("a refused apply created the object: %+v", got)
	}
}

// applyAs server-side applies cfg's spec as manager, the way a GitOps tool
// applies what Git holds: with force, as Argo CD and Flux do.
func applyAs(t *testing.T, manager string, cfg *spec.ASMPvlConfig) {
	t.Helper()
	data, err := json.Marshal(map[string]any{"apiVersion": spec.APIVersion, "kind": spec.Kind, "metadata": map[string]any{"name": spec.Name}, "spec": cfg.Spec})
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamic.NewForConfig(srv.Config)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dyn.Resource(kube.GVR).Apply(ctx(t), spec.Name, u, metav1.ApplyOptions{FieldManager: manager, Force: true}); err != nil {
		t.Fatalf("apply as %s: %v", manager, err)
	}
}

// TestEntriesAGitOpsToolDropsAreNotKeptByAsmlink: a GitOps tool applies
// clusters A and B, asmlink connects C, then the tool drops B from Git.
// With lists merged by key asmlink applied only its own entry, so B goes
// and A and C stay. With an atomic list the tool owns the whole list:
// asmlink asks for consent, warning of the next sync, and the sync then
// does what the warning said.
func TestEntriesAGitOpsToolDropsAreNotKeptByAsmlink(t *testing.T) {
	c := connect(t)
	a, b, cl := clusterID(1), clusterID(2), clusterID(3)
	both := spec.Merge(spec.Merge(nil, entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), entry(b, vswB, zoneJ), nil)
	applyAs(t, "gitops", both)
	connectC := kube.MergeCluster(entry(cl, "vsw-bp1nq65qdf1rcaviqk291", zoneJ), asmVSwitch(vswASM, zoneJ))
	_, err := c.Apply(ctx(t), connectC, kube.ApplyOptions{})
	var conflict *kube.ConflictError
	want := []string{a, cl}
	if !srv.Shape.ListMaps {
		if !errors.As(err, &conflict) || !slices.Equal(conflict.Managers, []string{"gitops"}) || !strings.Contains(err.Error(), "next sync") {
			t.Fatalf("connecting C under gitops's atomic list = %v, want a conflict naming gitops and its next sync", err)
		}
		_, err = c.Apply(ctx(t), connectC, kube.ApplyOptions{Force: true})
		want = []string{a}
	}
	if err != nil {
		t.Fatal(err)
	}
	applyAs(t, "gitops", spec.Merge(nil, entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)))
	got, err := c.Get(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if ids := got.ClusterIDs(); !slices.Equal(ids, want) {
		t.Fatalf("clusters after the GitOps tool dropped B = %v, want %v", ids, want)
	}
	if !slices.Equal(got.Spec.AsmVpcEndpoint.VSwitches, asmVSwitch(vswASM, zoneJ)) {
		t.Errorf("the shared ASM vSwitch C relies on is gone: %v", got.Spec.AsmVpcEndpoint.VSwitches)
	}
}

// sameAsReviewed fails when the write stored another spec than its dry run
// showed.
func sameAsReviewed(t *testing.T, reviewed, stored *kube.Result) {
	t.Helper()
	if d := spec.Diff(&spec.ASMPvlConfig{Spec: reviewed.After.Spec}, &spec.ASMPvlConfig{Spec: stored.After.Spec}); d != "" {
		t.Errorf("the stored spec differs from the reviewed dry run:\n%s", d)
	}
}

// field is what a conflict or take-over names for a field within
// spec.ackVpcEndpoint: the field itself when the list merges by key, the
// whole list when it is atomic.
func field(within string) string {
	if srv.Shape.ListMaps {
		return within
	}
	return "spec.ackVpcEndpoint"
}

// TestAnEntryLostInTheWriteIsReportedWithTheObjectThatRestoresIt: something
// between asmlink and the server (a proxy, here) drops cluster A from
// asmlink's write. asmlink reads the object back, names A as lost, and the
// object it prints restores A.
func TestAnEntryLostInTheWriteIsReportedWithTheObjectThatRestoresIt(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	for _, ch := range []kube.Change{
		kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)),
		kube.MergeCluster(entry(b, vswB, zoneH), asmVSwitch(vswASH, zoneH)),
	} {
		if _, err := c.Apply(ctx(t), ch, kube.ApplyOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := rest.CopyConfig(srv.Config)
	cfg.WrapTransport = func(rt http.RoundTripper) http.RoundTripper {
		return roundTripper(func(req *http.Request) (*http.Response, error) {
			if (req.Method == http.MethodPatch || req.Method == http.MethodPut) && !strings.Contains(req.URL.RawQuery, "dryRun") {
				body, _ := io.ReadAll(req.Body)
				var obj map[string]any
				if json.Unmarshal(body, &obj) == nil {
					list, _, _ := unstructured.NestedSlice(obj, "spec", "ackVpcEndpoint")
					list = slices.DeleteFunc(list, func(e any) bool { return e.(map[string]any)["clusterId"] == a })
					_ = unstructured.SetNestedSlice(obj, list, "spec", "ackVpcEndpoint")
					body, _ = json.Marshal(obj)
				}
				req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			}
			return rt.RoundTrip(req)
		})
	}
	lossy, err := kube.NewForConfig(ctx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := lossy.Plan(ctx(t), kube.MergeCluster(entry(b, vswB, zoneJ), nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := plan.After.Entry(a); !ok {
		t.Fatalf("the dry run, which the proxy leaves alone, already lacks A: %v", plan.After.ClusterIDs())
	}
	_, err = lossy.Apply(ctx(t), kube.MergeCluster(entry(b, vswB, zoneJ), nil), kube.ApplyOptions{})
	var lost *kube.LostEntriesError
	if !errors.As(err, &lost) || !slices.Equal(lost.Entries, []string{"spec.ackVpcEndpoint[clusterId=" + a + "] (lost)"}) {
		t.Fatalf("a write that lost A = %v, want a *LostEntriesError naming A", err)
	}
	if !strings.Contains(err.Error(), "asmlink apply -f") {
		t.Errorf("the error %q should say how to apply the restoring object", err)
	}
	restore, derr := spec.Decode(lost.Restore)
	if derr != nil {
		t.Fatalf("the restoring object does not decode: %v\n%s", derr, lost.Restore)
	}
	if e, ok := restore.Entry(a); !ok || e.VSwitches[0] != (spec.VSwitch{VSwitchID: vswA, ZoneID: zoneJ}) {
		t.Fatalf("the restoring object lacks A as it was:\n%s", lost.Restore)
	}
	e, _ := restore.Entry(a)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(e, restore.Spec.AsmVpcEndpoint.VSwitches), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	got, _ := c.Get(ctx(t))
	if ids := got.ClusterIDs(); !slices.Contains(ids, a) || !slices.Contains(ids, b) {
		t.Fatalf("after applying the restoring object: clusters %v, want A and B", ids)
	}
}

// roundTripper is a function as an http.RoundTripper.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestStaleWritesBackOffAndThenSayWhatChanged: another writer changes the
// object before each of asmlink's writes; asmlink pauses longer each time
// and finally names the writer and the entry it changed, writing nothing.
func TestStaleWritesBackOffAndThenSayWhatChanged(t *testing.T) {
	c := connect(t)
	a := clusterID(1)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	var calls []time.Time
	change := func(cur *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error) {
		calls = append(calls, time.Now())
		zone := fmt.Sprintf("cn-hangzhou-%c", 'a'+len(calls))
		editAs(t, "kubectl-edit", func(u *unstructured.Unstructured) {
			list, _, _ := unstructured.NestedSlice(u.Object, "spec", "ackVpcEndpoint")
			list[0].(map[string]any)["vSwitches"].([]any)[0].(map[string]any)["zoneId"] = zone
			_ = unstructured.SetNestedSlice(u.Object, list, "spec", "ackVpcEndpoint")
		})
		return spec.Merge(cur, entry(clusterID(2), vswB, zoneJ), nil), nil
	}
	start := time.Now()
	_, err := c.Apply(ctx(t), change, kube.ApplyOptions{})
	var stale *kube.StaleError
	if !errors.As(err, &stale) || stale.Attempts != len(calls) || !slices.Equal(stale.Writers, []string{"kubectl-edit"}) ||
		!slices.Equal(stale.Changed, []string{"spec.ackVpcEndpoint[clusterId=" + a + "]"}) {
		t.Fatalf("Apply against a writer that always comes first = %v (%+v), want a *StaleError naming kubectl-edit and A", err, stale)
	}
	if msg := err.Error(); !strings.Contains(msg, "nothing was written") || !strings.Contains(msg, "Run the same command again") {
		t.Errorf("the error %q should say nothing was written and what to run", msg)
	}
	// Five pauses of at least 25, 50, 100, 200 and 400 ms: the minimum of
	// each jittered delay.
	if elapsed := time.Since(start); elapsed < 775*time.Millisecond {
		t.Errorf("%d attempts took %s: the retries did not back off", len(calls), elapsed)
	}
	if got, _ := c.Get(ctx(t)); len(got.ClusterIDs()) != 1 {
		t.Fatalf("a failed write changed the clusters: %v", got.ClusterIDs())
	}
}

// requireOnlyA fails the test unless the stored object holds only cluster
// a's entry and only the ASM vSwitch a relies on, after doing (a removal of
// B) — the other entry and the shared vSwitch survive untouched.
func requireOnlyA(t *testing.T, c *kube.Client, a, doing string) {
	t.Helper()
	got, _ := c.Get(ctx(t))
	if ids := got.ClusterIDs(); !slices.Equal(ids, []string{a}) {
		t.Fatalf("clusters after %s = %v, want [A]", doing, ids)
	}
	if !slices.Equal(got.Spec.AsmVpcEndpoint.VSwitches, asmVSwitch(vswASM, zoneJ)) {
		t.Errorf("ASM vSwitches after %s = %v, want only A's", doing, got.Spec.AsmVpcEndpoint.VSwitches)
	}
}
