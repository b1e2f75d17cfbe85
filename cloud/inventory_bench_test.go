package cloud

import (
	"context"
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

	for _, v := range []struct {
		name        string
		concurrency int
	}{{"concurrent", 0}, {"sequential", 1}} {
		b.Run(v.name, func(b *testing.B) {
			c := newSimClient(b, srv, func(cfg *Config) { cfg.MaxConcurrency = v.concurrency })
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
