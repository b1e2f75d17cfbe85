package wizard_test

import (
	"strings"
	"testing"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/spec"
)

// TestFlowConflictScreenKeysDoWhatTheySay: a GitOps tool's server-side
// apply owns shop-prod's vSwitch zone, so applying stops on the conflict
// screen. It says "Press F": y and other keys do nothing, esc goes back
// without writing, and F shows the forced change for review again before
// anything is written.
func TestFlowConflictScreenKeysDoWhatTheySay(t *testing.T) {
	d, env := start(t, "demo", false, 160, 60)
	toReview(d)
	kc, err := env.Kube(t.Context(), meshProd)
	if err != nil {
		t.Fatal(err)
	}
	gitops := spec.AckVpcEndpoint{ClusterID: shopProd, VSwitches: []spec.VSwitch{{VSwitchID: shopProdJ, ZoneID: "cn-hangzhou-h"}}}
	if _, err := kc.WithFieldManager("gitops").Apply(t.Context(), kube.MergeCluster(gitops, nil), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	d.key("enter")
	d.waitFor("step 6 of 9", "apply it to the ASM instance")
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("y")
	d.waitFor("gitops", "Press F to take these fields over")
	for _, k := range []string{"y", "enter"} {
		d.key(k)
		d.drain()
		if !strings.Contains(d.screen(), "Press F") {
			t.Fatalf("%q on the conflict screen dismissed it:\n%s", k, d.screen())
		}
	}
	zone := func() string {
		live, err := kc.Get(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		e, _ := live.Entry(shopProd)
		return e.VSwitches[0].ZoneID
	}
	if z := zone(); z != "cn-hangzhou-h" {
		t.Fatalf("a key other than F wrote the change: zone %s", z)
	}
	d.key("esc")
	d.drain()
	if s := d.screen(); strings.Contains(s, "Press F") {
		t.Fatalf("esc left the conflict screen up:\n%s", s)
	}
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("y")
	d.waitFor("Press F to take these fields over")
	d.key("F")
	d.waitFor("step 5 of 9", "zoneId: cn-hangzhou-j")
	if z := zone(); z != "cn-hangzhou-h" {
		t.Fatalf("F wrote before the forced change was reviewed: zone %s", z)
	}
	d.key("enter")
	d.waitFor("step 6 of 9")
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("y")
	d.waitFor("step 7 of 9")
	if z := zone(); z != "cn-hangzhou-j" {
		t.Fatalf("the consented apply did not take gitops's field over: zone %s", z)
	}
}

// TestFlowConsentIsAHuhConfirmThatStartsAtNo: enter on a consent question
// takes the button shown, which is No until an arrow moves it; other keys
// leave the question up.
func TestFlowConsentIsAHuhConfirmThatStartsAtNo(t *testing.T) {
	d, env := start(t, "demo", false, 160, 60)
	toReview(d)
	d.key("enter")
	d.waitFor("step 6 of 9", "apply it to the ASM instance")
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance "+meshProd, "Yes", "No")
	d.key("enter")
	d.drain()
	if strings.Contains(d.screen(), "step 7 of 9") {
		t.Fatal("enter on a fresh consent question applied: it must start at No")
	}
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("x")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("left")
	d.key("enter")
	d.waitFor("step 7 of 9")
	kc, err := env.Kube(t.Context(), meshProd)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := kc.Get(t.Context()); err != nil || cfg == nil {
		t.Fatalf("the consent given with the arrows applied nothing: %v", err)
	}
}

// TestFlowConnectedClusterAsksChangeOrRemoveWithAHuhSelect: choosing a
// cluster that already has an entry asks what to do with it; the arrows
// move the select and enter takes the removal straight to the review.
func TestFlowConnectedClusterAsksChangeOrRemoveWithAHuhSelect(t *testing.T) {
	d, env := start(t, "demo", false, 160, 60)
	kc, err := env.Kube(t.Context(), meshProd)
	if err != nil {
		t.Fatal(err)
	}
	entry := spec.AckVpcEndpoint{ClusterID: shopProd, VSwitches: []spec.VSwitch{{VSwitchID: shopProdJ, ZoneID: "cn-hangzhou-j"}}}
	if _, err := kc.Apply(t.Context(), kube.MergeCluster(entry, []spec.VSwitch{{VSwitchID: "vsw-bp13uea3ge8n6qiwepxsk", ZoneID: "cn-hangzhou-j"}}), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	d.waitFor("mesh-prod")
	d.key("enter")
	d.waitFor("step 2 of 9", "shop-prod")
	d.typeText("shop-prod")
	d.key("enter")
	d.waitFor("change its vSwitches", "remove it from the ASMPvlConfig")
	d.key("down")
	d.key("enter")
	d.waitFor("step 5 of 9", "-  - clusterId: "+shopProd)
}
