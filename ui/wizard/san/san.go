// Package san is the wizard's eighth step: the link A endpoint domain must
// be in the ACK API server certificate's SANs, or the cluster never runs in
// the mesh. With consent the step appends it and waits for the cluster.
package san

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// Model is the SAN step.
type Model struct {
	s       *step.Shared
	busy    step.Busy
	obs     flow.Observation
	san     flow.SANDecision
	consent *common.Consent
	scroll  common.Scroll
	next    key.Binding
}

type (
	observedMsg struct {
		obs flow.Observation
		err error
	}
	tickMsg     struct{}
	appendedMsg struct{ err error }
	// askMsg asks for the consent again, after the append failed.
	askMsg struct{}
)

// New returns the SAN step.
func New(s *step.Shared) *Model {
	t := s.Common.Text
	return &Model{s: s, scroll: common.NewScroll(t, true), next: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyContinue))}
}

// Enter decides from the look at the cloud the links settled on, and
// keeps looking.
func (m *Model) Enter() tea.Cmd {
	m.obs, m.consent = m.s.Live.Obs, nil
	m.scroll.Top()
	return tea.Batch(m.decide(), m.tick())
}

func (m *Model) tick() tea.Cmd {
	return tea.Tick(m.s.Deps.RefreshEvery(), func(time.Time) tea.Msg { return tickMsg{} })
}

// decide is flow's decision on the observed cluster; a final one ends the
// step for the root.
func (m *Model) decide() tea.Cmd {
	id := m.s.W.ClusterID()
	var cluster cloud.Cluster
	if i := slices.IndexFunc(m.obs.Clusters, func(c cloud.Cluster) bool { return c.ID == id }); i >= 0 {
		cluster = m.obs.Clusters[i]
	}
	var mc cloud.MeshCluster
	i := slices.IndexFunc(m.obs.MeshClusters, func(c cloud.MeshCluster) bool { return c.ClusterID == id })
	if i >= 0 {
		mc = m.obs.MeshClusters[i]
	}
	m.san = flow.DecideSAN(cluster, mc, i >= 0, m.s.Live.Config, m.s.Sess.API)
	if m.san.State == flow.SANDone || m.san.State == flow.SANFailed {
		return m.s.Tell(m.done(false))
	}
	return nil
}

// Update follows the cluster and handles the consent.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	t := m.s.Common.Text
	switch msg := msg.(type) {
	case observedMsg:
		if msg.err == nil {
			m.obs = msg.obs
		}
		var cmd tea.Cmd
		if m.busy.Loading == "" {
			cmd = m.decide()
		}
		if m.san.State == flow.SANDone || m.san.State == flow.SANFailed {
			return cmd
		}
		return tea.Batch(cmd, m.tick())
	case tickMsg:
		ctx, sess, cfg, id := m.s.Ctx, m.s.Sess, m.s.Live.Config, m.s.W.ClusterID()
		return func() tea.Msg {
			o, err := sess.Observe(ctx, cfg, id)
			return observedMsg{obs: o, err: err}
		}
	case askMsg:
		m.busy.Done()
		m.consent = common.NewConsent(fmt.Sprintf(t.SANConfirmf, spec.Value(m.san.Domain), m.s.W.ClusterID()))
	case appendedMsg:
		if msg.err != nil {
			m.busy.Fail(t.AppendingSAN, msg.err)
			// A change is retried only with consent again.
			m.busy.SetRetry(t.AppendingSAN, step.Send(askMsg{}))
			return m.s.Tell(step.SANDoneMsg{Err: msg.err})
		}
		m.busy.Done()
		m.san.State = flow.SANWaitCluster
		return tea.Batch(m.s.Tell(step.DidMsg{Line: fmt.Sprintf(t.SummarySANf, m.san.Domain, m.s.W.ClusterID())}), m.tick())
	case step.RetryMsg:
		return m.busy.Retry()
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if m.consent != nil {
		if !common.Consented(&m.consent, k) {
			return nil
		}
		ctx, fix := m.s.Ctx, m.san.Fix
		run := m.busy.Change(m.s.Common.Text.AppendingSAN, func() tea.Msg { return appendedMsg{err: fix.Apply(ctx)} })
		return m.s.Tell(step.SANMsg{Run: run})
	}
	if m.busy.Waiting() {
		return nil
	}
	if ok, cmd := m.scroll.Key(k, m.content()); ok {
		return cmd
	}
	if !key.Matches(k, m.next) {
		return nil
	}
	switch m.san.State {
	case flow.SANAppend:
		return m.Update(askMsg{})
	case flow.SANDone, flow.SANFailed:
		return m.s.Tell(m.done(true))
	}
	return nil
}

// done is the end of the step as flow decided it; cont goes on to the
// summary.
func (m *Model) done(cont bool) step.SANDoneMsg {
	if m.san.State == flow.SANFailed {
		return step.SANDoneMsg{Err: errors.New(m.san.Message), Continue: cont}
	}
	return step.SANDoneMsg{Continue: cont}
}

// View is the domain, what flow decided, and what to do.
func (m *Model) View() string { return m.scroll.View(m.content()) }

func (m *Model) content() string {
	st, t, width := m.s.Common.Styles, m.s.Common.Text, m.s.Common.Width
	var b strings.Builder
	b.WriteString(st.Header.Render(t.SANTitle) + "\n")
	if m.san.Domain != "" {
		b.WriteString(common.CopyLine(st.Code, spec.Printable(m.san.Domain), "", width) + "\n")
	}
	style := st.Warn
	switch m.san.State {
	case flow.SANDone:
		style = st.Pass
	case flow.SANFailed:
		style = st.Fail
	}
	b.WriteString(common.Wrap(style.Render(spec.Printable(m.san.Message)), width))
	for _, n := range m.san.Notes {
		b.WriteString("\n" + common.Wrap("· "+n, width))
	}
	switch m.san.State {
	case flow.SANAppend:
		b.WriteString("\n" + st.Subtle.Render(common.Wrap(fmt.Sprintf(t.SANEnterf, m.san.Fix.Description), width)))
	case flow.SANDone, flow.SANFailed:
		b.WriteString("\n" + st.Subtle.Render(t.DashSettledContinue))
	case flow.SANWaitDomain, flow.SANWaitCluster:
		b.WriteString("\n" + st.Subtle.Render(t.SANWaiting))
	}
	return b.String()
}

// Narration is flow's decision and its notes.
func (m *Model) Narration() string {
	out := m.s.Common.Text.SANTitle + "\n" + spec.Printable(m.san.Message)
	for _, n := range m.san.Notes {
		out += "\n  " + n
	}
	return out
}

// SetSize gives the step the body's room.
func (m *Model) SetSize(width, height int) { m.scroll.SetSize(width, height) }

// Keys are scrolling and continue.
func (m *Model) Keys() []key.Binding { return []key.Binding{m.scroll.Binding(), m.next} }

// Status is the append and its consent.
func (m *Model) Status() step.Status {
	st := m.busy.Status()
	st.Prompt = m.consent.Prompt(m.s.Common)
	return st
}

// Question is the consent to append, or going on once the cluster runs.
func (m *Model) Question() *common.Question {
	switch {
	case m.consent != nil:
		return m.consent.Question(func(yes bool) tea.Msg {
			if yes {
				return tea.KeyPressMsg{Code: 'y', Text: "y"}
			}
			return step.QuitMsg{Err: errors.New(m.san.Message)}
		})
	case m.busy.Waiting():
		return nil
	}
	switch m.san.State {
	case flow.SANAppend:
		return &common.Question{Kind: common.AskContinue, Answer: func(common.Answer) tea.Msg { return askMsg{} }}
	case flow.SANDone, flow.SANFailed:
		return &common.Question{Kind: common.AskContinue, Answer: func(common.Answer) tea.Msg { return m.done(true) }}
	}
	return nil
}
