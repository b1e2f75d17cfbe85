// Package pairing is the wizard's third step: the zones of both VPCs and
// every vSwitch pair ranked, same-zone pairs first; a refused pair says why
// and cannot be chosen, and without a usable same-zone pair the step says
// which vSwitch to create.
package pairing

import (
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/picker"
	"github.com/asmlink/asmlink/ui/prompt"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// Model is the pairing step.
type Model struct {
	s       *step.Shared
	busy    step.Busy
	list    picker.Model
	pairing flow.Pairing
	// refused is why the pair enter was pressed on cannot be chosen,
	// shown until the next key.
	refused       string
	width, height int
}

type pairingMsg struct {
	pairing flow.Pairing
	err     error
}

// chooseMsg is a choice of pair by its ID (ID), from the list or the
// accessible driver.
type chooseMsg string

// New returns the pairing step.
func New(s *step.Shared) *Model {
	t := s.Common.Text
	m := &Model{s: s}
	m.list = picker.New(s.Common.Styles, picker.DefaultKeyMap(t.KeyMove, t.KeyChoose, t.KeyClearFilter), nil, nil, t.NoSharedZone)
	return m
}

// Enter ranks every vSwitch pair of the chosen cluster; on a big mesh this
// takes long enough to keep it off the Update path.
func (m *Model) Enter() tea.Cmd {
	sess, clusterID := m.s.Sess, m.s.W.ClusterID()
	return m.busy.Start(m.s.Common.Text.LoadingPairs, func() tea.Msg {
		p, err := sess.Pairing(clusterID)
		return pairingMsg{pairing: p, err: err}
	})
}

// Update handles the ranking and the list's keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	t := m.s.Common.Text
	switch msg := msg.(type) {
	case pairingMsg:
		if msg.err != nil {
			m.busy.Fail(t.LoadingPairs, msg.err)
			return nil
		}
		m.busy.Done()
		m.pairing = msg.pairing
		m.list.SetColumns(columns(t, msg.pairing))
		m.list.SetRows(rows(t, msg.pairing))
		if prev := m.s.W.Pair(); prev != nil {
			m.list.SelectID(ID(*prev))
		} else if rec, ok := msg.pairing.Recommend(); ok {
			m.list.SelectID(ID(rec))
		}
		// After creating a vSwitch by hand, r lists the cloud again.
		m.busy.SetRetry(t.LoadingMesh, step.Send(step.ReloadMsg{}))
		m.SetSize(m.width, m.height)
	case step.RetryMsg:
		return m.busy.Retry()
	case chooseMsg:
		return m.choose(string(msg))
	case tea.KeyPressMsg:
		if m.busy.Waiting() {
			return nil
		}
		m.refused = ""
		switch picked := m.list.Key(msg).(type) {
		case picker.ChosenMsg:
			return m.choose(picked.Row.ID)
		case picker.RefusedMsg:
			if o, ok := m.option(picked.Row.ID); ok {
				m.refused = refusal(t, o)
			}
		}
	}
	return nil
}

func (m *Model) choose(id string) tea.Cmd {
	o, ok := m.option(id)
	if !ok || o.Verdict == flow.VerdictRefused {
		return nil
	}
	return m.s.Tell(step.PairMsg{Pair: o.Pair})
}

func (m *Model) option(id string) (flow.PairOption, bool) {
	i := slices.IndexFunc(m.pairing.Options, func(o flow.PairOption) bool { return ID(o.Pair) == id })
	if i < 0 {
		return flow.PairOption{}, false
	}
	return m.pairing.Options[i], true
}

// ID names a pair in the list.
func ID(p flow.Pair) string { return p.ASM.ID + "+" + p.ACK.ID }

// SetSize gives the list what the zone view above it and the detail of
// the selected pair under it leave.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	zones := strings.Count(zoneView(m.s.Common.Styles, m.s.Common.Text, m.pairing, width), "\n") + 1
	m.list.SetSize(width, max(height-zones-1-detailLines, 3))
}

// detailLines is the room under the list for the selected pair's whole
// IDs and its findings.
const detailLines = 4

// Keys are the list's keys.
func (m *Model) Keys() []key.Binding { return m.list.HelpKeys() }

// Status is the load, the reason a pair cannot be chosen, and the filter.
func (m *Model) Status() step.Status {
	st := m.busy.Status()
	st.Notice = m.refused
	st.Focused = !m.busy.Waiting()
	st.Typing = m.list.Filtering()
	return st
}

// Question asks which pair, the recommended one proposed.
func (m *Model) Question() *common.Question {
	t := m.s.Common.Text
	if m.busy.Waiting() {
		return nil
	}
	opts := m.pairing.Options
	if !slices.ContainsFunc(opts, func(o flow.PairOption) bool { return o.Verdict != flow.VerdictRefused }) {
		return &common.Question{Kind: common.AskContinue, Answer: func(common.Answer) tea.Msg { return step.QuitMsg{Err: errors.New(t.NoSharedZone)} }}
	}
	rec, hasRec := m.pairing.Recommend()
	choices := make([]prompt.Choice, len(opts))
	def := -1
	for i, o := range opts {
		choices[i] = prompt.Choice{Label: choiceLabel(t, o, hasRec && o.Pair == rec)}
		if hasRec && o.Pair == rec {
			def = i
		}
		if o.Verdict == flow.VerdictRefused {
			choices[i].Reason = refusal(t, o)
		}
	}
	return &common.Question{Kind: common.AskSelect, Title: t.Plain.ChoosePair, Choices: choices, Default: def,
		Answer: func(a common.Answer) tea.Msg { return chooseMsg(ID(opts[a.Choice].Pair)) }}
}
