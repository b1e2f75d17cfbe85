// Package step is the contract between the wizard's root model and its
// steps: the Step interface every step implements, the Shared state the
// root holds and the steps read, and the messages a step sends the root.
// Each step is its own package that imports this one and ui/common, never
// another step, so a step can be read, tested and changed alone.
package step

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
)

// Step is one screen of the wizard, a component on ui/common: it owns its
// state, takes its words from the catalogue, and tells the root what the
// person chose only through the messages of this package.
type Step interface {
	// Enter starts the step when the wizard moves forward to it, and
	// returns its first command (a listing, say). Going back shows a
	// step as it was, without Enter.
	Enter() tea.Cmd
	// Update handles a key the root does not take, and the results of the
	// step's own commands.
	Update(msg tea.Msg) tea.Cmd
	// View is the body of the screen: a pure function of the step's state.
	View() string
	// Narration is what the accessible driver says of the step, in lines
	// with no redraws; it is said again whenever it changes.
	Narration() string
	// SetSize gives the step the body's room.
	SetSize(width, height int)
	// Keys are the step's own keys, for the help line.
	Keys() []key.Binding
	// Status is what the root's status line and global keys need.
	Status() Status
	// Question is what the step waits for the person to answer, nil while
	// it waits for nothing but the cloud.
	Question() *common.Question
}

// Status is a step's state as the root sees it.
type Status struct {
	// Loading says what the step is waiting for; "" when nothing.
	Loading string
	// Failure is the failed command on screen; r retries it (RetryMsg)
	// when CanRetry.
	Failure  *common.ErrorMsg
	CanRetry bool
	// Unresolved is a failure no longer on screen that still stands (a
	// write that never succeeded): quitting reports it, with its exit
	// code, instead of a plain cancel.
	Unresolved *common.ErrorMsg
	// Prompt is the question that has the keyboard, drawn for the status
	// line; every key but ctrl+c goes to the step while it is up.
	Prompt string
	// Notice is a line the step says on the status line until the next
	// key: why the row enter was pressed on cannot be chosen, say.
	Notice string
	// Focused means a list's filter has the keyboard, so the global keys
	// are the ones no letter triggers; Typing that esc clears the filter
	// instead of going back.
	Focused, Typing bool
}

// Shared is what the steps read: the run's context and ways to reach the
// world, the cloud and session, the choices made (flow.Wizard), and what
// was done so far. Only the root changes it, on the messages below.
type Shared struct {
	Ctx    context.Context
	Deps   Deps
	Common common.Common
	API    cloud.API
	Sess   *session.Session
	W      *flow.Wizard
	// Edge is whether the chosen cluster is an ACK Edge cluster.
	Edge bool
	// Force is the consent to take over other field managers' fields,
	// given for one reviewed change.
	Force bool
	// Plan is the change as reviewed, then as applied.
	Plan *session.Result
	// Live is the status and the look at the cloud when the links
	// settled.
	Live Live
	// Running is whether the cluster runs in the mesh at the end of the
	// SAN step.
	Running bool
	// Done is what was done, in order, for the summary.
	Done []string
	// Written is the file the reviewed ASMPvlConfig was written to.
	Written string
	// Output is what the wizard prints on stdout once it has exited.
	Output []byte
	outbox []tea.Msg
}

// Live is the links as last seen.
type Live struct {
	Config *spec.ASMPvlConfig
	Obs    flow.Observation
	Status string
}

// Change is the change the review and the apply both use.
func (s *Shared) Change() session.Change {
	return s.Sess.Change(s.W.ClusterID(), s.W.Intent(), s.W.Pairs())
}

// ExportYAML is the change r (as reviewed or applied) as a file to apply,
// with the header that names the cloud facts it was built from.
func (s *Shared) ExportYAML(r *session.Result) []byte {
	if r == nil {
		return nil
	}
	return spec.Encode(spec.ForFile(r.After, r.Before), spec.EncodeOptions{Header: &spec.Header{
		Producer: "asmlink setup", MeshID: s.W.MeshID(), Facts: s.Sess.Env.Facts(),
	}})
}

// The messages a step sends the root. Each says what the person chose or
// what happened; the root records it in Shared and flow.Wizard and moves.
type (
	// NextMsg: the step is done, go forward.
	NextMsg struct{}
	// RetryMsg is the retry key, sent to a step whose Status allows it.
	RetryMsg struct{}
	// RegionMsg switches the region: a new cloud client, then the mesh
	// step again.
	RegionMsg struct{ Region string }
	// MeshMsg chose the ASM instance; the root loads its session.
	MeshMsg struct{ ID string }
	// ClusterMsg chose the ACK cluster and what to do with it.
	ClusterMsg struct {
		ID     string
		Intent flow.Intent
		Edge   bool
	}
	// PairMsg chose the vSwitch pair.
	PairMsg struct{ Pair flow.Pair }
	// ReloadMsg lists the cloud again (after a vSwitch was created by
	// hand) and starts the current step again.
	ReloadMsg struct{}
	// PreflightMsg carries a run of the checks and the session they ran
	// on, fresh when the run reloaded it.
	PreflightMsg struct {
		Sess    *session.Session
		Results []flow.Result
	}
	// DidMsg is something done, for the summary.
	DidMsg struct{ Line string }
	// ReviewedMsg is the consent to go on with the change reviewed.
	ReviewedMsg struct{ Result *session.Result }
	// ReviewAgainMsg goes back from the action to the review, before
	// anything is applied, with Force: what the server would store changed.
	ReviewAgainMsg struct{ Force bool }
	// ApplyMsg is the consent to apply: the root marks the change in
	// flight, then runs Run, whose result the step gets.
	ApplyMsg struct{ Run tea.Cmd }
	// AppliedMsg is the end of the apply: Result is what the server
	// stored, or Err why nothing was changed.
	AppliedMsg struct {
		Result *session.Result
		Err    error
	}
	// ExportMsg finishes without applying; Output, when set, is printed on
	// stdout after the wizard exits.
	ExportMsg struct{ Output []byte }
	// WrittenMsg is the end of a write of the ASMPvlConfig to Path.
	WrittenMsg struct {
		Path string
		Err  error
	}
	// SettledMsg: the links settled; SANNeeded says whether the SAN step
	// comes next. Continue goes on to it: the person pressed enter, and
	// the settlement it saw goes with the key, so the root never moves on
	// a state it has not recorded yet.
	SettledMsg struct {
		SANNeeded, Continue bool
		Live                Live
	}
	// SANMsg is the consent to append the domain: the root marks the
	// change in flight, then runs Run.
	SANMsg struct{ Run tea.Cmd }
	// SANDoneMsg is the end of the SAN step: the cluster runs in the mesh,
	// or Err says why not. Continue goes on to the summary, as
	// SettledMsg's does.
	SANDoneMsg struct {
		Err      error
		Continue bool
	}
	// InjectMsg opens the sidecar injection screen over the summary, for
	// an ACK Edge cluster that runs in the mesh; CloseMsg goes back.
	InjectMsg struct{}
	CloseMsg  struct{}
	// QuitMsg ends the wizard with Err (the accessible driver's way out of
	// a step the person will not go on with).
	QuitMsg struct{ Err error }
)

// Write writes data to path with the Deps' writer (atomically, and never
// over a file that is not an ASMPvlConfig) and reports a WrittenMsg.
func Write(d Deps, path string, data []byte) tea.Cmd {
	return func() tea.Msg { return WrittenMsg{Path: path, Err: d.WriteFile(path, data)} }
}

// Tell sends msg, one of the messages above, to the root, which handles it
// as soon as the step's Update (or Enter) returns, before any other
// message: what a step tells the root is recorded in order and at once,
// never after a key that depends on it. It returns nil, so a step can
// return it as its command.
func (s *Shared) Tell(msg tea.Msg) tea.Cmd {
	s.outbox = append(s.outbox, msg)
	return nil
}

// Told takes the messages the steps told the root since the last call.
func (s *Shared) Told() []tea.Msg {
	msgs := s.outbox
	s.outbox = nil
	return msgs
}

// Send is a command that delivers msg, for a step's own messages.
func Send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
