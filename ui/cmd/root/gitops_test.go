package root_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// The demo world's clusters export connects.
const (
	demoMesh     = "d564b858f9a3e247cb2c083eb8cb37f0"
	demoShop     = "cbfbdabe898736a3566f893697b590487"
	demoPayments = "c194f309ffea518f32cf21449273d7ce7"
)

// TestExportHoldsOnlyThisTeamsEntries: on the simulator's API server
// (lists merged by key), another team connects payments with asmlink; an
// Argo CD export of shop-prod then holds shop-prod alone, with Argo CD's
// sync options, and says what it leaves to others.
func TestExportHoldsOnlyThisTeamsEntries(t *testing.T) {
	env := simEnv(t)
	if code, _, errOut := run(env, "apply", "--mesh", "mesh-prod", "--cluster", "payments", "--yes"); code != 0 {
		t.Fatalf("apply payments: exit %d\n%s", code, errOut)
	}
	code, out, errOut := run(env, "export", "--for", "argocd", "--mesh", "mesh-prod", "--cluster", "shop-prod")
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, errOut)
	}
	cfg, err := spec.Decode([]byte(out))
	if err != nil {
		t.Fatalf("the export does not decode: %v\n%s", err, out)
	}
	if ids := cfg.ClusterIDs(); !slices.Equal(ids, []string{demoShop}) {
		t.Errorf("the export holds %v, want only shop-prod", ids)
	}
	if got := cfg.Metadata.Annotations["argocd.argoproj.io/sync-options"]; got != "ServerSideApply=true,Prune=false,Delete=false" {
		t.Errorf("sync-options %q", got)
	}
	for _, want := range []string{"# Exported by asmlink export --for argocd", "field manager argocd-controller", "Leaves to others: every other cluster's entry (" + demoPayments + ")"} {
		if !strings.Contains(out, want) {
			t.Errorf("the header lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "leaves 1 to their owners") {
		t.Errorf("stderr does not say what was left out:\n%s", errOut)
	}
}

// TestExportWritesEachToolsFiles: --out writes every file of a tool,
// replaces the files an earlier export wrote, and refuses to replace one it
// did not write, changing nothing.
func TestExportWritesEachToolsFiles(t *testing.T) {
	env := simEnv(t)
	for tool, names := range map[string][]string{
		"flux":      {"asmpvlconfig.yaml", "kustomization.yaml", "flux-kustomization.yaml"},
		"kustomize": {"asmpvlconfig.yaml", "kustomization.yaml"},
		"terraform": {"asmpvlconfig.yaml", "asmpvlconfig.tf"},
	} {
		dir := filepath.Join(t.TempDir(), "asm")
		for range 2 {
			if code, _, errOut := run(env, "export", "--for", tool, "--mesh", demoMesh, "--cluster", demoShop, "--out", dir); code != 0 {
				t.Fatalf("%s: exit %d\n%s", tool, code, errOut)
			}
		}
		for _, n := range names {
			data, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil || !strings.HasPrefix(string(data), spec.ExportMarker) {
				t.Errorf("%s: %s: %v\n%s", tool, n, err, data)
			}
		}
		foreign := filepath.Join(dir, names[len(names)-1])
		if err := os.WriteFile(foreign, []byte("# mine\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := run(env, "export", "--for", tool, "--mesh", demoMesh, "--cluster", demoShop, "--out", dir)
		if data, _ := os.ReadFile(foreign); code != cmdutil.ExitUsage || string(data) != "# mine\n" || !strings.Contains(errOut, "was not written by asmlink export") {
			t.Errorf("%s over a foreign %s: exit %d, file %q\n%s", tool, names[len(names)-1], code, data, errOut)
		}
	}
}

// TestExportRefusesBadFlags: every mistake exits 2 before the cloud is
// asked, naming the flag and the fix; an object over --max-object-size
// exits 3.
func TestExportRefusesBadFlags(t *testing.T) {
	env := simEnv(t)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--mesh", demoMesh, "--cluster", demoShop}, cmdutil.ExitUsage, "--for is required"},
		{[]string{"--for", "helm", "--mesh", demoMesh, "--cluster", demoShop}, cmdutil.ExitUsage, `--for "helm" is not a tool asmlink exports for: use argocd, flux, kustomize or terraform`},
		{[]string{"--for", "argocd", "--field-manager", "me", "--mesh", demoMesh, "--cluster", demoShop}, cmdutil.ExitUsage, "always applies as argocd-controller"},
		{[]string{"--for", "terraform", "--mesh", demoMesh, "--cluster", demoShop}, cmdutil.ExitUsage, "--out DIR is required for --for terraform"},
		{[]string{"--for", "argocd", "--mesh", demoMesh}, cmdutil.ExitUsage, "--cluster is required"},
		{[]string{"--for", "argocd", "--mesh", demoMesh, "--cluster", demoShop, "--max-object-size", "300"}, cmdutil.ExitChecks, "PVL023"},
	} {
		code, out, errOut := run(env, append([]string{"export"}, c.args...)...)
		if code != c.code || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("export %v: exit %d, stdout %q, stderr:\n%s\nwant exit %d saying %q", c.args, code, out, errOut, c.code, c.want)
		}
	}
}

// TestDiffExitCodes: diff exits as kubectl diff does (0 no drift, 1 drift,
// more for errors), marks what others own, reads the file's manager from
// Argo CD's annotations, and -o json says the same; status -f sums it up on
// one line without changing its exit status.
func TestDiffExitCodes(t *testing.T) {
	env := simEnv(t)
	dir := t.TempDir()
	if code, _, errOut := run(env, "apply", "--mesh", "mesh-prod", "--cluster", "payments", "--yes"); code != 0 {
		t.Fatalf("apply payments: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := run(env, "export", "--for", "argocd", "--mesh", "mesh-prod", "--cluster", "shop-prod", "--out", dir); code != 0 {
		t.Fatalf("export: exit %d\n%s", code, errOut)
	}
	file := filepath.Join(dir, "asmpvlconfig.yaml")

	// Not synced yet: shop-prod's entry and its ASM vSwitch are missing.
	code, out, errOut := run(env, "diff", "-f", file, "--mesh", "mesh-prod")
	if code != cmdutil.ExitDrift || !strings.Contains(out, "+ missing  spec.ackVpcEndpoint[clusterId="+demoShop+"]") ||
		!strings.Contains(out, "· others   spec.ackVpcEndpoint[clusterId="+demoPayments+"]") || !strings.Contains(out, "(owned by asmlink)") ||
		!strings.Contains(out, "applied as argocd-controller") || !strings.Contains(out, "2 entries drift (2 missing)") {
		t.Fatalf("before the sync: exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	code, out, _ = run(env, "diff", "-f", file, "--mesh", "mesh-prod", "-o", "json")
	var rep struct {
		Drift   bool `json:"drift"`
		Drifted int  `json:"drifted"`
		Entries []struct {
			Path, State string
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != cmdutil.ExitDrift || !rep.Drift || rep.Drifted != 2 || len(rep.Entries) != 4 {
		t.Fatalf("-o json before the sync: exit %d, %+v, %v\n%s", code, rep, err, out)
	}
	code, out, _ = run(env, "status", "--mesh", "mesh-prod", "-f", file)
	if code != cmdutil.ExitChecks || !strings.Contains(out, "Drift against "+file+": 2 entries drift (2 missing)") {
		t.Fatalf("status -f before the sync: exit %d, stdout:\n%s", code, out)
	}

	// Synced: no drift, and the other team's entry is still not drift.
	if code, _, errOut := run(env, "apply", "-f", file, "--mesh", "mesh-prod", "--yes"); code != 0 {
		t.Fatalf("apply the export: exit %d\n%s", code, errOut)
	}
	code, out, _ = run(env, "diff", "-f", file, "--mesh", "mesh-prod")
	if code != 0 || !strings.Contains(out, "no drift: 2 entries in sync, 2 others'") || !strings.Contains(out, "Against what asmlink would plan now:") {
		t.Fatalf("after the sync: exit %d, stdout:\n%s", code, out)
	}
	code, out, _ = run(env, "status", "--mesh", "mesh-prod", "-f", file, "-o", "json")
	if !strings.Contains(out, `"summary": "no drift: 2 entries in sync, 2 others'"`) {
		t.Fatalf("status -f -o json after the sync: exit %d, stdout:\n%s", code, out)
	}

	// As the file's manager, payments' entry would be removed by a sync:
	// asmlink owns it, and --field-manager asmlink makes the file asmlink's.
	code, out, _ = run(env, "diff", "-f", file, "--mesh", "mesh-prod", "--field-manager", "asmlink")
	if code != cmdutil.ExitDrift || !strings.Contains(out, "- removed  spec.ackVpcEndpoint[clusterId="+demoPayments+"]") {
		t.Fatalf("--field-manager asmlink: exit %d, stdout:\n%s", code, out)
	}

	// Errors exit 2 and more, never 1; mesh-staging has no API server.
	noServer := simEnvWith(t, func(w *sim.World) func(*sim.Server) {
		for i := range w.Meshes {
			w.Meshes[i].NoAPIServer = w.Meshes[i].Name == "mesh-staging"
		}
		return nil
	})
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("apiVersion: istio.alibabacloud.com/v1beta1\nkind: ASMPvlConfig\nmetadata: {name: other}\nspec: {asmVpcEndpoint: {vSwitches: []}, bogus: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--mesh", "mesh-prod"}, cmdutil.ExitUsage, "-f is required"},
		{[]string{"-f", file}, cmdutil.ExitUsage, "--mesh or --kubeconfig is required"},
		{[]string{"-f", filepath.Join(dir, "absent.yaml"), "--mesh", "mesh-prod"}, cmdutil.ExitUsage, "cannot read"},
		{[]string{"-f", bad, "--mesh", "mesh-prod"}, cmdutil.ExitChecks, "PVL003"},
		{[]string{"-f", file, "--mesh", "mesh-staging"}, cmdutil.ExitDiffFailed, "no API server"},
	} {
		code, _, errOut := run(noServer, append([]string{"diff"}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("diff %v: exit %d, stderr:\n%s\nwant exit %d saying %q", c.args, code, errOut, c.code, c.want)
		}
	}
}
