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
	// Observe, when set, is told about every attempt, so a spinner or a log
	// line can show what is being waited for and the last state seen.
	Observe func(Attempt)
}

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

// Wait polls cond until it is done, it returns a Permanent error, the
// timeout passes or ctx ends. The pause between attempts starts at
// Interval and doubles up to MaxInterval. On timeout it returns a
// *TimeoutError carrying the last state and error it saw; when ctx is
// cancelled it returns an error wrapping context.Canceled with the same
// detail.
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
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	start := time.Now()
	var lastState string
	var lastErr error
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
		if err != nil {
			lastErr = err
		}
		if opts.Observe != nil {
			opts.Observe(Attempt{What: what, N: n, Elapsed: time.Since(start), State: state, Err: err, Done: done && err == nil})
		}
		var perm *permanentError
		switch {
		case errors.As(err, &perm):
			return fmt.Errorf("waiting for %s: %w", what, perm.err)
		case err == nil && done:
			return nil
		}
		timer.Reset(interval)
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
