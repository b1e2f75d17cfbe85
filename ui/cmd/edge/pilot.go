package edge

import (
	"context"
	"fmt"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// pilotPath finds how the edge nodes of clusterID reach Pilot, from the
// mesh's ASMPvlConfig. It never fails the command: what it cannot read it
// says on stderr and returns nil.
func pilotPath(ctx context.Context, f *cmdutil.Factory, api cloud.API, mesh cloud.Mesh, clusterID string) *flow.PilotPath {
	edge, ok := api.(cloud.EdgeAPI)
	if !ok {
		return nil
	}
	kc, err := f.Kube(ctx, mesh.ID)
	if err == nil {
		cfg, gerr := kc.Get(ctx)
		if gerr == nil {
			p, perr := flow.EdgePilotPath(ctx, edge, mesh, clusterID, cfg)
			if perr == nil {
				return &p
			}
			err = perr
		} else {
			err = gerr
		}
	}
	fmt.Fprintf(f.IO.ErrOut, "warning: how edge nodes reach Pilot is not known (%v)\n", err)
	return nil
}
