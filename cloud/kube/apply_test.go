package kube_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"

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
	if m := managers(t); !slices.Contains(m, "kubectl-edit/Update") || !slices.Contains(m, "asmlink/Apply") {
		t.Errorf("field managers = %v, want asmlink and kubectl-edit", m)
	}
}

func TestOverwritingAnotherManagersFieldNeedsForce(t *testing.T) {
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
	_, err := c.Apply(ctx(t), change, kube.ApplyOptions{})
	var conflict *kube.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("Apply over kubectl-edit's zoneId = %v, want a *ConflictError", err)
	}
	if !slices.Equal(conflict.Managers, []string{"kubectl-edit"}) || len(conflict.Fields) != 1 ||
		!strings.Contains(conflict.Fields[0].Field, `clusterId="`+a+`"`) || !strings.HasSuffix(conflict.Fields[0].Field, "zoneId") {
		t.Fatalf("conflict = %+v, want kubectl-edit's zoneId of A's vSwitch", conflict)
	}
	if msg := err.Error(); !strings.Contains(msg, "kubectl-edit") || !strings.Contains(msg, "consent") {
		t.Errorf("conflict message %q should name the manager and say consent is needed", msg)
	}
	if got, _ := c.Get(ctx(t)); got.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID != zoneH {
		t.Fatalf("a refused apply changed the object: %+v", got.Spec)
	}
	if _, err := c.Apply(ctx(t), change, kube.ApplyOptions{Force: true}); err != nil {
		t.Fatalf("forced apply: %v", err)
	}
	if got, _ := c.Get(ctx(t)); got.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID != zoneJ {
		t.Fatalf("forced apply did not take the field over: %+v", got.Spec)
	}
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
	got, _ := c.Get(ctx(t))
	if ids := got.ClusterIDs(); !slices.Equal(ids, []string{a}) {
		t.Fatalf("clusters after removing B = %v, want [A]", ids)
	}
	if !slices.Equal(got.Spec.AsmVpcEndpoint.VSwitches, asmVSwitch(vswASM, zoneJ)) {
		t.Errorf("ASM vSwitches after removing B = %v, want only A's", got.Spec.AsmVpcEndpoint.VSwitches)
	}
}

func TestRemovingAnEntryAnotherManagerAddedNeedsForce(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// Someone adds B's entry with kubectl edit, so kubectl-edit owns it.
	editAs(t, "kubectl-edit", func(u *unstructured.Unstructured) {
		list, _, _ := unstructured.NestedSlice(u.Object, "spec", "ackVpcEndpoint")
		list = append(list, map[string]any{"clusterId": b, "vSwitches": []any{map[string]any{"vSwitchId": vswB, "zoneId": zoneJ}}})
		_ = unstructured.SetNestedSlice(u.Object, list, "spec", "ackVpcEndpoint")
	})
	_, err := c.Apply(ctx(t), kube.RemoveCluster(b, nil), kube.ApplyOptions{})
	var conflict *kube.ConflictError
	if !errors.As(err, &conflict) || !slices.Equal(conflict.Retained, []string{"spec.ackVpcEndpoint[clusterId=" + b + "]"}) ||
		!slices.Equal(conflict.Managers, []string{"kubectl-edit"}) {
		t.Fatalf("removing B, which kubectl-edit added = %v, want a conflict naming B's entry and kubectl-edit", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "clusterId="+b) || !strings.Contains(msg, "kubectl-edit") {
		t.Errorf("conflict message %q should name B's entry and kubectl-edit", msg)
	}
	if got, _ := c.Get(ctx(t)); len(got.ClusterIDs()) != 2 {
		t.Fatalf("a refused removal changed the object: %v", got.ClusterIDs())
	}
	if _, err := c.Apply(ctx(t), kube.RemoveCluster(b, nil), kube.ApplyOptions{Force: true}); err != nil {
		t.Fatalf("forced removal: %v", err)
	}
	got, _ := c.Get(ctx(t))
	if ids := got.ClusterIDs(); !slices.Equal(ids, []string{a}) {
		t.Fatalf("clusters after forced removal of B = %v, want [A]", ids)
	}
	if !slices.Equal(got.Spec.AsmVpcEndpoint.VSwitches, asmVSwitch(vswASM, zoneJ)) {
		t.Errorf("forced removal of B changed the ASM vSwitches: %v", got.Spec.AsmVpcEndpoint.VSwitches)
	}
}

func TestApplyRereadsAndRemergesAfterAConcurrentWrite(t *testing.T) {
	c := connect(t)
	a, b := clusterID(1), clusterID(2)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	other := c.WithFieldManager("other-asmlink")
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
	if err == nil || !strings.Contains(err.Error(), vswA) {
		t.Fatalf("applying a vSwitch listed twice = %v, want the server's refusal naming it", err)
	}
	if got, _ := c.Get(ctx(t)); got != nil {
		t.Fatalf("a refused apply created the object: %+v", got)
	}
}

// applyAs server-side applies cfg's spec as manager, the way a GitOps tool
// applies what Git holds.
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
	if _, err := dyn.Resource(kube.GVR).Apply(ctx(t), spec.Name, u, metav1.ApplyOptions{FieldManager: manager}); err != nil {
		t.Fatalf("apply as %s: %v", manager, err)
	}
}

// TestEntriesAGitOpsToolDropsAreNotKeptByAsmlink: a GitOps tool applies
// clusters A and B, asmlink connects C, then the tool drops B from Git.
// asmlink applied only its own entry, so B goes and A and C stay.
func TestEntriesAGitOpsToolDropsAreNotKeptByAsmlink(t *testing.T) {
	c := connect(t)
	a, b, cl := clusterID(1), clusterID(2), clusterID(3)
	both := spec.Merge(spec.Merge(nil, entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), entry(b, vswB, zoneJ), nil)
	applyAs(t, "gitops", both)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(cl, "vsw-bp1nq65qdf1rcaviqk291", zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	applyAs(t, "gitops", spec.Merge(nil, entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)))
	got, err := c.Get(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if ids := got.ClusterIDs(); !slices.Equal(ids, []string{a, cl}) {
		t.Fatalf("clusters after the GitOps tool dropped B = %v, want [A C]", ids)
	}
	if !slices.Equal(got.Spec.AsmVpcEndpoint.VSwitches, asmVSwitch(vswASM, zoneJ)) {
		t.Errorf("the shared ASM vSwitch C relies on is gone: %v", got.Spec.AsmVpcEndpoint.VSwitches)
	}
}
