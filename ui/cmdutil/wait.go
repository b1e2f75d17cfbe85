package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
)

// waitValue is the --wait flag: a flow.WaitMode, "running" when given
// without a value.
type waitValue struct{ mode *flow.WaitMode }

func (v waitValue) String() string { return string(*v.mode) }
func (v waitValue) Type() string   { return "mode" }
func (v waitValue) Set(s string) error {
	m, err := flow.ParseWaitMode(s)
	if err != nil {
		return err
	}
	*v.mode = m
	return nil
}

// BindWait registers --wait[=available|running|none], --timeout and
// --grace on cmd; apply and remove share them with status.
func BindWait(cmd *cobra.Command, mode *flow.WaitMode, timeout, grace *time.Duration) {
	*mode = flow.WaitNone
	cmd.Flags().Var(waitValue{mode}, "wait", "wait until the links are up (available) or also the cluster running in the mesh (running, the default of --wait); none does not wait")
	cmd.Flags().Lookup("wait").NoOptDefVal = string(flow.WaitRunning)
	cmd.Flags().DurationVar(timeout, "timeout", 15*time.Minute, "how long --wait waits")
	cmd.Flags().DurationVar(grace, "grace", flow.DefaultGrace, "how long a cause only a person can fix must hold before --wait gives up on it (exit 3)")
}

// WaitOptions bound a wait on the links.
type WaitOptions struct {
	Timeout, Grace time.Duration
	// Interval is the first pause between polls; 0 is flow's default.
	Interval time.Duration
}

// WaitLinks waits for target on the mesh of session l, reading the live
// object, the mesh's clusters and PrivateLink on every poll. On stderr it says how
// long it has waited and what for whenever that changes (and every
// progressEvery otherwise). It returns the last state seen (nil when none
// was) and nil when target is reached; a cause only a person can fix that
// held for the grace period exits 3 with the cause and its fix; a timeout
// exits 124 with the last state and cause.
func WaitLinks(ctx context.Context, f *Factory, l *session.Session, target flow.WaitTarget, w WaitOptions) (*flow.LinkState, error) {
	st := styles.New(f.Color(f.IO.IsStderrTTY()))
	var last *flow.LinkState
	what := flow.WaitWhat(l.Env.Mesh.ID, target)
	fmt.Fprintf(f.IO.ErrOut, "Waiting up to %s for %s.\n", w.Timeout, what)
	lastLine, lastAt := "", time.Duration(0)
	err := l.Wait(ctx, target, flow.WaitOptions{
		Interval: w.Interval, Timeout: w.Timeout, Grace: w.Grace,
		Observe: func(a flow.Attempt) {
			line := render.WaitLine(st, a)
			if plainState(a) != lastLine || a.Elapsed-lastAt >= progressEvery || a.Done {
				lastLine, lastAt = plainState(a), a.Elapsed
				fmt.Fprintln(f.IO.ErrOut, line)
			}
		},
	}, func(s flow.LinkState) { last = &s })
	var term *flow.TerminalError
	var te *flow.TimeoutError
	// A timeout wraps the last cause, which may be terminal: it goes first.
	switch {
	case errors.As(err, &te):
		return last, WithCode(ExitTimeout, err)
	case errors.As(err, &term):
		return last, WithCode(ExitChecks, fmt.Errorf("gave up waiting for %s: the cause held for %s: %w", what, term.Held.Round(time.Second), err))
	}
	return last, err
}

// progressEvery is how often a wait repeats its progress line when the
// state does not change, so the time spent stays visible in logs.
const progressEvery = 30 * time.Second

// plainState is what a progress line says apart from the time, to tell
// whether the state changed.
func plainState(a flow.Attempt) string {
	if a.Terminal != nil {
		return "terminal " + a.Terminal.Key
	}
	if a.Err != nil {
		return "error " + a.Err.Error()
	}
	return a.State
}

// FixContext returns ctx for running fixes (Fix.Apply): a wait a fix makes
// (adding a cluster to the mesh waits for the mesh to be running again)
// says on stderr what it waits for and what it last saw, when that changes.
func FixContext(ctx context.Context, f *Factory) context.Context {
	st := styles.New(f.Color(f.IO.IsStderrTTY()))
	last := ""
	return flow.WithWaitObserver(ctx, func(a flow.Attempt) {
		if s := a.What + plainState(a); s != last || a.Done {
			last = s
			fmt.Fprintln(f.IO.ErrOut, render.WaitLine(st, a))
		}
	})
}
