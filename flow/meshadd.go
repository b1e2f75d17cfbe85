package flow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/asmlink/asmlink/cloud"
)

// MeshAddTimeout bounds the wait for a cluster being added to an ASM
// instance: Terraform's alicloud_service_mesh_service_mesh gives an update
// (AddClusterIntoServiceMesh, then waiting for "running") ten minutes
// (aliyun/terraform-provider-alicloud, resource_alicloud_service_mesh_service_mesh.go,
// Timeouts.Update).
const MeshAddTimeout = 10 * time.Minute

// observerKey carries a wait observer in a context.
type observerKey struct{}

// WithWaitObserver returns a context whose waits started by fixes (Fix.Apply)
// tell observe about every attempt, so a screen or a log line can show what
// is being waited for and what was last seen.
func WithWaitObserver(ctx context.Context, observe func(Attempt)) context.Context {
	return context.WithValue(ctx, observerKey{}, observe)
}

// waitObserver is the observer WithWaitObserver put in ctx, or nil.
func waitObserver(ctx context.Context) func(Attempt) {
	o, _ := ctx.Value(observerKey{}).(func(Attempt))
	return o
}

// AddClusterAndWait adds a cluster to the mesh and waits, up to
// MeshAddTimeout, until the mesh is running again and lists the cluster as
// no longer connecting. Adding is asynchronous: the mesh goes updating and
// the cluster connecting until it settles, and another add or the
// ASMPvlConfig entry made meanwhile would meet a mesh that is not ready.
// Transient cloud errors while polling are retried.
func AddClusterAndWait(ctx context.Context, api cloud.API, meshID, clusterID string) error {
	if err := api.AddClusterToMesh(ctx, meshID, clusterID); err != nil {
		return err
	}
	what := fmt.Sprintf("ASM instance %s to finish adding cluster %s", meshID, clusterID)
	return Wait(ctx, what, WaitOptions{Interval: time.Second, MaxInterval: 10 * time.Second, Timeout: MeshAddTimeout, Observe: waitObserver(ctx)},
		func(ctx context.Context) (bool, string, error) {
			mesh, err := api.Mesh(ctx, meshID)
			if err != nil {
				return false, "", err
			}
			members, err := api.MeshClusters(ctx, meshID)
			if err != nil {
				return false, "", err
			}
			i := slices.IndexFunc(members, func(m cloud.MeshCluster) bool { return m.ClusterID == clusterID })
			member := "not listed yet"
			if i >= 0 {
				member = members[i].State
			}
			state := fmt.Sprintf("mesh %s, cluster %s", mesh.State, member)
			return mesh.State == "running" && i >= 0 && members[i].State != "connecting", state, nil
		})
}
