package apply_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
)

// TestStatusWatchSaysWhileTheAPIServerIsDown stops the API server while
// status --watch runs: the watch prints that the server is unreachable,
// since when, and that it retries, then says so when it is back.
func TestStatusWatchSaysWhileTheAPIServerIsDown(t *testing.T) {
	w := startWorld(t, "demo", meshProd)
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes").expect(t, 0, "stderr", "Applied")
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	go func() {
		time.Sleep(2 * time.Second)
		if err := kubeSrv.StopAPIServer(); err != nil {
			t.Error(err)
			return
		}
		time.Sleep(5 * time.Second)
		if err := kubeSrv.StartAPIServer(); err != nil {
			t.Error(err)
		}
		time.Sleep(8 * time.Second)
		cancel()
	}()
	r := w.runContext(ctx, false, "", "status", "--mesh", meshProd, "--watch")
	for _, want := range []string{"API server unreachable since ", ", retrying: ", "API server reachable again after "} {
		if !strings.Contains(r.errOut, want) {
			t.Errorf("--watch during an outage does not say %q\nstdout:\n%s\nstderr:\n%s", want, r.out, r.errOut)
		}
	}
}

// TestStatusWatchRetriesAFailedCloudRead makes every listing of the mesh's
// clusters fail once status --watch has started, while the simulated ASM
// controller provisions the links in real time, then ends the outage: the
// watch says each failed read and retries it with backoff, and once the
// cloud answers it goes on printing the links.
func TestStatusWatchRetriesAFailedCloudRead(t *testing.T) {
	w := startWorldWith(t, "demo", meshProd, worldOptions{realClock: true})
	w.run(false, "", "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes").expect(t, 0, "stderr", "Applied")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	outage := make(chan struct{})
	go func() {
		time.Sleep(time.Second)
		w.srv.SetFaults(sim.Faults{ErrorRate: 1, Actions: []string{"DescribeClustersInServiceMesh"}})
		time.Sleep(10 * time.Second)
		w.srv.SetFaults(sim.Faults{})
		close(outage)
		// The backoff doubles from 2s: the retry after the outage comes
		// within 16s.
		time.Sleep(20 * time.Second)
		cancel()
	}()
	r := w.runContext(ctx, false, "", "status", "--mesh", meshProd, "--watch")
	<-outage
	if n := strings.Count(r.errOut, "Reading the cloud failed, retrying in "); n < 1 {
		t.Errorf("--watch said %d failed cloud read(s) during the outage, want at least 1\nstdout:\n%s\nstderr:\n%s", n, r.out, r.errOut)
	}
	if !strings.Contains(r.out, "Available") {
		t.Errorf("--watch did not go on to print the links Available after the outage\nstdout:\n%s\nstderr:\n%s", r.out, r.errOut)
	}
}
