package wizard

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/text"
)

// keyMap is the root's keys; the steps' own keys join them in the help.
// Focused replaces the global keys on the steps with a list, whose filter
// always has the keyboard.
type keyMap struct {
	common.GlobalKeys
	Focused common.GlobalKeys
}

// globals are the global keys in force: the focused ones while a list's
// filter takes typing.
func (k keyMap) globals(focused bool) common.GlobalKeys {
	if focused {
		return k.Focused
	}
	return k.GlobalKeys
}

func newKeyMap(t *text.Catalog) keyMap {
	return keyMap{GlobalKeys: common.NewGlobalKeys(t), Focused: common.NewFocusedKeys(t)}
}

// stepKeys are the keys that do something on a step, for the help view.
type stepKeys struct {
	km      keyMap
	step    flow.Step
	own     []key.Binding
	focused bool
	// typing means esc belongs to the step (it clears a filter), so it is
	// not shown as back.
	typing bool
}

// global lists the keys of every step: back (while going back is
// possible: up to the action step, before anything is applied), retry,
// help and quit.
func (s stepKeys) global() []key.Binding {
	g := s.km.globals(s.focused)
	var b []key.Binding
	if s.step <= flow.StepAction && s.step > flow.StepMesh && !s.typing {
		b = append(b, g.Back)
	}
	return append(b, g.Retry, g.Help, g.Quit)
}

// ShortHelp lists the step's own keys, then the global ones.
func (s stepKeys) ShortHelp() []key.Binding {
	return append(append([]key.Binding{}, s.own...), s.global()...)
}

// FullHelp shows the step's own keys and the global ones as two columns.
func (s stepKeys) FullHelp() [][]key.Binding { return [][]key.Binding{s.own, s.global()} }

var _ help.KeyMap = stepKeys{}
