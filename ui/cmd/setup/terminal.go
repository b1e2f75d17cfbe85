package setup

import (
	"io"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/text"
)

// terminal is where the wizard reads keys and draws: stdin and stderr
// when they are terminals, else the controlling terminal (/dev/tty), as
// fzf and gum do, so that stdout can carry the reviewed YAML to a file
// (asmlink setup -o yaml > asmpvlconfig.yaml).
type terminal struct {
	in     io.Reader
	screen io.Writer
	// tty says whether screen is a terminal, for colour.
	tty   bool
	close func()
}

// openTTY opens the controlling terminal.
func openTTY() (*os.File, error) { return os.OpenFile("/dev/tty", os.O_RDWR, 0) }

// findTerminal finds the wizard's terminal for the command named command.
// Without one (no terminal on the streams and no controlling terminal, as
// in CI or a pipe from cron) it is a usage error that says how to run
// non-interactively.
func findTerminal(f *cmdutil.Factory, open func() (*os.File, error), command string) (*terminal, error) {
	if f.IO.CanPrompt() {
		return &terminal{in: f.IO.In, screen: f.IO.ErrOut, tty: f.IO.IsStderrTTY(), close: func() {}}, nil
	}
	notInteractive := cmdutil.UsageErrorf(text.Active().NotInteractivef, command)
	// Only a real process has a controlling terminal; streams a test or
	// an embedding program made have none.
	stdin, ok := f.IO.In.(*os.File)
	if !ok {
		return nil, notInteractive
	}
	if open == nil {
		open = openTTY
	}
	tty, err := open()
	if err != nil {
		return nil, notInteractive
	}
	t := &terminal{in: tty, screen: tty, tty: true, close: func() { _ = tty.Close() }}
	if term.IsTerminal(stdin.Fd()) {
		t.in = stdin
	}
	if f.IO.IsStderrTTY() {
		t.screen = f.IO.ErrOut
	}
	return t, nil
}
