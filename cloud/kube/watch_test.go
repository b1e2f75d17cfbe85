package kube_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/spec"
)

// next waits for the next update that satisfies ok, failing the test after
// timeout with the last update seen.
func next(t testing.TB, ch <-chan kube.Update, timeout time.Duration, what string, ok func(kube.Update) bool) kube.Update {
	t.Helper()
	deadline := time.After(timeout)
	var last kube.Update
	for {
		select {
		case u, open := <-ch:
			if !open {
				t.Fatalf("watch closed while waiting for %s", what)
			}
			if ok(u) {
				return u
			}
			last = u
		case <-deadline:
			t.Fatalf("no update with %s within %s; last: %+v", what, timeout, last)
		}
	}
}

// hasStatus matches an update whose object reports status s.
func hasStatus(s string) func(kube.Update) bool {
	return func(u kube.Update) bool {
		return u.Err == nil && u.Config != nil && u.Config.Status != nil && u.Config.Status.Status == s
	}
}

// controller is a client writing status as ASM's controller does.
func controller(c *kube.Client) *kube.Client { return c.WithFieldManager("asm-controller") }

// linkStatus is a status with both links of one cluster.
func linkStatus(cluster, overall string) spec.Status {
	ep := &spec.PvlEndpoint{ConnectionStatus: spec.ConnectionHealthy, DomainName: "ep-bp1test.privatelink.aliyuncs.com", ID: "ep-bp1test", Status: spec.StateActive}
	svc := &spec.EndpointService{ID: "epsrv-bp1test", Name: "com.aliyuncs.privatelink.cn-hangzhou.epsrv-bp1test", Status: spec.StateActive}
	return spec.Status{
		Clusters: []spec.ClusterLink{{ClusterID: cluster, PvlEndpoint: ep, PvlEndpointService: svc}},
		Pilot:    &spec.PilotLink{Clusters: []spec.ClusterLink{{ClusterID: cluster, PvlEndpoint: ep}}, PvlEndpointService: svc},
		Status:   overall,
	}
}

func TestWatchDeliversSpecAndBothLinks(t *testing.T) {
	c := connect(t)
	wctx, stop := context.WithCancel(ctx(t))
	ch := c.Watch(wctx, kube.WatchOptions{})
	next(t, ch, 10*time.Second, "the absent object", func(u kube.Update) bool { return u.Err == nil && u.Config == nil })

	a := clusterID(1)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	next(t, ch, 10*time.Second, "cluster A in spec", func(u kube.Update) bool {
		return u.Config != nil && slices.Equal(u.Config.ClusterIDs(), []string{a})
	})
	if _, err := controller(c).ApplyStatus(ctx(t), linkStatus(a, spec.StatusAvailable)); err != nil {
		t.Fatal(err)
	}
	u := next(t, ch, 10*time.Second, "status Available", hasStatus(spec.StatusAvailable))
	st := u.Config.Status
	if len(st.Clusters) != 1 || st.Clusters[0].PvlEndpoint.ConnectionStatus != spec.ConnectionHealthy ||
		st.Pilot == nil || len(st.Pilot.Clusters) != 1 || st.Pilot.PvlEndpointService.Status != spec.StateActive {
		t.Fatalf("status of both links not delivered: %+v", st)
	}
	if got, _ := c.Get(ctx(t)); !slices.Equal(got.ClusterIDs(), []string{a}) {
		t.Fatalf("writing status changed spec: %v", got.ClusterIDs())
	}
	srv.Reset(t)
	next(t, ch, 10*time.Second, "the deletion", func(u kube.Update) bool { return u.Err == nil && u.Config == nil })
	stop()
	for range ch {
	}
}

func TestWatchFromAnExpiredResourceVersionStartsOver(t *testing.T) {
	c := connect(t)
	a := clusterID(1)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// The server no longer has version 1 and answers 410 Gone ("too old
	// resource version"). The watch reads the object again at once: its
	// first update is the current state, not an error followed by a
	// backoff.
	ch := c.Watch(ctx(t), kube.WatchOptions{ResourceVersion: "1", MinBackoff: time.Minute})
	select {
	case u := <-ch:
		if u.Err != nil || u.Config == nil || !slices.Equal(u.Config.ClusterIDs(), []string{a}) {
			t.Fatalf("first update after 410 Gone = %+v, want the current state", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no update after 410 Gone")
	}
}

func TestWatchReportsAnOutageAndResumes(t *testing.T) {
	c := connect(t)
	a := clusterID(1)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	ch := c.Watch(ctx(t), kube.WatchOptions{MaxBackoff: time.Second})
	next(t, ch, 10*time.Second, "cluster A", func(u kube.Update) bool { return u.Config != nil && u.Err == nil })

	if err := srv.StopAPIServer(); err != nil {
		t.Fatal(err)
	}
	down := next(t, ch, 30*time.Second, "an error while the API server is down", func(u kube.Update) bool { return u.Err != nil })
	if down.Config == nil || !slices.Equal(down.Config.ClusterIDs(), []string{a}) {
		t.Errorf("an error update should repeat the last state, got %+v", down.Config)
	}
	if err := srv.StartAPIServer(); err != nil {
		t.Fatal(err)
	}
	if _, err := controller(c).ApplyStatus(ctx(t), linkStatus(a, "Provisioning")); err != nil {
		t.Fatal(err)
	}
	next(t, ch, 30*time.Second, "the status written after the restart", hasStatus("Provisioning"))
}

func TestWatchDoesNotMissAChangeMadeWhileDisconnected(t *testing.T) {
	c := connect(t)
	a := clusterID(1)
	if _, err := c.Apply(ctx(t), kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// A long backoff: the status is written after the API server is back
	// but before the watch reconnects, so no watch event carries it.
	ch := c.Watch(ctx(t), kube.WatchOptions{MinBackoff: 15 * time.Second, MaxBackoff: 15 * time.Second})
	next(t, ch, 10*time.Second, "cluster A", func(u kube.Update) bool { return u.Config != nil && u.Err == nil })
	start := time.Now()
	if err := srv.RestartAPIServer(); err != nil {
		t.Fatal(err)
	}
	if _, err := controller(c).ApplyStatus(ctx(t), linkStatus(a, spec.StatusAvailable)); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 15*time.Second {
		t.Fatalf("the restart took %s, longer than the watch's backoff: the test proves nothing", time.Since(start))
	}
	next(t, ch, 40*time.Second, "the status written while the watch was down", hasStatus(spec.StatusAvailable))
}

// BenchmarkStatusWriteToUpdate measures the time from a status write on the
// API server (the start of the request) to the typed update reaching the
// watcher, and reports its p50 and p95 in milliseconds.
func BenchmarkStatusWriteToUpdate(b *testing.B) {
	srv.Reset(b)
	bctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := kube.NewForConfig(bctx, srv.Config)
	if err != nil {
		b.Fatal(err)
	}
	a := clusterID(1)
	if _, err := c.Apply(bctx, kube.MergeCluster(entry(a, vswA, zoneJ), asmVSwitch(vswASM, zoneJ)), kube.ApplyOptions{}); err != nil {
		b.Fatal(err)
	}
	ch := c.Watch(bctx, kube.WatchOptions{})
	next(b, ch, 10*time.Second, "cluster A", func(u kube.Update) bool { return u.Config != nil })
	ctrl := controller(c)
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		want := fmt.Sprintf("Provisioning-%d", i)
		start := time.Now()
		if _, err := ctrl.ApplyStatus(bctx, linkStatus(a, want)); err != nil {
			b.Fatal(err)
		}
		next(b, ch, 10*time.Second, want, hasStatus(want))
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}
