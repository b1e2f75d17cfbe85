package wizard

import (
	"charm.land/bubbles/v2/key"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/text"
)

// keyMap is every key of the wizard; the help view is generated from it.
// Focused replaces the global keys on the steps with a list, whose filter
// always has the keyboard; Region works there, so it is not printable.
type keyMap struct {
	common.GlobalKeys
	Focused                                 common.GlobalKeys
	Up, Down, Continue, Fix, Region, Scroll key.Binding
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
	return keyMap{
		GlobalKeys: common.NewGlobalKeys(t),
		Focused:    common.NewFocusedKeys(t),
		Up:         key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", t.KeyMove)),
		Down:       key.NewBinding(key.WithKeys("down")),
		Continue:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyContinue)),
		Fix:        key.NewBinding(key.WithKeys("f"), key.WithHelp("f", t.KeyFix)),
		Region:     key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", t.KeyRegion)),
		Scroll:     key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", t.KeyScroll)),
	}
}

// stepKeys are the keys that do something on a step, for the help view.
type stepKeys struct {
	km      keyMap
	step    flow.Step
	pick    []key.Binding
	focused bool
}

// own lists the keys that belong to the step itself.
func (s stepKeys) own() []key.Binding {
	switch s.step {
	case flow.StepMesh:
		return append(append([]key.Binding{}, s.pick...), s.km.Region)
	case flow.StepCluster, flow.StepPairing:
		return s.pick
	case flow.StepPreflight:
		return []key.Binding{s.km.Up, s.km.Fix, s.km.Continue}
	case flow.StepReview:
		return []key.Binding{s.km.Scroll, s.km.Continue}
	case flow.StepAction:
		return []key.Binding{s.km.Up, s.km.Continue}
	case flow.StepDashboard, flow.StepSAN:
		return []key.Binding{s.km.Continue}
	}
	return nil
}

// global lists the keys of every step: back (while going back is
// possible: up to the action step, before anything is applied), retry,
// help and quit.
func (s stepKeys) global() []key.Binding {
	g := s.km.globals(s.focused)
	var b []key.Binding
	if s.step <= flow.StepAction && s.step > flow.StepMesh {
		b = append(b, g.Back)
	}
	return append(b, g.Retry, g.Help, g.Quit)
}

// ShortHelp lists the step's own keys, then the global ones.
func (s stepKeys) ShortHelp() []key.Binding { return append(s.own(), s.global()...) }

// FullHelp shows the step's own keys and the global ones as two columns.
func (s stepKeys) FullHelp() [][]key.Binding { return [][]key.Binding{s.own(), s.global()} }
