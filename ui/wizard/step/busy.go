package step

import (
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/ui/common"
)

// Busy is what a step is waiting for, what failed, and how r retries it:
// the part of its Status every step with commands shares.
type Busy struct {
	Loading   string
	Failure   *common.ErrorMsg
	retry     tea.Cmd
	retryWhat string
}

// Start shows that what is being loaded by cmd, and keeps cmd so that a
// failure can be retried with r.
func (b *Busy) Start(what string, cmd tea.Cmd) tea.Cmd {
	b.Loading, b.Failure, b.retry, b.retryWhat = what, nil, cmd, what
	return cmd
}

// Change shows that cmd, which changes the account or the mesh, runs. It is
// never retried with r as it stands: a failure asks for consent again
// (SetRetry), and a success leaves nothing to retry.
func (b *Busy) Change(what string, cmd tea.Cmd) tea.Cmd {
	b.Loading, b.Failure, b.retry, b.retryWhat = what, nil, nil, what
	return cmd
}

// Done ends the wait.
func (b *Busy) Done() { b.Loading = "" }

// Fail shows that op failed with err.
func (b *Busy) Fail(op string, err error) {
	b.Loading, b.Failure = "", &common.ErrorMsg{Op: op, Err: err}
}

// SetRetry makes r run cmd, showing what.
func (b *Busy) SetRetry(what string, cmd tea.Cmd) { b.retry, b.retryWhat = cmd, what }

// Retry runs the retry command again, or nothing.
func (b *Busy) Retry() tea.Cmd {
	if b.retry == nil {
		return nil
	}
	return b.Start(b.retryWhat, b.retry)
}

// Waiting tells whether keys other than the global ones must wait: a load
// runs or a failure is shown.
func (b *Busy) Waiting() bool { return b.Loading != "" || b.Failure != nil }

// Status is the busy part of a step's Status.
func (b *Busy) Status() Status {
	return Status{Loading: b.Loading, Failure: b.Failure, CanRetry: b.Loading == "" && b.retry != nil}
}
