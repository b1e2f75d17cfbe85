package wizard_test

import (
	"strings"
	"testing"
)

// edgeFactory is the demo world's ACK Edge cluster in mesh-prod.
const edgeFactory = "c849ef307590d273e34f98dff7e4c6427"

// TestFlowEdgeClusterRunningOffersGatewayAndInjection drives an edge
// cluster until it runs in the mesh: the summary then offers steps 3 and 4
// of ASM's edge guide, the ingress gateway and sidecar injection.
func TestFlowEdgeClusterRunningOffersGatewayAndInjection(t *testing.T) {
	d, _ := start(t, "demo", false, 200, 60)
	d.waitFor("mesh-prod")
	d.key("enter")
	d.waitFor("step 2 of 9", "edge-factory")
	d.typeText("edge-fac")
	d.key("enter")
	d.waitFor("step 3 of 9", "same zone, recommended")
	d.key("enter")
	d.waitFor("step 4 of 9", "checks passed")
	d.key("enter")
	d.waitFor("step 5 of 9", "Change to the ASMPvlConfig")
	d.key("enter")
	d.waitFor("step 6 of 9", "apply it to the ASM instance")
	d.key("enter")
	d.waitFor("Apply the ASMPvlConfig to ASM instance " + meshProd)
	d.key("y")
	d.waitFor("step 7 of 9", "Both links are up")
	d.key("enter")
	d.waitFor("step 8 of 9", "is not in the API server certificate SANs")
	appendSAN(d)
	d.waitFor("step 9 of 9",
		"asmlink edge gateway --mesh "+meshProd+" --cluster "+edgeFactory+" --dry-run",
		"asmlink edge inject --mesh "+meshProd+" --cluster "+edgeFactory)
}

// TestFlowOtherClusterIsNotOfferedEdgeSteps: a cluster that is not ACK Edge
// ends without the edge commands.
func TestFlowOtherClusterIsNotOfferedEdgeSteps(t *testing.T) {
	d, _ := start(t, "demo", false, 200, 60)
	toLinks(d)
	d.waitFor("Both links are up")
	d.key("enter")
	d.waitFor("step 8 of 9")
	appendSAN(d)
	d.waitFor("step 9 of 9", "asmlink doctor --mesh "+meshProd)
	if strings.Contains(d.screen(), "asmlink edge") {
		t.Fatalf("a non-edge cluster is offered the edge steps:\n%s", d.screen())
	}
}
