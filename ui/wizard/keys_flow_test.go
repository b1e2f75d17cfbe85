package wizard_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestFlowTypingAlwaysFilters types the keys that are global elsewhere into
// a list: each one filters (a filter may start with q, r, R or ?), none
// quits, retries, switches region or opens the help, and ctrl+c still quits.
func TestFlowTypingAlwaysFilters(t *testing.T) {
	for _, k := range []string{"q", "r", "R", "?"} {
		t.Run(k, func(t *testing.T) {
			d, _ := start(t, "demo", false, 160, 60)
			d.waitFor("mesh-prod")
			d.key(k)
			d.drain()
			if d.quit {
				t.Fatalf("%q quit the wizard from a list", k)
			}
			screen := d.screen()
			if !strings.Contains(screen, "/ "+k) && !strings.Contains(screen, "filter: "+k) {
				t.Fatalf("%q did not go to the filter:\n%s", k, screen)
			}
			if strings.Contains(screen, "region ID (for example") {
				t.Fatalf("%q opened the region question:\n%s", k, screen)
			}
			d.key("ctrl+c")
			d.drain()
			if !d.quit {
				t.Fatal("ctrl+c did not quit from a list")
			}
		})
	}
}

// requireCopyable fails unless value is on screen in one piece: whole
// within one line when it fits in width, else broken only at the screen's
// edge into consecutive lines from the first column (what Bubble Tea
// cannot show wider), with nothing inserted.
func requireCopyable(t *testing.T, screen, value string, width int) {
	t.Helper()
	// Bubble Tea cuts every line at the screen's width.
	lines := strings.Split(ansi.Strip(screen), "\n")
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], width, "")
	}
	for i, l := range lines {
		if strings.Contains(l, value) {
			return
		}
		if len(value) > width && strings.HasPrefix(value, l) && len(l) == width {
			joined := l
			for _, next := range lines[i+1:] {
				joined += next
				if len(joined) >= len(value) {
					break
				}
			}
			if strings.HasPrefix(joined, value) {
				return
			}
		}
	}
	t.Errorf("%q is not in one piece at %d columns:\n%s", value, width, ansi.Strip(screen))
}

// TestFlowCopyableValuesAreWholeAtEveryWidth walks the links, SAN and
// summary screens and the no-shared-zone screen at 80, 120 and 200
// columns: the link A domain, the vSwitch command and every next command
// are on screen in one piece.
func TestFlowCopyableValuesAreWholeAtEveryWidth(t *testing.T) {
	for _, width := range []int{80, 120, 200} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			d, env := start(t, "demo", false, width, 200)
			toLinks(d)
			d.waitFor("Both links are up")
			kc, _ := env.Kube(t.Context(), meshProd)
			live, err := kc.Get(t.Context())
			if err != nil || live == nil || len(live.Status.Clusters) == 0 || live.Status.Clusters[0].PvlEndpoint == nil {
				t.Fatalf("no link A endpoint in the live status: %+v, %v", live, err)
			}
			domain := live.Status.Clusters[0].PvlEndpoint.DomainName
			requireCopyable(t, d.screen(), domain, width)
			d.key("enter")
			d.waitFor("step 8 of 9", "certificate must name")
			requireCopyable(t, d.screen(), domain, width)
			appendSAN(d)
			d.waitFor("step 9 of 9", "Next steps")
			for _, c := range []string{
				"asmlink status --mesh " + meshProd + " --cluster " + shopProd,
				"asmlink doctor --mesh " + meshProd + " --cluster " + shopProd,
				"kubectl get asmpvlconfig default -o yaml",
			} {
				requireCopyable(t, d.screen(), c, width)
			}

			z, _ := start(t, "demo", false, width, 200)
			z.waitFor("mesh-prod")
			z.key("enter")
			z.waitFor("step 2 of 9", "billing")
			z.typeText("billing")
			z.key("enter")
			z.waitFor("step 3 of 9", "The two VPCs share no zone")
			requireCopyable(t, z.screen(), "aliyun vpc CreateVSwitch --RegionId cn-hangzhou --VpcId vpc-bp1hbrpoig8f1cbfno6b9 --ZoneId cn-hangzhou-k --CidrBlock", width)
		})
	}
}

// TestFlowEscOnTheActionStepGoesBackToTheReview: nothing is applied yet,
// so esc returns to the review, and the action step is reached again.
func TestFlowEscOnTheActionStepGoesBackToTheReview(t *testing.T) {
	d, env := start(t, "demo", false, 160, 60)
	toReview(d)
	d.key("enter")
	d.waitFor("step 6 of 9", "esc back")
	d.key("esc")
	d.waitFor("step 5 of 9", "+  - clusterId: "+shopProd)
	d.key("enter")
	d.waitFor("step 6 of 9", "apply it to the ASM instance")
	kc, _ := env.Kube(t.Context(), meshProd)
	if live, err := kc.Get(t.Context()); err != nil || live != nil {
		t.Errorf("going back changed the mesh's API server: %+v, %v", live, err)
	}
}
