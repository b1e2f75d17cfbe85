package session

import (
	"context"
	"fmt"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
)

// Edge is the use case of an ACK Edge cluster once it runs in the mesh:
// automatic sidecar injection of its namespaces, step 4 of ASM's guide for
// edge clusters. The wizard offers it from its summary; `asmlink edge
// inject` is the same steps on flags.
type Edge struct {
	API       cloud.DataPlaneAPI
	MeshID    string
	ClusterID string
}

// Edge returns the edge use case for the cluster clusterID of the
// session's mesh; it fails when the cloud client cannot reach the mesh's
// data plane.
func (s *Session) Edge(clusterID string) (*Edge, error) {
	api, ok := s.API.(cloud.DataPlaneAPI)
	if !ok {
		return nil, fmt.Errorf("the cloud client cannot read the data plane of ASM instance %s", s.Env.Mesh.ID)
	}
	return &Edge{API: api, MeshID: s.Env.Mesh.ID, ClusterID: clusterID}, nil
}

// Injection reads the mesh's injection policy and the cluster's
// namespaces, and plans req against them (flow.PlanInjection); an empty
// request is the namespaces as they are.
func (e *Edge) Injection(ctx context.Context, req flow.InjectionRequest) (*flow.InjectionPlan, error) {
	policy, err := e.API.InjectionPolicy(ctx, e.MeshID)
	if err != nil {
		return nil, err
	}
	nss, err := e.API.GuestNamespaces(ctx, e.MeshID, e.ClusterID)
	if err != nil {
		return nil, err
	}
	return flow.PlanInjection(policy, e.ClusterID, nss, req)
}

// Inject makes the plan's changes through the mesh and waits until the
// cluster's namespaces show them (flow.ApplyInjection): the namespaces
// afterwards, and the workloads to restart for the change to reach them.
func (e *Edge) Inject(ctx context.Context, p *flow.InjectionPlan) ([]flow.NamespaceInjection, []flow.Workload, error) {
	return flow.ApplyInjection(ctx, e.API, e.MeshID, e.ClusterID, p)
}
