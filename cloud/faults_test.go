package cloud

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
)

func TestThrottlingIsRetriedUntilSuccess(t *testing.T) {
	srv := startSim(t, "demo", &sim.Faults{ThrottleRate: 0.5, Seed: 3})
	c := newSimClient(t, srv, func(cfg *Config) { cfg.Retry.MaxAttempts = 20 })
	const calls = 10
	for range calls {
		if _, err := c.VPCs(context.Background()); err != nil {
			t.Fatalf("VPCs under 50%% throttling: %v", err)
		}
	}
	if served := srv.Calls(); served <= calls {
		t.Errorf("the simulator served %d calls for %d successful ones: nothing was retried", served, calls)
	}
}

// TestEveryThrottlingCodeIsRetried sends each flow-control code the
// simulator knows (Throttling.User, Throttling, Rejected.Throttling and
// QPS Limit Exceeded, all HTTP 400): each is throttling, retried even for a
// mutating call, and reported as throttled when the budget runs out. Before
// Rejected.Throttling and QPS Limit Exceeded were known they were refused
// requests, not retried.
func TestEveryThrottlingCodeIsRetried(t *testing.T) {
	for _, code := range sim.ThrottleCodes() {
		t.Run(code, func(t *testing.T) {
			srv := startSim(t, "demo", &sim.Faults{ThrottleRate: 1, ThrottleCode: code, Actions: []string{"AddClusterIntoServiceMesh"}})
			c := newSimClient(t, srv, func(cfg *Config) { cfg.Retry.MaxAttempts = 3; cfg.Retry.BaseDelay = time.Millisecond })
			err := c.AddClusterToMesh(context.Background(), srv.World().Meshes[0].ID, "cf2fbdaa35adf9c1e2a8a3c0ed16bfe17")
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindThrottled || e.Code != code || e.Attempts != 3 {
				t.Fatalf("err = %v, want %s retried 3 times as throttling", err, code)
			}
		})
	}
}

func TestServerErrorsAreRetriedUntilSuccess(t *testing.T) {
	srv := startSim(t, "demo", &sim.Faults{ErrorRate: 0.5, Seed: 5})
	c := newSimClient(t, srv, func(cfg *Config) { cfg.Retry.MaxAttempts = 20 })
	const calls = 10
	for range calls {
		if _, err := c.Clusters(context.Background()); err != nil {
			t.Fatalf("Clusters under 50%% server errors: %v", err)
		}
	}
	if served := srv.Calls(); served <= calls {
		t.Errorf("the simulator served %d calls for %d successful ones: nothing was retried", served, calls)
	}
}

func TestRetryBudgetExhausted(t *testing.T) {
	cases := []struct {
		name   string
		faults sim.Faults
		want   Kind
	}{
		{name: "throttled", faults: sim.Faults{ThrottleRate: 1}, want: KindThrottled},
		{name: "5xx", faults: sim.Faults{ErrorRate: 1}, want: KindUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSim(t, "demo", &tc.faults)
			c := newSimClient(t, srv, func(cfg *Config) { cfg.Retry.MaxAttempts = 4 })
			_, err := c.PrivateLinkZones(context.Background())
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.want {
				t.Fatalf("err = %v, want kind %v", err, tc.want)
			}
			if e.Attempts != 4 || srv.Calls() != 4 {
				t.Errorf("attempts = %d, served = %d; want 4 of each", e.Attempts, srv.Calls())
			}
			if e.API != "privatelink.DescribeZones" || e.Code == "" || e.RequestID == "" || e.Hint == "" {
				t.Errorf("error lacks API, code, request ID or hint: %+v", e)
			}
		})
	}
}

func TestElapsedBudgetStopsRetries(t *testing.T) {
	srv := startSim(t, "demo", &sim.Faults{ThrottleRate: 1})
	c := newSimClient(t, srv, func(cfg *Config) {
		cfg.Retry = RetryPolicy{MaxAttempts: 100, BaseDelay: 20 * time.Millisecond, MaxDelay: 40 * time.Millisecond, MaxElapsed: 150 * time.Millisecond, CallTimeout: time.Second}
	})
	start := time.Now()
	_, err := c.VPCs(context.Background())
	if KindOf(err) != KindThrottled {
		t.Fatalf("err = %v, want throttled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("gave up after %s; the elapsed budget is 150ms", d)
	}
	if n := err.(*Error).Attempts; n >= 100 || n < 2 {
		t.Errorf("attempts = %d; want a few, stopped by the elapsed budget", n)
	}
}

func TestHungCallIsCutByTheCallTimeout(t *testing.T) {
	srv := startSim(t, "demo", &sim.Faults{HangRate: 1})
	c := newSimClient(t, srv, func(cfg *Config) {
		cfg.Retry = RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, CallTimeout: 150 * time.Millisecond}
	})
	start := time.Now()
	_, err := c.Meshes(context.Background())
	if KindOf(err) != KindTimeout {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if d := time.Since(start); d < 300*time.Millisecond || d > 3*time.Second {
		t.Errorf("two hung attempts of 150ms took %s", d)
	}
	if e := err.(*Error); e.Attempts != 2 {
		t.Errorf("attempts = %d, want 2 (timeouts are retried)", e.Attempts)
	}
}

func TestCancelStopsAHungCall(t *testing.T) {
	srv := startSim(t, "demo", &sim.Faults{HangRate: 1})
	c := newSimClient(t, srv, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Meshes(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancelling took %s to stop the call", d)
	}
}

func TestMutationIsNotRetriedAfterAServerError(t *testing.T) {
	srv := startSim(t, "demo", &sim.Faults{ErrorRate: 1, Actions: []string{"AddClusterIntoServiceMesh"}})
	c := newSimClient(t, srv, nil)
	w := srv.World()
	// The fault answers before the simulator looks at the cluster.
	err := c.AddClusterToMesh(context.Background(), w.Meshes[0].ID, w.Clusters[len(w.Clusters)-1].ID)
	if KindOf(err) != KindUnavailable {
		t.Fatalf("err = %v, want unavailable", err)
	}
	if e := err.(*Error); e.Attempts != 1 || srv.Calls() != 1 {
		t.Errorf("attempts = %d, served = %d; a mutation that may have taken effect must not be repeated", e.Attempts, srv.Calls())
	}
}
