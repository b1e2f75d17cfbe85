package apply_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/kube/kubetest"
	"github.com/asmlink/asmlink/spec"
)

// TestStaleFileNeverResurrects: a plan records the version it was made
// from. After someone removes shop-prod, applying the old file names the
// entry it would bring back and changes nothing without consent.
func TestStaleFileNeverResurrects(t *testing.T) {
	w := startWorld(t, "demo", meshProd)
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes").expect(t, 0, "stderr", "Applied")
	file := filepath.Join(t.TempDir(), "payments.yaml")
	w.run(false, "", "plan", "--mesh", meshProd, "--cluster", payments, "--out", file).expect(t, 0, "stderr", "Wrote")
	data, _ := os.ReadFile(file)
	if !strings.Contains(string(data), spec.BaseAnnotation) {
		t.Fatalf("the plan does not record what it was made from:\n%s", data)
	}
	w.run(false, "", "validate", file).expect(t, 0, "stderr", "")

	w.run(false, "", "remove", "--mesh", meshProd, "--cluster", shopProd, "--yes").expect(t, 0, "stderr", "Applied")
	r := w.run(false, "", "apply", "-f", file, "--mesh", meshProd, "--yes")
	r.expect(t, 3, "stderr", "brings back spec.ackVpcEndpoint[clusterId="+shopProd+"], removed since the file was made")
	if !strings.Contains(r.errOut, "--overwrite-newer") {
		t.Errorf("the refusal does not say how to apply anyway:\n%s", r.errOut)
	}
	if live := w.get(); live != nil && len(live.ClusterIDs()) != 0 {
		t.Fatalf("a refused stale file changed the clusters to %v", live.ClusterIDs())
	}
	// On a terminal the question is asked; a no changes nothing.
	w.run(true, "n\n", "apply", "-f", file, "--mesh", meshProd).expect(t, 130, "stderr", "Apply these entries of the file anyway?")
	w.run(false, "", "apply", "-f", file, "--mesh", meshProd, "--yes", "--overwrite-newer").expect(t, 0, "stderr", "Applied")
	if ids := w.get().ClusterIDs(); !slices.Equal(ids, []string{shopProd, payments}) {
		t.Fatalf("with consent the file should bring shop-prod back and connect payments: %v", ids)
	}

	// A plan made from the current version applies without a question.
	fresh := filepath.Join(t.TempDir(), "fresh.yaml")
	w.run(false, "", "plan", "--mesh", meshProd, "--cluster", payments, "--out", fresh).expect(t, 0, "stderr", "Wrote")
	if r := w.run(false, "", "apply", "-f", fresh, "--mesh", meshProd, "--yes"); r.code != 0 || strings.Contains(r.errOut, "since the file was made") {
		t.Fatalf("a fresh plan: exit %d\n%s", r.code, r.errOut)
	}
}

// TestAtomicCRDWithKubectlAndGitOps is the report's case on a CRD with
// x-kubernetes-preserve-unknown-fields: cluster A is applied with
// client-side kubectl apply, asmlink connects B; the dry run and the stored
// object both keep A. Then a GitOps tool owns the list: removing B stops
// naming it, and --force-conflicts removes only B.
func TestAtomicCRDWithKubectlAndGitOps(t *testing.T) {
	shape, err := kubetest.ShapeNamed("preserve-unknown")
	if err != nil {
		t.Fatal(err)
	}
	ks, err := kubetest.StartShape(shape)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ks.Stop() })
	w := startWorldWith(t, "demo", meshProd, worldOptions{server: ks})
	dyn, err := dynamic.NewForConfig(ks.Config)
	if err != nil {
		t.Fatal(err)
	}
	res := dyn.Resource(kube.GVR)
	// kubectl apply -f of a file with payments: a create recorded as an
	// update by kubectl-client-side-apply, with the file annotated.
	fileA := spec.Merge(nil, spec.AckVpcEndpoint{ClusterID: payments, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bp1pgw90jpkl0blv0prkg", ZoneID: "cn-hangzhou-h"}}},
		[]spec.VSwitch{{VSwitchID: "vsw-bp1msnd8dudd467kd6fle", ZoneID: "cn-hangzhou-h"}})
	obj := map[string]any{"apiVersion": spec.APIVersion, "kind": spec.Kind, "metadata": map[string]any{"name": spec.Name}}
	specJSON, _ := json.Marshal(fileA.Spec)
	var specMap map[string]any
	_ = json.Unmarshal(specJSON, &specMap)
	obj["spec"] = specMap
	last, _ := json.Marshal(obj)
	u := &unstructured.Unstructured{Object: obj}
	u.SetAnnotations(map[string]string{"kubectl.kubernetes.io/last-applied-configuration": string(last)})
	if _, err := res.Create(t.Context(), u, metav1.CreateOptions{FieldManager: "kubectl-client-side-apply"}); err != nil {
		t.Fatal(err)
	}
	a, _ := w.get().Entry(payments)

	dry := w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--dry-run", "-o", "json")
	dry.expect(t, 0, "stderr", "Takes over from kubectl-client-side-apply spec.ackVpcEndpoint")
	if !strings.Contains(dry.errOut, "+  - clusterId: "+shopProd) || strings.Contains(dry.errOut, "-  - clusterId: "+payments) ||
		!strings.Contains(dry.errOut, "kubectl apply (client-side) wrote this object") {
		t.Fatalf("the dry run should add shop-prod, keep payments and warn about kubectl apply:\n%s", dry.errOut)
	}
	var rep struct {
		Config *spec.ASMPvlConfig `json:"config"`
	}
	if err := json.Unmarshal([]byte(dry.out), &rep); err != nil {
		t.Fatal(err)
	}
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes").expect(t, 0, "stderr", "Applied")
	live := w.get()
	if got, _ := live.Entry(payments); !slices.Equal(got.VSwitches, a.VSwitches) || !slices.Equal(live.ClusterIDs(), []string{payments, shopProd}) {
		t.Fatalf("after connecting shop-prod on an atomic list: %+v", live.Spec)
	}
	if d := spec.Diff(&spec.ASMPvlConfig{Spec: rep.Config.Spec}, &spec.ASMPvlConfig{Spec: live.Spec}); d != "" {
		t.Errorf("the stored spec differs from the dry run's:\n%s", d)
	}

	// A GitOps tool now applies both entries with server-side apply and so
	// owns the whole list.
	gitops := &unstructured.Unstructured{Object: map[string]any{"apiVersion": spec.APIVersion, "kind": spec.Kind, "metadata": map[string]any{"name": spec.Name}}}
	specJSON, _ = json.Marshal(live.Spec)
	_ = json.Unmarshal(specJSON, &specMap)
	gitops.Object["spec"] = specMap
	if _, err := res.Apply(t.Context(), spec.Name, gitops, metav1.ApplyOptions{FieldManager: "argocd-controller", Force: true}); err != nil {
		t.Fatal(err)
	}
	w.run(false, "", "remove", "--mesh", meshProd, "--cluster", shopProd, "--yes").expect(t, 3, "stderr", "At its next sync argocd-controller sets its fields back")
	if ids := w.get().ClusterIDs(); len(ids) != 2 {
		t.Fatalf("a refused removal changed the clusters to %v", ids)
	}
	w.run(false, "", "remove", "--mesh", meshProd, "--cluster", shopProd, "--yes", "--force-conflicts").expect(t, 0, "stderr", "Applied")
	live = w.get()
	if got, _ := live.Entry(payments); !slices.Equal(got.VSwitches, a.VSwitches) || !slices.Equal(live.ClusterIDs(), []string{payments}) {
		t.Fatalf("forced removal of shop-prod: %+v", live.Spec)
	}
}
