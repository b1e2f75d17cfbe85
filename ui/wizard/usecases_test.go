package wizard_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/sim/demoenv"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard"
)

// program is the wizard as a real Bubble Tea program (teatest) on a
// simulated world, driven by keys.
type program struct {
	t   *testing.T
	tm  *teatest.TestModel
	env *demoenv.Env
}

func runProgram(t *testing.T, world string) *program {
	t.Helper()
	env := startEnv(t, demoenv.Options{World: world, Delay: 300 * time.Millisecond, ControllerInterval: 50 * time.Millisecond})
	deps := wizard.Deps{Cloud: env.Cloud, Server: cmdutil.KubeConnect(env.Kube), WriteFile: cmdutil.WriteConfigFile, DefaultFile: t.TempDir() + "/asmpvlconfig.yaml", Refresh: 100 * time.Millisecond}
	m := wizard.New(context.Background(), deps, styles.New(false), &text.English)
	return &program{t: t, env: env, tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))}
}

// wait waits until the program has drawn s.
func (p *program) wait(s string) {
	p.t.Helper()
	teatest.WaitFor(p.t, p.tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
		teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// enterUntil presses enter every half second until the program has drawn
// s: for a step that goes on once the cloud says so, where the text it
// shows meanwhile is redrawn a cell at a time and cannot be waited for.
func (p *program) enterUntil(s string) {
	p.t.Helper()
	last := time.Time{}
	teatest.WaitFor(p.t, p.tm.Output(), func(b []byte) bool {
		if time.Since(last) > 500*time.Millisecond {
			p.enter()
			last = time.Now()
		}
		return bytes.Contains(b, []byte(s))
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func (p *program) enter() { p.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter}) }
func (p *program) down()  { p.tm.Send(tea.KeyPressMsg{Code: tea.KeyDown}) }
func (p *program) key(s string) {
	p.tm.Send(tea.KeyPressMsg{Code: []rune(s)[0], Text: s})
}

// choose filters a list by s and takes the first match. Keys are handled
// in order, so enter comes after the filter; the filter line itself is
// drawn a cell at a time, so it is not waited for.
func (p *program) choose(s string) {
	p.tm.Type(s)
	p.enter()
}

// quit presses q and returns the program's final model.
func (p *program) quit() *wizard.Model {
	p.key("q")
	return p.tm.FinalModel(p.t, teatest.WithFinalTimeout(10*time.Second)).(*wizard.Model)
}

// live is mesh-prod's ASMPvlConfig as its API server has it.
func (p *program) live() *spec.ASMPvlConfig {
	kc, err := p.env.Kube(p.t.Context(), meshProd)
	if err != nil {
		p.t.Fatal(err)
	}
	cfg, err := kc.Get(p.t.Context())
	if err != nil {
		p.t.Fatal(err)
	}
	return cfg
}

// seed writes an entry for shop-prod in its zone j, as an earlier run
// would have.
func (p *program) seed() {
	kc, err := p.env.Kube(p.t.Context(), meshProd)
	if err != nil {
		p.t.Fatal(err)
	}
	entry := spec.AckVpcEndpoint{ClusterID: shopProd, VSwitches: []spec.VSwitch{{VSwitchID: shopProdJ, ZoneID: "cn-hangzhou-j"}}}
	if _, err := kc.Apply(p.t.Context(), kube.MergeCluster(entry, []spec.VSwitch{{VSwitchID: asmProdJ, ZoneID: "cn-hangzhou-j"}}), kube.ApplyOptions{}); err != nil {
		p.t.Fatal(err)
	}
}

// TestUseCaseFirstTimeSetup: from the mesh list to shop-prod running in
// the mesh, the SAN appended on the way.
func TestUseCaseFirstTimeSetup(t *testing.T) {
	p := runProgram(t, "demo")
	p.wait("mesh-prod")
	p.choose("mesh-prod")
	p.wait("shop-prod")
	p.choose("shop-prod")
	p.wait("same zone, recommended")
	p.enter()
	p.wait("Every check passed")
	p.enter()
	p.wait("The resulting ASMPvlConfig")
	p.enter()
	p.wait("apply it to the ASM instance")
	p.enter()
	p.wait("with server-side apply?")
	p.key("y")
	p.wait("Both links are up")
	p.enter()
	p.wait("certificate must name the link A endpoint domain")
	p.enter()
	p.wait("(y/N)")
	p.key("y")
	p.enterUntil("Next steps")
	if err := p.quit().Err(); err != nil {
		t.Fatalf("the wizard ended with %v, want success at the summary", err)
	}
	if c, ok := p.env.Server.State().Cluster(shopProd); !ok || len(c.ExtraSANs) == 0 {
		t.Errorf("shop-prod's SANs were not appended: %+v", c)
	}
}

// TestUseCaseChange: shop-prod is connected in zone j; changing it to the
// zone i pair replaces its entry's vSwitches.
func TestUseCaseChange(t *testing.T) {
	p := runProgram(t, "demo")
	p.seed()
	p.wait("mesh-prod")
	p.choose("mesh-prod")
	p.wait("shop-prod")
	p.choose("shop-prod")
	p.wait("change its vSwitches")
	p.enter()
	p.wait("same zone, recommended")
	// Keys are handled in order: the second pair is chosen.
	p.down()
	p.enter()
	p.wait("checks passed")
	p.enter()
	p.wait("The resulting ASMPvlConfig")
	p.enter()
	p.wait("apply it to the ASM instance")
	p.enter()
	p.wait("with server-side apply?")
	p.key("y")
	p.wait("Both links are up")
	p.quit()
	e, ok := p.live().Entry(shopProd)
	if !ok || len(e.VSwitches) != 1 || e.VSwitches[0].ZoneID != "cn-hangzhou-i" {
		t.Fatalf("shop-prod's entry after the change = %+v, want its vSwitch in cn-hangzhou-i", e)
	}
}

// TestUseCaseRemove: removing shop-prod takes its entry out, straight from
// the cluster to the review, and the summary says so with its name.
func TestUseCaseRemove(t *testing.T) {
	p := runProgram(t, "demo")
	p.seed()
	p.wait("mesh-prod")
	p.choose("mesh-prod")
	p.wait("shop-prod")
	p.choose("shop-prod")
	p.wait("remove it from the ASMPvlConfig")
	p.down()
	p.enter()
	p.wait("-  - clusterId: " + shopProd)
	p.enter()
	p.wait("apply it to the ASM instance")
	p.enter()
	p.wait("with server-side apply?")
	p.key("y")
	p.wait("Both links are up")
	p.enter()
	p.wait("removed cluster shop-prod (" + shopProd + ")")
	if err := p.quit().Err(); err != nil {
		t.Fatalf("the wizard ended with %v, want success at the summary", err)
	}
	if cfg := p.live(); cfg != nil {
		if _, ok := cfg.Entry(shopProd); ok {
			t.Fatalf("shop-prod's entry is still there after the removal")
		}
	}
}

// TestUseCaseTroubleshooting: on a world where PrivateLink is off, the
// preflight names it, and its fix, with consent, activates it.
func TestUseCaseTroubleshooting(t *testing.T) {
	p := runProgram(t, "privatelink-off")
	p.wait("mesh-main")
	p.enter()
	p.wait("orders")
	p.enter()
	p.wait("same zone, recommended")
	p.enter()
	p.wait("fail  PVL104")
	p.key("f")
	p.wait("This changes your cloud account. Run it now?")
	p.key("y")
	p.wait("pass  PVL104")
	p.enter()
	p.wait("The resulting ASMPvlConfig")
	if err := p.quit().Err(); !errors.Is(err, wizard.ErrCancelled) {
		t.Fatalf("quitting at the review ended with %v, want a cancel", err)
	}
	if !p.env.Server.State().PrivateLinkActivated() {
		t.Fatal("the fix did not activate PrivateLink")
	}
}

// TestUseCaseEdge: an ACK Edge cluster run through to the summary is
// offered the ingress gateway and sidecar injection of ASM's edge guide.
func TestUseCaseEdge(t *testing.T) {
	p := runProgram(t, "demo")
	p.wait("mesh-prod")
	p.choose("mesh-prod")
	p.wait("edge-factory")
	p.choose("edge-fac")
	p.wait("same zone, recommended")
	p.enter()
	p.wait("checks passed")
	p.enter()
	p.wait("The resulting ASMPvlConfig")
	p.enter()
	p.wait("apply it to the ASM instance")
	p.enter()
	p.wait("with server-side apply?")
	p.key("y")
	p.wait("Both links are up")
	p.enter()
	p.wait("certificate must name the link A endpoint domain")
	p.enter()
	p.wait("(y/N)")
	p.key("y")
	p.enterUntil("asmlink edge inject --mesh " + meshProd + " --cluster " + edgeFactory)
	if err := p.quit().Err(); err != nil {
		t.Fatalf("the wizard ended with %v, want success at the summary", err)
	}
}
