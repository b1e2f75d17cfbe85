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
	fi := &faultInjector{}
	fi.set(f)
	return fi
}

// set replaces the faults from the next call on, as an outage that starts
// or ends while a client runs.
func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.f = f
	fi.rnd = rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))
}

// before applies the faults for one call of action: it waits out the
// latency, hangs until the client gives up or the server closes, or returns
// a throttling or server error.
func (fi *faultInjector) before(ctx context.Context, action string, closing <-chan struct{}) error {
	fi.mu.Lock()
	f := fi.f
	if len(f.Actions) > 0 && !slices.Contains(f.Actions, action) {
		fi.mu.Unlock()
		return nil
	}
	hang := f.HangRate > 0 && fi.rnd.Float64() < f.HangRate
	throttle := f.ThrottleRate > 0 && fi.rnd.Float64() < f.ThrottleRate
	fail := f.ErrorRate > 0 && fi.rnd.Float64() < f.ErrorRate
	unavailable := fi.rnd.IntN(2) == 0
	fi.mu.Unlock()
	if d := f.Latency.Std(); d > 0 {
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
		return throttled(f.ThrottleCode)
	case fail && unavailable:
		return serviceUnavailable()
	case fail:
		return internalError()
	}
	return nil
}
