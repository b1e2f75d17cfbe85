// Package remove is `asmlink remove`: take one cluster's entry out of the
// mesh's ASMPvlConfig and nothing else.
package remove

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// Options are the inputs of `asmlink remove`.
type Options struct {
	Factory   *cmdutil.Factory
	MeshID    string
	ClusterID string
	Write     cmdutil.WriteOptions
}

// NewCmdRemove builds `asmlink remove`. runF replaces the run function in
// tests of flag handling; nil removes.
func NewCmdRemove(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "remove --mesh ID --cluster ID",
		Short: "Remove one cluster's entry from the mesh's ASMPvlConfig",
		Long: `Remove one ACK cluster's entry from the ASM instance's ASMPvlConfig, so ASM
deletes that cluster's endpoints. Every other cluster's entry stays as it is;
an ASM vSwitch goes only when no remaining entry relies on it (by the cloud's
listing of the zones).

The diff goes to stderr, as the API server's dry run answers it, and the
change is written after confirmation, as asmlink apply writes; without a
terminal --yes is required. An entry a server-side applier (a GitOps tool)
owns is removed only with --force-conflicts: its next sync would add it
back. --wait=available waits until ASM has settled (the removed cluster gone
from status, the other clusters' links up); --wait (running) also until the
other clusters run in the mesh. See status for --grace and the exit codes of
a wait.

Removing a cluster that has no entry changes nothing and exits 0, saying
so, as terraform destroy of an absent resource does.

Exit status: 0 removed or nothing to remove, 2 bad flags or no
terminal without --yes, 3 refused because a server-side applier owns the
entry, 4 credentials, 124 --wait timed out, 130 declined.`,
		Example: `  asmlink remove --mesh d564b858f9a3e247cb2c083eb8cb37f0 --cluster c3e04d42f8ac2acaf127972d33e5901a7
  asmlink remove --mesh MESH --cluster CLUSTER --yes -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputJSON, cmdutil.OutputYAML); err != nil {
				return err
			}
			opts.Write.Output = f.Options.Output
			if err := cmdutil.Required(cmdutil.Flag{Name: "--mesh", Value: opts.MeshID, What: "the name or ID of the ASM instance"},
				cmdutil.Flag{Name: "--cluster", Value: opts.ClusterID, What: "the name or ID of the ACK cluster whose entry is removed"}); err != nil {
				return err
			}
			switch {
			case opts.Write.Timeout <= 0:
				return cmdutil.UsageErrorf("--timeout must be positive, e.g. 15m")
			}
			if runF != nil {
				return runF(opts)
			}
			return runRemove(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.MeshID, "mesh", "", "name or ID of the ASM instance")
	cmd.Flags().StringVar(&opts.ClusterID, "cluster", "", "name or ID of the ACK cluster whose entry is removed")
	opts.Write.Bind(cmd)
	cmd.Flags().Lookup("force-conflicts").Usage = "remove the entry even if another server-side applier also owns it (asks first, or needs --yes)"
	return cmd
}

func runRemove(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := cmdutil.ResolveNames(ctx, opts.Factory, &opts.MeshID, &opts.ClusterID); err != nil {
		return err
	}
	l, err := cmdutil.LoadSession(ctx, opts.Factory, opts.MeshID, false)
	if err != nil {
		return err
	}
	connected := false
	if l.Env.Config != nil {
		_, connected = l.Env.Config.Entry(opts.ClusterID)
	}
	if !connected {
		return cmdutil.NothingToRemove(opts.Factory, l, opts.ClusterID, opts.Write)
	}
	change := l.Change(opts.ClusterID, flow.IntentRemove, nil)
	return cmdutil.Write(ctx, opts.Factory, l, change, "remove cluster "+opts.ClusterID, opts.Write)
}
