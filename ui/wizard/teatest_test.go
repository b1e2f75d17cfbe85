package wizard_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/asmlink/asmlink/cloud/sim/demoenv"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard"
)

// TestProgramPrintsTheReviewedObjectOnExit runs the wizard as a real Bubble
// Tea program (teatest) to the summary with "print it on stdout when
// asmlink exits", and checks what the program hands back for stdout.
func TestProgramPrintsTheReviewedObjectOnExit(t *testing.T) {
	env := startEnv(t, demoenv.Options{})
	m := wizard.New(context.Background(), wizard.Deps{Cloud: env.Cloud, Server: cmdutil.KubeConnect(env.Kube), WriteFile: cmdutil.WriteConfigFile, DefaultFile: "x.yaml"}, styles.New(false), &text.English)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 60))
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	enter := func() { tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter}) }
	wait("mesh-staging")
	enter()
	wait("staging-apps")
	tm.Type("shop-p")
	wait("/ shop-p")
	enter()
	wait("Zones of both VPCs")
	enter()
	wait("Every check passed")
	enter()
	wait("The resulting ASMPvlConfig")
	enter()
	wait("print it on stdout when asmlink exits")
	for range 3 {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	enter()
	wait("printed on stdout when you quit")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*wizard.Model)
	cfg, err := spec.Decode(final.Output())
	if err != nil {
		t.Fatalf("the program's stdout is not an ASMPvlConfig: %v\n%s", err, final.Output())
	}
	if _, ok := cfg.Entry(shopProd); !ok {
		t.Errorf("stdout lacks shop-prod's entry:\n%s", final.Output())
	}
	kc, _ := env.Kube(t.Context(), meshProd)
	if live, _ := kc.Get(t.Context()); live != nil {
		t.Errorf("printing applied the object to the mesh: %+v", live)
	}
}
