// Package preflight is the wizard's fourth step: the preflight checks of
// the chosen cluster and pair, and their fixes, each run only with consent.
package preflight

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/prompt"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// Model is the preflight step.
type Model struct {
	s       *step.Shared
	busy    step.Busy
	results []flow.Result
	cursor  int
	// fix is the fix waiting for consent, nil when none is asked.
	fix     *flow.Fix
	consent *common.Consent
	scroll  common.Scroll
	keys    struct{ up, down, fix, next key.Binding }
	// width and height are the body's room: the checks scroll in what the
	// verdict pinned under them leaves.
	width, height int
}

type (
	checksMsg struct {
		sess    *session.Session
		results []flow.Result
	}
	fixedMsg struct{ err error }
	// fixMsg asks for consent to the fix of the result with this index.
	fixMsg int
	// againMsg runs the checks again.
	againMsg struct{}
	// askMsg asks for consent to the pending fix again, after it failed.
	askMsg struct{}
)

// New returns the preflight step.
func New(s *step.Shared) *Model {
	t := s.Common.Text
	m := &Model{s: s, scroll: common.NewScroll(t, false)}
	m.keys.up = key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", t.KeyMove))
	m.keys.down = key.NewBinding(key.WithKeys("down"))
	m.keys.fix = key.NewBinding(key.WithKeys("f"), key.WithHelp("f", t.KeyFix))
	m.keys.next = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyContinue))
	return m
}

// Enter runs the checks.
func (m *Model) Enter() tea.Cmd {
	m.cursor, m.results, m.fix, m.consent = 0, nil, nil, nil
	m.scroll.Top()
	return m.busy.Start(m.s.Common.Text.LoadingChecks, m.run(false))
}

// run runs the preflight checks for the choices. After a fix has changed
// the account, reloadFirst lists the cloud again before checking.
func (m *Model) run(reloadFirst bool) tea.Cmd {
	ctx, sess, interval := m.s.Ctx, m.s.Sess, m.s.Deps.RefreshEvery()
	clusterID, pairs := m.s.W.ClusterID(), m.s.W.Pairs()
	return func() tea.Msg {
		fresh := sess
		if reloadFirst {
			if r, err := sess.Reload(ctx); err == nil {
				fresh = r
			}
		}
		results := fresh.Preflight(ctx, clusterID, pairs, session.PreflightOptions{Interval: interval})
		return checksMsg{sess: fresh, results: results}
	}
}

// Update handles the checks, the fixes and the keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	t := m.s.Common.Text
	switch msg := msg.(type) {
	case checksMsg:
		m.busy.Done()
		m.busy.SetRetry(t.LoadingChecks, m.run(true))
		m.results = msg.results
		m.cursor = firstFixable(msg.results)
		m.SetSize(m.width, m.height)
		return m.s.Tell(step.PreflightMsg{Sess: msg.sess, Results: msg.results})
	case fixMsg:
		m.cursor = int(msg)
		m.ask()
	case againMsg:
		return m.busy.Start(t.LoadingChecks, m.run(true))
	case askMsg:
		m.busy.Done()
		m.consent = common.NewConsent(fmt.Sprintf(t.FixConfirmf, m.fix.Description))
	case fixedMsg:
		if msg.err != nil {
			m.busy.Fail(t.FixRunning, msg.err)
			// A change is retried only with consent again.
			m.busy.SetRetry(t.FixRunning, step.Send(askMsg{}))
			return nil
		}
		return tea.Batch(m.s.Tell(step.DidMsg{Line: m.fix.Description}), m.busy.Start(t.LoadingChecks, m.run(true)))
	case step.RetryMsg:
		return m.busy.Retry()
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if m.consent != nil {
		if common.Consented(&m.consent, k) {
			return m.runFix()
		}
		return nil
	}
	if m.busy.Waiting() {
		return nil
	}
	if ok, cmd := m.scroll.Key(k, m.content()); ok {
		return cmd
	}
	switch {
	case key.Matches(k, m.keys.up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(k, m.keys.down):
		m.cursor = min(m.cursor+1, max(len(m.results)-1, 0))
	case key.Matches(k, m.keys.fix):
		m.ask()
	case key.Matches(k, m.keys.next):
		if len(flow.Failed(m.results)) == 0 && m.results != nil {
			return m.s.Tell(step.NextMsg{})
		}
	}
	return nil
}

// ask asks for consent to the fix of the result under the cursor, when it
// failed and has one.
func (m *Model) ask() {
	if m.cursor >= len(m.results) {
		return
	}
	r := m.results[m.cursor]
	if r.Fix != nil && r.Fix.Apply != nil && r.Status == flow.StatusFail {
		m.fix = r.Fix
		m.consent = common.NewConsent(fmt.Sprintf(m.s.Common.Text.FixConfirmf, r.Fix.Description))
	}
}

func (m *Model) runFix() tea.Cmd {
	ctx, fix := m.s.Ctx, m.fix
	return m.busy.Change(m.s.Common.Text.FixRunning, func() tea.Msg { return fixedMsg{err: fix.Apply(ctx)} })
}

// View is the checks, scrolling, and pinned under them what they mean and
// the failed ones to fix, so the verdict is always on screen.
func (m *Model) View() string {
	if m.busy.Waiting() || m.results == nil {
		return ""
	}
	return m.scroll.View(m.content()) + "\n" + m.verdict()
}

func (m *Model) content() string {
	return strings.TrimRight(render.Checks(m.s.Common.Styles, m.width, m.results, render.CheckOptions{}), "\n")
}

// verdict says whether the change can be reviewed, and lists the failed
// checks with their fixes.
func (m *Model) verdict() string {
	st, t, width := m.s.Common.Styles, m.s.Common.Text, m.width
	if len(flow.Failed(m.results)) == 0 {
		// Warnings (a cross-zone pair, say) are not a pass: the screen
		// must not contradict what it shows above.
		if slices.ContainsFunc(m.results, func(r flow.Result) bool { return r.Status == flow.StatusWarn }) {
			return st.Warn.Render(common.Wrap(t.PreflightWarnings, width))
		}
		return st.Pass.Render(common.Wrap(t.PreflightAllPass, width))
	}
	var b strings.Builder
	b.WriteString(st.Warn.Render(common.Wrap(t.PreflightFailures, width)))
	for i, r := range m.results {
		if r.Status != flow.StatusFail {
			continue
		}
		label := string(r.Check.Code) + "  " + spec.Printable(r.Message)
		if r.Fix != nil && r.Fix.Apply != nil {
			label += "  [f: " + r.Fix.Description + "]"
		}
		b.WriteString("\n" + common.MenuLine(st, i == m.cursor, ansi.Truncate(label, max(width-2, 10), "…")))
	}
	return b.String()
}

// Narration is the checks, once they ran.
func (m *Model) Narration() string {
	if m.busy.Waiting() || m.results == nil {
		return ""
	}
	return render.Checks(m.s.Common.Styles, 0, m.results, render.CheckOptions{})
}

// SetSize gives the checks the body's room less the verdict's.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	pinned := 0
	if m.results != nil {
		pinned = strings.Count(m.verdict(), "\n") + 1
	}
	m.scroll.SetSize(width, max(height-pinned-1, 3))
}

// Keys are the cursor, the fix and continue.
func (m *Model) Keys() []key.Binding {
	return []key.Binding{m.keys.up, m.keys.fix, m.keys.next, m.scroll.Binding()}
}

// Status is the checks' run and the consent to a fix.
func (m *Model) Status() step.Status {
	st := m.busy.Status()
	st.Prompt = m.consent.Prompt(m.s.Common)
	return st
}

// Question asks for consent to a fix; after a run with failures, which fix
// to run, or to check again or stop.
func (m *Model) Question() *common.Question {
	t := m.s.Common.Text
	switch {
	case m.consent != nil:
		return m.consent.Question(func(yes bool) tea.Msg {
			if yes {
				return tea.KeyPressMsg{Code: 'y', Text: "y"}
			}
			return tea.KeyPressMsg{Code: 'n', Text: "n"}
		})
	case m.busy.Waiting() || m.results == nil:
		return nil
	}
	failed := flow.Failed(m.results)
	if len(failed) == 0 {
		return &common.Question{Kind: common.AskContinue, Answer: func(common.Answer) tea.Msg { return step.NextMsg{} }}
	}
	var choices []prompt.Choice
	var answers []tea.Msg
	for i, r := range m.results {
		if r.Status == flow.StatusFail && r.Fix != nil && r.Fix.Apply != nil {
			choices = append(choices, prompt.Choice{Label: fmt.Sprintf(t.Plain.FixChoicef, r.Fix.Description)})
			answers = append(answers, fixMsg(i))
		}
	}
	choices = append(choices, prompt.Choice{Label: t.Plain.CheckAgain}, prompt.Choice{Label: t.Plain.Stop})
	answers = append(answers, againMsg{}, step.QuitMsg{Err: fmt.Errorf("preflight check %s failed: %s", failed[0].Check.Code, failed[0].Message)})
	return &common.Question{Kind: common.AskSelect, Title: t.Plain.PreflightFailed, Choices: choices,
		Answer: func(a common.Answer) tea.Msg { return answers[a.Choice] }}
}

// firstFixable is the first failed result with a fix, where the cursor
// starts so that f runs it; 0 when there is none.
func firstFixable(results []flow.Result) int {
	for i, r := range results {
		if r.Status == flow.StatusFail && r.Fix != nil && r.Fix.Apply != nil {
			return i
		}
	}
	for i, r := range results {
		if r.Status == flow.StatusFail {
			return i
		}
	}
	return 0
}
