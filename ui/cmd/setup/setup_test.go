package setup_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard"
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

// TestQuittingOnACredentialsFailureExitsFour runs the wizard program whose
// cloud client cannot be built: quitting on that failure ends with the
// credentials exit code, not as a plain cancel.
func TestQuittingOnACredentialsFailureExitsFour(t *testing.T) {
	noCreds := func(context.Context, string) (cloud.API, error) {
		return nil, &cloud.Error{Kind: cloud.KindCredentials, API: "credentials", Message: "no Alibaba Cloud credentials found"}
	}
	keys, press := io.Pipe()
	go func() {
		time.Sleep(300 * time.Millisecond) // the failure is on screen by then
		_, _ = press.Write([]byte("q"))
	}()
	err := wizard.Run(context.Background(), wizard.Deps{Cloud: noCreds}, styles.New(false), &text.English, keys, io.Discard, io.Discard, nil)
	if err == nil || errors.Is(err, wizard.ErrCancelled) {
		t.Fatalf("Run = %v, want the credentials failure", err)
	}
	if code := cmdutil.CodeOf(err); code != cmdutil.ExitCredentials {
		t.Errorf("exit code %d for %v, want %d", code, err, cmdutil.ExitCredentials)
	}
}
