package session

import (
	"context"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
)

// ResolveMesh finds the ASM instance ref names, by ID or by name, among the
// region's ASM instances (flow.Resolve). When the listing itself fails, ref
// is taken as an ID, so the call that uses it names the real failure
// (credentials, permission) rather than a listing the person did not ask for.
func ResolveMesh(ctx context.Context, api cloud.API, ref string) (flow.Named, error) {
	meshes, err := api.Meshes(ctx)
	if err != nil {
		return flow.Named{ID: ref}, nil
	}
	return flow.Resolve("ASM instance", "in region "+api.Identity().Region, ref, flow.MeshNames(meshes))
}

// ResolveCluster finds the ACK cluster ref names, by ID or by name, among
// the region's ACK clusters, as ResolveMesh does for meshes.
func ResolveCluster(ctx context.Context, api cloud.API, ref string) (flow.Named, error) {
	clusters, err := api.Clusters(ctx)
	if err != nil {
		return flow.Named{ID: ref}, nil
	}
	return flow.Resolve("ACK cluster", "in region "+api.Identity().Region, ref, flow.ClusterNames(clusters))
}
