package setup_test

import (
	"strings"
	"testing"

	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// TestWithoutATerminalExitsTwoAndNamesTheScriptableCommands covers bare
// asmlink, setup and demo: none of them may prompt without a terminal.
func TestWithoutATerminalExitsTwoAndNamesTheScriptableCommands(t *testing.T) {
	for _, args := range [][]string{{}, {"setup"}, {"demo"}, {"setup", "--accessible"}} {
		t.Run(strings.Join(append([]string{"asmlink"}, args...), " "), func(t *testing.T) {
			io, _, out, errOut := cmdutil.TestStreams(false)
			if code := root.Main(io, args); code != cmdutil.ExitUsage {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, cmdutil.ExitUsage, errOut)
			}
			if out.Len() != 0 {
				t.Errorf("stdout carries %q; it is for data only", out)
			}
			msg := errOut.String()
			for _, want := range []string{"needs a terminal"} {
				if !strings.Contains(msg, want) {
					t.Errorf("stderr %q lacks %q", msg, want)
				}
			}
			if len(args) == 0 || args[0] == "setup" {
				for _, cmd := range []string{"asmlink plan", "asmlink apply", "asmlink status", "asmlink doctor"} {
					if !strings.Contains(msg, cmd) {
						t.Errorf("stderr %q does not name %s", msg, cmd)
					}
				}
			}
		})
	}
}

func TestSetupRejectsArguments(t *testing.T) {
	io, _, _, errOut := cmdutil.TestStreams(true)
	if code := root.Main(io, []string{"setup", "extra"}); code != cmdutil.ExitUsage {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, cmdutil.ExitUsage, errOut)
	}
}
