package common

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/ui/text"
)

// Scroll is the window onto a screen that can be longer than the room it
// has (bubbles' viewport): the page keys always scroll it, and the arrows
// do where they select nothing.
type Scroll struct {
	vp     viewport.Model
	arrows bool
	key    key.Binding
}

// NewScroll returns a scroll window; arrows says whether the arrow keys
// scroll it too.
func NewScroll(t *text.Catalog, arrows bool) Scroll {
	vp := viewport.New()
	// A line longer than the screen (a copyable command or domain on a
	// line of its own) goes on at the start of the next line, with no
	// character inserted, instead of being cut.
	vp.SoftWrap = true
	return Scroll{vp: vp, arrows: arrows, key: key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", t.KeyScroll))}
}

// SetSize gives the window its room.
func (s *Scroll) SetSize(width, height int) {
	s.vp.SetWidth(width)
	s.vp.SetHeight(height)
}

// Top goes back to the start, for a new screen.
func (s *Scroll) Top() { s.vp.GotoTop() }

// Key scrolls content for a scrolling key and tells whether k was one.
func (s *Scroll) Key(k tea.KeyPressMsg, content string) (bool, tea.Cmd) {
	switch k.String() {
	case "pgup", "pgdown", "home", "end":
	case "up", "down":
		if !s.arrows {
			return false, nil
		}
	default:
		return false, nil
	}
	s.vp.SetContent(content)
	var cmd tea.Cmd
	s.vp, cmd = s.vp.Update(k)
	return true, cmd
}

// View shows content in the window at its scroll position.
func (s Scroll) View(content string) string {
	vp := s.vp
	vp.SetContent(content)
	return vp.View()
}

// Binding is the scroll key for the help line.
func (s Scroll) Binding() key.Binding { return s.key }
