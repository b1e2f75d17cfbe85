package root_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
)

// hostile are the terminal controls a crafted file carries: an OSC that
// sets the window title, clear screen and cursor home, and a bell.
var hostile = []string{"\x1b]0;pwned\x07", "\x1b[2J", "\x1b[H", "\x07", "\x1b"}

// craftedFile is an ASMPvlConfig whose values carry escape sequences in
// every place a finding quotes: a cluster ID listed twice (PVL012, PVL016),
// a vSwitch listed twice and on both sides (PVL013, PVL017, PVL018), a bad
// zone (PVL014), an unknown field, and a 10 MB value.
func craftedFile(t *testing.T) string {
	t.Helper()
	esc := `\e]0;pwned\a\e[2J\e[H`
	huge := strings.Repeat("A", 10<<20)
	body := `apiVersion: istio.alibabacloud.com/v1beta1
kind: ASMPvlConfig
metadata:
  name: default
spec:
  ackVpcEndpoint:
  - clusterId: "c` + esc + `"
    vSwitches:
    - {vSwitchId: "vsw-` + esc + `", zoneId: "cn-` + esc + `"}
    - {vSwitchId: "vsw-` + esc + `", zoneId: "cn-hangzhou-j"}
  - clusterId: "c` + esc + `"
    vSwitches:
    - {vSwitchId: "vsw-bp1` + huge + `", zoneId: "cn-hangzhou-j"}
  asmVpcEndpoint:
    vSwitches:
    - {vSwitchId: "vsw-` + esc + `", zoneId: "cn-hangzhou-j"}
`
	path := filepath.Join(t.TempDir(), "crafted.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	unknown := filepath.Join(t.TempDir(), "unknown.yaml")
	if err := os.WriteFile(unknown, []byte("apiVersion: istio.alibabacloud.com/v1beta1\nkind: ASMPvlConfig\nmetadata: {name: default}\nspec: {\""+esc+"\": 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path + "\n" + unknown
}

// TestCraftedValuesCannotControlTheTerminal runs validate (text and JSON)
// on files whose values carry escape sequences: no output
// holds a raw control character, each finding shows the value quoted with
// its escapes, and the 10 MB value is cut with its length.
func TestCraftedValuesCannotControlTheTerminal(t *testing.T) {
	env := simEnv(t)
	files := strings.Split(craftedFile(t), "\n")
	for _, args := range [][]string{
		{"validate", files[0]},
		{"validate", "-o", "json", files[0]},
		{"validate", files[1]},
		{"validate", "-o", "json", files[1]},
	} {
		t.Run(strings.Join(args[:len(args)-1], " "), func(t *testing.T) {
			ios, _, out, errOut := cmdutil.TestStreams(false)
			ios.Env = env
			code := root.Execute(context.Background(), ios, args)
			all := out.String() + errOut.String()
			for _, h := range hostile {
				if strings.Contains(all, h) {
					t.Fatalf("exit %d: the output holds the raw control %q:\n%q", code, h, all[:min(len(all), 2000)])
				}
			}
			if len(all) > 1<<20 {
				t.Errorf("the output is %d bytes: the 10 MB value was echoed", len(all))
			}
			if code != 3 {
				t.Errorf("exit %d, want 3 (invalid file)", code)
			}
			escaped := `\x1b]0;pwned\a\x1b[2J\x1b[H`
			if strings.Contains(args[len(args)-1], "crafted") && !strings.Contains(all, "… (10485767 bytes)") {
				t.Errorf("the 10 MB value is not cut with its length:\n%s", all[:min(len(all), 3000)])
			}
			// JSON writes the escapes' backslashes escaped once more.
			if !strings.Contains(all, escaped) && !strings.Contains(all, strings.ReplaceAll(escaped, `\`, `\\`)) {
				t.Errorf("the hostile value is not shown escaped:\n%s", all[:min(len(all), 3000)])
			}
		})
	}
	for _, code := range []spec.Code{spec.CodeClusterTwice, spec.CodeVSwitchTwice, spec.CodeVSwitchBothSides} {
		ios, _, out, _ := cmdutil.TestStreams(false)
		root.Execute(context.Background(), ios, []string{"validate", files[0]})
		if !strings.Contains(out.String(), string(code)) {
			t.Errorf("validate does not report %s for the crafted file:\n%s", code, out.String()[:min(out.Len(), 3000)])
		}
	}
}

// TestCloudValuesCannotControlTheTerminal renders check results whose
// message and details carry a cluster name from the cloud with escape
// sequences: the report shows them escaped, never raw.
func TestCloudValuesCannotControlTheTerminal(t *testing.T) {
	msg := "cluster c1 (\x1b]0;pwned\x07shop\x1b[2J) has not been added to ASM instance m1"
	check, _ := flow.CheckByCode(flow.CodeClusterInMesh)
	res := flow.Result{Check: &check, Status: flow.StatusFail, Message: msg, Details: []string{msg}}
	for _, colour := range []bool{false, true} {
		got := render.Checks(styles.New(colour), 200, []flow.Result{res}, render.CheckOptions{})
		if colour {
			// The report's own colours are escape sequences; the value's
			// are not among them.
			got = strings.ReplaceAll(ansi.Strip(got), "\x1b", "")
		}
		for _, h := range hostile {
			if strings.Contains(got, h) {
				t.Fatalf("the report keeps %q:\n%q", h, got)
			}
		}
		if want := `cluster c1 (\x1b]0;pwned\ashop\x1b[2J) has not been added`; !strings.Contains(got, want) {
			t.Errorf("the report does not show the name escaped (%q):\n%s", want, got)
		}
	}
	if got := spec.Printable("plain text, ünïcode"); got != "plain text, ünïcode" {
		t.Errorf("Printable changed printable text: %q", got)
	}
}

// hostileCloud is a simulated demo world whose mesh mesh-prod and cluster
// shop-prod are named with terminal controls and a 1 MB tail, and whose
// mesh reports shop-prod failed with an error message that carries them too.
func hostileCloud(t *testing.T) []string {
	t.Helper()
	const meshID, shopID = "d564b858f9a3e247cb2c083eb8cb37f0", "cbfbdabe898736a3566f893697b590487"
	esc := "\x1b]0;pwned\x07\x1b[2J\x1b[H"
	return simEnvWith(t, func(w *sim.World) func(*sim.Server) {
		for i := range w.Meshes {
			if w.Meshes[i].ID == meshID {
				w.Meshes[i].Name = "mesh" + esc + strings.Repeat("M", 1<<20)
			}
		}
		for i := range w.Clusters {
			if w.Clusters[i].ID == shopID {
				w.Clusters[i].Name = "shop" + esc
			}
		}
		return func(srv *sim.Server) {
			if err := srv.State().SetMeshClusterState(meshID, shopID, "failed", "x509: "+esc+strings.Repeat("E", 1<<20)); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestCloudNamesCannotControlTheTerminal runs the commands that show what
// the cloud says (plan, status as text and JSON, doctor, and a mistyped
// name's suggestion) against a cloud whose names and errors carry terminal
// controls and 1 MB values: no output holds a raw control, and no 1 MB
// value is echoed on the terminal.
func TestCloudNamesCannotControlTheTerminal(t *testing.T) {
	env := hostileCloud(t)
	const meshID, shopID = "d564b858f9a3e247cb2c083eb8cb37f0", "cbfbdabe898736a3566f893697b590487"
	for _, tc := range []struct {
		args []string
		// shows says the output names the crafted mesh or cluster.
		shows bool
	}{
		{[]string{"plan", "--offline", "--mesh", meshID, "--cluster", shopID}, false},
		{[]string{"plan", "--mesh", meshID, "--cluster", shopID}, false},
		{[]string{"status", "--mesh", meshID}, false},
		{[]string{"status", "--mesh", meshID, "-o", "json"}, false},
		{[]string{"doctor", "--mesh", meshID, "--cluster", shopID}, true},
		{[]string{"status", "--mesh", "mesh-prd"}, true},
		{[]string{"plan", "--offline", "--mesh", meshID, "--cluster", "shop"}, true},
	} {
		args := tc.args
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			ios, _, out, errOut := cmdutil.TestStreams(false)
			ios.Env = env
			code := root.Execute(context.Background(), ios, args)
			for name, got := range map[string]string{"stdout": out.String(), "stderr": errOut.String()} {
				for _, h := range hostile {
					if i := strings.Index(got, h); i >= 0 {
						t.Fatalf("exit %d: %s holds the raw control %q: …%q…", code, name, h, got[max(0, i-200):min(len(got), i+200)])
					}
				}
				// JSON on stdout is data, whole and escaped by the encoder;
				// the terminal's text never shows a 1 MB value.
				if len(got) > 1<<20 && !(name == "stdout" && slices.Contains(args, "json")) {
					t.Errorf("exit %d: %s is %d bytes: a 1 MB value was echoed", code, name, len(got))
				}
			}
			if all := out.String() + errOut.String(); tc.shows && !strings.Contains(all, `\x1b]0;pwned\a`) && !strings.Contains(all, `\u001b]0;pwned\u0007`) {
				t.Errorf("exit %d: the crafted value is not shown escaped:\nstdout: %.3000s\nstderr: %.3000s", code, out.String(), errOut.String())
			}
		})
	}
}
