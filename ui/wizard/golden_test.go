package wizard_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

var port = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)

// TestViewGolden pins every step's screen up to the action menu at
// 80x24, 100x30 and 120x40, in colour (the styles' fixed true-colour
// profile) and without.
func TestViewGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}, {120, 40}} {
		for _, color := range []bool{true, false} {
			t.Run(fmt.Sprintf("%dx%d_color_%v", size[0], size[1], color), func(t *testing.T) {
				d, _ := start(t, "demo", color, size[0], size[1])
				snap := func(name string) {
					// The simulator's port changes from run to run.
					view := port.ReplaceAllString(d.m.View().Content, "127.0.0.1:PORT")
					t.Run(name, func(t *testing.T) { golden.RequireEqual(t, []byte(view)) })
				}
				d.waitFor("mesh-prod")
				snap("1_mesh")
				d.key("enter")
				d.waitFor("step 2 of 9", "shop-prod")
				snap("2_cluster")
				d.typeText("shop-p")
				d.key("enter")
				d.waitFor("step 3 of 9", "Zones of both VPCs")
				snap("3_pairing")
				d.key("enter")
				d.waitFor("step 4 of 9", "Every check passed")
				snap("4_preflight")
				d.key("enter")
				d.waitFor("step 5 of 9", "Change to the ASMPvlConfig")
				snap("5_review")
				d.key("enter")
				d.waitFor("step 6 of 9")
				snap("6_action")
				d.key("?")
				snap("6_action_help")
			})
		}
	}
}
