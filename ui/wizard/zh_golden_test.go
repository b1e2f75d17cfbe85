package wizard_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/asmlink/asmlink/cloud/sim/demoenv"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard"
)

// TestViewGoldenChinese pins the screens up to the action menu in Chinese
// at 80x24, 100x30 and 120x40, with colour and without: every line fits
// the screen, a wide character counting two cells, and the screens speak
// Chinese.
func TestViewGoldenChinese(t *testing.T) {
	text.UseLanguage(text.ZH)
	t.Cleanup(func() { text.UseLanguage(text.EN) })
	for _, size := range [][2]int{{80, 24}, {100, 30}, {120, 40}} {
		for _, color := range []bool{true, false} {
			t.Run(fmt.Sprintf("%dx%d_color_%v", size[0], size[1], color), func(t *testing.T) {
				env := startEnv(t, demoenv.Options{World: "demo", Delay: 300 * time.Millisecond, ControllerInterval: 50 * time.Millisecond})
				deps := wizard.Deps{
					Cloud: env.Cloud, Server: cmdutil.KubeConnect(env.Kube), WriteFile: cmdutil.WriteConfigFile, Demo: true, DefaultFile: t.TempDir() + "/asmpvlconfig.yaml",
					Refresh: 100 * time.Millisecond,
				}
				d := drive(t, wizard.New(context.Background(), deps, styles.New(color), text.Active()), size[0], size[1])
				snap := func(name string) {
					view := port.ReplaceAllString(d.m.View().Content, "127.0.0.1:PORT")
					lines := strings.Split(view, "\n")
					if len(lines) > size[1] {
						t.Errorf("%s: %d lines on a screen of %d", name, len(lines), size[1])
					}
					for _, l := range lines {
						if w := ansi.StringWidth(l); w > size[0] {
							t.Errorf("%s: line %q is %d cells wide, more than %d", name, ansi.Strip(l), w, size[0])
						}
					}
					t.Run(name, func(t *testing.T) { golden.RequireEqual(t, []byte(view)) })
				}
				// Each screen: the keys that lead to it, and what it says
				// once it is drawn.
				for _, screen := range []struct {
					name string
					keys []string
					says []string
				}{
					{"1_mesh", nil, []string{"mesh-prod", "名称"}},
					{"2_cluster", []string{"enter"}, []string{"ACK 集群", "shop-prod"}},
					{"3_pairing", []string{"shop-p", "enter"}, []string{"两个 VPC 的可用区"}},
					{"4_preflight", []string{"enter"}, []string{"全部检查通过"}},
					{"5_review", []string{"enter"}, []string{"对 ASM API Server 中 ASMPvlConfig 的变更"}},
					{"6_action", []string{"enter"}, []string{"如何处理这份 ASMPvlConfig？"}},
					{"6_action_help", []string{"?"}, []string{"按键"}},
				} {
					for _, k := range screen.keys {
						if len(k) > 1 && k != "enter" {
							d.typeText(k)
							continue
						}
						d.key(k)
					}
					d.waitFor(screen.says...)
					snap(screen.name)
				}
			})
		}
	}
}
