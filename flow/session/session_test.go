package session_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/cloud/kube/kubetest"
	"github.com/asmlink/asmlink/cloud/sim/demoenv"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// kubeSrv is the real kube-apiserver the tests share.
var kubeSrv *kubetest.Server

func TestMain(m *testing.M) { kubetest.Main(m, &kubeSrv) }

// IDs of the demo world (testdata/worlds/demo.yaml).
const (
	meshProd = "d564b858f9a3e247cb2c083eb8cb37f0"
	shopProd = "cbfbdabe898736a3566f893697b590487"
	payments = "c194f309ffea518f32cf21449273d7ce7"
)

// world is the simulated demo cloud over HTTP and a client of the real API
// server, reset for the test.
type world struct {
	api  cloud.API
	kube *kube.Client
}

func startWorld(t *testing.T) world {
	t.Helper()
	kubeSrv.Reset(t)
	env, err := demoenv.Start(context.Background(), demoenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	api, err := env.Cloud(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	kc, err := kube.NewForConfig(context.Background(), kubeSrv.Config)
	if err != nil {
		t.Fatal(err)
	}
	return world{api: api, kube: kc}
}

func (w world) connect(context.Context, string) (session.Server, error) {
	return cmdutil.KubeServer(w.kube), nil
}

func load(t *testing.T, w world) *session.Session {
	t.Helper()
	s, err := session.Load(context.Background(), w.api, meshProd, w.connect)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoadReadsTheInventoryAndTheServerOrNoServerOffline(t *testing.T) {
	w := startWorld(t)
	s := load(t, w)
	if s.Env.Mesh.ID != meshProd || s.Server == nil || s.Env.Config != nil {
		t.Fatalf("online session: mesh %q, server %v, config %v", s.Env.Mesh.ID, s.Server, s.Env.Config)
	}
	off, err := session.Load(context.Background(), w.api, meshProd, nil)
	if err != nil {
		t.Fatal(err)
	}
	if off.Server != nil {
		t.Fatal("an offline session has an API server")
	}
	if _, err := off.Review(context.Background(), off.Change(shopProd, flow.IntentConnect, nil)); err == nil {
		t.Fatal("an offline session reviewed a change without an API server")
	}
	failing := func(context.Context, string) (session.Server, error) { return nil, errors.New("dial refused") }
	_, err = session.Load(context.Background(), w.api, meshProd, failing)
	var se *session.ServerError
	if !errors.As(err, &se) || se.MeshID != meshProd {
		t.Fatalf("a server that cannot be reached: %v", err)
	}
}

// usable is every pair for clusterID that needs no warning.
func usable(t *testing.T, s *session.Session, clusterID string) []flow.Pair {
	t.Helper()
	p, err := s.Pairing(clusterID)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []flow.Pair
	for _, o := range p.Options {
		if o.Verdict == flow.VerdictOK {
			pairs = append(pairs, o.Pair)
		}
	}
	return pairs
}

func recommended(t *testing.T, s *session.Session, clusterID string) flow.Pair {
	t.Helper()
	p, err := s.Pairing(clusterID)
	if err != nil {
		t.Fatal(err)
	}
	rec, ok := p.Recommend()
	if !ok {
		t.Fatalf("no recommended pair for %s", clusterID)
	}
	return rec
}

func TestPreflightReportsEachCheckAsItCompletes(t *testing.T) {
	s := load(t, startWorld(t))
	pair := recommended(t, s, shopProd)
	var seen []flow.Result
	results := s.Preflight(context.Background(), shopProd, []flow.Pair{pair}, session.PreflightOptions{
		Observe: func(r flow.Result) { seen = append(seen, r) },
	})
	if len(results) == 0 || len(seen) != len(results) {
		t.Fatalf("observed %d results of %d", len(seen), len(results))
	}
	for i := range results {
		if seen[i].Check.Code != results[i].Check.Code {
			t.Fatalf("result %d observed as %s, returned as %s", i, seen[i].Check.Code, results[i].Check.Code)
		}
	}
	if failed := flow.Failed(results); len(failed) > 0 {
		t.Fatalf("the recommended pair of shop-prod fails %s: %s", failed[0].Check.Code, failed[0].Message)
	}
	// Without a pair the cluster's own preconditions are still checked.
	nopair := s.Preflight(context.Background(), shopProd, nil, session.PreflightOptions{})
	if len(nopair) != len(results) {
		t.Fatalf("without a pair %d results, with one %d", len(nopair), len(results))
	}
}

func TestChangeTakesEveryPairAndKeepsOtherClusters(t *testing.T) {
	w := startWorld(t)
	s := load(t, w)
	ctx := context.Background()
	if _, err := s.Apply(ctx, s.Change(payments, flow.IntentConnect, []flow.Pair{recommended(t, s, payments)}), false); err != nil {
		t.Fatal(err)
	}
	s, err := s.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pairs := usable(t, s, shopProd)
	if len(pairs) < 2 {
		t.Fatalf("the demo world offers %d usable pairs for shop-prod, want 2", len(pairs))
	}
	pairs = pairs[:2]
	got, err := s.Desired(shopProd, flow.IntentConnect, pairs)
	if err != nil {
		t.Fatal(err)
	}
	entry, ok := got.Entry(shopProd)
	if !ok || len(entry.VSwitches) != 2 {
		t.Fatalf("shop-prod's entry: %+v", entry)
	}
	if _, ok := got.Entry(payments); !ok {
		t.Fatal("connecting shop-prod dropped payments' entry")
	}
}

func TestReviewCarriesAConflictAndApplyTakesItOverOnlyWithForce(t *testing.T) {
	w := startWorld(t)
	s := load(t, w)
	ctx := context.Background()
	pair := recommended(t, s, shopProd)
	// Another field manager (a GitOps tool, say) wrote shop-prod's entry
	// with a vSwitch asmlink would not choose.
	other := session.Change(func(current *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error) {
		return flow.Desired(current, shopProd, flow.IntentConnect, []flow.Pair{pair}, nil)
	})
	gitops := cmdutil.KubeServer(w.kube.WithFieldManager("argocd"))
	if _, err := gitops.Apply(ctx, other, session.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	s, err := s.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var another *flow.Pair
	for _, p := range usable(t, s, shopProd) {
		if p != pair {
			another = &p
			break
		}
	}
	if another == nil {
		t.Fatal("the demo world offers no second pair for shop-prod")
	}
	change := s.Change(shopProd, flow.IntentChange, []flow.Pair{*another})
	rev, err := s.Review(ctx, change)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Conflict == nil || len(rev.Conflict.Managers) == 0 || rev.Conflict.Managers[0] != "argocd" {
		t.Fatalf("the review names no conflict with argocd: %+v", rev.Conflict)
	}
	if rev.Result == nil || rev.Result.Diff() == "" {
		t.Fatal("the review of a conflicting change shows no diff")
	}
	var conflict *session.ConflictError
	if _, err := s.Apply(ctx, change, false); !errors.As(err, &conflict) {
		t.Fatalf("apply without force: %v, want a conflict", err)
	}
	if cfg, _ := w.kube.Get(ctx); cfg == nil || !hasACKVSwitch(cfg, shopProd, pair.ACK.ID) {
		t.Fatal("apply without force changed the object")
	}
	if _, err := s.Apply(ctx, change, true); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := w.kube.Get(ctx); !hasACKVSwitch(cfg, shopProd, another.ACK.ID) {
		t.Fatal("apply with force did not write the change")
	}
}

func hasACKVSwitch(cfg *spec.ASMPvlConfig, clusterID, vswitchID string) bool {
	e, ok := cfg.Entry(clusterID)
	if !ok {
		return false
	}
	for _, v := range e.VSwitches {
		if v.VSwitchID == vswitchID {
			return true
		}
	}
	return false
}

func TestObserveReadsTheChosenClusterAndWaitEndsOnAvailable(t *testing.T) {
	w := startWorld(t)
	s := load(t, w)
	ctx := context.Background()
	o, err := s.Observe(ctx, nil, shopProd)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Clusters) != 1 || o.Clusters[0].ID != shopProd || o.PrivateLinkListed {
		t.Fatalf("observation before any ASMPvlConfig: clusters %v, listed %v", o.Clusters, o.PrivateLinkListed)
	}
	// No ASM controller runs here: the status never becomes Available.
	if _, err := s.Apply(ctx, s.Change(shopProd, flow.IntentConnect, []flow.Pair{recommended(t, s, shopProd)}), false); err != nil {
		t.Fatal(err)
	}
	var last flow.LinkState
	err = s.Wait(ctx, flow.WaitTarget{Mode: flow.WaitAvailable}, flow.WaitOptions{Interval: 50 * time.Millisecond, Timeout: 300 * time.Millisecond},
		func(ls flow.LinkState) { last = ls })
	var te *flow.TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("waiting for a status nobody writes: %v, want a timeout", err)
	}
	if len(last.Diagnoses) == 0 || last.View.Settled() {
		t.Fatalf("last state %+v: no cause diagnosed for a status that is not Available", last)
	}
}

// resultOf finds the result of the check code.
func resultOf(t *testing.T, results []flow.Result, code spec.Code) flow.Result {
	t.Helper()
	for _, r := range results {
		if r.Check.Code == code {
			return r
		}
	}
	t.Fatalf("no result for %s", code)
	return flow.Result{}
}

func TestDoctorRecordsWhatCouldNotBeReachedForItsChecks(t *testing.T) {
	w := startWorld(t)
	ctx := context.Background()
	results := session.Doctor(ctx, w.api, nil, w.connect, meshProd, "")
	if r := resultOf(t, results, flow.CodeAPIServer); r.Status != flow.StatusPass {
		t.Fatalf("API server check on a reachable server: %s %s", r.Status, r.Message)
	}
	refused := func(context.Context, string) (session.Server, error) {
		return nil, errors.New("dial tcp: connection refused")
	}
	results = session.Doctor(ctx, w.api, nil, refused, meshProd, "")
	if r := resultOf(t, results, flow.CodeAPIServer); r.Status != flow.StatusFail || !strings.Contains(r.Message, "connection refused") {
		t.Fatalf("API server check on a refused server: %s %s", r.Status, r.Message)
	}
	results = session.Doctor(ctx, nil, errors.New("InvalidAccessKeyId.NotFound"), w.connect, meshProd, "")
	if r := resultOf(t, results, flow.CodeCloudAccess); r.Status != flow.StatusFail || !strings.Contains(r.Message, "InvalidAccessKeyId") {
		t.Fatalf("cloud access check without the cloud: %s %s", r.Status, r.Message)
	}
}
