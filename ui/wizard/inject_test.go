package wizard_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlowCraftedMeshNameCannotControlTheTerminal lists the ASM instances
// of a demo world whose mesh and cluster are named with terminal controls
// (a window title, clear screen) and a 1 MB tail: the wizard's screens show
// the names escaped, never raw, and cut, never the 1 MB whole.
func TestFlowCraftedMeshNameCannotControlTheTerminal(t *testing.T) {
	demo, err := os.ReadFile("../../testdata/worlds/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	esc := `\e]0;pwned\a\e[2J`
	world := strings.Replace(string(demo), "name: mesh-prod\n", `name: "mesh`+esc+strings.Repeat("M", 1<<20)+`"`+"\n", 1)
	world = strings.Replace(world, "cbfbdabe898736a3566f893697b590487\n    name: shop-prod\n", "cbfbdabe898736a3566f893697b590487\n    name: \"shop"+esc+"\"\n", 1)
	path := filepath.Join(t.TempDir(), "hostile.yaml")
	if err := os.WriteFile(path, []byte(world), 0o644); err != nil {
		t.Fatal(err)
	}
	d, _ := start(t, path, false, 160, 60)
	check := func(screen string) {
		t.Helper()
		raw := d.m.View().Content
		for _, h := range []string{"\x1b]0;pwned", "\x07", "\x1b[2J"} {
			if strings.Contains(raw, h) {
				t.Fatalf("the %s screen holds the raw control %q", screen, h)
			}
		}
		if len(raw) > 1<<20 {
			t.Errorf("the %s screen is %d bytes: the 1 MB name was drawn whole", screen, len(raw))
		}
	}
	d.waitFor(`mesh\x1b]0;pwned\a\x1b[2JMMM`)
	check("mesh list")
	d.typeText("d564b858")
	d.key("enter")
	d.waitFor(`shop\x1b]0;pwned\a\x1b[2J`)
	check("cluster list")
}
