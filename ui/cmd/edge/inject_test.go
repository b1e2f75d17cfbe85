package edge

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// injectHarness is the edge world with its data-plane answers edited.
func injectHarness(t *testing.T, edit func(*sim.DataPlane)) *harness {
	t.Helper()
	w, err := sim.LoadWorld("edge")
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&w.DataPlane)
	}
	return newWorldHarness(t, w, false, time.Now, "", "")
}

func runInjectCmd(t *testing.T, h *harness, args ...string) (int, error) {
	t.Helper()
	h.out.Reset()
	h.errOut.Reset()
	cmd := NewCmdInject(h.f, nil)
	return h.execute(cmd, append([]string{"--mesh", edgeMesh}, args...))
}

func injectReport(t *testing.T, h *harness) InjectReport {
	t.Helper()
	var rep InjectReport
	if err := json.Unmarshal(h.out.Bytes(), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, h.out)
	}
	return rep
}

func enabled(rep InjectReport, ns string) bool {
	for _, n := range rep.Namespaces {
		if n.Name == ns {
			return n.Enabled
		}
	}
	return false
}

func TestInjectShowsWhichNamespacesHaveIt(t *testing.T) {
	h := injectHarness(t, nil)
	code, err := runInjectCmd(t, h, "--cluster", edgeDC)
	if code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	out := h.out.String()
	for _, want := range []string{"shop", "label istio-injection=enabled", "iot", "no istio-injection=enabled label", "only namespaces labelled"} {
		if !strings.Contains(out, want) {
			t.Fatalf("listing lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "restart") {
		t.Fatalf("a listing asks for restarts:\n%s", out)
	}
}

func TestInjectOnAndOffNamesTheWorkloadsToRestart(t *testing.T) {
	h := injectHarness(t, nil)
	h.f.Options.Output = cmdutil.OutputJSON
	code, err := runInjectCmd(t, h, "--cluster", edgeDC, "--enable", "iot", "--yes")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, h.errOut)
	}
	rep := injectReport(t, h)
	if !enabled(rep, "iot") || len(rep.Changed) != 1 {
		t.Fatalf("after --enable iot: %+v", rep)
	}
	got := map[string]int{}
	for _, w := range rep.Restart {
		got[w.Kind+"/"+w.Name] = len(w.Pods)
	}
	want := map[string]int{"deployment/telemetry-ingest": 2, "statefulset/device-registry": 1, "daemonset/edge-agent": 1}
	if len(got) != len(want) {
		t.Fatalf("workloads to restart %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Fatalf("workloads to restart %v, want %v", got, want)
		}
	}
	if r := rep.Restart[0].Restart; r != "kubectl -n iot rollout restart deployment/telemetry-ingest" {
		t.Fatalf("restart command %q", r)
	}
	// Enabling again changes nothing and asks for no restart.
	if code, err := runInjectCmd(t, h, "--cluster", edgeDC, "--enable", "iot"); code != 0 || len(injectReport(t, h).Restart) != 0 {
		t.Fatalf("enabling an enabled namespace: exit %d, %v:\n%s", code, err, h.out)
	}
	code, err = runInjectCmd(t, h, "--cluster", edgeDC, "--disable", "iot", "--yes")
	if rep := injectReport(t, h); code != 0 || enabled(rep, "iot") || len(rep.Restart) != 3 {
		t.Fatalf("after --disable iot: exit %d, %v: %+v", code, err, rep)
	}
}

// TestInjectOffWhereTheMeshInjectsByDefault covers both plausible answers
// to what UpdateIstioInjectionConfig does when turning injection off: where
// it sets istio-injection=disabled, the namespace is off; where it only
// removes the label, a mesh that injects namespaces by default keeps
// injecting it, and asmlink says so and how to stop it.
func TestInjectOffWhereTheMeshInjectsByDefault(t *testing.T) {
	byDefault := func(off string) func(*sim.DataPlane) {
		return func(d *sim.DataPlane) { d.InjectionOff, d.Meshes[0].EnableNamespacesByDefault = off, true }
	}
	h := injectHarness(t, byDefault("disabled"))
	h.f.Options.Output = cmdutil.OutputJSON
	code, err := runInjectCmd(t, h, "--cluster", edgeDC, "--disable", "iot", "--yes")
	if rep := injectReport(t, h); code != 0 || enabled(rep, "iot") || !rep.EnableNamespacesByDefault {
		t.Fatalf("disabled label: exit %d, %v: %+v", code, err, rep)
	}
	h = injectHarness(t, byDefault("remove"))
	code, err = runInjectCmd(t, h, "--cluster", edgeDC, "--disable", "shop", "--yes")
	if code != cmdutil.ExitChecks || !strings.Contains(err.Error(), "istio-injection=disabled --overwrite") {
		t.Fatalf("label only removed: exit %d, %v; want 3 with the label command", code, err)
	}
}

func TestInjectBadInput(t *testing.T) {
	h := injectHarness(t, nil)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown cluster", []string{"--cluster", "c00000000000000000000000000000000", "--enable", "iot"}, cmdutil.ExitUsage, "--cluster no ACK cluster in region cn-hangzhou is named or has the ID"},
		{"not in the mesh", []string{"--cluster", edgeLab}, cmdutil.ExitChecks, "is not in ASM instance"},
		{"not an edge cluster", []string{"--cluster", cloudApps, "--enable", "iot"}, cmdutil.ExitChecks, "not ACK Edge"},
		{"namespace that does not exist", []string{"--cluster", edgeDC, "--enable", "payments"}, cmdutil.ExitChecks, "namespace payments does not exist"},
		{"both ways", []string{"--cluster", edgeDC, "--enable", "iot", "--disable", "iot"}, cmdutil.ExitUsage, "both"},
		{"system namespace", []string{"--cluster", edgeDC, "--enable", "kube-system"}, cmdutil.ExitUsage, "system namespace"},
		{"no --yes without a terminal", []string{"--cluster", edgeDC, "--enable", "iot"}, cmdutil.ExitUsage, "--yes"},
		{"no --cluster", nil, cmdutil.ExitUsage, "--cluster"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, err := runInjectCmd(t, h, tc.args...)
			if code != tc.code || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("exit %d, %v; want %d mentioning %q", code, err, tc.code, tc.want)
			}
		})
	}
	h.f.Options.Output = cmdutil.OutputJSON
	if code, err := runInjectCmd(t, h, "--cluster", edgeDC); code != 0 || enabled(injectReport(t, h), "iot") {
		t.Fatalf("bad input changed a namespace: exit %d, %v:\n%s", code, err, h.out)
	}
}

// TestInjectAsksForTheMeshAndTheEdgeCluster proves the questions on a
// terminal: the mesh, then the cluster, where a cluster that is not ACK
// Edge cannot be chosen; input that ends mid-question cancels (exit 130).
func TestInjectAsksForTheMeshAndTheEdgeCluster(t *testing.T) {
	for _, tc := range []struct {
		answers string
		code    int
	}{
		{"1\n1\n", cmdutil.ExitOK},
		{"1\n2\n", cmdutil.ExitCancelled},
	} {
		h := newHarness(t, true, time.Now, "", "")
		h.f.Options.NoColor, h.f.Options.Accessible = true, true
		h.in.WriteString(tc.answers)
		cmd := NewCmdInject(h.f, nil)
		code, err := h.execute(cmd, nil)
		if code != tc.code {
			t.Fatalf("answers %q: exit %d (%v)\n%s", tc.answers, code, err, h.errOut)
		}
		errOut := h.errOut.String()
		if !strings.Contains(errOut, "ACK Edge cluster of the mesh") || !strings.Contains(errOut, "cannot be chosen: not an ACK Edge cluster") {
			t.Fatalf("the cluster question does not mark the non-edge cluster:\n%s", errOut)
		}
		if tc.code == cmdutil.ExitOK && !strings.Contains(h.out.String(), "Sidecar injection in cluster "+edgeDC) {
			t.Fatalf("answers %q: report\n%s", tc.answers, h.out)
		}
	}
}
