// Package mesh is the wizard's first step: choose the ASM instance from
// the region's listing, or switch region.
package mesh

import (
	"errors"
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/picker"
	"github.com/asmlink/asmlink/ui/prompt"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// Model is the mesh step.
type Model struct {
	s      *step.Shared
	busy   step.Busy
	list   picker.Model
	meshes []cloud.Mesh
	// region is the region question, nil when it is not asked.
	region *common.Input
	key    key.Binding
}

type meshesMsg struct {
	meshes []cloud.Mesh
	err    error
}

// New returns the mesh step.
func New(s *step.Shared) *Model {
	t := s.Common.Text
	// Names and IDs stay whole; VPC, version, state and free IPs give way
	// first on a narrow terminal.
	return &Model{
		s:    s,
		list: picker.New(s.Common.Styles, picker.DefaultKeyMap(t.KeyMove, t.KeyChoose, t.KeyClearFilter), picker.Columns(t.MeshColumns, []int{0, 1}, []int{3, 4}), nil, t.NoMeshes),
		key:  key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", t.KeyRegion)),
	}
}

// Enter lists the ASM instances of the cloud's region.
func (m *Model) Enter() tea.Cmd {
	ctx, api := m.s.Ctx, m.s.API
	return m.busy.Start(m.s.Common.Text.LoadingMeshes, func() tea.Msg {
		ms, err := api.Meshes(ctx)
		return meshesMsg{meshes: ms, err: err}
	})
}

// Update handles the listing, the region question and the list's keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case meshesMsg:
		if msg.err != nil {
			m.busy.Fail(m.s.Common.Text.LoadingMeshes, msg.err)
			return nil
		}
		m.busy.Done()
		m.meshes = msg.meshes
		m.list.SetRows(rows(msg.meshes))
		m.list.SelectID(m.s.W.MeshID())
	case step.RetryMsg:
		return m.busy.Retry()
	case chooseMsg:
		return m.s.Tell(step.MeshMsg{ID: string(msg)})
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

// chooseMsg is the accessible driver's answer: the mesh with that ID.
type chooseMsg string

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if m.region != nil {
		done, cancelled, value, cmd := m.region.Key(k)
		if done || cancelled {
			m.region = nil
		}
		if done && value != "" {
			return m.s.Tell(step.RegionMsg{Region: value})
		}
		return cmd
	}
	if m.busy.Waiting() {
		return nil
	}
	if key.Matches(k, m.key) {
		var cmd tea.Cmd
		m.region, cmd = common.NewInput(m.s.Common.Styles, m.s.Common.Text.RegionPrompt, m.s.API.Identity().Region, m.s.Common.Width)
		return cmd
	}
	if chosen, ok := m.list.Key(k).(picker.ChosenMsg); ok {
		return m.s.Tell(step.MeshMsg{ID: chosen.Row.ID})
	}
	return nil
}

// View is the list of ASM instances; nothing while they load.
func (m *Model) View() string {
	if m.busy.Waiting() {
		return ""
	}
	return m.list.View()
}

// Narration is empty: the accessible question lists the instances.
func (m *Model) Narration() string { return "" }

// SetSize gives the list the body's room.
func (m *Model) SetSize(width, height int) {
	m.list.SetSize(width, height)
	if m.region != nil {
		m.region.SetWidth(width)
	}
}

// Keys are the list's keys and the region key.
func (m *Model) Keys() []key.Binding { return append(m.list.HelpKeys(), m.key) }

// Status is the load, the region question, and the list's filter.
func (m *Model) Status() step.Status {
	st := m.busy.Status()
	if m.region != nil {
		st.Prompt = m.region.View()
	}
	st.Focused = !m.busy.Waiting()
	st.Typing = m.list.Filtering()
	return st
}

// Question asks which instance, once they are listed.
func (m *Model) Question() *common.Question {
	t := m.s.Common.Text
	if m.busy.Waiting() {
		return nil
	}
	if len(m.meshes) == 0 {
		return &common.Question{Kind: common.AskContinue, Answer: func(common.Answer) tea.Msg { return step.QuitMsg{Err: errors.New(t.NoMeshes)} }}
	}
	choices := make([]prompt.Choice, len(m.meshes))
	for i, ms := range m.meshes {
		choices[i] = prompt.Choice{Label: fmt.Sprintf(t.MeshChoicef, ms.Name, ms.ID, ms.State, ms.VpcID, len(ms.ClusterIDs))}
	}
	return &common.Question{Kind: common.AskSelect, Title: t.Plain.ChooseMesh, Choices: choices, Answer: func(a common.Answer) tea.Msg {
		return chooseMsg(m.meshes[a.Choice].ID)
	}}
}

// rows renders ASM instances for the list.
func rows(meshes []cloud.Mesh) []picker.Row {
	rows := make([]picker.Row, len(meshes))
	for i, ms := range meshes {
		rows[i] = picker.Row{
			ID:    ms.ID,
			Cells: []string{ms.Name, ms.ID, ms.State, ms.VpcID, ms.Version, strconv.Itoa(len(ms.ClusterIDs))},
		}
	}
	return rows
}
