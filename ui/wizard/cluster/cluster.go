// Package cluster is the wizard's second step: choose the ACK cluster,
// eligible ones first and every other one with the reason it cannot be
// chosen, and, for a cluster already connected, whether to change or
// remove its entry.
package cluster

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/picker"
	"github.com/asmlink/asmlink/ui/prompt"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// Model is the cluster step.
type Model struct {
	s     *step.Shared
	list  picker.Model
	cands []flow.Candidate
	// asking is the connected cluster whose intent is asked, nil when no
	// intent is asked; cursor is the intent under the cursor.
	asking *flow.Candidate
	cursor int
	// refused is the reason the row enter was pressed on cannot be
	// chosen, shown until the cursor moves on.
	refused string
}

// New returns the cluster step.
func New(s *step.Shared) *Model {
	t := s.Common.Text
	cols := picker.Columns(t.ClusterColumns, []int{0, 1}, []int{2, 3})
	cols[4].Min = 30 // the reason gives up some room before VPC and state go
	return &Model{s: s, list: picker.New(s.Common.Styles, picker.DefaultKeyMap(t.KeyMove, t.KeyChoose, t.KeyClearFilter), cols, nil, t.NoClusters)}
}

// Enter lists the mesh's candidate clusters, as flow ranks them.
func (m *Model) Enter() tea.Cmd {
	m.cands = flow.Candidates(m.s.Sess.Env)
	m.asking, m.refused = nil, ""
	m.list.SetRows(rows(m.cands, m.s.Common.Text))
	m.list.SelectID(m.s.W.ClusterID())
	return nil
}

// chooseMsg is a choice of cluster, from the list or the accessible driver.
type chooseMsg string

// intentMsg is a choice of intent for the cluster being asked about.
type intentMsg int

// Update handles the list's keys and the intent question.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case chooseMsg:
		return m.choose(string(msg))
	case intentMsg:
		c := *m.asking
		m.asking = nil
		return m.chosen(c, c.Intents[int(msg)])
	case tea.KeyPressMsg:
		if m.asking != nil {
			return m.intentKey(msg)
		}
		m.refused = ""
		switch picked := m.list.Key(msg).(type) {
		case picker.ChosenMsg:
			return m.choose(picked.Row.ID)
		case picker.RefusedMsg:
			m.refused = fmt.Sprintf(m.s.Common.Text.CannotChoosef, picked.Row.ID, picked.Row.Cells[4])
		}
	}
	return nil
}

func (m *Model) choose(id string) tea.Cmd {
	i := slices.IndexFunc(m.cands, func(c flow.Candidate) bool { return c.Cluster.ID == id })
	if i < 0 {
		return nil
	}
	if c := m.cands[i]; len(c.Intents) > 1 {
		m.asking, m.cursor = &c, 0
		return nil
	}
	return m.chosen(m.cands[i], m.cands[i].Intents[0])
}

func (m *Model) chosen(c flow.Candidate, intent flow.Intent) tea.Cmd {
	return m.s.Tell(step.ClusterMsg{ID: c.Cluster.ID, Intent: intent, Edge: c.Edge})
}

func (m *Model) intentKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "up":
		m.cursor = max(m.cursor-1, 0)
	case "down":
		m.cursor = min(m.cursor+1, len(m.asking.Intents)-1)
	case "enter":
		return m.Update(intentMsg(m.cursor))
	case "esc":
		m.asking = nil
	}
	return nil
}

// View is the list of clusters and, under it, what the list may cut of
// the selected one: its whole ID and why it can or cannot be chosen.
func (m *Model) View() string {
	out := m.list.View()
	if r, ok := m.list.Selected(); ok {
		i := slices.IndexFunc(m.cands, func(c flow.Candidate) bool { return c.Cluster.ID == r.ID })
		c := m.cands[i]
		out += "\n" + m.s.Common.Styles.Subtle.Render(common.Wrap(fmt.Sprintf(m.s.Common.Text.ClusterChoicef, c.Cluster.Name, c.Cluster.ID, c.Cluster.VpcID, c.Reason), m.s.Common.Width))
	}
	return out
}

// Narration is empty: the accessible question lists the clusters.
func (m *Model) Narration() string { return "" }

// SetSize gives the list the body's room.
func (m *Model) SetSize(width, height int) { m.list.SetSize(width, height-detailLines) }

// detailLines is the room under the list for the selected cluster.
const detailLines = 3

// Keys are the list's keys.
func (m *Model) Keys() []key.Binding { return m.list.HelpKeys() }

// Status is the intent question, the reason a row cannot be chosen, and
// the list's filter.
func (m *Model) Status() step.Status {
	st := step.Status{Focused: m.asking == nil, Typing: m.list.Filtering()}
	switch {
	case m.asking != nil:
		st.Prompt = m.intentView()
	case m.refused != "":
		st.Notice = m.refused
	}
	return st
}

// intentView is the intent question as huh's Select draws it, with the
// cursor on the intent chosen so far.
func (m *Model) intentView() string {
	t := m.s.Common.Text
	opts := make([]huh.Option[int], len(m.asking.Intents))
	for i, in := range m.asking.Intents {
		opts[i] = huh.NewOption(intentLabel(t, in), i)
	}
	cursor := m.cursor
	sel := huh.NewSelect[int]().Title(fmt.Sprintf(t.IntentQuestionf, m.asking.Cluster.ID)).Options(opts...).Value(&cursor)
	sel.WithTheme(common.FormTheme(m.s.Common.Styles))
	sel.WithWidth(m.s.Common.Width)
	sel.Focus()
	return sel.View()
}

// Question asks which cluster, then what to do with a connected one.
func (m *Model) Question() *common.Question {
	t := m.s.Common.Text
	if m.asking != nil {
		choices := make([]prompt.Choice, len(m.asking.Intents))
		for i, in := range m.asking.Intents {
			choices[i] = prompt.Choice{Label: intentLabel(t, in)}
		}
		return &common.Question{Kind: common.AskSelect, Title: fmt.Sprintf(t.IntentQuestionf, m.asking.Cluster.ID), Choices: choices,
			Answer: func(a common.Answer) tea.Msg { return intentMsg(a.Choice) }}
	}
	choices := make([]prompt.Choice, len(m.cands))
	def := -1
	for i, c := range m.cands {
		label := fmt.Sprintf(t.ClusterChoicef, c.Cluster.Name, c.Cluster.ID, c.Cluster.VpcID, c.Reason)
		if c.Edge {
			label += " [" + t.EdgeLabel + "]"
		}
		choices[i] = prompt.Choice{Label: label}
		if !c.Eligibility.Eligible() {
			choices[i].Reason = t.Plain.NotEligible
		} else if def < 0 {
			def = i
		}
	}
	return &common.Question{Kind: common.AskSelect, Title: t.Plain.ChooseCluster, Choices: choices, Default: def,
		Answer: func(a common.Answer) tea.Msg { return chooseMsg(m.cands[a.Choice].Cluster.ID) }}
}

// intentLabel is how an intent is offered.
func intentLabel(t *text.Catalog, in flow.Intent) string {
	switch in {
	case flow.IntentChange:
		return t.IntentChange
	case flow.IntentRemove:
		return t.IntentRemove
	}
	return t.IntentConnect
}

// rows renders candidates for the list: eligible first (as flow orders
// them), the others disabled with the reason.
func rows(cands []flow.Candidate, t *text.Catalog) []picker.Row {
	rows := make([]picker.Row, len(cands))
	for i, c := range cands {
		name := c.Cluster.Name
		if c.Edge {
			name += " [" + t.EdgeLabel + "]"
		}
		rows[i] = picker.Row{
			ID:       c.Cluster.ID,
			Cells:    []string{name, c.Cluster.ID, c.Cluster.VpcID, c.Cluster.State, c.Reason},
			Disabled: !c.Eligibility.Eligible(),
		}
	}
	return rows
}
