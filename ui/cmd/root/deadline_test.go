package root_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/cloud/sim/stall"
	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// IDs of the demo world (testdata/worlds/demo.yaml).
const (
	meshProd = "d564b858f9a3e247cb2c083eb8cb37f0"
	shopProd = "cbfbdabe898736a3566f893697b590487"
)

// simEnv serves the demo world on loopback and points the cloud client of
// every command at it through the environment, as a user would.
func simEnv(t *testing.T) []string {
	t.Helper()
	return simEnvWith(t, nil)
}

// simEnvWith is simEnv on the demo world as edit changes it; edit may also
// change the running simulator's state.
func simEnvWith(t *testing.T, edit func(*sim.World) func(*sim.Server)) []string {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "ALIBABA_CLOUD_") || k == "KUBECONFIG" {
			t.Setenv(k, "")
		}
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	w, err := sim.LoadWorld("demo")
	if err != nil {
		t.Fatal(err)
	}
	var after func(*sim.Server)
	if edit != nil {
		after = edit(w)
	}
	srv, err := sim.New(w, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if after != nil {
		after(srv)
	}
	id, secret := srv.AccessKey()
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", id)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	t.Setenv("ALIBABA_CLOUD_REGION_ID", srv.Region())
	return []string{"ASMLINK_ENDPOINT=" + srv.URL()}
}

// stallAnswering completes TLS and reads each request, then never answers.
func stallAnswering(t *testing.T) string {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv.URL
}

// kubeconfigFor writes a kubeconfig for server that skips TLS verification.
func kubeconfigFor(t *testing.T, server string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	body := `apiVersion: v1
kind: Config
clusters:
- name: stall
  cluster: {server: "` + server + `", insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: not-a-real-token}
contexts:
- name: stall
  context: {cluster: stall, user: u}
current-context: stall
`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runWithin runs asmlink with args as Main does, under ctx (an interrupt
// cancels it), and fails the test when it has not ended after limit. The
// output comes back with its line breaks and indents folded to spaces.
func runWithin(t *testing.T, ctx context.Context, limit time.Duration, env []string, args ...string) (int, string, string) {
	t.Helper()
	ios, _, out, errOut := cmdutil.TestStreams(false)
	ios.Env = env
	done := make(chan int, 1)
	go func() { done <- root.Execute(ctx, ios, args) }()
	select {
	case code := <-done:
		fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
		return code, fold(out.String()), fold(errOut.String())
	case <-time.After(limit):
		t.Fatalf("asmlink %s still runs after %s against a stalled API server", strings.Join(args, " "), limit)
		return 0, "", ""
	}
}

// TestStalledAPIServerEndsEveryCommand points plan, status, apply
// --dry-run and doctor at an API server that accepts connections and then
// stalls (before or after TLS): each ends after the request timeout with
// a clear error and its exit code, 1 for a request that did not answer
// (124 is for waits), 3 for doctor's failed check.
func TestStalledAPIServerEndsEveryCommand(t *testing.T) {
	env := simEnv(t)
	for name, server := range map[string]string{"no TLS handshake": "https://" + stall.Listen(t), "no HTTP answer": stallAnswering(t)} {
		kubeconfig := kubeconfigFor(t, server)
		common := []string{"--mesh", meshProd, "--kubeconfig", kubeconfig, "--request-timeout", "300ms"}
		for _, tc := range []struct {
			args []string
			code int
			says string
		}{
			{args: []string{"plan", "--cluster", shopProd}, code: cmdutil.ExitError, says: "did not answer within 300ms"},
			{args: []string{"status"}, code: cmdutil.ExitError, says: "did not answer within 300ms"},
			{args: []string{"apply", "--cluster", shopProd, "--dry-run"}, code: cmdutil.ExitError, says: "did not answer within 300ms"},
			{args: []string{"doctor"}, code: cmdutil.ExitChecks, says: "did not answer within 300ms"},
		} {
			t.Run(name+"/"+tc.args[0], func(t *testing.T) {
				code, out, errOut := runWithin(t, context.Background(), 20*time.Second, env, append(tc.args, common...)...)
				if code != tc.code || !strings.Contains(out+errOut, tc.says) {
					t.Errorf("exit %d, want %d saying %q\nstdout:\n%s\nstderr:\n%s", code, tc.code, tc.says, out, errOut)
				}
			})
		}
	}
}

// TestInterruptEndsACommandAtOnce cancels a command (as ctrl-c does) while
// it waits on a stalled API server with the default 30s request timeout:
// it must end at once with exit 130.
func TestInterruptEndsACommandAtOnce(t *testing.T) {
	env := simEnv(t)
	kubeconfig := kubeconfigFor(t, stallAnswering(t))
	for _, args := range [][]string{
		{"status", "--mesh", meshProd},
		{"plan", "--mesh", meshProd, "--cluster", shopProd},
		{"doctor", "--mesh", meshProd},
	} {
		t.Run(args[0], func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(500*time.Millisecond, cancel)
			start := time.Now()
			code, out, errOut := runWithin(t, ctx, 5*time.Second, env, append(args, "--kubeconfig", kubeconfig)...)
			if code != cmdutil.ExitCancelled {
				t.Errorf("exit %d after an interrupt, want 130\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("the interrupted command took %s to end", d)
			}
		})
	}
}

// TestDeadCloudEndpointEndsACommandAtOnce points plan --offline, status
// and doctor at a cloud endpoint that accepts TCP and never answers TLS:
// after the first attempt that could not connect, every other call fails
// at once with the same error naming the endpoint, so each command ends
// within a few request timeouts instead of five attempts per call, call
// after call (52 attempts of 10 s before).
func TestDeadCloudEndpointEndsACommandAtOnce(t *testing.T) {
	simEnv(t)
	addr := stall.Listen(t)
	env := []string{"ASMLINK_ENDPOINT=https://" + addr}
	for _, args := range [][]string{
		{"plan", "--offline", "--mesh", meshProd, "--cluster", shopProd},
		{"status", "--mesh", meshProd},
		{"doctor", "--mesh", meshProd},
	} {
		t.Run(args[0], func(t *testing.T) {
			start := time.Now()
			code, out, errOut := runWithin(t, context.Background(), 8*time.Second, env, append(args, "--request-timeout", "1s")...)
			if code == cmdutil.ExitOK || !strings.Contains(out+errOut, addr) {
				t.Errorf("exit %d after %s, want a failure naming %s\nstdout:\n%s\nstderr:\n%s", code, time.Since(start), addr, out, errOut)
			}
		})
	}
}
