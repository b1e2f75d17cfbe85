package root_test

import (
	"context"
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// run executes asmlink with args, without a terminal, on env's world.
func run(env []string, args ...string) (code int, stdout, stderr string) {
	ios, _, out, errOut := cmdutil.TestStreams(false)
	ios.Env = env
	code = root.Execute(context.Background(), ios, args)
	return code, out.String(), errOut.String()
}

// leaves are the command paths of every runnable asmlink command, e.g.
// ["edge", "gateway"], found by walking the real command tree.
func leaves() [][]string {
	ios, _, _, _ := cmdutil.TestStreams(false)
	cmd := root.NewCmdRoot(&cmdutil.Factory{IO: ios, Options: &cmdutil.GlobalOptions{}})
	var out [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if c.Runnable() {
			out = append(out, path)
		}
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				walk(sub, append(append([]string(nil), path...), sub.Name()))
			}
		}
	}
	walk(cmd, nil)
	return out
}

// TestEveryCommandRefusesAnUnknownOutputFormat runs every command with
// -o bogus: each exits 2 before doing anything, naming --output and the
// formats it does write.
func TestEveryCommandRefusesAnUnknownOutputFormat(t *testing.T) {
	paths := leaves()
	if len(paths) < 12 {
		t.Fatalf("found only %d commands: %v", len(paths), paths)
	}
	for _, path := range paths {
		t.Run(strings.Join(append([]string{"asmlink"}, path...), " "), func(t *testing.T) {
			args := append(path, "-o", "bogus")
			if len(path) > 0 && path[len(path)-1] == "validate" {
				args = append(args, "asmpvlconfig.yaml") // its one required argument
			}
			code, out, errOut := run(nil, args...)
			if code != cmdutil.ExitUsage || !strings.Contains(errOut, `--output "bogus"`) || !strings.Contains(errOut, "use one of text") || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 naming --output and the formats", code, out, errOut)
			}
		})
	}
}

// TestPlanWritesJSONWithOutputJSON: plan -o json prints the ASMPvlConfig
// as JSON, not YAML, and -o yaml the commented YAML; --mesh and --cluster
// are given by name.
func TestPlanWritesJSONWithOutputJSON(t *testing.T) {
	env := simEnv(t)
	code, out, errOut := run(env, "plan", "--offline", "--mesh", "mesh-prod", "--cluster", "shop-prod", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var obj struct {
		Kind string `json:"kind"`
		Spec struct {
			AckVpcEndpoint []struct {
				ClusterID string `json:"clusterId"`
			} `json:"ackVpcEndpoint"`
		} `json:"spec"`
	}
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if obj.Kind != "ASMPvlConfig" || len(obj.Spec.AckVpcEndpoint) != 1 || obj.Spec.AckVpcEndpoint[0].ClusterID != "cbfbdabe898736a3566f893697b590487" {
		t.Fatalf("plan -o json wrote %+v", obj)
	}
	if !strings.Contains(errOut, "--mesh mesh-prod is mesh-prod (d564b858f9a3e247cb2c083eb8cb37f0)") {
		t.Errorf("stderr does not say which mesh the name is:\n%s", errOut)
	}
	code, out, errOut = run(env, "plan", "--offline", "--mesh", "mesh-prod", "--cluster", "shop-prod", "-o", "yaml")
	if code != 0 || !strings.HasPrefix(out, "# ") || !strings.Contains(out, "kind: ASMPvlConfig") {
		t.Fatalf("plan -o yaml: exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// TestABadMeshAndABadClusterExitAlike: a --mesh or --cluster that names
// nothing exits 2 in every command that takes it, says "did you mean" with
// the nearest one, and lists the candidates.
func TestABadMeshAndABadClusterExitAlike(t *testing.T) {
	env := simEnv(t)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"plan", "--offline", "--mesh", "mesh-prd", "--cluster", "shop-prod"}, []string{"--mesh", `"mesh-prd"`, "did you mean mesh-prod (d564b858f9a3e247cb2c083eb8cb37f0)", "mesh-staging"}},
		{[]string{"plan", "--offline", "--mesh", "mesh-prod", "--cluster", "shop-prd"}, []string{"--cluster", `"shop-prd"`, "did you mean shop-prod (cbfbdabe898736a3566f893697b590487)", "payments"}},
		{[]string{"status", "--mesh", "mesh-prd"}, []string{"--mesh", "did you mean mesh-prod"}},
		{[]string{"status", "--mesh", "mesh-prod", "--cluster", "shop-prd"}, []string{"--cluster", "did you mean shop-prod"}},
		{[]string{"doctor", "--mesh", "mesh-prd"}, []string{"--mesh", "did you mean mesh-prod"}},
		{[]string{"remove", "--mesh", "mesh-prod", "--cluster", "shop-prd", "--yes"}, []string{"--cluster", "did you mean shop-prod"}},
		{[]string{"apply", "--mesh", "mesh-prd", "--cluster", "shop-prod", "--yes"}, []string{"--mesh", "did you mean mesh-prod"}},
		{[]string{"edge", "inject", "--mesh", "mesh-prd", "--cluster", "edge-factory"}, []string{"--mesh", "did you mean mesh-prod"}},
		{[]string{"edge", "gateway", "--mesh", "mesh-prod", "--cluster", "edge-factry", "--dry-run"}, []string{"--cluster", "did you mean edge-factory"}},
		{[]string{"edge", "endpoints", "--cluster", "edge-factry", "--dry-run"}, []string{"--cluster", "did you mean edge-factory"}},
		{[]string{"plan", "--offline", "--mesh", "d564b858f9a3e247cb2c083eb8cb37f", "--cluster", "shop-prod"}, []string{"--mesh", "did you mean mesh-prod (d564b858f9a3e247cb2c083eb8cb37f0)"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := run(env, tc.args...)
			if code != cmdutil.ExitUsage || out != "" {
				t.Fatalf("exit %d, stdout %q; want exit 2 and nothing on stdout; stderr:\n%s", code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// TestUnknownFlagsAndCommandsGetASuggestion: a mistyped flag or command
// exits 2 with "did you mean" the nearest one.
func TestUnknownFlagsAndCommandsGetASuggestion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "--mesh-id", "x"}, "did you mean --mesh?"},
		{[]string{"plan", "--clustr", "x"}, "did you mean --cluster?"},
		{[]string{"status", "--wiat"}, "did you mean --wait?"},
		{[]string{"plann"}, "did you mean plan?"},
		{[]string{"edge", "gatway"}, "gateway"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, errOut := run(nil, tc.args...)
			if code != cmdutil.ExitUsage || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and %q", code, errOut, tc.want)
			}
		})
	}
	if code, _, errOut := run(nil, "plan", "--zzzzzz"); code != cmdutil.ExitUsage || strings.Contains(errOut, "did you mean") {
		t.Errorf("a flag near nothing: exit %d, %q; want exit 2 without a suggestion", code, errOut)
	}
}

// TestEveryMissingRequiredFlagIsNamedAtOnce: plan, remove and the edge
// gateway and inject commands with neither --mesh nor --cluster, and no
// terminal to ask on, name both in one error.
func TestEveryMissingRequiredFlagIsNamedAtOnce(t *testing.T) {
	for _, cmd := range [][]string{{"plan"}, {"remove"}, {"edge", "gateway"}, {"edge", "inject"}} {
		code, _, errOut := run(nil, cmd...)
		if code != cmdutil.ExitUsage || !strings.Contains(errOut, "--mesh and --cluster are required") {
			t.Errorf("%v: exit %d, %q; want exit 2 naming --mesh and --cluster", cmd, code, errOut)
		}
	}
	if code, _, errOut := run(nil, "plan", "--mesh", "m"); code != cmdutil.ExitUsage || !strings.Contains(errOut, "--cluster is required") || strings.Contains(errOut, "--mesh and") {
		t.Errorf("plan --mesh m: exit %d, %q; want --cluster alone named", code, errOut)
	}
}

// TestVersion: asmlink version and asmlink --version print the module
// version the build recorded; -o json gives its fields.
func TestVersion(t *testing.T) {
	want := root.ReadBuildVersion()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := run(nil, args...)
		if code != 0 || out != "asmlink "+want.String()+"\n" || want.Version == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want asmlink %s", args, code, out, errOut, want)
		}
	}
	code, out, _ := run(nil, "version", "-o", "json")
	var got root.BuildVersion
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || got != want {
		t.Errorf("version -o json: exit %d, %v, %+v; want %+v", code, err, got, want)
	}
}

// TestBuildVersionString: a build from a tagged module with its commit
// names both.
func TestBuildVersionString(t *testing.T) {
	v := root.BuildVersion{Version: "v1.2.0", Commit: "1a2b3c", Time: "2026-01-02T03:04:05Z", Modified: true, GoVersion: "go1.26.8"}
	if got, want := v.String(), "v1.2.0 (commit 1a2b3c, 2026-01-02T03:04:05Z, modified) go1.26.8"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestStampedVersionWins: a release build's -ldflags stamps replace what
// the build info says, field by field; without build info the version is
// "unknown", and a stamp still shows.
func TestStampedVersionWins(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "1a2b3c"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}}
	for _, tc := range []struct {
		info    *debug.BuildInfo
		stamped root.BuildVersion
		want    string
	}{
		{info, root.BuildVersion{}, "(devel) (commit 1a2b3c, 2026-01-02T03:04:05Z, modified) go1.26.8"},
		{info, root.BuildVersion{Version: "v1.3.0", Commit: "9f8e7d", Time: "2026-02-03T00:00:00Z"}, "v1.3.0 (commit 9f8e7d, 2026-02-03T00:00:00Z) go1.26.8"},
		{info, root.BuildVersion{Version: "v1.3.0"}, "v1.3.0 (commit 1a2b3c, 2026-01-02T03:04:05Z, modified) go1.26.8"},
		{nil, root.BuildVersion{}, "unknown"},
		{nil, root.BuildVersion{Version: "v1.3.0", Commit: "9f8e7d"}, "v1.3.0 (commit 9f8e7d)"},
	} {
		if got := root.BuildVersionOf(tc.info, tc.info != nil, tc.stamped).String(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.stamped, got, tc.want)
		}
	}
}

// TestHelpNamesOnlyRealCommandsAndEveryWorld: sim's help names no command
// asmlink lacks, and demo's help lists every built-in world.
func TestHelpNamesOnlyRealCommandsAndEveryWorld(t *testing.T) {
	_, out, _ := run(nil, "sim", "--help")
	if strings.Contains(out, "asmlink wizard") || !strings.Contains(out, "asmlink setup") {
		t.Errorf("sim --help:\n%s", out)
	}
	_, out, _ = run(nil, "demo", "--help")
	for _, w := range sim.BuiltinWorlds() {
		if !strings.Contains(out, w) {
			t.Errorf("demo --help does not name world %s:\n%s", w, out)
		}
	}
	if !strings.Contains(out, "edge") {
		t.Errorf("demo --help lacks the edge world")
	}
}
