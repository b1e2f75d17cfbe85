package flow

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud"
)

func TestWaitDoneAfterRetries(t *testing.T) {
	var seen []Attempt
	calls := 0
	err := Wait(context.Background(), "the link", WaitOptions{Interval: time.Millisecond, Observe: func(a Attempt) { seen = append(seen, a) }},
		func(context.Context) (bool, string, error) {
			calls++
			if calls == 1 {
				return false, "", errors.New("throttled")
			}
			return calls == 3, "status Provisioning", nil
		})
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if calls != 3 || len(seen) != 3 {
		t.Fatalf("calls=%d observed=%d, want 3 and 3", calls, len(seen))
	}
	if seen[0].Err == nil || seen[0].N != 1 || !seen[2].Done || seen[1].Done {
		t.Errorf("attempts = %+v", seen)
	}
}

func TestWaitTimeoutKeepsLastCause(t *testing.T) {
	states := []string{"Creating", "Connecting"}
	n := 0
	err := Wait(context.Background(), "endpoint ep-1 to be Connected", WaitOptions{Interval: time.Millisecond, MaxInterval: 2 * time.Millisecond, Timeout: 30 * time.Millisecond},
		func(context.Context) (bool, string, error) {
			s := states[min(n, 1)]
			n++
			if n == 2 {
				return false, s, errors.New("Throttling.User")
			}
			return false, s, nil
		})
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want *TimeoutError", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout error does not match context.DeadlineExceeded, so the exit code would not be 124")
	}
	if te.LastState != "Connecting" || te.LastErr == nil || te.LastErr.Error() != "Throttling.User" {
		t.Errorf("last state %q, last err %v", te.LastState, te.LastErr)
	}
	for _, want := range []string{"endpoint ep-1 to be Connected", "last state: Connecting", "last error: Throttling.User"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestWaitPermanentStopsAtOnce(t *testing.T) {
	calls := 0
	cause := errors.New("cluster c1 not found")
	err := Wait(context.Background(), "cluster c1", WaitOptions{Interval: time.Millisecond}, func(context.Context) (bool, string, error) {
		calls++
		return false, "", Permanent(cause)
	})
	if calls != 1 || !errors.Is(err, cause) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("calls=%d err=%v", calls, err)
	}
}

func TestWaitCancelledNamesLastState(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	err := Wait(ctx, "cluster c1 to be running", WaitOptions{Interval: time.Millisecond}, func(context.Context) (bool, string, error) {
		cancel()
		return false, "updating", nil
	})
	if !errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "updating") {
		t.Fatalf("err = %v", err)
	}
}

// TestWaitTerminalEndsAfterGrace: a terminal cause ends the wait once it
// has held for the grace period, well before the timeout; a transient
// state in between starts the grace period again.
func TestWaitTerminalEndsAfterGrace(t *testing.T) {
	cause := errors.New("PVL204 the SAN is missing")
	n := 0
	var seen []Attempt
	start := time.Now()
	err := Wait(context.Background(), "cluster c1 running", WaitOptions{Interval: time.Millisecond, MaxInterval: 5 * time.Millisecond, Timeout: time.Minute, Grace: 50 * time.Millisecond,
		Observe: func(a Attempt) { seen = append(seen, a) }},
		func(context.Context) (bool, string, error) {
			n++
			if n == 3 {
				return false, "status Provisioning", nil
			}
			return false, "", Terminal("PVL204/c1", cause)
		})
	var term *TerminalError
	if !errors.As(err, &term) || !errors.Is(err, cause) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the terminal cause", err)
	}
	if took := time.Since(start); took > 5*time.Second || term.Held < 50*time.Millisecond {
		t.Errorf("took %s, held %s: want an end just after the 50ms grace", took, term.Held)
	}
	// Attempts 1-2 are terminal, 3 transient (resets), then terminal again.
	if seen[0].Terminal == nil || seen[2].Terminal != nil || seen[3].Terminal == nil || seen[3].Held > 10*time.Millisecond {
		t.Errorf("attempts = %+v", seen[:4])
	}
	if last := seen[len(seen)-1]; last.Terminal == nil || last.Grace != 50*time.Millisecond || last.Held < last.Grace {
		t.Errorf("last attempt = %+v", last)
	}
}

// TestWaitTerminalChangingCauseRestartsGrace: a different terminal cause
// is a new cause: its grace period starts when it first shows.
func TestWaitTerminalChangingCauseRestartsGrace(t *testing.T) {
	start := time.Now()
	var switched time.Time
	err := Wait(context.Background(), "x", WaitOptions{Interval: time.Millisecond, MaxInterval: 2 * time.Millisecond, Timeout: time.Minute, Grace: 40 * time.Millisecond},
		func(context.Context) (bool, string, error) {
			if time.Since(start) < 30*time.Millisecond {
				return false, "", Terminal("a", errors.New("a"))
			}
			if switched.IsZero() {
				switched = time.Now()
			}
			return false, "", Terminal("b", errors.New("b"))
		})
	var term *TerminalError
	if !errors.As(err, &term) || term.Key != "b" || time.Since(switched) < 40*time.Millisecond {
		t.Fatalf("err = %v (key %v) %s after the switch, want cause b after its own grace", err, term, time.Since(switched))
	}
}

// TestProveLinkBAttributesProxiesByPod: istiod's answer names no cluster,
// so a proxy counts for the cluster whose pods hold its ID, and for none
// when two clusters hold it; a cluster without proxies proves nothing.
func TestProveLinkBAttributesProxiesByPod(t *testing.T) {
	synced := cloud.ProxyStatus{ClusterSynced: "SYNCED", ListenerSynced: "SYNCED", RouteSynced: "SYNCED", EndpointSynced: "SYNCED"}
	a, b, dup, stale := synced, synced, synced, synced
	a.ProxyID, b.ProxyID, dup.ProxyID = "cart-1.shop", "pay-1.pay", "web-1.default"
	stale.ProxyID, stale.RouteSynced = "cart-2.shop", "STALE"
	pods := map[string][]string{"c1": {"cart-1.shop", "cart-2.shop", "web-1.default"}, "c2": {"web-1.default"}, "c3": {}}
	got, unattributed := ProveLinkB([]cloud.ProxyStatus{a, b, dup, stale}, pods, []string{"c1", "c2", "c3"})
	if unattributed != 2 {
		t.Errorf("unattributed = %d, want 2 (pay-1 in no cluster, web-1 in two)", unattributed)
	}
	if c1 := got[0]; !c1.Proven || c1.Proxies != 2 || c1.Synced != 1 || len(c1.NotSynced) != 1 || !strings.Contains(c1.NotSynced[0], "route STALE") {
		t.Errorf("c1 = %+v", c1)
	}
	if got[1].Proven || got[1].Proxies != 0 || got[2].Proven {
		t.Errorf("c2 %+v, c3 %+v: no proxy of their own, nothing proven", got[1], got[2])
	}
}
