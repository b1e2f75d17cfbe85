package flow

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// WaitOptions says how often and how long Wait polls. The zero value polls
// every two seconds, never slower than thirty seconds, until the context ends.
type WaitOptions struct {
	// Interval is the pause before the second attempt; default 2s.
	Interval time.Duration
	// MaxInterval caps the pause as it doubles after each attempt; default
	// 30s, and never below Interval.
	MaxInterval time.Duration
	// Timeout bounds the whole wait; zero means only the context bounds it.
	Timeout time.Duration
	// Grace is how long a terminal cause (an error wrapped with Terminal)
	// must hold, unchanged, before Wait gives up on it; default one minute.
	// It lets a cause that only looked terminal for a moment, while ASM and
	// PrivateLink catch up with each other, clear by itself.
	Grace time.Duration
	// Observe, when set, is told about every attempt, so a spinner or a log
	// line can show what is being waited for and the last state seen.
	Observe func(Attempt)
}

// DefaultGrace is how long a terminal cause holds before a wait ends on it
// when WaitOptions.Grace is zero.
const DefaultGrace = time.Minute

// Attempt is one poll of a wait as an observer sees it.
type Attempt struct {
	// What is being waited for, e.g. "ASMPvlConfig default to be Available".
	What string
	// N counts attempts from 1.
	N int
	// Elapsed is the time since the wait began.
	Elapsed time.Duration
	// State is what the condition reported, e.g. "status Provisioning".
	State string
	// Err is the transient error of this attempt, if any.
	Err error
	// Terminal is the terminal cause seen in this attempt, if any, and
	// Held how long it has held; the wait ends on it when Held reaches
	// Grace.
	Terminal *TerminalError
	Held     time.Duration
	Grace    time.Duration
	// Done tells whether the condition was met.
	Done bool
}

// Condition reports whether the awaited state has been reached and, either
// way, a short description of the state it observed. An error is a transient
// cause that is kept and retried, unless it is wrapped with Permanent.
type Condition func(ctx context.Context) (done bool, state string, err error)

// permanentError marks an error that ends a wait at once.
type permanentError struct{ err error }

func (p *permanentError) Error() string { return p.err.Error() }
func (p *permanentError) Unwrap() error { return p.err }

// Permanent wraps err so that Wait returns it immediately instead of
// retrying, for causes that no amount of waiting will fix.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// TerminalError is a cause that waiting will not fix, only a person: the
// wait ends with it once it has held for the grace period. Key identifies
// the cause, so that a different cause starts the grace period again.
type TerminalError struct {
	Key string
	Err error
	// Held is how long the cause had held when the wait ended on it.
	Held time.Duration
}

func (e *TerminalError) Error() string { return e.Err.Error() }
func (e *TerminalError) Unwrap() error { return e.Err }

// Terminal wraps err as a terminal cause identified by key: Wait keeps
// polling while it holds for less than the grace period, and returns it
// once it has held that long.
func Terminal(key string, err error) error {
	if err == nil {
		return nil
	}
	return &TerminalError{Key: key, Err: err}
}

// TimeoutError is returned when a wait runs out of time. It names what was
// awaited and the last state and cause observed, and it matches
// context.DeadlineExceeded with errors.Is so callers exit with code 124.
type TimeoutError struct {
	What      string
	Elapsed   time.Duration
	Attempts  int
	LastState string
	LastErr   error
}

func (e *TimeoutError) Error() string {
	msg := fmt.Sprintf("timed out after %s waiting for %s", e.Elapsed.Round(time.Second), e.What)
	if e.LastState != "" {
		msg += "; last state: " + e.LastState
	}
	if e.LastErr != nil {
		msg += "; last error: " + e.LastErr.Error()
	}
	return msg
}

// Unwrap lets errors.Is find context.DeadlineExceeded and the last cause.
func (e *TimeoutError) Unwrap() []error {
	if e.LastErr != nil {
		return []error{context.DeadlineExceeded, e.LastErr}
	}
	return []error{context.DeadlineExceeded}
}

// Wait polls cond until it is done, it returns a Permanent error, a
// Terminal error holds for the grace period, the timeout passes or ctx
// ends. The pause between attempts starts at Interval and doubles up to
// MaxInterval, and never outlasts the rest of a grace period. On timeout it
// returns a *TimeoutError carrying the last state and error it saw; on a
// terminal cause the *TerminalError; when ctx is cancelled an error
// wrapping context.Canceled with the same detail.
func Wait(ctx context.Context, what string, opts WaitOptions, cond Condition) error {
	interval := opts.Interval
	if interval <= 0 {
		interval = 2 * time.Second
	}
	maxInterval := opts.MaxInterval
	if maxInterval <= 0 {
		maxInterval = 30 * time.Second
	}
	maxInterval = max(maxInterval, interval)
	grace := opts.Grace
	if grace <= 0 {
		grace = DefaultGrace
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	start := time.Now()
	var lastState string
	var lastErr error
	var held *TerminalError
	var heldSince time.Time
	timer := time.NewTimer(0)
	defer timer.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return waitEnded(ctx, what, start, n-1, lastState, lastErr)
		case <-timer.C:
		}
		done, state, err := cond(ctx)
		if state != "" {
			lastState = state
		}
		var term *TerminalError
		switch {
		case errors.As(err, &term):
			if held == nil || held.Key != term.Key {
				heldSince = time.Now()
			}
			held = term
			term.Held = time.Since(heldSince)
		case err == nil:
			held = nil
		}
		if err != nil {
			lastErr = err
		}
		if opts.Observe != nil {
			a := Attempt{What: what, N: n, Elapsed: time.Since(start), State: state, Err: err, Done: done && err == nil, Grace: grace}
			if term != nil {
				a.Err, a.Terminal, a.Held = nil, term, term.Held
			}
			opts.Observe(a)
		}
		var perm *permanentError
		switch {
		case errors.As(err, &perm):
			return fmt.Errorf("waiting for %s: %w", what, perm.err)
		case term != nil && term.Held >= grace:
			return term
		case err == nil && done:
			return nil
		}
		pause := interval
		if term != nil {
			pause = max(min(pause, grace-term.Held), time.Millisecond)
		}
		timer.Reset(pause)
		interval = min(interval*2, maxInterval)
	}
}

// waitEnded builds the error for a wait whose context ended.
func waitEnded(ctx context.Context, what string, start time.Time, attempts int, lastState string, lastErr error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &TimeoutError{What: what, Elapsed: time.Since(start), Attempts: attempts, LastState: lastState, LastErr: lastErr}
	}
	detail := ""
	if lastState != "" {
		detail = " (last state: " + lastState + ")"
	}
	return fmt.Errorf("stopped waiting for %s%s: %w", what, detail, ctx.Err())
}
