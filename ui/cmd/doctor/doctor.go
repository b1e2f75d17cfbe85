// Package doctor is `asmlink doctor`: every check flow knows, run as data
// against the cloud, the mesh's API server and the links, grouped, each
// finding with its code, severity, hint, fixing command and documentation.
package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
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
	// FixTimeout bounds how long --fix waits for its fixes to take effect
	// before checking again; Interval is the first pause between polls (0
	// is flow's default; tests shorten it).
	FixTimeout time.Duration
	Interval   time.Duration
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
required. It then waits (at most --fix-timeout, default 5m) for the fixes to
take effect, saying what for: a SAN counts once the cluster runs in the
mesh, PrivateLink once the links are up. The checks then run again.

The last line is the verdict: ✔ or ✗, how many checks failed, and the
command to run next.

With -o json the report is:
  {"meshId", "clusterId", "passed": bool,
   "counts": {"pass", "warn", "fail", "skip"},
   "groups": [{"category", "title", "checks": [{"code", "category", "status",
     "severity", "description", "message", "details", "hint",
     "fix": {"description", "command", "mutating"}, "docURL"}]}],
   "fixed": ["..."], "verdict": {"ok", "summary", "next"}}

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
				return cmdutil.UsageErrorf("--mesh is required: the name or ID of the ASM instance")
			}
			if opts.Yes && !opts.Fix {
				return cmdutil.UsageErrorf("--yes only gives consent to --fix: add --fix, or drop --yes")
			}
			if opts.FixTimeout <= 0 {
				return cmdutil.UsageErrorf("--fix-timeout must be positive, e.g. 5m")
			}
			if runF != nil {
				return runF(opts)
			}
			return RunDoctor(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.MeshID, "mesh", "", "name or ID of the ASM instance")
	cmd.Flags().StringVar(&opts.ClusterID, "cluster", "", "also check this ACK cluster's preconditions and entry")
	cmd.Flags().BoolVar(&opts.Fix, "fix", false, "apply the fixes asmlink can run, then check again")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "with --fix, apply fixes that change the cloud without asking")
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "show the hint and documentation link of every check")
	cmd.Flags().DurationVar(&opts.FixTimeout, "fix-timeout", 5*time.Minute, "with --fix, how long to wait for the fixes to take effect before checking again")
	return cmd
}

// Report is doctor's result as -o json writes it.
type Report struct {
	MeshID    string `json:"meshId"`
	ClusterID string `json:"clusterId,omitempty"`
	render.CheckReport
	// Fixed lists the fixes that were applied, by description.
	Fixed []string `json:"fixed"`
	// Verdict is the closing line: all passed or not, counted, and the
	// command to run next.
	Verdict render.Verdict `json:"verdict"`
}

// RunDoctor runs the checks, applies the fixes with --fix and consent, and
// reports.
func RunDoctor(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	if err := cmdutil.ResolveNames(ctx, f, &opts.MeshID, &opts.ClusterID); err != nil {
		return err
	}
	results := run(ctx, opts, true)
	rep := Report{MeshID: opts.MeshID, ClusterID: opts.ClusterID, Fixed: []string{}}
	if opts.Fix {
		fixed, codes, err := applyFixes(ctx, opts, results)
		rep.Fixed = fixed
		if err != nil {
			// Report what was found before saying why fixing stopped.
			rep.CheckReport = render.NewCheckReport(results)
			rep.Verdict = render.CheckVerdict(rep.CheckReport, results, opts.MeshID, opts.ClusterID)
			if werr := write(f, opts, rep, results); werr != nil {
				return werr
			}
			return err
		}
		if len(fixed) > 0 {
			results = waitForFixes(ctx, opts, codes)
		}
	}
	rep.CheckReport = render.NewCheckReport(results)
	rep.Verdict = render.CheckVerdict(rep.CheckReport, results, opts.MeshID, opts.ClusterID)
	if err := write(f, opts, rep, results); err != nil {
		return err
	}
	if !rep.Passed {
		return cmdutil.SilentExit(cmdutil.ExitChecks)
	}
	return nil
}

// waitForFixes runs the checks again until the fixes of the checks fixed
// have taken effect or opts.FixTimeout passes, saying on stderr what it
// waits for, and returns the last results. A fix that has not taken effect
// in time is reported by its check, as it stands.
func waitForFixes(ctx context.Context, opts *Options, fixed []spec.Code) []flow.Result {
	f := opts.Factory
	st := styles.New(f.Color(f.IO.IsStderrTTY()))
	var results []flow.Result
	lastLine := ""
	err := flow.Wait(ctx, "the fixes to take effect", flow.WaitOptions{
		Interval: opts.Interval, Timeout: opts.FixTimeout,
		Observe: func(a flow.Attempt) {
			if a.State != lastLine || a.Done {
				lastLine = a.State
				fmt.Fprintln(f.IO.ErrOut, render.WaitLine(st, a))
			}
		},
	}, func(ctx context.Context) (bool, string, error) {
		results = run(ctx, opts, false)
		done, failing := flow.FixesTakenEffect(results, fixed)
		return done, strings.Join(failing, "; "), nil
	})
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "The fixes have not all taken effect: %s\n", spec.Printable(err.Error()))
	}
	fmt.Fprintln(f.IO.ErrOut, "Checking again after the fixes.")
	return results
}

// run connects to the cloud and the mesh's API server, recording failures
// for the checks to report, and runs every doctor check. announce says on
// stderr which credentials and region are used (once per run of doctor).
func run(ctx context.Context, opts *Options, announce bool) []flow.Result {
	f := opts.Factory
	api, err := f.Cloud(ctx)
	if err == nil && announce {
		cmdutil.AnnounceIdentity(f.IO.ErrOut, api.Identity())
	}
	return session.Doctor(ctx, api, err, f.Server, opts.MeshID, opts.ClusterID)
}

// applyFixes runs the fixes of failed and warning checks that asmlink can
// run; fixes that change the cloud need consent, asked once for all. It
// returns the fixes applied and the codes of their checks.
func applyFixes(ctx context.Context, opts *Options, results []flow.Result) ([]string, []spec.Code, error) {
	f := opts.Factory
	var runnable []*flow.Fix
	mutating := false
	for _, fx := range flow.Fixes(results) {
		if fx.Apply == nil {
			fmt.Fprintf(f.IO.ErrOut, "Not fixed automatically: %s (run: %s)\n", spec.Printable(fx.Description), spec.Printable(fx.Command))
			continue
		}
		runnable = append(runnable, fx)
		mutating = mutating || fx.Mutating
	}
	fixed := []string{}
	var codes []spec.Code
	if len(runnable) == 0 {
		return fixed, nil, nil
	}
	if mutating {
		fmt.Fprintln(f.IO.ErrOut, "These fixes change the cloud:")
		for _, fx := range runnable {
			fmt.Fprintf(f.IO.ErrOut, "  - %s\n", spec.Printable(fx.Description))
		}
		if err := f.Confirm(ctx, text.Sprintf("Apply %d fix(es)?", len(runnable)), opts.Yes); err != nil {
			return fixed, nil, err
		}
	}
	for _, fx := range runnable {
		if err := fx.Apply(cmdutil.FixContext(ctx, f)); err != nil {
			return fixed, codes, fmt.Errorf("fixing (%s): %w", fx.Description, err)
		}
		fmt.Fprintln(f.IO.ErrOut, text.Sprintf("Fixed: %s", spec.Printable(render.Say(fx.Said, fx.Description))))
		fixed = append(fixed, fx.Description)
		for _, r := range results {
			if r.Fix == fx {
				codes = append(codes, r.Check.Code)
			}
		}
	}
	return fixed, codes, nil
}

// write prints the report on stdout: grouped text, or JSON.
func write(f *cmdutil.Factory, opts *Options, rep Report, results []flow.Result) error {
	if opts.Output == cmdutil.OutputJSON {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	st := styles.New(f.Color(f.IO.IsStdoutTTY()))
	out := render.Checks(st, 0, results, render.CheckOptions{Verbose: opts.Verbose}) + "\n" + render.VerdictLine(st, 0, rep.Verdict)
	_, err := fmt.Fprint(f.IO.Out, out)
	return err
}
