package session_test

import (
	"context"
	"testing"

	"github.com/asmlink/asmlink/cloud/sim/demoenv"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
)

// BenchmarkLoadAndPreflightLargeWorld loads the first mesh of the large
// world (5 meshes, 300 clusters, 2,000 vSwitches) from the simulated cloud
// over HTTP, offline, and runs the preflight checks for its first eligible
// cluster with the recommended pair: what plan and the wizard do before
// the first question about the change.
func BenchmarkLoadAndPreflightLargeWorld(b *testing.B) {
	ctx := context.Background()
	env, err := demoenv.Start(ctx, demoenv.Options{World: "large"})
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	api, err := env.Cloud(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	meshes, err := api.Meshes(ctx)
	if err != nil || len(meshes) == 0 {
		b.Fatalf("meshes: %v, %v", meshes, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := session.Load(ctx, api, meshes[0].ID, nil)
		if err != nil {
			b.Fatal(err)
		}
		var clusterID string
		for _, c := range flow.Candidates(s.Env) {
			if c.Eligibility.Eligible() {
				clusterID = c.Cluster.ID
				break
			}
		}
		if clusterID == "" {
			b.Fatal("no eligible cluster in the large world")
		}
		var pairs []flow.Pair
		if p, err := s.Pairing(clusterID); err == nil {
			if rec, ok := p.Recommend(); ok {
				pairs = []flow.Pair{rec}
			}
		}
		if results := s.Preflight(ctx, clusterID, pairs, session.PreflightOptions{}); len(results) == 0 {
			b.Fatal("no preflight results")
		}
	}
}
