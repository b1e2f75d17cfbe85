package render

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/styles"
)

// failedConfig is shop's links with link A's endpoint Failed, as ASM
// reports an endpoint it could not create (quota, PrivateLink off).
func failedConfig() *spec.ASMPvlConfig {
	cfg := sampleConfig()
	cfg.Spec.AckVpcEndpoint = cfg.Spec.AckVpcEndpoint[:1]
	cfg.Status.Status = "Failed"
	cfg.Status.Clusters = cfg.Status.Clusters[:1]
	cfg.Status.Clusters[0].PvlEndpoint = &spec.PvlEndpoint{ID: "ep-bp1shopa", Status: "Failed"}
	cfg.Status.Pilot.Clusters = cfg.Status.Pilot.Clusters[:1]
	return cfg
}

// TestLinksFailedReadsAsFailed: a Failed endpoint is shown as failed (✗ in
// colour, the word "failed" without), never as something waited for.
func TestLinksFailedReadsAsFailed(t *testing.T) {
	v := flow.Links(failedConfig(), []cloud.EndpointService{}, []cloud.Endpoint{}, nil)
	plain := Links(styles.New(false), 100, v)
	for _, want := range []string{"cluster " + clusterShop + "  link failed\n", "failed: link A: endpoint ep-bp1shopa Failed\n"} {
		if !strings.Contains(plain, want) {
			t.Errorf("output lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "waiting for: link A: endpoint ep-bp1shopa") || strings.Contains(plain, "not healthy yet") {
		t.Errorf("a failed endpoint reads as waiting:\n%s", plain)
	}
	color := Links(styles.New(true), 100, v)
	if !strings.Contains(color, "✗ Failed") || !strings.Contains(color, "✗ link failed") {
		t.Errorf("colour output lacks the failed glyph:\n%s", color)
	}
	if rep := NewLinkReport(v); rep.Clusters[0].Health != flow.HealthFailed || len(rep.Failures) != 1 {
		t.Errorf("report health %s, failures %v", rep.Clusters[0].Health, rep.Failures)
	}
}

func TestLinkVerdict(t *testing.T) {
	target := flow.WaitTarget{Mode: flow.WaitRunning, RequireCluster: true}
	cfg := failedConfig()
	o := flow.Observation{Config: cfg, PrivateLinkListed: true, PrivateLinkActivated: false, EndpointServices: []cloud.EndpointService{}, Endpoints: []cloud.Endpoint{}}
	s := flow.LinkState{View: flow.Links(cfg, o.EndpointServices, o.Endpoints, nil), Diagnoses: flow.Diagnose(o)}
	v := LinkVerdict(s, target, "m1")
	if v.OK || !strings.Contains(v.Summary, "1 of 1 cluster(s) are not up and running: PVL202") || v.Next != "aliyun privatelink OpenPrivateLinkService" {
		t.Errorf("verdict = %+v", v)
	}
	if line := VerdictLine(styles.New(false), 80, v); !strings.HasPrefix(line, "1 of 1") || !strings.Contains(line, "next: aliyun privatelink OpenPrivateLinkService") {
		t.Errorf("verdict line = %q", line)
	}
	if line := VerdictLine(styles.New(true), 80, v); !strings.Contains(line, "✗") {
		t.Errorf("colour verdict line lacks ✗: %q", line)
	}
	none := LinkVerdict(flow.LinkState{}, target, "m1")
	if none.OK || none.Summary != "no cluster is connected over PrivateLink" {
		t.Errorf("verdict of nothing = %+v", none)
	}
}

func TestWaitLine(t *testing.T) {
	st := styles.New(false)
	a := flow.Attempt{What: "x", Elapsed: 65 * time.Second, State: "cluster c1 link B: endpoint ep-2 Connecting"}
	if got := WaitLine(st, a); got != "[1m5s] waiting for cluster c1 link B: endpoint ep-2 Connecting" {
		t.Errorf("waiting line = %q", got)
	}
	a.Terminal, a.Held, a.Grace = &flow.TerminalError{Key: "k", Err: errors.New("PVL204 the SAN is missing")}, 20*time.Second, time.Minute
	if got := WaitLine(st, a); got != "[1m5s] PVL204 the SAN is missing; only a person can fix this: giving up in 40s unless it changes" {
		t.Errorf("terminal line = %q", got)
	}
	if got := WaitLine(styles.New(true), a); !strings.Contains(got, "✗") {
		t.Errorf("colour terminal line lacks ✗: %q", got)
	}
}

// TestWaitLineEscapesCloudValues shows a wait whose state, transient error
// and terminal cause carry terminal controls from the cloud: the line
// shows them escaped, never raw.
func TestWaitLineEscapesCloudValues(t *testing.T) {
	bad := "shop\x1b]0;pwned\x07\x1b[2J"
	for _, a := range []flow.Attempt{
		{What: "links", State: "mesh says " + bad},
		{What: "links", Err: errors.New(bad)},
		{What: "links", Terminal: &flow.TerminalError{Key: "x509", Err: errors.New(bad)}, Grace: time.Minute},
		{What: bad, Done: true},
	} {
		got := WaitLine(styles.New(false), a)
		if strings.ContainsAny(got, "\x1b\x07") || !strings.Contains(got, `shop\x1b]0;pwned\a\x1b[2J`) {
			t.Errorf("WaitLine(%+v) = %q: want the value escaped", a, got)
		}
	}
}
