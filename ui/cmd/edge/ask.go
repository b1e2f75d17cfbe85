package edge

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/prompt"
)

// edgeTarget is the start of the gateway and injection commands: the cloud
// client, the mesh and edge cluster (asked for on a terminal when the flags
// did not name them), and the check that the cluster is an ACK Edge
// cluster of the mesh. doing says on stderr what comes next.
func edgeTarget(ctx context.Context, f *cmdutil.Factory, meshID, clusterID *string, doing string) (cloud.DataPlaneAPI, cloud.Mesh, cloud.Cluster, error) {
	api, err := dataPlaneAPI(ctx, f)
	if err != nil {
		return nil, cloud.Mesh{}, cloud.Cluster{}, err
	}
	if err := cmdutil.ResolveNames(ctx, f, meshID, clusterID); err != nil {
		return nil, cloud.Mesh{}, cloud.Cluster{}, err
	}
	if err := askTarget(ctx, f, api, meshID, clusterID); err != nil {
		return nil, cloud.Mesh{}, cloud.Cluster{}, err
	}
	fmt.Fprintf(f.IO.ErrOut, "Using %s in region %s; %s cluster %s of ASM instance %s…\n", describeIdentity(api.Identity()), api.Identity().Region, doing, *clusterID, *meshID)
	mesh, cluster, _, err := flow.CheckEdgeMember(ctx, api, *meshID, *clusterID)
	if err != nil {
		return nil, mesh, cluster, gatewayCode(err)
	}
	return api, mesh, cluster, nil
}

// askTarget asks, on a terminal, for the ASM instance and the edge cluster
// that the flags did not name, through the run's prompter (huh). Clusters
// of the mesh that are not ACK Edge are listed but cannot be chosen, with
// the reason.
func askTarget(ctx context.Context, f *cmdutil.Factory, api cloud.API, meshID, clusterID *string) error {
	p := f.Prompter()
	if *meshID == "" {
		meshes, err := api.Meshes(ctx)
		if err != nil {
			return err
		}
		if len(meshes) == 0 {
			return cmdutil.WithCode(cmdutil.ExitChecks, fmt.Errorf("there is no ASM instance in region %s: create one (step 1 of the edge guide) or pass --region", api.Identity().Region))
		}
		choices := make([]prompt.Choice, 0, len(meshes))
		for _, m := range meshes {
			choices = append(choices, prompt.Choice{Label: fmt.Sprintf("%s  %s  %s", cmp.Or(m.Name, "-"), m.ID, m.State)})
		}
		i, err := p.Select(ctx, "ASM instance", choices, 0)
		if err != nil {
			return err
		}
		*meshID = meshes[i].ID
	}
	if *clusterID != "" {
		return nil
	}
	members, err := api.MeshClusters(ctx, *meshID)
	if err != nil {
		return err
	}
	all, err := api.Clusters(ctx)
	if err != nil {
		return err
	}
	var ids []string
	var choices []prompt.Choice
	for _, m := range members {
		c := cloud.Cluster{ID: m.ClusterID, Name: m.Name}
		if i := slices.IndexFunc(all, func(c cloud.Cluster) bool { return c.ID == m.ClusterID }); i >= 0 {
			c = all[i]
		}
		ch := prompt.Choice{Label: fmt.Sprintf("%s  %s  %s", cmp.Or(c.Name, "-"), c.ID, m.State)}
		if !c.IsEdge() {
			ch.Reason = "not an ACK Edge cluster"
		}
		ids, choices = append(ids, c.ID), append(choices, ch)
	}
	if !slices.ContainsFunc(choices, func(c prompt.Choice) bool { return c.Reason == "" }) {
		return cmdutil.WithCode(cmdutil.ExitChecks, fmt.Errorf("ASM instance %s has no ACK Edge cluster: add one first (step 2 of the edge guide, `asmlink setup`)", *meshID))
	}
	i, err := p.Select(ctx, "ACK Edge cluster of the mesh", choices, 0)
	if err != nil {
		return err
	}
	*clusterID = ids[i]
	return nil
}
