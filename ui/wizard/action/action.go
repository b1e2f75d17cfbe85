// Package action is the wizard's sixth step: what to do with the reviewed
// ASMPvlConfig: apply it (with consent), write it to a file for GitOps
// review (never over another file without showing what changes), or print
// it on stdout once the wizard exits.
package action

import (
	"cmp"
	"errors"
	"fmt"
	"os"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/prompt"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// choice is one thing to do with the reviewed ASMPvlConfig.
type choice struct {
	label               string
	apply, write, print bool
}

// Model is the action step.
type Model struct {
	s       *step.Shared
	busy    step.Busy
	choices []choice
	cursor  int
	chosen  choice
	// file is the file chosen, "" before the choice; input asks for it.
	file  string
	input *common.Input
	// replace asks before a file holding another ASMPvlConfig is
	// replaced; replaced is the consent given for this choice.
	replace  *common.Consent
	replaced bool
	confirm  *common.Consent
	conflict *session.ConflictError
	// unresolved is the write that failed and has not succeeded since.
	unresolved *common.ErrorMsg
	keys       struct{ up, down, next key.Binding }
}

type (
	chooseMsg  int
	fileMsg    string
	appliedMsg struct {
		result *session.Result
		err    error
	}
	// askMsg asks for the consent to apply again, after the apply failed.
	askMsg struct{}
)

// New returns the action step.
func New(s *step.Shared) *Model {
	t := s.Common.Text
	m := &Model{s: s, choices: []choice{
		{label: t.ActionApply, apply: true},
		{label: t.ActionApplyWrite, apply: true, write: true},
		{label: t.ActionWrite, write: true},
		{label: t.ActionPrint, print: true},
	}}
	m.keys.up = key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", t.KeyMove))
	m.keys.down = key.NewBinding(key.WithKeys("down"))
	m.keys.next = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyContinue))
	return m
}

// Enter starts at the first action.
func (m *Model) Enter() tea.Cmd {
	m.cursor, m.conflict, m.confirm, m.replace, m.input = 0, nil, nil, nil, nil
	return nil
}

// Update handles the menu, the questions, the apply and the write.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	t := m.s.Common.Text
	switch msg := msg.(type) {
	case chooseMsg:
		m.cursor = int(msg)
		return m.choose()
	case fileMsg:
		m.input = nil
		if msg == "" {
			return nil
		}
		m.file = string(msg)
		return m.afterFile()
	case askMsg:
		m.busy.Done()
		m.confirm = common.NewConsent(fmt.Sprintf(t.ApplyConfirmf, m.s.W.MeshID()))
	case appliedMsg:
		return m.applied(msg)
	case step.WrittenMsg:
		if msg.Err != nil {
			m.busy.Fail(t.Writing, msg.Err)
			m.unresolved = m.busy.Failure
			// Writing the file again changes nothing else: r retries it.
			m.busy.SetRetry(t.Writing, step.Write(m.s.Deps, msg.Path, m.s.ExportYAML(m.s.Plan)))
			// Not written, so not done: choose another name, or esc.
			return m.ask(m.file)
		}
		m.busy.Done()
		m.unresolved = nil
		return m.s.Tell(step.ExportMsg{})
	case step.RetryMsg:
		return m.busy.Retry()
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case m.input != nil:
		done, cancelled, value, cmd := m.input.Key(k)
		if cancelled {
			// Back to the actions: a failed write is not retried.
			m.input, m.busy.Failure = nil, nil
			m.busy.SetRetry("", nil)
			return nil
		}
		if done {
			return m.Update(fileMsg(value))
		}
		return cmd
	case m.replace != nil:
		if common.Consented(&m.replace, k) {
			m.replaced = true
			return m.afterFile()
		}
		return nil
	case m.confirm != nil:
		if common.Consented(&m.confirm, k) {
			return m.apply()
		}
		return nil
	case m.conflict != nil:
		// The screen says "Press F": f gives the consent, esc or n goes
		// back, and any other key leaves the question up.
		switch k.String() {
		case "f", "F", "shift+f":
			m.conflict = nil
			return m.s.Tell(step.ReviewAgainMsg{Force: true})
		case "esc", "n", "N":
			m.conflict = nil
		}
		return nil
	case m.busy.Waiting():
		return nil
	case key.Matches(k, m.keys.up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(k, m.keys.down):
		m.cursor = min(m.cursor+1, len(m.choices)-1)
	case key.Matches(k, m.keys.next):
		return m.choose()
	}
	return nil
}

// choose takes the action under the cursor: its file first, if it writes.
func (m *Model) choose() tea.Cmd {
	m.chosen, m.replaced = m.choices[m.cursor], false
	if m.chosen.write {
		return m.ask(cmp.Or(m.file, m.s.Deps.DefaultFile))
	}
	return m.afterFile()
}

func (m *Model) ask(value string) tea.Cmd {
	var cmd tea.Cmd
	m.input, cmd = common.NewInput(m.s.Common.Styles, m.s.Common.Text.FilePrompt, value, m.s.Common.Width)
	return cmd
}

// afterFile goes on once the file, if any, is known: ask before replacing
// a file that holds another ASMPvlConfig, ask before an apply, else finish
// with the export.
func (m *Model) afterFile() tea.Cmd {
	t := m.s.Common.Text
	if m.chosen.write && !m.replaced {
		if d := m.replacing(m.file); d != "" {
			m.replace = common.NewConsent(fmt.Sprintf(t.ReplaceFilef, m.file, d))
			return nil
		}
	}
	if m.chosen.apply {
		m.confirm = common.NewConsent(fmt.Sprintf(t.ApplyConfirmf, m.s.W.MeshID()))
		return nil
	}
	return m.export()
}

// replacing is the diff between the ASMPvlConfig the file at path holds
// and the reviewed one, when they differ; "" when the file is absent, the
// same, or not an ASMPvlConfig (the writer refuses that one).
func (m *Model) replacing(path string) string {
	data, err := os.ReadFile(path)
	if err != nil || m.s.Plan == nil {
		return ""
	}
	old, err := spec.Decode(data)
	if err != nil {
		return ""
	}
	return spec.Diff(old, m.s.Plan.After)
}

// export finishes without applying: the file is written (the wizard stays
// here until the write succeeded) or the object printed on exit.
func (m *Model) export() tea.Cmd {
	data := m.s.ExportYAML(m.s.Plan)
	if m.chosen.write {
		return m.busy.Start(m.s.Common.Text.Writing, step.Write(m.s.Deps, m.file, data))
	}
	return m.s.Tell(step.ExportMsg{Output: data})
}

// apply asks the root to mark the change in flight and run it.
func (m *Model) apply() tea.Cmd {
	ctx, sess, ch, force := m.s.Ctx, m.s.Sess, m.s.Change(), m.s.Force
	run := m.busy.Change(m.s.Common.Text.Applying, func() tea.Msg {
		res, err := sess.Apply(ctx, ch, force)
		return appliedMsg{result: res, err: err}
	})
	return m.s.Tell(step.ApplyMsg{Run: run})
}

// applied reports the apply to the root and, when it succeeded and a file
// was chosen too, writes the applied object.
func (m *Model) applied(msg appliedMsg) tea.Cmd {
	var conflict *session.ConflictError
	switch {
	case errors.As(msg.err, &conflict) && !m.s.Force:
		m.busy.Done()
		m.conflict = conflict
	case msg.err != nil:
		m.busy.Fail(m.s.Common.Text.Applying, msg.err)
		// A change is retried only with consent again.
		m.busy.SetRetry(m.s.Common.Text.Applying, step.Send(askMsg{}))
	default:
		m.busy.Done()
	}
	// The write goes out before the root moves on to the links.
	var write tea.Cmd
	if msg.err == nil && m.chosen.write {
		write = step.Write(m.s.Deps, m.file, m.s.ExportYAML(msg.result))
	}
	m.s.Tell(step.AppliedMsg{Result: msg.result, Err: msg.err})
	return write
}

// View is the menu of actions.
func (m *Model) View() string {
	st, t := m.s.Common.Styles, m.s.Common.Text
	out := st.Header.Render(t.ActionTitle)
	for i, c := range m.choices {
		out += "\n" + common.MenuLine(st, i == m.cursor, c.label)
	}
	return out
}

// Narration is empty: the accessible question lists the actions.
func (m *Model) Narration() string { return "" }

// SetSize gives the file question the screen's width.
func (m *Model) SetSize(width, _ int) {
	if m.input != nil {
		m.input.SetWidth(width)
	}
}

// Keys are the cursor and continue.
func (m *Model) Keys() []key.Binding { return []key.Binding{m.keys.up, m.keys.next} }

// Status is the write or apply in progress and the question up.
func (m *Model) Status() step.Status {
	st, t, width := m.s.Common.Styles, m.s.Common.Text, m.s.Common.Width
	s := m.busy.Status()
	s.Unresolved = m.unresolved
	switch {
	case m.input != nil && m.busy.Failure != nil:
		s.Prompt = st.Fail.Render(fmt.Sprintf(t.ErrorOpf, m.busy.Failure.Op, spec.Printable(fmt.Sprint(m.busy.Failure.Err)))) + "\n" + st.Subtle.Render(t.FileRetry) + "\n" + m.input.View()
	case m.input != nil:
		s.Prompt = m.input.View()
	case m.replace != nil:
		s.Prompt = st.Warn.Render(m.replace.Title)
	case m.confirm != nil:
		s.Prompt = m.confirm.View(st, t, width)
	case m.conflict != nil:
		s.Prompt = st.Warn.Render(fmt.Sprintf(t.ConflictForcef, m.conflict))
	}
	return s
}

// yesNo is the key a consent's answer stands for.
func yesNo(yes bool) tea.Msg {
	if yes {
		return tea.KeyPressMsg{Code: 'y', Text: "y"}
	}
	return tea.KeyPressMsg{Code: 'n', Text: "n"}
}

// Question is the question up, or which action.
func (m *Model) Question() *common.Question {
	t := m.s.Common.Text
	switch {
	case m.input != nil:
		return m.input.Question(func(s string) tea.Msg { return fileMsg(s) })
	case m.replace != nil:
		return m.replace.Question(yesNo)
	case m.confirm != nil:
		return m.confirm.Question(yesNo)
	case m.conflict != nil:
		c := m.conflict
		return &common.Question{Kind: common.AskConfirm, Title: fmt.Sprintf(t.Plain.Forcef, c), Answer: func(a common.Answer) tea.Msg {
			if a.Yes {
				return tea.KeyPressMsg{Code: 'F', Text: "F"}
			}
			return step.QuitMsg{Err: c}
		}}
	case m.busy.Waiting():
		return nil
	}
	choices := make([]prompt.Choice, len(m.choices))
	for i, c := range m.choices {
		choices[i] = prompt.Choice{Label: c.label}
	}
	return &common.Question{Kind: common.AskSelect, Title: t.Plain.ChooseAction, Choices: choices,
		Answer: func(a common.Answer) tea.Msg { return chooseMsg(a.Choice) }}
}
