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

// ShortHelp lists the step's own keys, then back, retry, help and quit.
func (s stepKeys) ShortHelp() []key.Binding {
	var b []key.Binding
	switch s.step {
	case flow.StepMesh:
		b = append(append(b, s.pick...), s.km.Region)
	case flow.StepCluster, flow.StepPairing:
		b = append(b, s.pick...)
	case flow.StepPreflight:
		b = append(b, s.km.Up, s.km.Fix, s.km.Continue)
	case flow.StepReview:
		b = append(b, s.km.Scroll, s.km.Continue)
	case flow.StepAction:
		b = append(b, s.km.Up, s.km.Continue)
	case flow.StepDashboard, flow.StepSAN:
		b = append(b, s.km.Continue)
	}
	if s.step <= flow.StepReview && s.step > flow.StepMesh {
		b = append(b, s.km.Back)
	}
	return append(b, s.km.Retry, s.km.Help, s.km.Quit)
}

// FullHelp groups the step's keys and the global ones.
func (s stepKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.ShortHelp()[:max(len(s.ShortHelp())-4, 0)], {s.km.Back, s.km.Retry, s.km.Help, s.km.Quit}}
}
