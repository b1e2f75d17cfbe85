// Package wizard is the Bubble Tea wizard that leads an engineer from an ASM
// instance to an ACK cluster running in the mesh. It is a root model and one
// component per step (the packages under ui/wizard, on the contract of
// ui/wizard/step): the root holds navigation (forward, back, retry, quit),
// the cloud client and the session, and nothing of any step. Decisions live
// in flow and the use cases in flow/session; every piece of I/O runs in
// commands, never in Update or View. The same steps run on the screen and,
// for --accessible, as line-by-line huh questions (RunAccessible).
package wizard

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard/action"
	"github.com/asmlink/asmlink/ui/wizard/cluster"
	"github.com/asmlink/asmlink/ui/wizard/dashboard"
	"github.com/asmlink/asmlink/ui/wizard/mesh"
	"github.com/asmlink/asmlink/ui/wizard/pairing"
	"github.com/asmlink/asmlink/ui/wizard/preflight"
	"github.com/asmlink/asmlink/ui/wizard/review"
	"github.com/asmlink/asmlink/ui/wizard/san"
	"github.com/asmlink/asmlink/ui/wizard/step"
	"github.com/asmlink/asmlink/ui/wizard/summary"
)

// Deps is how the wizard reaches the world (step.Deps).
type Deps = step.Deps

// Model is the wizard's root: navigation, the cloud client and the session.
type Model struct {
	s      *step.Shared
	w      flow.Wizard
	cancel context.CancelFunc
	keys   keyMap
	steps  [int(flow.StepSummary) + 1]step.Step
	// extra is a screen opened over the summary (sidecar injection), nil
	// when none is.
	extra step.Step
	// busy is the root's own loads: the cloud client and the session.
	busy     step.Busy
	identity cloud.Identity
	spin     spinner.Model
	help     help.Model
	showHelp bool
	// quitting asks before quitting while a change is in flight.
	quitting *common.Consent
	// quitErr is how a step ended the wizard (QuitMsg).
	quitErr error
}

type (
	cloudMsg struct {
		api cloud.API
		err error
	}
	sessionMsg struct {
		sess *session.Session
		err  error
	}
)

// New returns the wizard. ctx bounds every call it makes.
func New(ctx context.Context, d Deps, st *styles.Styles, t *text.Catalog) *Model {
	ctx, cancel := context.WithCancel(ctx)
	m := &Model{cancel: cancel, keys: newKeyMap(t), spin: spinner.New(spinner.WithSpinner(spinner.MiniDot)), help: help.New()}
	m.s = &step.Shared{Ctx: ctx, Deps: d, W: &m.w, Common: common.Common{Width: 80, Height: 24, Styles: st, Text: t}}
	if !st.Color {
		m.help.Styles = help.Styles{}
	}
	m.steps = [...]step.Step{
		mesh.New(m.s), cluster.New(m.s), pairing.New(m.s), preflight.New(m.s), review.New(m.s),
		action.New(m.s), dashboard.New(m.s), san.New(m.s), summary.New(m.s),
	}
	m.busy.Start(t.LoadingMeshes, m.loadCloud(""))
	return m
}

// Init starts the spinner and the cloud client New prepared.
func (m *Model) Init() tea.Cmd { return tea.Batch(m.spin.Tick, m.busy.Retry()) }

// Output is what the wizard prints on stdout after it has exited: the
// ASMPvlConfig when the person asked for it, or with PrintReviewed the
// one reviewed, once the wizard reached its summary.
func (m *Model) Output() []byte {
	if m.s.Output == nil && m.s.Deps.PrintReviewed && m.w.Step() == flow.StepSummary {
		return m.s.ExportYAML(m.s.Plan)
	}
	return m.s.Output
}

// Err is how the wizard ended: nil on the summary; the error a step ended
// it with; when it was quit on a failure, or after a write that failed and
// was never retried, that failure, so its exit code (write, credentials,
// permission) tells scripts and people what went wrong; else ErrCancelled.
func (m *Model) Err() error {
	if m.w.Step() == flow.StepSummary {
		return nil
	}
	if m.quitErr != nil {
		return m.quitErr
	}
	st := m.current().Status()
	for _, f := range []*common.ErrorMsg{m.busy.Failure, st.Failure, st.Unresolved} {
		if f != nil {
			return fmt.Errorf("%s failed: %w", f.Op, f.Err)
		}
	}
	return ErrCancelled
}

func (m *Model) current() step.Step {
	if m.extra != nil {
		return m.extra
	}
	return m.steps[m.w.Step()]
}

func (m *Model) loadCloud(region string) tea.Cmd {
	ctx, cloudFor := m.s.Ctx, m.s.Deps.Cloud
	return func() tea.Msg {
		api, err := cloudFor(ctx, region)
		return cloudMsg{api: api, err: err}
	}
}

// loadSession lists everything the later steps need for the chosen mesh
// and reads its current ASMPvlConfig (session.Load).
func (m *Model) loadSession() tea.Cmd {
	ctx, api, id, connect := m.s.Ctx, m.s.API, m.w.MeshID(), m.s.Deps.Server
	return m.busy.Start(m.s.Common.Text.LoadingMesh, func() tea.Msg {
		s, err := session.Load(ctx, api, id, connect)
		return sessionMsg{sess: s, err: err}
	})
}

func (m *Model) setSize(w, h int) {
	m.s.Common.SetSize(w, h)
	m.help.SetWidth(w)
	body := max(h-m.chromeHeight(), 3)
	for _, s := range m.steps {
		s.SetSize(w, body)
	}
	if m.extra != nil {
		m.extra.SetSize(w, body)
	}
}

// Update handles one message: sizes, keys and the root's own results
// here, the steps' messages in record, everything else in the current
// step.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.setSize(msg.Width, msg.Height)
		return m, nil
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	if cmd, ok := m.record(msg); ok {
		return m, m.deliver(cmd)
	}
	return m, m.toStep(msg)
}

// toStep hands msg to the current step and then records what it told.
func (m *Model) toStep(msg tea.Msg) tea.Cmd { return m.deliver(m.current().Update(msg)) }

// deliver records, in order, the messages the steps told the root, and
// those their recording led to; it returns cmd with every command they
// started.
func (m *Model) deliver(cmd tea.Cmd) tea.Cmd {
	for msgs := m.s.Told(); len(msgs) > 0; msgs = m.s.Told() {
		for _, msg := range msgs {
			c, _ := m.record(msg)
			cmd = tea.Batch(cmd, c)
		}
	}
	return cmd
}

func (m *Model) quit() tea.Cmd {
	m.cancel()
	return tea.Quit
}

// askQuit quits, asking first while a change is in flight.
func (m *Model) askQuit() tea.Cmd {
	if m.w.InFlight() {
		m.quitting = common.NewConsent(m.s.Common.Text.QuitInFlight)
		return nil
	}
	return m.quit()
}

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if m.quitting != nil {
		if common.Consented(&m.quitting, k) {
			return m.quit()
		}
		return nil
	}
	if k.String() == "ctrl+c" {
		return m.askQuit()
	}
	st := m.status()
	if st.Prompt != "" {
		return m.toStep(k)
	}
	g := m.keys.globals(st.Focused)
	switch {
	case key.Matches(k, g.Quit):
		return m.askQuit()
	case key.Matches(k, g.Help):
		m.showHelp = !m.showHelp
		return nil
	case key.Matches(k, g.Retry):
		return m.retry()
	case key.Matches(k, g.Back) && !st.Typing:
		// From the action step, before anything is applied, back is the
		// review again (with its consent asked again).
		if m.w.Back() || m.w.ReviewAgain() {
			m.busy = step.Busy{}
			m.setSize(m.s.Common.Width, m.s.Common.Height)
		}
		return nil
	}
	// While the root loads, or its load failed, keys other than the
	// global ones wait: r retries, esc goes back.
	if m.busy.Waiting() {
		return nil
	}
	return m.toStep(k)
}

// status is the current step's status; while the root loads or shows a
// failure, no list has the keyboard.
func (m *Model) status() step.Status {
	st := m.current().Status()
	if m.busy.Waiting() {
		st.Focused = false
	}
	return st
}

// retry runs the failed load of the root again, or the current step's
// retry; nothing when neither has one.
func (m *Model) retry() tea.Cmd {
	if m.busy.Failure != nil {
		return m.busy.Retry()
	}
	if m.busy.Loading == "" && m.current().Status().CanRetry {
		return m.toStep(step.RetryMsg{})
	}
	return nil
}

// advance moves forward when the choices allow it, and starts the step.
func (m *Model) advance() tea.Cmd {
	if m.w.Advance() != nil {
		return nil
	}
	if m.w.Step() == flow.StepReview {
		// Consent to take over another manager's fields is given for one
		// reviewed change only.
		m.s.Force = false
	}
	return m.enter()
}

func (m *Model) enter() tea.Cmd {
	cmd := m.current().Enter()
	m.setSize(m.s.Common.Width, m.s.Common.Height)
	return m.deliver(cmd)
}
