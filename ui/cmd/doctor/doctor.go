// Package doctor is `asmlink doctor`: every check flow knows, run as data
// against the cloud, the mesh's API server and the links, grouped, each
// finding with its code, severity, hint, fixing command and documentation.
package doctor

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
)

// Options are the inputs of `asmlink doctor`.
type Options struct {
	Factory   *cmdutil.Factory
	MeshID    string
	ClusterID string
	Output    string
	// Fix applies the fixes that can run; Yes gives consent to those that
	// change the cloud without asking.
	Fix bool
	Yes bool
	// Verbose shows the hint of every check, not only of problems.
	Verbose bool
}

// NewCmdDoctor builds `asmlink doctor`. runF replaces the run function in
// tests of flag handling; nil runs the checks.
func NewCmdDoctor(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "doctor --mesh ID [--cluster ID]",
		Short: "Run every check on a mesh and its PrivateLink connections",
		Long: `Run every check asmlink knows, grouped: credentials and region; the mesh's
state; the cluster's membership, region and VPC; PrivateLink activation,
zones and free IPs; the ASM API server and its ASMPvlConfig CRD; the zone rule
of the live object; each link's endpoint and endpoint service, cross-checked
between the status and the PrivateLink APIs; the certificate SAN; each
cluster running in the mesh; pod, Service, vSwitch and VPC CIDR overlaps
across the mesh's clusters; and clusters in other VPCs with neither
PrivateLink nor CEN. --cluster adds the checks of one cluster's entry; a
check that does not apply is skipped, not failed.

Each finding has a stable code, a severity, a message, a hint, the command
that fixes it and a link to its documentation. --fix applies the fixes
asmlink can run (activating PrivateLink, adding a cluster to the mesh,
appending a certificate SAN), asking first; without a terminal --yes is
required. The checks then run again.

With -o json the report is:
  {"meshId", "clusterId", "passed": bool,
   "counts": {"pass", "warn", "fail", "skip"},
   "groups": [{"category", "title", "checks": [{"code", "category", "status",
     "severity", "description", "message", "details", "hint",
     "fix": {"description", "command", "mutating"}, "docURL"}]}],
   "fixed": ["..."]}

Exit status: 0 when no check failed (warnings allowed), 3 when one did,
2 bad flags or --fix without a terminal and without --yes.`,
		Example: `  asmlink doctor --mesh d564b858f9a3e247cb2c083eb8cb37f0
  asmlink doctor --mesh MESH --cluster CLUSTER -o json | jq '.groups[].checks[] | select(.status=="fail")'
  asmlink doctor --mesh MESH --fix --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputJSON); err != nil {
				return err
			}
			opts.Output = f.Options.Output
			if opts.MeshID == "" {
				return cmdutil.UsageErrorf("--mesh is required: the ID of the ASM instance")
			}
			if opts.Yes && !opts.Fix {
				return cmdutil.UsageErrorf("--yes only gives consent to --fix: add --fix, or drop --yes")
			}
			if runF != nil {
				return runF(opts)
			}
			return RunDoctor(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.MeshID, "mesh", "", "ID of the ASM instance")
	cmd.Flags().StringVar(&opts.ClusterID, "cluster", "", "also check this ACK cluster's preconditions and entry")
	cmd.Flags().BoolVar(&opts.Fix, "fix", false, "apply the fixes asmlink can run, then check again")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "with --fix, apply fixes that change the cloud without asking")
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "show the hint and documentation link of every check")
	return cmd
}

// Report is doctor's result as -o json writes it.
type Report struct {
	MeshID    string `json:"meshId"`
	ClusterID string `json:"clusterId,omitempty"`
	render.CheckReport
	// Fixed lists the fixes that were applied, by description.
	Fixed []string `json:"fixed"`
}

// RunDoctor runs the checks, applies the fixes with --fix and consent, and
// reports.
func RunDoctor(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	results := run(ctx, opts)
	rep := Report{MeshID: opts.MeshID, ClusterID: opts.ClusterID, Fixed: []string{}}
	if opts.Fix {
		fixed, err := applyFixes(ctx, opts, results)
		rep.Fixed = fixed
		if err != nil {
			// Report what was found before saying why fixing stopped.
			rep.CheckReport = render.NewCheckReport(results)
			if werr := write(f, opts, rep, results); werr != nil {
				return werr
			}
			return err
		}
		if len(fixed) > 0 {
			fmt.Fprintln(f.IO.ErrOut, "Checking again after the fixes.")
			results = run(ctx, opts)
		}
	}
	rep.CheckReport = render.NewCheckReport(results)
	if err := write(f, opts, rep, results); err != nil {
		return err
	}
	if !rep.Passed {
		return cmdutil.SilentExit(cmdutil.ExitChecks)
	}
	return nil
}

// run connects to the cloud and the mesh's API server, recording failures
// for the checks to report, and runs every doctor check.
func run(ctx context.Context, opts *Options) []flow.Result {
	f := opts.Factory
	in := flow.DoctorInput{MeshID: opts.MeshID, ClusterID: opts.ClusterID}
	var api cloud.API
	api, in.CloudErr = f.Cloud(ctx)
	if in.CloudErr == nil {
		in.API = api
		fmt.Fprintf(f.IO.ErrOut, "Using %s.\n", flow.DescribeIdentity(api.Identity()))
		// The API server is only worth asking when the mesh can be read.
		if _, err := api.Mesh(ctx, opts.MeshID); err != nil {
			in.CloudErr = err
		} else if kc, err := f.Kube(ctx, opts.MeshID); err != nil {
			in.ServerErr = err
		} else {
			in.Server = kc.Server()
			in.Config, in.ServerErr = kc.Get(ctx)
		}
	}
	env := flow.DoctorEnv(ctx, in)
	return flow.Runner{}.Run(ctx, env, flow.DoctorChecks())
}

// applyFixes runs the fixes of failed and warning checks that asmlink can
// run; fixes that change the cloud need consent, asked once for all.
func applyFixes(ctx context.Context, opts *Options, results []flow.Result) ([]string, error) {
	f := opts.Factory
	var runnable []*flow.Fix
	mutating := false
	for _, fx := range flow.Fixes(results) {
		if fx.Apply == nil {
			fmt.Fprintf(f.IO.ErrOut, "Not fixed automatically: %s (run: %s)\n", fx.Description, fx.Command)
			continue
		}
		runnable = append(runnable, fx)
		mutating = mutating || fx.Mutating
	}
	fixed := []string{}
	if len(runnable) == 0 {
		return fixed, nil
	}
	if mutating {
		fmt.Fprintln(f.IO.ErrOut, "These fixes change the cloud:")
		for _, fx := range runnable {
			fmt.Fprintf(f.IO.ErrOut, "  - %s\n", fx.Description)
		}
		if err := f.Confirm(fmt.Sprintf("Apply %d fix(es)?", len(runnable)), opts.Yes); err != nil {
			return fixed, err
		}
	}
	for _, fx := range runnable {
		if err := fx.Apply(ctx); err != nil {
			return fixed, fmt.Errorf("fixing (%s): %w", fx.Description, err)
		}
		fmt.Fprintf(f.IO.ErrOut, "Fixed: %s\n", fx.Description)
		fixed = append(fixed, fx.Description)
	}
	return fixed, nil
}

// write prints the report on stdout: grouped text, or JSON.
func write(f *cmdutil.Factory, opts *Options, rep Report, results []flow.Result) error {
	if opts.Output == cmdutil.OutputJSON {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	st := styles.New(f.Color(f.IO.IsStdoutTTY()))
	_, err := fmt.Fprint(f.IO.Out, render.Checks(st, 0, results, render.CheckOptions{Verbose: opts.Verbose}))
	return err
}
