package common

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// Consent is a yes/no question that has the keyboard until it is answered,
// drawn as huh's Confirm. It starts at No: y or n answers, enter takes the
// button shown, the arrows (and tab) move between Yes and No, and any other
// key leaves the question up. Its Question is the same question for the
// accessible driver.
type Consent struct {
	Title string
	yes   bool
}

// NewConsent asks title.
func NewConsent(title string) *Consent { return &Consent{Title: title} }

// Key handles one key: answered tells whether the question is answered,
// and yes is the answer.
func (c *Consent) Key(k tea.KeyPressMsg) (answered, yes bool) {
	switch k.String() {
	case "y", "Y":
		return true, true
	case "n", "N", "esc":
		return true, false
	case "enter":
		return true, c.yes
	case "left", "right", "h", "l", "tab", "shift+tab":
		c.yes = !c.yes
	}
	return false, false
}

// Consented hands k to the consent question *c and tells whether it was
// answered yes; once answered either way, *c is nil: the question is down.
func Consented(c **Consent, k tea.KeyPressMsg) bool {
	answered, yes := (*c).Key(k)
	if answered {
		*c = nil
	}
	return yes
}

// View draws the question as huh does, with the button the answer is on.
func (c *Consent) View(st *styles.Styles, t *text.Catalog, width int) string {
	yes := c.yes
	f := huh.NewConfirm().Title(c.Title).Affirmative(t.Yes).Negative(t.No).Value(&yes)
	f.WithTheme(FormTheme(st))
	f.WithWidth(width)
	f.Focus()
	return f.View()
}

// Prompt is the question for the status line, "" when none is up (c is
// nil).
func (c *Consent) Prompt(cm Common) string {
	if c == nil {
		return ""
	}
	return c.View(cm.Styles, cm.Text, cm.Width)
}

// Question is the consent for the accessible driver: answer turns the
// answer into the message the screen's keys lead to.
func (c *Consent) Question(answer func(yes bool) tea.Msg) *Question {
	return &Question{Title: c.Title, Kind: AskConfirm, Answer: func(a Answer) tea.Msg { return answer(a.Yes) }}
}
