package edge

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/spec"
)

// IDs of the edge world: a same-zone vSwitch pair of the mesh's VPC and
// edge-dc's, and the mesh's intranet Pilot address.
const (
	meshVSwitchG   = "vsw-bp1dhodzdoc9is0j8ht9lgm"
	edgeDCVSwitchG = "vsw-bp1sipzz5fk2z9ri19r0wyo"
	meshPilot      = "192.168.0.21:15011"
)

// TestInjectPrintsHowEdgeNodesReachPilot proves both paths: without an
// ASMPvlConfig entry the sidecars dial the mesh's intranet Pilot address
// (a route, no DNS record); once link B connects edge-dc over PrivateLink,
// the on-premises DNS needs the Pilot endpoint's domain with its zone IP.
func TestInjectPrintsHowEdgeNodesReachPilot(t *testing.T) {
	apiServer.Reset(t)
	t.Cleanup(func() { apiServer.Reset(t) })
	h := newHarness(t, false, fastClock(), "", "")
	h.f.KubeFunc = func(ctx context.Context, meshID string) (*kube.Client, error) {
		return kube.NewForConfig(ctx, apiServer.Config)
	}
	if code, err := runInjectCmd(t, h, "--cluster", edgeDC); code != 0 || !strings.Contains(h.out.String(), "reach Pilot at "+meshPilot) {
		t.Fatalf("without PrivateLink: exit %d, %v:\n%s", code, err, h.out)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	kc, err := kube.NewForConfig(ctx, apiServer.Config)
	if err != nil {
		t.Fatal(err)
	}
	entry := spec.AckVpcEndpoint{ClusterID: edgeDC, VSwitches: []spec.VSwitch{{VSwitchID: edgeDCVSwitchG, ZoneID: "cn-hangzhou-g"}}}
	if _, err := kc.Apply(ctx, kube.MergeCluster(entry, []spec.VSwitch{{VSwitchID: meshVSwitchG, ZoneID: "cn-hangzhou-g"}}), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	ctrl, err := sim.NewController(h.srv.State(), edgeMesh, apiServer.Config, sim.ControllerOptions{Interval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); ctrl.Run(cctx) }()
	defer func() { stop(); <-done }()
	var domain string
	for domain == "" {
		if ctx.Err() != nil {
			t.Fatal("link B never connected edge-dc")
		}
		time.Sleep(20 * time.Millisecond)
		cfg, err := kc.Get(ctx)
		if err != nil || cfg == nil || cfg.Status == nil || cfg.Status.Pilot == nil || len(cfg.Status.Pilot.Clusters) == 0 {
			continue
		}
		if ep := cfg.Status.Pilot.Clusters[0].PvlEndpoint; ep != nil && ep.Status == "Active" {
			domain = ep.DomainName
		}
	}
	code, err := runInjectCmd(t, h, "--cluster", edgeDC)
	out := h.out.String()
	if code != 0 || !strings.Contains(out, domain+". IN A     10.100.16.") || !strings.Contains(out, "  "+domain+"  # cn-hangzhou-g") {
		t.Fatalf("over PrivateLink: exit %d, %v; want an A record and a hosts entry for %s:\n%s", code, err, domain, out)
	}
}
