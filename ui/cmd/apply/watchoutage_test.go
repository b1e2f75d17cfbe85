package apply_test

import (
	"context"
	"strings"
	"testing"
	"time"
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
