package kube_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/kube/kubetest"
	"github.com/asmlink/asmlink/spec"
)

// TestShapes runs, on one real API server per plausible schema of ASM's
// CRD, the detection of the schema, every kind of other writer against
// asmlink's connect, change and remove, and a random walk with a second
// writer interleaved. No entry may be lost or altered, and the change
// reviewed must be the change stored.
func TestShapes(t *testing.T) {
	for _, shape := range kubetest.Shapes {
		t.Run(shape.Name, func(t *testing.T) {
			s := startShape(t, shape)
			t.Run("detect", func(t *testing.T) { testDetect(t, s) })
			for _, w := range otherWriters {
				t.Run(w.name, func(t *testing.T) { testOtherWriter(t, s, w) })
			}
			t.Run("random-walk", func(t *testing.T) { testRandomWalk(t, s) })
		})
	}
}

// testDetect: an admin reads the shape from the CRD; an identity that may
// not read CRDs reads it from the OpenAPI v3 document.
func testDetect(t *testing.T, s *kubetest.Server) {
	c, err := kube.NewForConfig(ctx(t), s.Config)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Shape(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if got.ListMaps != s.Shape.ListMaps || got.StatusSubresource != s.Shape.StatusSubresource || got.Source != "read from the CustomResourceDefinition" {
		t.Errorf("admin reads %+v, want list maps %v, status subresource %v, from the CRD", got, s.Shape.ListMaps, s.Shape.StatusSubresource)
	}
	kc, err := restrictedKubeconfig(t, s)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig(kc)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := kube.NewForConfig(ctx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, err = rc.Shape(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if got.ListMaps != s.Shape.ListMaps || got.StatusSubresource != s.Shape.StatusSubresource || got.Source != "read from the OpenAPI v3 document" {
		t.Errorf("an identity without CRD access reads %+v, want list maps %v, status subresource %v, from OpenAPI", got, s.Shape.ListMaps, s.Shape.StatusSubresource)
	}
}

// restrictedKubeconfig is a kubeconfig for a user who may use ASMPvlConfig
// and nothing else (discovery and OpenAPI are open to every signed-in user).
func restrictedKubeconfig(t *testing.T, s *kubetest.Server) ([]byte, error) {
	cs, err := kubernetes.NewForConfig(s.Config)
	if err != nil {
		return nil, err
	}
	role := &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: "asmpvlconfig-only"},
		Rules:      []rbacv1.PolicyRule{{APIGroups: []string{spec.Group}, Resources: []string{spec.Resource, spec.Resource + "/status"}, Verbs: []string{"*"}}},
	}
	if _, err := cs.RbacV1().ClusterRoles().Create(ctx(t), role, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return nil, err
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "asmpvlconfig-only"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "mesh-operator"}},
	}
	if _, err := cs.RbacV1().ClusterRoleBindings().Create(ctx(t), binding, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return nil, err
	}
	return s.KubeconfigFor("mesh-operator")
}

// otherWriter is one way people and tools write ASMPvlConfig beside
// asmlink, each the way the real tool does it on the wire.
type otherWriter struct {
	name string
	// applier is true for a server-side applier, which sets its fields
	// again at its next sync.
	applier bool
	// write makes the stored spec's ackVpcEndpoint entries and ASM
	// vSwitches those of cfg.
	write func(t *testing.T, s *kubetest.Server, cfg *spec.ASMPvlConfig)
}

var otherWriters = []otherWriter{
	{name: "kubectl-client-side-apply", write: clientSideApply},
	{name: "gitops-server-side-apply", applier: true, write: func(t *testing.T, s *kubetest.Server, cfg *spec.ASMPvlConfig) {
		serverSideApplyAs(t, s, "gitops", cfg)
	}},
	{name: "kubectl-edit", write: editSpec},
}

// resource is the ASMPvlConfig resource of s, for writers other than
// asmlink.
func resource(t *testing.T, s *kubetest.Server) dynamic.ResourceInterface {
	dyn, err := dynamic.NewForConfig(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	return dyn.Resource(kube.GVR)
}

// specObject is cfg's spec as JSON values.
func specObject(t *testing.T, cfg *spec.ASMPvlConfig) map[string]any {
	data, err := json.Marshal(cfg.Spec)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// clientSideApply does what `kubectl apply -f` without --server-side does:
// a create, or a JSON merge patch that sets each list whole, recorded as an
// update by "kubectl-client-side-apply", with the file in the
// last-applied-configuration annotation.
func clientSideApply(t *testing.T, s *kubetest.Server, cfg *spec.ASMPvlConfig) {
	t.Helper()
	file := map[string]any{"apiVersion": spec.APIVersion, "kind": spec.Kind, "metadata": map[string]any{"name": spec.Name}, "spec": specObject(t, cfg)}
	last, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	res := resource(t, s)
	const manager = "kubectl-client-side-apply"
	annotations := map[string]any{"kubectl.kubernetes.io/last-applied-configuration": string(last)}
	if _, err := res.Get(ctx(t), spec.Name, metav1.GetOptions{}); apierrors.IsNotFound(err) {
		u := &unstructured.Unstructured{Object: file}
		u.SetAnnotations(map[string]string{"kubectl.kubernetes.io/last-applied-configuration": string(last)})
		if _, err := res.Create(ctx(t), u, metav1.CreateOptions{FieldManager: manager}); err != nil {
			t.Fatalf("kubectl apply (create): %v", err)
		}
		return
	}
	patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": annotations}, "spec": file["spec"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := res.Patch(ctx(t), spec.Name, types.MergePatchType, patch, metav1.PatchOptions{FieldManager: manager}); err != nil {
		t.Fatalf("kubectl apply (merge patch): %v", err)
	}
}

// serverSideApplyAs does what `kubectl apply --server-side --force-conflicts
// --field-manager manager` does, as GitOps tools do.
func serverSideApplyAs(t *testing.T, s *kubetest.Server, manager string, cfg *spec.ASMPvlConfig) {
	t.Helper()
	u := &unstructured.Unstructured{Object: map[string]any{"apiVersion": spec.APIVersion, "kind": spec.Kind, "metadata": map[string]any{"name": spec.Name}, "spec": specObject(t, cfg)}}
	if _, err := resource(t, s).Apply(ctx(t), spec.Name, u, metav1.ApplyOptions{FieldManager: manager, Force: true}); err != nil {
		t.Fatalf("server-side apply as %s: %v", manager, err)
	}
}

// editSpec does what `kubectl edit` does: read, change, and update the
// whole object (status included, as read), as "kubectl-edit".
func editSpec(t *testing.T, s *kubetest.Server, cfg *spec.ASMPvlConfig) {
	t.Helper()
	res := resource(t, s)
	u, err := res.Get(ctx(t), spec.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		u = &unstructured.Unstructured{Object: map[string]any{"apiVersion": spec.APIVersion, "kind": spec.Kind, "metadata": map[string]any{"name": spec.Name}, "spec": specObject(t, cfg)}}
		if _, err := res.Create(ctx(t), u, metav1.CreateOptions{FieldManager: "kubectl-edit"}); err != nil {
			t.Fatalf("kubectl edit (create): %v", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	u.Object["spec"] = specObject(t, cfg)
	if _, err := res.Update(ctx(t), u, metav1.UpdateOptions{FieldManager: "kubectl-edit"}); err != nil {
		t.Fatalf("kubectl edit: %v", err)
	}
}

// stored reads the object as the server holds it.
func stored(t *testing.T, s *kubetest.Server) *unstructured.Unstructured {
	t.Helper()
	u, err := resource(t, s).Get(ctx(t), spec.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// damage lists, against was, every entry other than those of the clusters
// and ASM vSwitches in meant that now lacks or holds differently, field by
// field as stored, and a changed status.
func damage(was, now *unstructured.Unstructured, meant ...string) []string {
	if was == nil {
		return nil
	}
	var out []string
	for _, list := range []struct {
		path []string
		key  string
	}{{[]string{"spec", "ackVpcEndpoint"}, "clusterId"}, {[]string{"spec", "asmVpcEndpoint", "vSwitches"}, "vSwitchId"}} {
		before, _, _ := unstructured.NestedSlice(was.Object, list.path...)
		var after []any
		if now != nil {
			after, _, _ = unstructured.NestedSlice(now.Object, list.path...)
		}
		for _, item := range before {
			id, _ := item.(map[string]any)[list.key].(string)
			if slices.Contains(meant, id) || slices.ContainsFunc(after, func(x any) bool { return equality.Semantic.DeepEqual(x, item) }) {
				continue
			}
			out = append(out, fmt.Sprintf("%s %s=%s", list.path[len(list.path)-1], list.key, id))
		}
	}
	var st any
	if now != nil {
		st = now.Object["status"]
	}
	if !equality.Semantic.DeepEqual(was.Object["status"], st) {
		out = append(out, "status")
	}
	return out
}

// zone is an ackVpcEndpoint zone the tests alternate between.
var zones = []string{zoneJ, zoneH}

// testOtherWriter: another writer connects A; asmlink connects B, changes
// A and removes A, each as a dry run and then for real, with force only
// when a server-side applier's fields stop it. The controller's status
// survives every write.
func testOtherWriter(t *testing.T, s *kubetest.Server, w otherWriter) {
	s.Reset(t)
	c, err := kube.NewForConfig(ctx(t), s.Config)
	if err != nil {
		t.Fatal(err)
	}
	a, b := clusterID(1), clusterID(2)
	w.write(t, s, spec.Merge(nil, entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)))
	if _, err := controller(c).ApplyStatus(ctx(t), linkStatus(a, spec.StatusAvailable)); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		change kube.Change
		meant  []string
	}{
		{"connect B", kube.MergeCluster(entry(b, vswB, zoneH), asmVSwitch(vswASH, zoneH)), []string{b, vswASH}},
		{"change A", kube.MergeCluster(entry(a, vswA, zoneH), nil), []string{a}},
		{"remove A", kube.RemoveCluster(a, nil), []string{a}},
	}
	for _, step := range steps {
		was := stored(t, s)
		res, err := c.Apply(ctx(t), step.change, kube.ApplyOptions{DryRun: true})
		var conflict *kube.ConflictError
		force := errors.As(err, &conflict)
		switch {
		case force && !w.applier:
			t.Fatalf("%s: %s, an update, stopped the change: %v", step.name, w.name, err)
		case force && !slices.Equal(conflict.Managers, []string{"gitops"}):
			t.Fatalf("%s: conflict names %v, want gitops", step.name, conflict.Managers)
		case force:
			res, err = c.Apply(ctx(t), step.change, kube.ApplyOptions{DryRun: true, Force: true})
		}
		if err != nil {
			t.Fatalf("%s (dry run): %v", step.name, err)
		}
		if d := damage(was, stored(t, s)); len(d) > 0 {
			t.Fatalf("%s: the dry run changed %v", step.name, d)
		}
		got, err := c.Apply(ctx(t), step.change, kube.ApplyOptions{Force: force})
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		now := stored(t, s)
		if d := damage(was, now, step.meant...); len(d) > 0 {
			t.Fatalf("%s over %s's entries lost or altered %v", step.name, w.name, d)
		}
		sameAsReviewed(t, res, got)
		live, err := c.Get(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		if !equality.Semantic.DeepEqual(live.Spec, got.After.Spec) {
			t.Errorf("%s: Apply returned %+v, the server holds %+v", step.name, got.After.Spec, live.Spec)
		}
	}
	live, _ := c.Get(ctx(t))
	if ids := live.ClusterIDs(); !slices.Equal(ids, []string{b}) {
		t.Fatalf("after connecting B, changing A and removing A: clusters %v, want [B]", ids)
	}
}

// walkSteps is how many random steps the walk takes per shape.
const walkSteps = 200

// testRandomWalk takes walkSteps random steps: asmlink connects, changes or
// removes a cluster, or one of the other writers changes the object, or
// the controller writes status; sometimes another writer writes while
// asmlink's write is under way. Over asmlink's writes no entry it did not
// mean to change may be lost or altered, and, when nothing came between
// the review and the write, the stored spec must be the reviewed one.
func testRandomWalk(t *testing.T, s *kubetest.Server) {
	s.Reset(t)
	c, err := kube.NewForConfig(ctx(t), s.Config)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, uint64(len(s.Shape.Name))))
	ids := make([]string, 8)
	for i := range ids {
		ids[i] = clusterID(100 + i)
	}
	asmVSw := []spec.VSwitch{{VSwitchID: vswASM, ZoneID: zoneJ}, {VSwitchID: vswASH, ZoneID: zoneH}}
	randomEntry := func() spec.AckVpcEndpoint {
		id := ids[rng.IntN(len(ids))]
		return entry(id, fmt.Sprintf("vsw-bp1%022d", rng.IntN(4)), zones[rng.IntN(len(zones))])
	}
	// other writes as a random other writer: its view of the object with
	// one entry added, changed or removed.
	other := func() {
		w := otherWriters[rng.IntN(len(otherWriters))]
		cur, err := c.Get(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		e := randomEntry()
		next := spec.Merge(cur, e, asmVSw[:1+rng.IntN(2)])
		if cur != nil && rng.IntN(3) == 0 {
			next = spec.Remove(cur, e.ClusterID, nil)
			if len(next.Spec.AckVpcEndpoint) == 0 {
				next = spec.Merge(next, randomEntry(), asmVSw[:1])
			}
		}
		w.write(t, s, next)
	}
	var lost, reviewedSame, reviewedChecked, writes int
	for step := range walkSteps {
		switch r := rng.IntN(10); {
		case r < 3:
			other()
			continue
		case r == 3:
			if _, err := controller(c).ApplyStatus(ctx(t), linkStatus(ids[rng.IntN(len(ids))], spec.StatusAvailable)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		cur, err := c.Get(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		var change kube.Change
		var target string
		if cur != nil && len(cur.Spec.AckVpcEndpoint) > 1 && rng.IntN(3) == 0 {
			target = cur.Spec.AckVpcEndpoint[rng.IntN(len(cur.Spec.AckVpcEndpoint))].ClusterID
			change = kube.RemoveCluster(target, nil)
		} else {
			e := randomEntry()
			target = e.ClusterID
			change = kube.MergeCluster(e, asmVSw[:1+rng.IntN(2)])
		}
		review, err := c.Apply(ctx(t), change, kube.ApplyOptions{DryRun: true, Force: true})
		if err != nil {
			t.Fatalf("step %d: dry run: %v", step, err)
		}
		interleave := rng.IntN(4) == 0
		was := stored(t, s)
		calls := 0
		meant := []string{target}
		wrapped := func(current *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error) {
			calls++
			if interleave && calls == 1 {
				// Between asmlink's read and its write another writer
				// writes: the write is stale and asmlink merges again.
				other()
				was = stored(t, s)
			}
			out, err := change(current)
			if out != nil && len(out.Spec.AckVpcEndpoint) == 0 {
				// Removing the last cluster removes the ASM vSwitches too.
				meant = []string{target, vswASM, vswASH}
			}
			return out, err
		}
		res, err := c.Apply(ctx(t), wrapped, kube.ApplyOptions{Force: true})
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		writes++
		if d := damage(was, stored(t, s), meant...); len(d) > 0 {
			lost += len(d)
			t.Errorf("step %d (%s): lost or altered %v", step, target, d)
		}
		if !interleave {
			reviewedChecked++
			if equality.Semantic.DeepEqual(review.After.Spec, res.After.Spec) {
				reviewedSame++
			} else {
				t.Errorf("step %d: stored spec differs from the reviewed one:\n%s", step,
					spec.Diff(&spec.ASMPvlConfig{Spec: review.After.Spec}, &spec.ASMPvlConfig{Spec: res.After.Spec}))
			}
		}
	}
	t.Logf("%d steps, %d asmlink writes: %d entries lost or altered; stored = reviewed in %d of %d uninterrupted writes", walkSteps, writes, lost, reviewedSame, reviewedChecked)
	if writes < walkSteps/3 {
		t.Errorf("only %d of %d steps were asmlink writes", writes, walkSteps)
	}
}
