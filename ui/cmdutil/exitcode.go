package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Exit codes of every asmlink command. Scripts depend on them, so they never
// change meaning and never depend on the output format.
const (
	ExitOK          = 0   // the command did what was asked
	ExitError       = 1   // anything that is not one of the cases below
	ExitUsage       = 2   // bad flags or arguments, unreadable input, no terminal where one is needed
	ExitChecks      = 3   // checks failed, or the link is not Available
	ExitCredentials = 4   // credentials missing or rejected, or permission denied
	ExitTimeout     = 124 // a wait ran out of time
	// asmlink diff keeps kubectl diff's contract: 1 is drift, and a
	// comparison that failed exits 5 instead of 1.
	ExitDrift      = 1
	ExitDiffFailed = 5
	ExitCancelled  = 130 // the person cancelled (ctrl-c, esc at a confirmation)
	// A signal other than an interrupt ended the run: 128 + the signal's
	// number, as shells report it.
	ExitHangup     = 129 // SIGHUP: the terminal went away
	ExitQuit       = 131 // SIGQUIT (ctrl-\)
	ExitTerminated = 143 // SIGTERM
)

// SignalCode is the exit code of a run a signal ended.
func SignalCode(s os.Signal) int {
	switch s {
	case syscall.SIGHUP:
		return ExitHangup
	case syscall.SIGQUIT:
		return ExitQuit
	case syscall.SIGTERM:
		return ExitTerminated
	}
	return ExitCancelled
}

// CodedError is an error that carries the exit code the process should end with.
type CodedError struct {
	Code int
	Err  error
}

func (e *CodedError) Error() string { return e.Err.Error() }
func (e *CodedError) Unwrap() error { return e.Err }

// WithCode wraps err so that the process exits with code.
func WithCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &CodedError{Code: code, Err: err}
}

// UsageErrorf reports bad input: the message should name the flag or field and the fix.
func UsageErrorf(format string, args ...any) error {
	return &CodedError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// ErrSilent ends the process with a code after the command has already told the
// person everything (for example a report with failed checks).
var ErrSilent = errors.New("silent")

// SilentExit returns an error that prints nothing and exits with code.
func SilentExit(code int) error { return &CodedError{Code: code, Err: ErrSilent} }

// CodeOf returns the exit code for err.
func CodeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *CodedError
	if errors.As(err, &ee) {
		return ee.Code
	}
	// The classifiers come first: a cloud call or API server request that
	// ran out of its own time carries a context.DeadlineExceeded, but
	// exits 1, not 124.
	for _, classify := range []func(error) (int, bool){cloudExitCode, kubeExitCode} {
		if code, ok := classify(err); ok {
			return code
		}
	}
	if errors.Is(err, context.Canceled) {
		return ExitCancelled
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ExitTimeout
	}
	return ExitError
}
