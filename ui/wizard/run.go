package wizard

import (
	"context"
	"errors"
	"io"

	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// ErrCancelled means the person quit before the wizard finished.
var ErrCancelled = errors.New("cancelled before the wizard finished")

// Run runs the wizard on a terminal: the screen goes to screen (stderr), keys
// come from keys, and what the person asked to print goes to stdout after the
// screen is restored. Bubble Tea restores the terminal on every exit,
// panics included. It returns ErrCancelled when the person quit before the
// summary, or the failure on screen when they quit on one.
func Run(ctx context.Context, d Deps, st *styles.Styles, t *text.Catalog, keys io.Reader, screen, stdout io.Writer, env []string) error {
	m := New(ctx, d, st, t)
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(keys), tea.WithOutput(screen), tea.WithEnvironment(env))
	final, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, context.Canceled) {
		return ErrCancelled
	}
	if err != nil {
		return err
	}
	fm := final.(*Model)
	if out := fm.Output(); len(out) > 0 {
		if _, err := stdout.Write(out); err != nil {
			return err
		}
	}
	return fm.Err()
}
