package wizard_test

import (
	"strings"
	"testing"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
)

// edgeFactory is the demo world's ACK Edge cluster in mesh-prod.
const edgeFactory = "c849ef307590d273e34f98dff7e4c6427"

// connectToSummary drives the wizard from the mesh list (the first mesh,
// which is shown as mesh) through connecting the cluster a filter by
// cluster finds, with the recommended pair and the SAN appended, to the
// summary.
func connectToSummary(d *driver, mesh, cluster string) {
	d.t.Helper()
	d.waitFor(mesh)
	d.key("enter")
	d.waitFor("step 2 of 9", cluster)
	d.typeText(cluster)
	d.key("enter")
	d.waitFor("step 3 of 9", "same zone, recommended")
	d.key("enter")
	d.waitFor("step 4 of 9", "checks passed")
	d.key("enter")
	d.waitFor("step 5 of 9", "Change to the ASMPvlConfig")
	d.key("enter")
	d.waitFor("step 6 of 9", "apply it to the ASM instance")
	d.key("enter")
	d.waitFor("with server-side apply?")
	d.key("y")
	d.waitFor("step 7 of 9", "Both links are up")
	d.key("enter")
	d.waitFor("step 8 of 9", "is not in the API server certificate SANs")
	appendSAN(d)
}

// TestFlowEdgeClusterRunningOffersGatewayAndInjection drives an edge
// cluster until it runs in the mesh: the summary then offers steps 3 and 4
// of ASM's edge guide, the ingress gateway and sidecar injection.
func TestFlowEdgeClusterRunningOffersGatewayAndInjection(t *testing.T) {
	d, _ := start(t, "demo", false, 200, 60)
	connectToSummary(d, "mesh-prod", "edge-factory")
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

// TestFlowEdgeInjectionFromTheSummary runs the edge world's edge-dc until
// it runs in the mesh, then turns sidecar injection on for its iot
// namespace from the summary: the screen lists the namespaces and why,
// asks before the change, and then names the workloads to restart.
func TestFlowEdgeInjectionFromTheSummary(t *testing.T) {
	d, env := start(t, "edge", false, 160, 60)
	const edgeDC = "c8d41bed440e50454f31af3176813e02e"
	connectToSummary(d, "mesh-edge", "edge-dc")
	d.waitFor("step 9 of 9", "press i to set up automatic sidecar injection")
	d.key("i")
	d.waitFor("Automatic sidecar injection in cluster", "shop", "label istio-injection=enabled", "iot")
	d.key("down") // iot, after default
	d.key(" ")
	d.waitFor("off  → on")
	d.key("enter")
	d.waitFor("Turn sidecar injection on iot in ASM instance")
	d.key("y")
	d.waitFor("restart these workloads", "kubectl -n iot rollout restart deployment/telemetry-ingest")
	d.key("enter")
	d.waitFor("step 9 of 9", "turned sidecar injection on for namespace iot of cluster "+edgeDC)
	api, err := env.Cloud(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := session.Load(t.Context(), api, "569969e58b081006f7e3dfc967a64cb1", nil)
	if err != nil {
		t.Fatal(err)
	}
	edge, err := sess.Edge(edgeDC)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := edge.Injection(t.Context(), flow.InjectionRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range plan.Namespaces {
		if n.Name == "iot" && !n.Enabled {
			t.Fatalf("the mesh does not inject iot after the change: %+v", n)
		}
	}
}
