// Package dashboard is the wizard's seventh step: both links as ASM
// provisions them, from the watch of ASMPvlConfig's status and a regular
// look at the PrivateLink APIs, with the causes that waiting will not fix.
package dashboard

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// Model is the links step.
type Model struct {
	s         *step.Shared
	cfg       *spec.ASMPvlConfig
	obs       flow.Observation
	links     flow.LinkView
	diagnoses []flow.Diagnosis
	updates   <-chan session.Update
	started   time.Time
	now       time.Time
	settled   bool
	// settlement is what the links settled on, sent again with enter.
	settlement step.SettledMsg
	scroll     common.Scroll
	next       key.Binding
}

type (
	updateMsg   struct{ update session.Update }
	observedMsg struct {
		obs flow.Observation
		err error
	}
	tickMsg struct{}
)

// New returns the links step.
func New(s *step.Shared) *Model {
	t := s.Common.Text
	return &Model{s: s, scroll: common.NewScroll(t, true), next: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyContinue))}
}

// Enter starts the clock, shows the object as applied, and watches its
// status.
func (m *Model) Enter() tea.Cmd {
	m.started, m.now, m.settled = m.s.Deps.Clock(), m.s.Deps.Clock(), false
	m.cfg = m.s.Plan.After
	m.scroll.Top()
	m.refresh()
	m.updates = m.s.Sess.Server.Watch(m.s.Ctx)
	return tea.Batch(m.nextUpdate(), m.observe())
}

func (m *Model) nextUpdate() tea.Cmd {
	ch := m.updates
	return func() tea.Msg {
		u, ok := <-ch
		if !ok {
			return nil
		}
		return updateMsg{update: u}
	}
}

// observe reads what the links view and the diagnoses need beside the
// status (session.Observe).
func (m *Model) observe() tea.Cmd {
	ctx, sess, cfg, clusterID := m.s.Ctx, m.s.Sess, m.cfg, m.s.W.ClusterID()
	return func() tea.Msg {
		o, err := sess.Observe(ctx, cfg, clusterID)
		return observedMsg{obs: o, err: err}
	}
}

// Update follows the watch and the looks at the cloud.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case updateMsg:
		if msg.update.Config != nil {
			m.cfg = msg.update.Config
		}
		return tea.Batch(m.refresh(), m.nextUpdate())
	case observedMsg:
		if msg.err == nil {
			m.obs = msg.obs
		}
		m.now = m.s.Deps.Clock()
		return tea.Batch(m.refresh(), tea.Tick(m.s.Deps.RefreshEvery(), func(time.Time) tea.Msg { return tickMsg{} }))
	case tickMsg:
		return m.observe()
	case tea.KeyPressMsg:
		if ok, cmd := m.scroll.Key(msg, m.content()); ok {
			return cmd
		}
		if key.Matches(msg, m.next) && m.settled {
			return m.s.Tell(m.cont())
		}
	}
	return nil
}

// refresh recomputes the link view and the diagnoses from the last status
// and the last look at the cloud, and tells the root once the links have
// settled.
func (m *Model) refresh() tea.Cmd {
	m.links = flow.Links(m.cfg, m.obs.EndpointServices, m.obs.Endpoints, m.obs.MeshClusters)
	// The diagnosis is of the newest status, with the last look at the
	// cloud beside it.
	o := m.obs
	o.Config, o.Facts, o.MeshID, o.API = m.cfg, m.s.Sess.Env.Facts(), m.s.W.MeshID(), m.s.Sess.API
	m.diagnoses = flow.Diagnose(o)
	i := slices.IndexFunc(m.obs.Clusters, func(c cloud.Cluster) bool { return c.ID == m.s.W.ClusterID() })
	if m.settled || !m.links.Settled() || i < 0 {
		return nil
	}
	m.settled = true
	_, needed := flow.SANNeeded(m.obs.Clusters[i], m.cfg)
	m.settlement = step.SettledMsg{SANNeeded: needed, Live: step.Live{Config: m.cfg, Obs: m.obs, Status: m.links.Status}}
	return m.s.Tell(m.settlement)
}

// cont is the settlement with the person's consent to go on.
func (m *Model) cont() step.SettledMsg {
	c := m.settlement
	c.Continue = true
	return c
}

// View is the elapsed time, both links and what blocks them.
func (m *Model) View() string { return m.scroll.View(m.content()) }

func (m *Model) content() string {
	st, t, width := m.s.Common.Styles, m.s.Common.Text, m.s.Common.Width
	var b strings.Builder
	b.WriteString(st.Subtle.Render(fmt.Sprintf(t.DashElapsedf, m.now.Sub(m.started).Truncate(time.Second))))
	if m.settled {
		b.WriteString("   " + st.Pass.Render(t.DashAvailable) + " " + st.Subtle.Render(t.DashSettledContinue))
	}
	b.WriteString("\n" + render.Links(st, width, m.links))
	// What ASM is still provisioning is on the links already; the
	// diagnoses add only the causes that waiting will not fix.
	if problems := slices.DeleteFunc(slices.Clone(m.diagnoses), func(d flow.Diagnosis) bool { return d.Wait != "" }); len(problems) > 0 {
		b.WriteString("\n" + render.Diagnoses(st, width, problems))
	}
	return strings.TrimRight(b.String(), "\n")
}

// Narration is one line per change of the links, and the links in full
// once they settled.
func (m *Model) Narration() string {
	t := m.s.Common.Text
	line := fmt.Sprintf(t.DashboardTitlef, m.s.W.MeshID(), common.OrDash(m.links.Status))
	if pending := m.links.Pending(); len(pending) > 0 {
		line += "; " + fmt.Sprintf(t.DashWaitingf, strings.Join(pending, "; "))
	}
	if m.settled {
		line += "\n" + render.Links(m.s.Common.Styles, 0, m.links) + "\n" + t.DashAvailable
	}
	return line
}

// SetSize gives the links the body's room.
func (m *Model) SetSize(width, height int) { m.scroll.SetSize(width, height) }

// Keys are scrolling and continue.
func (m *Model) Keys() []key.Binding { return []key.Binding{m.scroll.Binding(), m.next} }

// Status is empty: the links say what is going on.
func (m *Model) Status() step.Status { return step.Status{} }

// Question goes on once the links settled.
func (m *Model) Question() *common.Question {
	if !m.settled {
		return nil
	}
	return &common.Question{Kind: common.AskContinue, Answer: func(common.Answer) tea.Msg { return m.cont() }}
}
