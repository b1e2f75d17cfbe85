// Package apply is `asmlink apply`: validate an ASMPvlConfig change, merge
// it with the live object so no other cluster's entry is lost, show the
// diff, and write it with server-side apply (cmdutil.Write, which remove
// shares: the diff, the consent, conflicts and the wait).
package apply

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// Options are the inputs of `asmlink apply`.
type Options struct {
	Factory *cmdutil.Factory
	// File is the ASMPvlConfig to apply ("-" is stdin); "" builds the
	// change from Target like plan does.
	File   string
	Target cmdutil.Target
	Write  cmdutil.WriteOptions
	// OverwriteNewer applies the entries of a plan file that someone
	// removed or changed on the server after the plan was made.
	OverwriteNewer bool
}

// NewCmdApply builds `asmlink apply`. runF replaces the run function in
// tests of flag handling; nil applies.
func NewCmdApply(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "apply (-f FILE | --cluster ID) --mesh ID",
		Short: "Merge an ASMPvlConfig change into the mesh and apply it with server-side apply",
		Long: `Apply an ASMPvlConfig change to the ASM instance's API server.

With -f FILE (- reads stdin) the file is validated against the cloud's
listing (the zone rule, each vSwitch's VPC), each of its cluster entries passes
plan's precondition checks (in the mesh, PrivateLink, free IPs), and each is
merged into the live object: a file that names only one cluster never removes
the others. With --cluster (and optionally --asm-vswitch/--ack-vswitch) the
change is built as asmlink plan builds it, after the same precondition checks.

The diff goes to stderr: it is what the API server's dry run says it would
store, never asmlink's own merge. The change is then written as field manager
"asmlink" the way the server's schema needs (lists merged by key, or atomic
lists sent whole with every other entry exactly as read), and read back: an
entry it was not meant to change that differs is an error naming it, with
the object that restores it. Fields an update last wrote (kubectl apply
without --server-side, kubectl edit, the console) are taken over after this
review. Fields another server-side applier owns (a GitOps tool) stop the
change, naming it: at its next sync it would set them back. --force-conflicts
takes them over after confirmation, still keeping every other entry.

Without a terminal --yes is required. --wait (--wait=running) then waits
until both links of every cluster are up, PrivateLink agreeing, and every
cluster is running in the mesh; --wait=available only until the links are
up. The wait ends early, exit 3, on a cause only a person can fix once it
has held for --grace (default 1m), and exits 124 after --timeout (default
15m), naming the last state and cause.

Exit status: 0 applied (or nothing to change), 2 bad flags or no terminal
without --yes, 3 invalid file, failed precondition, a change refused
because a server-side applier owns its fields, or (with --wait) a cause only
a person can fix, 4 credentials,
124 --wait timed out, 130 declined.`,
		Example: `  asmlink apply -f asmpvlconfig.yaml --mesh d564b858f9a3e247cb2c083eb8cb37f0
  asmlink apply --mesh MESH --cluster CLUSTER --yes --wait --timeout 20m
  asmlink apply -f asmpvlconfig.yaml --mesh MESH --yes --wait=available
  asmlink plan --mesh MESH --cluster CLUSTER | asmlink apply -f - --mesh MESH --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputJSON, cmdutil.OutputYAML); err != nil {
				return err
			}
			opts.Write.Output = f.Options.Output
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runApply(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.File, "filename", "f", "", "ASMPvlConfig file to apply (- reads stdin)")
	cmd.Flags().BoolVar(&opts.OverwriteNewer, "overwrite-newer", false, "apply entries of a plan file that were removed or changed on the server after the plan was made (asks first on a terminal)")
	opts.Target.Bind(cmd)
	opts.Write.Bind(cmd)
	return cmd
}

func (o *Options) validate() error {
	t := o.Target
	switch {
	case t.MeshID == "":
		return cmdutil.UsageErrorf("--mesh is required: the name or ID of the ASM instance whose API server gets the change")
	case o.File != "" && (t.ClusterID != "" || len(t.ASMVSwitches) > 0 || len(t.ACKVSwitches) > 0):
		return cmdutil.UsageErrorf("-f and --cluster/--asm-vswitch/--ack-vswitch cannot be combined: the file already names its clusters and vSwitches")
	case o.File == "" && t.ClusterID == "":
		return cmdutil.UsageErrorf("give -f FILE, or --cluster ID to build the change like asmlink plan")
	case o.Write.Timeout <= 0:
		return cmdutil.UsageErrorf("--timeout must be positive, e.g. 15m")
	}
	if o.File == "" {
		return t.Validate()
	}
	return nil
}

func runApply(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	var file *spec.ASMPvlConfig
	if opts.File != "" {
		var err error
		if file, err = readFile(ctx, f.IO, opts.File); err != nil {
			return err
		}
	}
	if err := opts.Target.Resolve(ctx, f); err != nil {
		return err
	}
	l, err := cmdutil.LoadSession(ctx, f, opts.Target.MeshID, false)
	if err != nil {
		return err
	}
	var change session.Change
	var what string
	if file != nil {
		if change, what, err = fileChange(f, l, file, opts.File); err != nil {
			return err
		}
		if err := checkStale(ctx, f, l.Env.Config, file, opts); err != nil {
			return err
		}
		if err := cmdutil.ReportPreflight(f, l.CheckFile(ctx, file, session.PreflightOptions{})); err != nil {
			return err
		}
	} else {
		pairs, err := cmdutil.Prepare(ctx, f, l, opts.Target)
		if err != nil {
			return err
		}
		change = l.Change(opts.Target.ClusterID, flow.IntentConnect, pairs)
		what = "connect cluster " + opts.Target.ClusterID
	}
	return cmdutil.Write(ctx, f, l, change, what, opts.Write)
}

// readFile reads and decodes the file to apply; a file that cannot be read
// or is not YAML is a usage error, one that is not a valid ASMPvlConfig
// fails the checks.
func readFile(ctx context.Context, io *cmdutil.IOStreams, name string) (*spec.ASMPvlConfig, error) {
	data, err := cmdutil.ReadInput(ctx, io, name)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, cmdutil.UsageErrorf("-f %s: cannot read: %v", name, err)
	}
	doc, err := spec.DecodeDocument(data)
	var de *spec.DecodeError
	switch {
	case errors.As(err, &de) && de.Syntax:
		return nil, cmdutil.UsageErrorf("-f %s: %v", name, de)
	case errors.As(err, &de):
		printFindings(io.ErrOut, name, de.Findings)
		return nil, cmdutil.SilentExit(cmdutil.ExitChecks)
	case err != nil:
		return nil, cmdutil.UsageErrorf("-f %s: %v", name, err)
	}
	return doc.Config, nil
}

// printFindings writes findings one per line with their hints.
func printFindings(w io.Writer, label string, findings []spec.Finding) {
	for _, fd := range findings {
		fmt.Fprintf(w, "%s: %s\n", label, fd)
		if fd.Hint != "" {
			fmt.Fprintf(w, "    hint: %s\n", fd.Hint)
		}
	}
}

// fileChange validates the file against the cloud's facts and returns the
// change that merges each of its entries into the live object, one by one
// with spec.Merge, never the file as a whole.
func fileChange(f *cmdutil.Factory, l *session.Session, file *spec.ASMPvlConfig, name string) (session.Change, string, error) {
	if len(file.Spec.AckVpcEndpoint) == 0 {
		return nil, "", cmdutil.UsageErrorf("-f %s names no cluster under spec.ackVpcEndpoint: there is nothing to merge (use asmlink remove to remove a cluster)", name)
	}
	findings := spec.Validate(file, l.Env.Facts())
	if spec.HasErrors(findings) {
		printFindings(f.IO.ErrOut, name, findings)
		return nil, "", cmdutil.SilentExit(cmdutil.ExitChecks)
	}
	for _, fd := range findings {
		if fd.Severity == spec.Warning {
			fmt.Fprintf(f.IO.ErrOut, "%s: %s\n", name, fd)
		}
	}
	entries, asm := file.Spec.AckVpcEndpoint, file.Spec.AsmVpcEndpoint.VSwitches
	change := func(current *spec.ASMPvlConfig) (*spec.ASMPvlConfig, error) {
		return spec.MergeAll(current, entries, asm), nil
	}
	ids := file.ClusterIDs()
	what := strings.Join(ids, ", ")
	if len(ids) > 5 {
		what = fmt.Sprintf("%s and %d more", strings.Join(ids[:5], ", "), len(ids)-5)
	}
	return change, fmt.Sprintf("merge cluster(s) %s from %s", what, name), nil
}

// checkStale names what a plan file would bring back or undo on the live
// object, changed since the plan was made, and applies it only with
// consent: --overwrite-newer, or a yes on a terminal.
func checkStale(ctx context.Context, f *cmdutil.Factory, live, file *spec.ASMPvlConfig, opts *Options) error {
	base, ok, err := spec.ReadBase(file)
	if err != nil {
		return cmdutil.UsageErrorf("-f %s: %v", opts.File, err)
	}
	if !ok {
		return nil
	}
	stale := spec.Stale(file, live, base)
	if len(stale) == 0 {
		return nil
	}
	fmt.Fprintf(f.IO.ErrOut, "%s was made from version %s of %s/%s, which has changed since. Applying it:\n", opts.File, base.ResourceVersion, spec.Kind, spec.Name)
	for _, s := range stale {
		fmt.Fprintf(f.IO.ErrOut, "  %s\n", s)
	}
	if !opts.OverwriteNewer && !f.IO.CanPrompt() {
		return cmdutil.WithCode(cmdutil.ExitChecks, fmt.Errorf("-f %s would bring back or undo %d change(s) made since it was planned; nothing was changed. "+
			"Make a new plan (asmlink plan), or re-run with --overwrite-newer to apply them anyway", opts.File, len(stale)))
	}
	return f.Confirm(ctx, "Apply these entries of the file anyway?", opts.OverwriteNewer)
}
