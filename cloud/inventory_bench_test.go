package cloud

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
)

// benchLatency is the simulated round trip of every call.
const benchLatency = 50 * time.Millisecond

// BenchmarkLoadInventory loads everything the wizard's pickers need for one
// mesh of the large world (300 clusters, 40 VPCs, 2,000 vSwitches) with
// 50 ms per call. "concurrent" is LoadInventory with the default
// concurrency; "sequential" makes the same calls one after another
// (MaxConcurrency 1). Both report the wall time, the calls per load, and the
// wall time as a multiple of the critical path: one round trip per
// dependent call (see criticalPath).
//
//	go test ./cloud -run '^$' -bench LoadInventory -benchtime 5x
func BenchmarkLoadInventory(b *testing.B) {
	srv := startSim(b, "large", &sim.Faults{Latency: sim.Duration(benchLatency)})
	meshID := srv.World().Meshes[0].ID
	path := criticalPath(b, newSimClient(b, srv, nil), meshID)

	traced := map[string]*sync.Once{"concurrent": {}, "sequential": {}}
	for _, v := range []struct {
		name        string
		concurrency int
	}{{"concurrent", 0}, {"sequential", 1}} {
		b.Run(v.name, func(b *testing.B) {
			// The client's own transport keeps as many idle connections
			// as calls in flight; so does the one under the trace.
			next := http.DefaultTransport.(*http.Transport).Clone()
			next.MaxIdleConnsPerHost = defaultConcurrency
			tr := &callTrace{next: next}
			c := newSimClient(b, srv, func(cfg *Config) { cfg.MaxConcurrency = v.concurrency; cfg.Transport = tr })
			tr.begin()
			if _, err := LoadInventory(context.Background(), c, meshID); err != nil {
				b.Fatal(err)
			}
			// b.Log would cut the trace to its first lines.
			traced[v.name].Do(func() {
				fmt.Printf("%s: calls of one load, ms from its start (critical path %d trips = %s):\n%s", b.Name(), path, time.Duration(path)*benchLatency, tr)
			})
			before := srv.Calls()
			start := time.Now()
			for b.Loop() {
				if _, err := LoadInventory(context.Background(), c, meshID); err != nil {
					b.Fatal(err)
				}
			}
			perLoad := time.Since(start) / time.Duration(b.N)
			b.ReportMetric(float64(srv.Calls()-before)/float64(b.N), "calls/op")
			b.ReportMetric(float64(path), "critical-path-trips")
			b.ReportMetric(float64(perLoad)/float64(time.Duration(path)*benchLatency), "x-critical-path")
		})
	}
}

// callTrace is a transport that records when each call starts and ends,
// so that the benchmark shows where a load spends its time.
type callTrace struct {
	next  http.RoundTripper
	mu    sync.Mutex
	start time.Time
	calls []tracedCall
}

type tracedCall struct {
	name       string
	start, end time.Duration
}

func (t *callTrace) begin() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.start, t.calls = time.Now(), nil
}

func (t *callTrace) RoundTrip(req *http.Request) (*http.Response, error) {
	began := time.Now()
	resp, err := t.next.RoundTrip(req)
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.start.IsZero() {
		t.calls = append(t.calls, tracedCall{name: callName(req), start: began.Sub(t.start), end: time.Since(t.start)})
	}
	return resp, err
}

// callName is the action of an RPC call (Action, with its page) or the
// method and path of a ROA call.
func callName(req *http.Request) string {
	q := req.URL.Query()
	if a := q.Get("Action"); a != "" {
		for _, k := range []string{"VpcId", "PageNumber", "NextToken"} {
			if v := q.Get(k); v != "" {
				a += " " + k + "=" + v
			}
		}
		return a
	}
	return req.Method + " " + req.URL.Path + "?" + req.URL.RawQuery
}

func (t *callTrace) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	calls := append([]tracedCall(nil), t.calls...)
	sort.Slice(calls, func(i, j int) bool { return calls[i].start < calls[j].start })
	var b strings.Builder
	for _, c := range calls {
		fmt.Fprintf(&b, "  %4d-%4d  %s\n", c.start.Milliseconds(), c.end.Milliseconds(), c.name)
	}
	return b.String()
}

// criticalPath counts the round trips on the longest chain of dependent
// calls in LoadInventory: a numbered listing takes one round trip for its
// first page and one more for all the others; a vSwitch listing can only
// start once the listing that names its VPC (mesh detail, clusters in the
// mesh, or a page of addable clusters) has answered.
func criticalPath(b *testing.B, c *Client, meshID string) int {
	b.Helper()
	ctx := context.Background()
	pages := func(n, size int) int {
		if n > size {
			return 2
		}
		return 1
	}
	vswitchTrips := func(vpcID string) int {
		vs, err := c.VSwitches(ctx, vpcID)
		if err != nil {
			b.Fatal(err)
		}
		return pages(len(vs), c.pageSizeFor(vpcLimit))
	}
	mesh, err := c.Mesh(ctx, meshID)
	if err != nil {
		b.Fatal(err)
	}
	inMesh, err := c.MeshClusters(ctx, meshID)
	if err != nil {
		b.Fatal(err)
	}
	addable, err := c.AddableClusters(ctx, meshID)
	if err != nil {
		b.Fatal(err)
	}
	clusters, err := c.Clusters(ctx)
	if err != nil {
		b.Fatal(err)
	}
	vpcs, err := c.VPCs(ctx)
	if err != nil {
		b.Fatal(err)
	}
	longest := max(pages(len(clusters), c.pageSizeFor(clustersLimit)), pages(len(vpcs), c.pageSizeFor(vpcLimit)), 1+vswitchTrips(mesh.VpcID))
	for _, m := range inMesh {
		if m.RegionID == c.region {
			longest = max(longest, 1+vswitchTrips(m.VpcID))
		}
	}
	size := c.pageSizeFor(addableLimit)
	for i, a := range addable {
		if a.RegionID == c.region {
			longest = max(longest, pages(i+1, size)+vswitchTrips(a.VpcID))
		}
	}
	return longest
}
