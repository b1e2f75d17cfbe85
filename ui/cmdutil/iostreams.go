package cmdutil

import (
	"bytes"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// IOStreams are the three streams of a command plus what is known about the
// terminal behind them. stdout carries data (YAML, JSON, reports); the TUI,
// progress and logs go to stderr.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	// Env is the process environment as KEY=VALUE pairs; tests pass their own.
	Env []string

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
}

// System returns the process's real streams.
func System() *IOStreams {
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		Env:       os.Environ(),
		stdinTTY:  term.IsTerminal(os.Stdin.Fd()),
		stdoutTTY: term.IsTerminal(os.Stdout.Fd()),
		stderrTTY: term.IsTerminal(os.Stderr.Fd()),
	}
}

// TestStreams returns streams backed by buffers, for tests. tty says whether
// they should behave as a terminal.
func TestStreams(tty bool) (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{
		In: in, Out: out, ErrOut: errOut,
		Env:      []string{},
		stdinTTY: tty, stdoutTTY: tty, stderrTTY: tty,
	}, in, out, errOut
}

// SetTTY overrides terminal detection, for tests.
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
}

// IsStdoutTTY tells whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY tells whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanPrompt tells whether the person can be asked questions: only when both
// stdin and stdout are terminals.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stdoutTTY }

// Getenv reads a variable from the streams' environment.
func (s *IOStreams) Getenv(key string) string {
	prefix := key + "="
	for i := len(s.Env) - 1; i >= 0; i-- {
		if len(s.Env[i]) >= len(prefix) && s.Env[i][:len(prefix)] == prefix {
			return s.Env[i][len(prefix):]
		}
	}
	return ""
}
