package common

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/asmlink/asmlink/ui/styles"
)

// Input is a line of text asked on the status line with huh's inline
// Input: enter submits it, esc gives up.
type Input struct {
	Title string
	field *huh.Input
	value *string
}

// NewInput asks title, proposing value, and returns the command that
// focuses the field.
func NewInput(st *styles.Styles, title, value string, width int) (*Input, tea.Cmd) {
	in := &Input{Title: title, value: &value}
	in.field = huh.NewInput().Title(title).Inline(true).Value(in.value)
	in.field.WithTheme(FormTheme(st))
	in.field.WithWidth(width)
	return in, in.field.Focus()
}

// SetWidth gives the field the screen's width.
func (in *Input) SetWidth(width int) { in.field.WithWidth(width) }

// Key handles one key: submitted with the trimmed text on enter,
// cancelled on esc, else the key edits the field.
func (in *Input) Key(k tea.KeyPressMsg) (submitted, cancelled bool, value string, cmd tea.Cmd) {
	switch k.String() {
	case "esc":
		return false, true, "", nil
	case "enter":
		return true, false, strings.TrimSpace(in.field.GetValue().(string)), nil
	}
	f, cmd := in.field.Update(k)
	in.field = f.(*huh.Input)
	return false, false, "", cmd
}

// View draws the field.
func (in *Input) View() string { return in.field.View() }

// Question is the input for the accessible driver.
func (in *Input) Question(answer func(text string) tea.Msg) *Question {
	return &Question{Kind: AskInput, Title: in.Title, Value: in.field.GetValue().(string), Answer: func(a Answer) tea.Msg { return answer(a.Text) }}
}
