// Package review is the wizard's fifth step: the server's dry run of the
// change, its diff against what the mesh's API server holds, and, when
// another field manager owns fields the change needs, the consent to take
// them over before anything is written.
package review

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// Model is the review step.
type Model struct {
	s    *step.Shared
	busy step.Busy
	plan *session.Result
	// force is the consent to take over other managers' fields for this
	// review; conflict is the conflict waiting for it.
	force    bool
	conflict *session.ConflictError
	scroll   common.Scroll
	next     key.Binding
}

type (
	reviewMsg struct {
		review *session.Review
		err    error
	}
	// forceMsg is the consent to take the conflicting fields over.
	forceMsg struct{}
)

// New returns the review step.
func New(s *step.Shared) *Model {
	t := s.Common.Text
	return &Model{s: s, scroll: common.NewScroll(t, true), next: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyContinue))}
}

// Enter asks the server for a dry run of the change, forced when the
// person consented to take other managers' fields over (Shared.Force).
func (m *Model) Enter() tea.Cmd {
	m.plan, m.conflict, m.force = nil, nil, m.s.Force
	m.scroll.Top()
	return m.review()
}

func (m *Model) review() tea.Cmd {
	ctx, sess, ch := m.s.Ctx, m.s.Sess, m.s.Change()
	return m.busy.Start(m.s.Common.Text.LoadingPlan, func() tea.Msg {
		r, err := sess.Review(ctx, ch)
		return reviewMsg{review: r, err: err}
	})
}

// Update handles the dry run, the consent to force, and the keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reviewMsg:
		if msg.err != nil {
			m.busy.Fail(m.s.Common.Text.LoadingPlan, msg.err)
			return nil
		}
		m.busy.Done()
		// The review shown after the consent is the forced dry run.
		if msg.review.Conflict != nil && !m.force {
			m.conflict = msg.review.Conflict
			return nil
		}
		m.plan = msg.review.Result
	case forceMsg:
		// The consent changes what the server would store: review the
		// forced dry run before anything is written.
		m.force, m.conflict = true, nil
		return tea.Batch(m.s.Tell(step.ReviewAgainMsg{Force: true}), m.review())
	case step.RetryMsg:
		return m.busy.Retry()
	case tea.KeyPressMsg:
		if m.conflict != nil {
			return m.conflictKey(msg)
		}
		if m.busy.Waiting() || m.plan == nil {
			return nil
		}
		if ok, cmd := m.scroll.Key(msg, m.content()); ok {
			return cmd
		}
		if key.Matches(msg, m.next) {
			return m.s.Tell(step.ReviewedMsg{Result: m.plan})
		}
	}
	return nil
}

// conflictKey: the screen says "Press F": f gives the consent, esc or n
// dismisses it, and any other key leaves the question up.
func (m *Model) conflictKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "f", "F", "shift+f":
		return m.Update(forceMsg{})
	case "esc", "n", "N":
		m.conflict = nil
	}
	return nil
}

// View is the diff and the resulting object.
func (m *Model) View() string {
	if m.busy.Waiting() || m.plan == nil {
		return ""
	}
	return m.scroll.View(m.content())
}

func (m *Model) content() string { return Content(m.plan, m.s.Common.Styles, m.s.Common.Text) }

// Narration is the diff and the resulting object.
func (m *Model) Narration() string {
	if m.busy.Waiting() || m.plan == nil {
		return ""
	}
	return m.content()
}

// SetSize gives the review the body's room.
func (m *Model) SetSize(width, height int) { m.scroll.SetSize(width, height) }

// Keys are scrolling and continue.
func (m *Model) Keys() []key.Binding { return []key.Binding{m.scroll.Binding(), m.next} }

// Status is the dry run and the conflict question.
func (m *Model) Status() step.Status {
	st := m.busy.Status()
	if m.conflict != nil {
		st.Prompt = m.s.Common.Styles.Warn.Render(fmt.Sprintf(m.s.Common.Text.ConflictForcef, m.conflict))
	}
	return st
}

// Question asks for the consent to force, or goes on once the change is
// shown.
func (m *Model) Question() *common.Question {
	switch {
	case m.conflict != nil:
		c := m.conflict
		return &common.Question{Kind: common.AskConfirm, Title: fmt.Sprintf(m.s.Common.Text.Plain.Forcef, c), Answer: func(a common.Answer) tea.Msg {
			if a.Yes {
				return forceMsg{}
			}
			return step.QuitMsg{Err: c}
		}}
	case m.busy.Waiting() || m.plan == nil:
		return nil
	}
	return &common.Question{Kind: common.AskContinue, Answer: func(common.Answer) tea.Msg { return step.ReviewedMsg{Result: m.plan} }}
}

// Content is the diff against the server and the resulting object.
func Content(r *session.Result, st *styles.Styles, t *text.Catalog) string {
	var b strings.Builder
	diff := r.Diff()
	b.WriteString(st.Header.Render(t.ReviewDiffTitle) + "\n")
	if diff == "" {
		b.WriteString(st.Subtle.Render(t.ReviewNoChange) + "\n")
	}
	if diff != "" {
		b.WriteString(render.Diff(st, strings.TrimRight(diff, "\n")) + "\n")
	}
	for _, n := range r.Notes {
		b.WriteString(st.Warn.Render(n) + "\n")
	}
	b.WriteString("\n" + st.Header.Render(t.ReviewYAMLTitle) + "\n")
	b.WriteString(string(spec.Encode(r.After, spec.EncodeOptions{})))
	b.WriteString("\n" + st.Subtle.Render(t.ReviewContinue))
	return b.String()
}
