// Package plain asks questions one line at a time, for screen readers,
// TERM=dumb and --accessible: numbered choices, yes/no and free text, with no
// redraws and no escape codes. The end of input cancels instead of guessing
// an answer.
package plain

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ErrEndOfInput means input ended before a question was answered.
var ErrEndOfInput = errors.New("input ended before the question was answered")

// Prompter asks questions on out and reads answers from in.
type Prompter struct {
	in  *bufio.Reader
	out io.Writer
}

// New returns a prompter. in is read one line per answer.
func New(in io.Reader, out io.Writer) *Prompter {
	return &Prompter{in: bufio.NewReader(in), out: out}
}

// Say writes lines of text.
func (p *Prompter) Say(format string, args ...any) {
	fmt.Fprintf(p.out, format+"\n", args...)
}

func (p *Prompter) readLine() (string, error) {
	line, err := p.in.ReadString('\n')
	if err != nil && (line == "" || !errors.Is(err, io.EOF)) {
		return "", ErrEndOfInput
	}
	return strings.TrimSpace(line), nil
}

// Choice is one numbered answer; Disabled ones are listed with their reason
// and cannot be chosen.
type Choice struct {
	Label    string
	Disabled bool
}

// Choose lists the choices numbered from 1 and returns the index chosen.
// An empty answer takes def (when def is a valid, enabled index).
func (p *Prompter) Choose(title string, choices []Choice, def int) (int, error) {
	p.Say("%s", title)
	for i, c := range choices {
		mark := ""
		if c.Disabled {
			mark = " (cannot be chosen)"
		}
		p.Say("  %d. %s%s", i+1, c.Label, mark)
	}
	hasDef := def >= 0 && def < len(choices) && !choices[def].Disabled
	for {
		if hasDef {
			fmt.Fprintf(p.out, "Enter a number between 1 and %d [%d]: ", len(choices), def+1)
		} else {
			fmt.Fprintf(p.out, "Enter a number between 1 and %d: ", len(choices))
		}
		line, err := p.readLine()
		if err != nil {
			fmt.Fprintln(p.out)
			return -1, err
		}
		if line == "" && hasDef {
			return def, nil
		}
		n, err := strconv.Atoi(line)
		switch {
		case err != nil || n < 1 || n > len(choices):
			p.Say("%q is not a number between 1 and %d.", line, len(choices))
		case choices[n-1].Disabled:
			p.Say("%d cannot be chosen: %s", n, choices[n-1].Label)
		default:
			return n - 1, nil
		}
	}
}

// Confirm asks a yes/no question; the answer is no unless the person types
// y or yes.
func (p *Prompter) Confirm(question string) (bool, error) {
	fmt.Fprintf(p.out, "%s (y/N): ", question)
	line, err := p.readLine()
	if err != nil {
		fmt.Fprintln(p.out)
		return false, err
	}
	switch strings.ToLower(line) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// Input asks for a line of text; an empty answer takes def.
func (p *Prompter) Input(question, def string) (string, error) {
	fmt.Fprintf(p.out, "%s [%s]: ", question, def)
	line, err := p.readLine()
	if err != nil {
		fmt.Fprintln(p.out)
		return "", err
	}
	if line == "" {
		return def, nil
	}
	return line, nil
}
