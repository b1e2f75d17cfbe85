package sim

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// faultInjector decides, call by call, whether to delay, hang or fail a
// call. The decisions come from one generator seeded with Faults.Seed, so the
// same seed and the same sequence of calls give the same faults.
type faultInjector struct {
	f   Faults
	mu  sync.Mutex
	rnd *rand.Rand
}

func newFaultInjector(f Faults) *faultInjector {
	return &faultInjector{f: f, rnd: rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))}
}

// before applies the faults for one call of action: it waits out the
// latency, hangs until the client gives up or the server closes, or returns
// a throttling or server error.
func (fi *faultInjector) before(ctx context.Context, action string, closing <-chan struct{}) error {
	if len(fi.f.Actions) > 0 && !slices.Contains(fi.f.Actions, action) {
		return nil
	}
	fi.mu.Lock()
	hang := fi.f.HangRate > 0 && fi.rnd.Float64() < fi.f.HangRate
	throttle := fi.f.ThrottleRate > 0 && fi.rnd.Float64() < fi.f.ThrottleRate
	fail := fi.f.ErrorRate > 0 && fi.rnd.Float64() < fi.f.ErrorRate
	unavailable := fi.rnd.IntN(2) == 0
	fi.mu.Unlock()
	if d := fi.f.Latency.Std(); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-closing:
			t.Stop()
		}
	}
	switch {
	case hang:
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-closing:
			return serviceUnavailable()
		}
	case throttle:
		return throttled(fi.f.ThrottleCode)
	case fail && unavailable:
		return serviceUnavailable()
	case fail:
		return internalError()
	}
	return nil
}
