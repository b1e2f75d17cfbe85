package wizard

import (
	"charm.land/bubbles/v2/key"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/text"
)

// keyMap is every key of the wizard; the help view is generated from it.
type keyMap struct {
	common.GlobalKeys
	Up, Down, Continue, Fix, Region, Scroll key.Binding
}

func newKeyMap(t *text.Catalog) keyMap {
	return keyMap{
		GlobalKeys: common.NewGlobalKeys(t),
		Up:         key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", t.KeyMove)),
		Down:       key.NewBinding(key.WithKeys("down")),
		Continue:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyContinue)),
		Fix:        key.NewBinding(key.WithKeys("f"), key.WithHelp("f", t.KeyFix)),
		Region:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", t.KeyRegion)),
		Scroll:     key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", t.KeyScroll)),
	}
}

// stepKeys are the keys that do something on a step, for the help view.
type stepKeys struct {
	km   keyMap
	step flow.Step
	pick []key.Binding
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
// possible), retry, help and quit.
func (s stepKeys) global() []key.Binding {
	var b []key.Binding
	if s.step <= flow.StepReview && s.step > flow.StepMesh {
		b = append(b, s.km.Back)
	}
	return append(b, s.km.Retry, s.km.Help, s.km.Quit)
}

// ShortHelp lists the step's own keys, then the global ones.
func (s stepKeys) ShortHelp() []key.Binding { return append(s.own(), s.global()...) }

// FullHelp shows the step's own keys and the global ones as two columns.
func (s stepKeys) FullHelp() [][]key.Binding { return [][]key.Binding{s.own(), s.global()} }
