// Package plan is `asmlink plan`: the reviewed ASMPvlConfig YAML for
// connecting one ACK cluster, for a GitOps change or a later apply. It also
// shares with apply what ui/cmdutil holds: the target flags, the choice of
// the vSwitch pairs and the preflight report; the use cases are
// flow/session's.
package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// Options are the inputs of `asmlink plan`.
type Options struct {
	Factory *cmdutil.Factory
	Target  cmdutil.Target
	// Out is the file to write; "" writes to stdout.
	Out string
	// Offline skips reading the mesh's current ASMPvlConfig.
	Offline bool
	// Output is text or yaml (the YAML with its header comments) or json
	// (the object alone; the notes go to stderr).
	Output string
	// MaxSize is the largest object the API server stores; a larger plan
	// is refused.
	MaxSize cmdutil.MaxObjectSize
}

// NewCmdPlan builds `asmlink plan`. runF replaces the run function in tests
// of flag handling; nil writes the plan.
func NewCmdPlan(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "plan --mesh ID --cluster ID",
		Short: "Write the reviewed ASMPvlConfig YAML that connects one ACK cluster",
		Long: `Write the ASMPvlConfig that connects one ACK cluster to an ASM instance over
PrivateLink, as YAML for review (a GitOps change, or asmlink apply -f later).

The vSwitches default to the recommended pair in one shared zone; choose
others with --asm-vswitch and --ack-vswitch (repeat both to give several
pairs, matched by position). Every zoneId comes from the cloud's own listing.
The result is merged with the mesh's current ASMPvlConfig, read from its API
server, so every other cluster's entry is kept; --offline skips that read and
the header comment says so. The header comment also names the cloud facts
(region, VPCs, each vSwitch's zone) the file was built from.

The preconditions are checked first (mesh running, same region, another VPC,
cluster in the mesh, PrivateLink activated, PrivateLink zones, free IPs, the
zone rule, CIDR overlaps); when one fails, the findings go to stderr and
nothing is written. So is an object larger than the API server's etcd
stores (--max-object-size, 1.5 MiB by default); from 1 MiB it warns.

With -o json the object is written as JSON (apply -f reads it too).

Exit status: 0 written, 2 bad flags, 3 a precondition failed or the object is
too large, 4 credentials.`,
		Example: `  asmlink plan --mesh d564b858f9a3e247cb2c083eb8cb37f0 --cluster cbfbdabe898736a3566f893697b590487 > asmpvlconfig.yaml
  asmlink plan --mesh MESH --cluster CLUSTER --asm-vswitch vsw-bp1epzhpcf07uqnupqzit --ack-vswitch vsw-bp1nq65qdf1rcaviqk291 --out clusters/prod/asmpvlconfig.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputYAML, cmdutil.OutputJSON); err != nil {
				return err
			}
			opts.Output = f.Options.Output
			if err := opts.Target.Validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runPlan(cmd.Context(), opts)
		},
	}
	opts.Target.Bind(cmd)
	cmd.Flags().StringVar(&opts.Out, "out", "", "write the YAML to this file (atomically) instead of stdout")
	cmd.Flags().BoolVar(&opts.Offline, "offline", false, "do not read the mesh's current ASMPvlConfig (the file then names only this cluster)")
	cmdutil.BindMaxObjectSize(cmd, &opts.MaxSize)
	return cmd
}

func runPlan(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	if opts.Out != "" {
		if err := cmdutil.CheckOverwrite(opts.Out); err != nil {
			return cmdutil.UsageErrorf("--out %v", err)
		}
	}
	if err := opts.Target.Resolve(ctx, f); err != nil {
		return err
	}
	l, err := cmdutil.LoadSession(ctx, f, opts.Target.MeshID, opts.Offline)
	var se *session.ServerError
	if errors.As(err, &se) {
		return fmt.Errorf("%w (pass --offline to plan without the current ASMPvlConfig)", err)
	}
	if err != nil {
		return err
	}
	pairs, err := cmdutil.Prepare(ctx, f, l, opts.Target)
	if err != nil {
		return err
	}
	desired, err := l.Desired(opts.Target.ClusterID, flow.IntentConnect, pairs)
	if err != nil {
		return err
	}
	if err := cmdutil.CheckSize(f, "the planned ASMPvlConfig", desired, opts.MaxSize); err != nil {
		return err
	}
	// The file records the version it was made from, so that applying it
	// later names what it would bring back or undo.
	desired = spec.ForFile(desired, l.Env.Config)
	var buf bytes.Buffer
	if opts.Output == cmdutil.OutputJSON {
		for _, n := range notes(l, opts) {
			fmt.Fprintln(f.IO.ErrOut, n)
		}
		b, err := json.MarshalIndent(desired, "", "  ")
		if err != nil {
			return err
		}
		buf.Write(append(b, '\n'))
	} else {
		for _, n := range notes(l, opts) {
			buf.WriteString("# " + n + "\n")
		}
		buf.Write(spec.Encode(desired, spec.EncodeOptions{Header: &spec.Header{
			Producer: "asmlink plan", MeshID: opts.Target.MeshID, Facts: l.Env.Facts(),
		}}))
	}
	if opts.Out == "" {
		_, err := f.IO.Out.Write(buf.Bytes())
		return err
	}
	if err := cmdutil.WriteFileAtomic(opts.Out, buf.Bytes()); err != nil {
		return fmt.Errorf("--out %w", err)
	}
	fmt.Fprintf(f.IO.ErrOut, "Wrote %s (%d cluster(s)).\n", opts.Out, len(desired.Spec.AckVpcEndpoint))
	return nil
}

// notes are the comment lines that say whether the file was merged with
// the live object.
func notes(l *session.Session, opts *Options) []string {
	if opts.Offline {
		return []string{
			"Offline: NOT merged with the mesh's current ASMPvlConfig; it names only cluster " + opts.Target.ClusterID + ".",
			"kubectl apply of this file would drop every other cluster's entry; use `asmlink apply -f`, which merges.",
		}
	}
	return []string{fmt.Sprintf("Merged with the ASMPvlConfig read from %s: every other cluster's entry is kept.", l.Server.Server())}
}
