// Package prompt asks every question asmlink asks outside the wizard's
// screen (and the wizard's questions in accessible mode): choices, yes/no
// consents and lines of text, all through huh. On a terminal each question
// is a small huh form; in accessible mode (--accessible, ACCESSIBLE=1,
// TERM=dumb) huh asks it as numbered lines with no redraws and no escape
// codes. One Prompter reads one input for the whole run, so an answer typed
// ahead (or piped) is never lost between questions. Ctrl-C, or the end of
// the input, cancels the question at once with ErrCancelled (exit 130);
// nothing is ever answered by default because input ran out.
package prompt

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"charm.land/huh/v2"
	"github.com/charmbracelet/x/term"

	"github.com/asmlink/asmlink/spec"
)

// ErrCancelled means the person cancelled a question (Ctrl-C, Esc on a
// terminal), or the input ended before it was answered. It wraps
// context.Canceled, so every command exits 130 on it.
var ErrCancelled = fmt.Errorf("cancelled before the question was answered: %w", context.Canceled)

// Prompter asks questions on out and reads the answers from in.
type Prompter struct {
	out        io.Writer
	in         io.Reader
	accessible bool
	color      bool
	lines      *lineReader
}

// Options say how a Prompter asks.
type Options struct {
	// Accessible asks in huh's accessible mode: numbered lines.
	Accessible bool
	// Color lets the terminal forms use colour; accessible mode never does.
	Color bool
}

// New returns a prompter that asks on out and reads in.
func New(in io.Reader, out io.Writer, opts Options) *Prompter {
	p := &Prompter{out: out, in: in, accessible: opts.Accessible, color: opts.Color}
	if opts.Accessible {
		p.lines = newLineReader(in)
	}
	return p
}

// Accessible tells whether questions are asked as lines.
func (p *Prompter) Accessible() bool { return p.accessible }

// Say writes a line of text between questions.
func (p *Prompter) Say(format string, args ...any) {
	fmt.Fprintf(p.out, format+"\n", args...)
}

// Choice is one answer of Select. A choice with a Reason cannot be chosen:
// it is listed with the reason, so the person sees why.
type Choice struct {
	Label  string
	Reason string
}

// Select asks which of choices; def is the index proposed first (the first
// choice that can be chosen when def cannot be). It returns the index.
func (p *Prompter) Select(ctx context.Context, title string, choices []Choice, def int) (int, error) {
	// Titles and labels carry names from the cloud: escaped before huh
	// shows them.
	title = spec.Printable(title)
	opts := make([]huh.Option[int], len(choices))
	first := -1
	for i, c := range choices {
		label := spec.Printable(c.Label)
		if c.Reason != "" {
			label += " (cannot be chosen: " + spec.Printable(c.Reason) + ")"
		} else if first < 0 {
			first = i
		}
		opts[i] = huh.NewOption(label, i)
	}
	if first < 0 {
		return -1, fmt.Errorf("%s: no choice can be chosen", title)
	}
	if def < 0 || def >= len(choices) || choices[def].Reason != "" {
		def = first
	}
	v := def
	field := huh.NewSelect[int]().Title(title).Options(opts...).Value(&v).Validate(func(i int) error {
		if r := choices[i].Reason; r != "" {
			return fmt.Errorf("%d cannot be chosen: %s", i+1, r)
		}
		return nil
	})
	if err := p.run(ctx, field, title, func() string { return spec.Printable(choices[v].Label) }); err != nil {
		return -1, err
	}
	return v, nil
}

// Confirm asks a yes/no question whose answer is no unless the person says
// yes.
func (p *Prompter) Confirm(ctx context.Context, question string) (bool, error) {
	question = spec.Printable(question)
	var yes bool
	answer := func() string {
		if yes {
			return "Yes"
		}
		return "No"
	}
	if err := p.run(ctx, huh.NewConfirm().Title(question).Affirmative("Yes").Negative("No").Value(&yes), question, answer); err != nil {
		return false, err
	}
	return yes, nil
}

// Input asks for a line of text, proposing def; validate, when set, keeps
// asking until it accepts the answer.
func (p *Prompter) Input(ctx context.Context, title, def string, validate func(string) error) (string, error) {
	title = spec.Printable(title)
	v := def
	field := huh.NewInput().Title(title).Value(&v)
	if validate != nil {
		field = field.Validate(validate)
	}
	if err := p.run(ctx, field, title, func() string { return v }); err != nil {
		return "", err
	}
	return v, nil
}

// run asks one field. A terminal form vanishes once answered, so the
// question and its answer are then written as one line: the scrollback
// keeps what was asked and what was consented to. huh's accessible mode has no way to stop a question
// (it reads until it gets a valid answer, and takes the default at the end
// of input), so the line reader ends the question itself: when ctx ends or
// the input ends, its Read panics with an abort that run recovers here, at
// once, and returns as ErrCancelled.
func (p *Prompter) run(ctx context.Context, field huh.Field, title string, answer func() string) (err error) {
	form := huh.NewForm(huh.NewGroup(field)).WithShowHelp(!p.accessible).WithOutput(p.out)
	if p.accessible {
		form = form.WithAccessible(true).WithTheme(plainTheme).WithInput(p.lines.bind(ctx))
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(abort); !ok {
					panic(r)
				}
				fmt.Fprintln(p.out)
				err = ErrCancelled
			}
		}()
	} else {
		theme := huh.ThemeFunc(huh.ThemeBase)
		if p.color {
			theme = huh.ThemeFunc(huh.ThemeCharm)
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		form = form.WithTheme(theme).WithInput(endCancels(p.in, cancel))
	}
	err = form.RunWithContext(ctx)
	switch {
	case ctx.Err() != nil || errors.Is(err, huh.ErrUserAborted):
		return ErrCancelled
	case err != nil:
		return err
	}
	if !p.accessible {
		fmt.Fprintf(p.out, "%s %s\n", title, answer())
	}
	return nil
}

// endCancels makes the end of an input that is not a terminal cancel the
// form (a terminal's own input never ends, and must stay the *os.File so
// Bubble Tea can put it in raw mode): a form would otherwise wait forever.
// The keys read just before the end are handled first: the cancel comes
// endGrace later.
func endCancels(in io.Reader, cancel context.CancelFunc) io.Reader {
	if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		return in
	}
	return &cancelAtEnd{in: in, cancel: cancel}
}

type cancelAtEnd struct {
	in     io.Reader
	cancel context.CancelFunc
}

func (c *cancelAtEnd) Read(b []byte) (int, error) {
	n, err := c.in.Read(b)
	if err != nil {
		time.AfterFunc(endGrace, c.cancel)
	}
	return n, err
}

// endGrace is how long a form goes on after its input ended. The keys read
// before the end are already queued, but a loaded machine (a CI run with
// API servers starting beside it) can take far longer than a human would
// notice to handle them; a short grace turned a typed "y" into a cancel.
const endGrace = 2 * time.Second

// plainTheme styles nothing: accessible output carries no escape codes.
var plainTheme = huh.ThemeFunc(func(bool) *huh.Styles { return &huh.Styles{} })

// abort is what lineReader panics with to end an accessible question.
type abort struct{}

// lineReader gives huh one line per Read. huh's accessible mode makes a new
// bufio.Scanner for every question; a Scanner on the raw input would read
// ahead and swallow the answers to later questions. A single goroutine
// reads the input, so a question cancelled while waiting loses nothing.
type lineReader struct {
	once    sync.Once
	in      io.Reader
	lines   chan string
	pending string
	ctx     context.Context
}

func newLineReader(in io.Reader) *lineReader {
	return &lineReader{in: in, lines: make(chan string)}
}

// bind makes the reader's Reads end when ctx ends, for one question.
func (l *lineReader) bind(ctx context.Context) io.Reader {
	l.once.Do(func() { go l.readLines() })
	l.ctx = ctx
	return l
}

func (l *lineReader) readLines() {
	r := bufio.NewReader(l.in)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			if err != nil {
				line += "\n"
			}
			l.lines <- line
		}
		if err != nil {
			close(l.lines)
			return
		}
	}
}

// Read returns the rest of the current line, or the next line; it aborts
// the question when the input ends or the question's context does.
func (l *lineReader) Read(b []byte) (int, error) {
	if l.pending == "" {
		select {
		case line, ok := <-l.lines:
			if !ok {
				panic(abort{})
			}
			l.pending = line
		case <-l.ctx.Done():
			panic(abort{})
		}
	}
	n := copy(b, l.pending)
	l.pending = l.pending[n:]
	return n, nil
}
