// Package inject is the wizard's sidecar injection screen for an ACK Edge
// cluster that runs in the mesh, opened from the summary: the cluster's
// namespaces with their injection and why, a choice of what to turn on or
// off, the review of the change and its consent, and once ASM shows it,
// the workloads to restart.
package inject

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// Model is the injection screen.
type Model struct {
	s      *step.Shared
	busy   step.Busy
	edge   *session.Edge
	plan   *flow.InjectionPlan
	cursor int
	// want is the injection asked for each namespace, by name.
	want    map[string]bool
	consent *common.Consent
	// done is the namespaces after the change, and the workloads to
	// restart; nil before.
	done     []flow.NamespaceInjection
	restart  []flow.Workload
	changes  []flow.NamespaceInjection
	keys     struct{ move, toggle, next, close key.Binding }
	scroll   common.Scroll
	width    int
	finished bool
}

type (
	planMsg struct {
		plan *flow.InjectionPlan
		err  error
	}
	injectedMsg struct {
		after   []flow.NamespaceInjection
		restart []flow.Workload
		changes []flow.NamespaceInjection
		err     error
	}
)

// New returns the injection screen.
func New(s *step.Shared) *Model {
	t := s.Common.Text
	m := &Model{s: s, want: map[string]bool{}, scroll: common.NewScroll(t, false)}
	m.keys.move = key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", t.KeyMove))
	m.keys.toggle = key.NewBinding(key.WithKeys("space"), key.WithHelp("space", t.Inject.KeyToggle))
	m.keys.next = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyContinue))
	m.keys.close = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyBack))
	return m
}

// Enter reads the namespaces and their injection.
func (m *Model) Enter() tea.Cmd {
	edge, err := m.s.Sess.Edge(m.s.W.ClusterID())
	if err != nil {
		m.busy.Fail(m.s.Common.Text.Inject.Loading, err)
		return nil
	}
	m.edge = edge
	ctx := m.s.Ctx
	return m.busy.Start(m.s.Common.Text.Inject.Loading, func() tea.Msg {
		p, err := edge.Injection(ctx, flow.InjectionRequest{})
		return planMsg{plan: p, err: err}
	})
}

// request is the change asked for: each namespace whose wanted injection
// differs from what it has.
func (m *Model) request() flow.InjectionRequest {
	var req flow.InjectionRequest
	for _, n := range m.plan.Namespaces {
		if on, ok := m.want[n.Name]; ok && on != n.Enabled {
			if on {
				req.Enable = append(req.Enable, n.Name)
			} else {
				req.Disable = append(req.Disable, n.Name)
			}
		}
	}
	return req
}

// Update handles the reads, the change and the keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	t := m.s.Common.Text
	switch msg := msg.(type) {
	case planMsg:
		if msg.err != nil {
			m.busy.Fail(t.Inject.Loading, msg.err)
			return nil
		}
		m.busy.Done()
		m.plan = msg.plan
	case injectedMsg:
		if msg.err != nil {
			m.busy.Fail(t.Inject.Applying, msg.err)
			return nil
		}
		m.busy.Done()
		m.done, m.restart, m.changes, m.finished = msg.after, msg.restart, msg.changes, true
		for _, c := range m.changes {
			m.s.Tell(step.DidMsg{Line: fmt.Sprintf(t.Inject.Didf, onOff(t, c.Enabled), c.Name, m.s.W.ClusterID())})
		}
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
			return m.inject()
		}
		return nil
	}
	if key.Matches(k, m.keys.close) || (m.finished && key.Matches(k, m.keys.next)) {
		return m.s.Tell(step.CloseMsg{})
	}
	if m.busy.Waiting() || m.plan == nil || m.finished {
		return nil
	}
	n := len(m.plan.Namespaces)
	switch {
	case k.String() == "up":
		m.cursor = max(m.cursor-1, 0)
	case k.String() == "down":
		m.cursor = min(m.cursor+1, max(n-1, 0))
	case key.Matches(k, m.keys.toggle) && n > 0:
		ns := m.plan.Namespaces[m.cursor]
		m.want[ns.Name] = !m.wanted(ns)
	case key.Matches(k, m.keys.next):
		return m.review()
	}
	return nil
}

// wanted is the injection asked for ns, or the one it has.
func (m *Model) wanted(ns flow.NamespaceInjection) bool {
	if on, ok := m.want[ns.Name]; ok {
		return on
	}
	return ns.Enabled
}

// review asks for consent to the change asked for; with nothing to change
// it goes back to the summary.
func (m *Model) review() tea.Cmd {
	t := m.s.Common.Text
	req := m.request()
	var what []string
	for _, n := range req.Enable {
		what = append(what, onOff(t, true)+" "+n)
	}
	for _, n := range req.Disable {
		what = append(what, onOff(t, false)+" "+n)
	}
	if len(what) == 0 {
		return m.s.Tell(step.CloseMsg{})
	}
	m.consent = common.NewConsent(fmt.Sprintf(t.Inject.Confirmf, strings.Join(what, ", "), m.s.W.MeshID()))
	return nil
}

// inject plans the change again on the namespaces as they are now, makes
// it, and waits until ASM shows it.
func (m *Model) inject() tea.Cmd {
	ctx, edge, req := m.s.Ctx, m.edge, m.request()
	return m.busy.Change(m.s.Common.Text.Inject.Applying, func() tea.Msg {
		p, err := edge.Injection(ctx, req)
		if err != nil {
			return injectedMsg{err: err}
		}
		after, restart, err := edge.Inject(ctx, p)
		return injectedMsg{after: after, restart: restart, changes: p.Changes, err: err}
	})
}

func onOff(t *text.Catalog, on bool) string {
	if on {
		return t.Inject.On
	}
	return t.Inject.Off
}

// View is the namespaces with their injection, what is asked, and after
// the change the workloads to restart.
func (m *Model) View() string {
	if m.plan == nil {
		return ""
	}
	return m.scroll.View(m.content())
}

func (m *Model) content() string {
	st, t := m.s.Common.Styles, m.s.Common.Text
	var b strings.Builder
	b.WriteString(st.Header.Render(fmt.Sprintf(t.Inject.Titlef, m.s.W.ClusterID())) + "\n")
	policy := t.Inject.PolicyLabelled
	if m.plan.Policy.EnableNamespacesByDefault {
		policy = t.Inject.PolicyDefault
	}
	b.WriteString(st.Subtle.Render(common.Wrap(policy, m.width)) + "\n")
	nss := m.plan.Namespaces
	if m.finished {
		nss = m.done
	}
	for i, n := range nss {
		now, want := onOff(t, n.Enabled), onOff(t, m.wanted(n))
		line := fmt.Sprintf("%-20s %-4s %s", n.Name, now, spec.Printable(n.Reason))
		if !m.finished && want != now {
			line = fmt.Sprintf("%-20s %-4s → %s", n.Name, now, want)
		}
		b.WriteString(common.MenuLine(st, !m.finished && i == m.cursor, line) + "\n")
	}
	if !m.finished {
		b.WriteString("\n" + st.Subtle.Render(common.Wrap(t.Inject.Hint, m.width)))
		return b.String()
	}
	if len(m.restart) == 0 {
		b.WriteString("\n" + st.Pass.Render(common.Wrap(t.Inject.NoRestart, m.width)))
	} else {
		b.WriteString("\n" + st.Warn.Render(common.Wrap(t.Inject.Restart, m.width)))
		for _, w := range m.restart {
			b.WriteString("\n" + common.CopyLine(st.Code, w.Restart, "  ", m.width))
		}
	}
	b.WriteString("\n" + st.Subtle.Render(t.DashSettledContinue))
	return b.String()
}

// Narration is the screen as drawn.
func (m *Model) Narration() string { return m.View() }

// SetSize gives the screen the body's room.
func (m *Model) SetSize(width, height int) {
	m.width = width
	m.scroll.SetSize(width, height)
}

// Keys are the screen's keys.
func (m *Model) Keys() []key.Binding {
	return []key.Binding{m.keys.move, m.keys.toggle, m.keys.next, m.keys.close}
}

// Status is the reads, the change and the consent; esc is always the
// screen's own (back to the summary).
func (m *Model) Status() step.Status {
	st := m.busy.Status()
	st.Prompt = m.consent.Prompt(m.s.Common)
	st.Typing = true
	return st
}

// Question is nil: the accessible driver ends at the summary, where the
// command to copy (asmlink edge inject) does the same.
func (m *Model) Question() *common.Question { return nil }
