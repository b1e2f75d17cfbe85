package setup

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/ui/cmdutil"
)

// realStreams are the streams of a process whose stdin, stdout and stderr
// are all redirected to files: none is a terminal.
func realStreams(t *testing.T) *cmdutil.Factory {
	t.Helper()
	io, _, _, _ := cmdutil.TestStreams(false)
	in, err := os.Create(filepath.Join(t.TempDir(), "stdin"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = in.Close() })
	io.In = in
	return &cmdutil.Factory{IO: io, Options: &cmdutil.GlobalOptions{}}
}

// TestRedirectedStreamsDrawOnTheControllingTerminal: with stdout (and
// here stdin and stderr) redirected, the wizard reads keys from and draws
// on the controlling terminal, so stdout keeps only data.
func TestRedirectedStreamsDrawOnTheControllingTerminal(t *testing.T) {
	f := realStreams(t)
	tty, err := os.Create(filepath.Join(t.TempDir(), "tty"))
	if err != nil {
		t.Fatal(err)
	}
	term, err := findTerminal(f, func() (*os.File, error) { return tty, nil }, "asmlink setup")
	if err != nil {
		t.Fatal(err)
	}
	defer term.close()
	if term.in != tty || term.screen != tty || !term.tty {
		t.Fatalf("terminal = %+v, want keys and screen on the controlling terminal", term)
	}
	if term.screen == f.IO.Out {
		t.Fatal("the wizard draws on stdout")
	}
}

// TestNoTerminalAtAllSaysHowToRunNonInteractively: no stream is a terminal
// and there is no controlling terminal: exit 2, naming asmlink plan.
func TestNoTerminalAtAllSaysHowToRunNonInteractively(t *testing.T) {
	f := realStreams(t)
	_, err := findTerminal(f, func() (*os.File, error) { return nil, errors.New("no such device or address") }, "asmlink setup")
	if code := cmdutil.CodeOf(err); code != cmdutil.ExitUsage {
		t.Fatalf("exit code %d for %v, want %d", code, err, cmdutil.ExitUsage)
	}
	if !strings.Contains(err.Error(), "asmlink plan --mesh") || !strings.Contains(err.Error(), "needs a terminal") {
		t.Fatalf("the error does not say how to run non-interactively: %v", err)
	}
}
