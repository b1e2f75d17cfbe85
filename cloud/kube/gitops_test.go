package kube_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/kube/kubetest"
	"github.com/asmlink/asmlink/spec"
)

// gitopsTool is a GitOps tool as it applies an export on the wire: server-
// side apply of the manifest as its field manager, forcing conflicts or
// not (spec.Tool's doc names each tool's source).
type gitopsTool struct {
	tool    spec.Tool
	manager string
	force   bool
}

var gitopsTools = []gitopsTool{
	{spec.ToolArgoCD, spec.ToolArgoCD.FieldManager(), true},
	{spec.ToolFlux, spec.ToolFlux.FieldManager(), true},
	{spec.ToolTerraform, spec.ToolTerraform.FieldManager(), false},
}

// gitopsFacts are where the test's vSwitches are, for the export's choice
// of the ASM vSwitches a team's entries rely on.
var gitopsFacts = &spec.Facts{VSwitches: map[string]spec.VSwitchFact{vswASM: {ZoneID: zoneJ}, vswASH: {ZoneID: zoneH}}}

// gitopsEntry is cluster n's entry: its own vSwitch in zone j, which the
// ASM vSwitch vswASM serves.
func gitopsEntry(n int) spec.AckVpcEndpoint {
	vsw := fmt.Sprintf("vsw-bp1%022d", n)
	gitopsFacts.VSwitches[vsw] = spec.VSwitchFact{ZoneID: zoneJ}
	return entry(clusterID(n), vsw, zoneJ)
}

// TestGitOpsExportsLoseAndResurrectNothing proves, on a real API server
// per CRD shape and for each tool's way of applying, that a team whose
// GitOps tool applies asmlink's export and a team that connects and
// removes its clusters with asmlink never lose an entry or bring one
// back. With list maps the export holds only its team's entries, so
// everything interleaves freely. With atomic lists (and an unknown
// schema) the export holds every live entry: asmlink refuses to take the
// tool's list without force, a tool that does not force (Terraform) stops
// on a stale file, and a re-export before the sync keeps what the other
// team changed; the two managers then show as contenders, which doctor
// reports.
func TestGitOpsExportsLoseAndResurrectNothing(t *testing.T) {
	for _, shape := range []kubetest.Shape{kubetest.Shapes[0], kubetest.Shapes[2], kubetest.Shapes[4]} {
		t.Run(shape.Name, func(t *testing.T) {
			s := startShape(t, shape)
			for _, tool := range gitopsTools {
				t.Run(string(tool.tool), func(t *testing.T) { testGitOpsTool(t, s, tool) })
			}
		})
	}
}

// startShape starts a real API server with shape's CRD, stopped when the
// test ends.
func startShape(t *testing.T, shape kubetest.Shape) *kubetest.Server {
	t.Helper()
	s, err := kubetest.StartShape(shape)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func testGitOpsTool(t *testing.T, s *kubetest.Server, tool gitopsTool) {
	s.Reset(t)
	asm, err := kube.NewForConfig(ctx(t), s.Config)
	if err != nil {
		t.Fatal(err)
	}
	a1, a2, b1, b2 := gitopsEntry(1), gitopsEntry(4), gitopsEntry(2), gitopsEntry(3)
	atomic := !s.Shape.ListMaps
	expect := func(step string, want ...string) {
		t.Helper()
		live, err := asm.Get(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		got := live.ClusterIDs()
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: clusters %v, want %v", step, got, want)
		}
		if !slices.Equal(live.Spec.AsmVpcEndpoint.VSwitches, asmVSwitch(vswASM, zoneJ)) {
			t.Fatalf("%s: ASM vSwitches %v, want only %s", step, live.Spec.AsmVpcEndpoint.VSwitches, vswASM)
		}
	}
	// asmlinkWrite is the other team's asmlink apply or remove: without
	// force first, as asmlink does without --force-conflicts; on the
	// conflict an atomic list the tool applied must raise, with force, as
	// after consent.
	asmlinkWrite := func(step string, change kube.Change, toolApplied bool) {
		t.Helper()
		_, err := asm.Apply(ctx(t), change, kube.ApplyOptions{})
		var conflict *kube.ConflictError
		switch {
		case err == nil && !(atomic && toolApplied):
			return
		case err == nil:
			t.Fatalf("%s: asmlink replaced the atomic list %s applied without a conflict", step, tool.manager)
		case !errors.As(err, &conflict) || !atomic || !toolApplied:
			t.Fatalf("%s: %v", step, err)
		case !slices.Contains(conflict.Managers, tool.manager):
			t.Fatalf("%s: the conflict names %v, not %s", step, conflict.Managers, tool.manager)
		}
		if _, err := asm.Apply(ctx(t), change, kube.ApplyOptions{Force: true}); err != nil {
			t.Fatalf("%s (forced after consent): %v", step, err)
		}
	}

	// sync is the tool's sync of a freshly exported file. A tool that does
	// not force (Terraform) stops on an atomic list another manager
	// applied; the team then takes it over once, deliberately
	// (terraform apply -var asmpvlconfig_take_over=true).
	sync := func(file *spec.ASMPvlConfig) {
		t.Helper()
		err := trySync(t, s, tool, file)
		if err != nil && atomic && !tool.force && apierrors.IsConflict(err) {
			take := tool
			take.force = true
			err = trySync(t, s, take, file)
		}
		if err != nil {
			t.Fatalf("%s sync: %v", tool.manager, err)
		}
	}

	// Team B connects b1 with asmlink; team A exports a1 and its tool syncs.
	asmlinkWrite("asmlink connects b1", kube.MergeCluster(b1, asmVSwitch(vswASM, zoneJ)), false)
	fileA := exportFor(t, asm, tool, a1)
	if ids := fileA.ClusterIDs(); atomic != slices.Contains(ids, b1.ClusterID) {
		t.Fatalf("the export holds %v: with list maps only a1, with atomic lists every live entry", ids)
	}
	sync(fileA)
	expect("first sync", a1.ClusterID, b1.ClusterID)
	// Team A exports a2 too: the entry its tool already owns stays in it.
	fileA = exportFor(t, asm, tool, a2)
	if ids := fileA.ClusterIDs(); !slices.Contains(ids, a1.ClusterID) || atomic != slices.Contains(ids, b1.ClusterID) {
		t.Fatalf("the second export holds %v: a1 and a2, and b1 only with atomic lists", ids)
	}
	sync(fileA)
	expect("second sync", a1.ClusterID, a2.ClusterID, b1.ClusterID)

	// Team B connects b2 with asmlink, then team A's tool re-syncs.
	asmlinkWrite("asmlink connects b2", kube.MergeCluster(b2, asmVSwitch(vswASM, zoneJ)), true)
	all := []string{a1.ClusterID, a2.ClusterID, b1.ClusterID, b2.ClusterID}
	expect("asmlink connects b2", all...)
	if atomic {
		owners := ownersOf(t, asm)
		if c := owners.Contenders(); !slices.Contains(c, tool.manager) || !slices.Contains(c, kube.FieldManager) {
			t.Fatalf("after asmlink took the atomic list from %s the contenders are %v", tool.manager, c)
		}
		if !tool.force {
			// The stale file stops Terraform instead of dropping b2.
			if err := trySync(t, s, tool, fileA); err == nil {
				t.Fatalf("%s applied a stale file over asmlink's list without a conflict", tool.manager)
			}
			expect("stale sync refused", all...)
		}
		fileA = exportFor(t, asm, tool, a2)
	}
	sync(fileA)
	expect("re-sync after asmlink connected b2", all...)

	// Team B removes b1 with asmlink; the tool's re-sync must not bring it
	// back.
	asmlinkWrite("asmlink removes b1", kube.RemoveCluster(b1.ClusterID, gitopsFacts), true)
	expect("asmlink removes b1", a1.ClusterID, a2.ClusterID, b2.ClusterID)
	if atomic {
		fileA = exportFor(t, asm, tool, a2)
	}
	sync(fileA)
	expect("re-sync after asmlink removed b1", a1.ClusterID, a2.ClusterID, b2.ClusterID)

	// Team A drops a1 from Git: the tool removes it and nothing else.
	sync(spec.Remove(fileA, a1.ClusterID, gitopsFacts))
	expect("team A drops a1", a2.ClusterID, b2.ClusterID)
}

// ownersOf reads the live object's owners.
func ownersOf(t *testing.T, c *kube.Client) spec.Owners {
	t.Helper()
	_, owners, err := c.Owners(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	return owners
}

// exportFor makes the manifest asmlink export writes for tool, connecting
// e, as `asmlink export` computes it: the live object with e merged, cut
// to the content the schema allows, encoded with the tool's annotations
// and decoded back as the tool reads it from Git.
func exportFor(t *testing.T, c *kube.Client, tool gitopsTool, e spec.AckVpcEndpoint) *spec.ASMPvlConfig {
	t.Helper()
	live, owners, err := c.Owners(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	desired := spec.Merge(live, e, asmVSwitch(vswASM, zoneJ))
	content, mine, others := spec.ExportContent(desired, owners, tool.manager, []string{e.ClusterID}, gitopsFacts)
	files := spec.Export(content, spec.ExportOptions{Tool: tool.tool, Manager: tool.manager, Team: mine, Others: others, ListMaps: owners.ListMaps})
	cfg, err := spec.Decode(files[0].Data)
	if err != nil {
		t.Fatalf("the exported manifest does not decode: %v\n%s", err, files[0].Data)
	}
	return cfg
}

// trySync is the tool's server-side apply of the manifest as read from
// Git: apiVersion, kind, name, annotations and spec, as its field manager,
// forcing when the tool forces.
func trySync(t *testing.T, s *kubetest.Server, tool gitopsTool, file *spec.ASMPvlConfig) error {
	t.Helper()
	u := &unstructured.Unstructured{Object: map[string]any{"apiVersion": spec.APIVersion, "kind": spec.Kind,
		"metadata": map[string]any{"name": spec.Name}, "spec": specObject(t, file)}}
	if len(file.Metadata.Annotations) > 0 {
		u.SetAnnotations(file.Metadata.Annotations)
	}
	_, err := resource(t, s).Apply(ctx(t), spec.Name, u, metav1.ApplyOptions{FieldManager: tool.manager, Force: tool.force})
	return err
}
