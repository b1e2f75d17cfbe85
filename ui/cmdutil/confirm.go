package cmdutil

import (
	"context"
	"errors"

	"github.com/asmlink/asmlink/ui/prompt"
)

// Prompter is the run's one prompter (huh, accessible mode with
// --accessible, ACCESSIBLE=1 or TERM=dumb), asking on stderr. There is one
// per Factory, so one reader takes every answer from stdin.
func (f *Factory) Prompter() *prompt.Prompter {
	f.prompterOnce.Do(func() {
		f.prompter = prompt.New(f.IO.In, f.IO.ErrOut, prompt.Options{Accessible: f.Accessible(), Color: f.Color(f.IO.IsStderrTTY())})
	})
	return f.prompter
}

// Confirm asks for consent to a change described by question. yes (the
// --yes flag) gives it without asking. Without a terminal nobody can be
// asked, so it fails with a usage error naming --yes. On a terminal the
// Prompter asks; no, Ctrl-C or the end of input cancels (exit 130).
func (f *Factory) Confirm(ctx context.Context, question string, yes bool) error {
	if yes {
		return nil
	}
	if !f.IO.CanPrompt() {
		return UsageErrorf("`--yes` is required when not running interactively: %s", question)
	}
	ok, err := f.Prompter().Confirm(ctx, question)
	if err != nil {
		return err
	}
	if !ok {
		return WithCode(ExitCancelled, errors.New("cancelled: nothing was changed"))
	}
	return nil
}
