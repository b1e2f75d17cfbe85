package cloud

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud/sim"
)

// startSim serves a built-in world on loopback for the test's lifetime.
func startSim(t testing.TB, world string, faults *sim.Faults) *sim.Server {
	t.Helper()
	w, err := sim.LoadWorld(world)
	if err != nil {
		t.Fatalf("LoadWorld(%q): %v", world, err)
	}
	srv, err := sim.New(w, sim.Options{Faults: faults})
	if err != nil {
		t.Fatalf("sim.New: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// testRetry retries quickly so that fault tests stay short.
var testRetry = RetryPolicy{MaxAttempts: 6, BaseDelay: 2 * time.Millisecond, MaxDelay: 20 * time.Millisecond, CallTimeout: 5 * time.Second}

// simConfig is a client configuration that talks to srv with the world's
// main key.
func simConfig(srv *sim.Server) Config {
	id, secret := srv.AccessKey()
	return Config{
		Region:      srv.Region(),
		Endpoint:    srv.URL(),
		Credentials: credentials.NewStaticAKCredentialsProvider(id, secret),
		Retry:       testRetry,
	}
}

// newSimClient builds a client for srv; edit adjusts the configuration.
func newSimClient(t testing.TB, srv *sim.Server, edit func(*Config)) *Client {
	t.Helper()
	cfg := simConfig(srv)
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// inFlight is a transport that counts the requests in flight at once and
// refuses any request that would leave loopback.
type inFlight struct {
	t       testing.TB
	next    http.RoundTripper
	now     atomic.Int64
	mu      sync.Mutex
	highest int64
	total   atomic.Int64
}

func newInFlight(t testing.TB) *inFlight {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	return &inFlight{t: t, next: tr}
}

func (f *inFlight) RoundTrip(req *http.Request) (*http.Response, error) {
	if h := req.URL.Hostname(); h != "127.0.0.1" {
		f.t.Errorf("request to %s left loopback", req.URL)
	}
	n := f.now.Add(1)
	defer f.now.Add(-1)
	f.total.Add(1)
	f.mu.Lock()
	f.highest = max(f.highest, n)
	f.mu.Unlock()
	return f.next.RoundTrip(req)
}

func (f *inFlight) peak() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.highest
}

// syncBuffer is a bytes.Buffer safe for the client's concurrent debug lines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
