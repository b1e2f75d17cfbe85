// Package diff is `asmlink diff`: the live ASMPvlConfig against a file
// (the one a GitOps tool applies), entry by entry, marking what others
// own, with kubectl diff's exit codes for CI.
package diff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// Options are the inputs of `asmlink diff`.
type Options struct {
	Factory *cmdutil.Factory
	// File is the ASMPvlConfig to compare ("-" is stdin).
	File string
	// MeshID, when set, also compares the file with what asmlink would
	// plan now for its clusters, and names the mesh whose API server to
	// read when no kubeconfig is given.
	MeshID string
	// FieldManager is the manager that applies the file; "" reads it
	// from the file's Argo CD or Flux annotations when it has them.
	FieldManager string
	Output       string
}

// NewCmdDiff builds `asmlink diff`. runF replaces the run function in
// tests of flag handling; nil compares.
func NewCmdDiff(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "diff -f FILE [--mesh ID] [--field-manager NAME]",
		Short: "Compare the live ASMPvlConfig with a file, entry by entry, marking what others own",
		Long: `Compare the live ASMPvlConfig with FILE (- reads stdin), entry by entry: each
cluster's ackVpcEndpoint entry and each ASM vSwitch is

  missing   in the file, not live: the next sync adds it
  changed   in both, with other vSwitches or zones
  removed   live, not in the file, and a sync of the file removes it: the
            CRD's lists are atomic, or the file's field manager owns it
  in-sync   the same in both
  others    live, not in the file, owned by another manager: a sync keeps it

with the field managers that own it live (managedFields). The file's field
manager is --field-manager, else the one its Argo CD or Flux annotations
name (argocd-controller, kustomize-controller).

The live object is read with --kubeconfig (or KUBECONFIG), else from the
API server of the ASM instance --mesh names. With --mesh the file is also
compared with what asmlink would plan now for each of its clusters (the
recommended vSwitch pair, the cloud's zones): an entry that differs is drift.

With -o json the report is:
  {"file", "server", "drift": bool, "drifted": n, "summary",
   "entries": [{"path", "state", "file", "live", "owners": [{"name", "applier"}]}],
   "plan": [{"path", "state", "file", "live"}]}   (plan: with --mesh; live is the plan)

Exit status, as kubectl diff: 0 no drift, 1 drift, 2 bad flags or an
unreadable file, 3 an invalid file or a cluster that cannot be planned now,
4 credentials, 5 the comparison failed (the API server could not be read).`,
		Example: `  asmlink diff -f apps/asm/asmpvlconfig.yaml --mesh mesh-prod
  asmlink diff -f infra/asm/asmpvlconfig.yaml --mesh mesh-prod --field-manager team-shop -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputJSON); err != nil {
				return err
			}
			opts.Output = f.Options.Output
			if err := cmdutil.Required(cmdutil.Flag{Name: "-f", Value: opts.File, What: "the ASMPvlConfig file to compare with the live object (- reads stdin)"}); err != nil {
				return err
			}
			if opts.MeshID == "" && f.Options.Kubeconfig == "" && f.IO.Getenv("KUBECONFIG") == "" && f.KubeFunc == nil {
				return cmdutil.UsageErrorf("--mesh or --kubeconfig is required: the ASM instance whose API server holds the live object")
			}
			if runF != nil {
				return runF(opts)
			}
			err := runDiff(cmd.Context(), opts)
			var coded *cmdutil.CodedError
			if !errors.As(err, &coded) && cmdutil.CodeOf(err) == cmdutil.ExitError {
				// kubectl diff's contract: 1 is drift, so a failure exits higher.
				return cmdutil.WithCode(cmdutil.ExitDiffFailed, err)
			}
			return err
		},
	}
	cmd.Flags().StringVarP(&opts.File, "filename", "f", "", "ASMPvlConfig file to compare (- reads stdin)")
	cmd.Flags().StringVar(&opts.MeshID, "mesh", "", "name or ID of the ASM instance: its API server, and what asmlink would plan now")
	cmd.Flags().StringVar(&opts.FieldManager, "field-manager", "", "field manager that applies the file (default: from its Argo CD or Flux annotations)")
	return cmd
}

// Report is the comparison, as -o json writes it.
type Report struct {
	File    string            `json:"file"`
	Server  string            `json:"server"`
	Drift   bool              `json:"drift"`
	Drifted int               `json:"drifted"`
	Summary string            `json:"summary"`
	Entries []spec.EntryDrift `json:"entries"`
	Plan    []spec.EntryDrift `json:"plan,omitempty"`
}

func runDiff(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	file, err := cmdutil.ReadConfig(ctx, f.IO, "-f", opts.File)
	if err != nil {
		return err
	}
	if err := cmdutil.ResolveNames(ctx, f, &opts.MeshID, nil); err != nil {
		return err
	}
	c, err := f.Kube(ctx, opts.MeshID)
	if err != nil {
		return err
	}
	live, owners, err := c.Owners(ctx)
	if err != nil {
		return err
	}
	manager := opts.FieldManager
	if manager == "" {
		manager = spec.ManagerOf(file)
	}
	r := Report{File: opts.File, Server: c.Server(), Entries: spec.Drift(file, live, owners, manager)}
	if opts.MeshID != "" {
		if r.Plan, err = planNow(ctx, f, opts.MeshID, file); err != nil {
			return err
		}
	}
	r.Drifted = spec.Drifted(r.Entries) + spec.Drifted(r.Plan)
	r.Drift = r.Drifted > 0
	r.Summary = spec.DriftSummary(r.Entries)
	if n := spec.Drifted(r.Plan); n > 0 {
		r.Summary += fmt.Sprintf("; %d entries differ from what asmlink would plan now", n)
	}
	if opts.Output == cmdutil.OutputJSON {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	} else {
		_, err = io.WriteString(f.IO.Out, spec.PrintableLines(text(r, manager)))
	}
	if err != nil {
		return err
	}
	if r.Drift {
		return cmdutil.SilentExit(cmdutil.ExitDrift)
	}
	return nil
}

// planNow compares each cluster entry of file with the one asmlink would
// plan now (the recommended pair, the cloud's zones), and each ASM vSwitch
// such a plan needs with the file's. A cluster that cannot be planned now
// fails the checks, naming why.
func planNow(ctx context.Context, f *cmdutil.Factory, meshID string, file *spec.ASMPvlConfig) ([]spec.EntryDrift, error) {
	l, err := cmdutil.LoadSession(ctx, f, meshID, true)
	if err != nil {
		return nil, err
	}
	planned := spec.New()
	for _, id := range file.ClusterIDs() {
		pairs, err := cmdutil.Pairs(f, l, cmdutil.Target{MeshID: meshID, ClusterID: id})
		if err != nil {
			return nil, fmt.Errorf("cluster %s of the file cannot be planned now: %w", id, err)
		}
		if planned, err = l.Change(id, flow.IntentConnect, pairs)(planned); err != nil {
			return nil, err
		}
	}
	// Against the plan (atomic: each side's lists whole), what the file
	// has beyond the plan is not drift: an ASM vSwitch kept for another
	// zone; what the plan needs and the file lacks is.
	var out []spec.EntryDrift
	for _, d := range spec.Drift(file, planned, spec.Owners{}, "") {
		if d.State != spec.DriftMissing {
			out = append(out, d)
		}
	}
	return out, nil
}

// marks are the one-character signs of the states, as diff(1) uses them.
var marks = map[spec.DriftState]string{
	spec.DriftMissing: "+", spec.DriftChanged: "~", spec.DriftRemoved: "-", spec.DriftInSync: "=", spec.DriftOthers: "·",
}

// text is the report for a person: a line per entry, its state, both
// sides when they differ, and its owners.
func text(r Report, manager string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s against the live ASMPvlConfig/default on %s", r.File, r.Server)
	if manager != "" {
		fmt.Fprintf(&b, ", applied as %s", manager)
	}
	b.WriteString(":\n")
	writeEntries(&b, r.Entries, "live")
	if r.Plan != nil {
		b.WriteString("Against what asmlink would plan now:\n")
		writeEntries(&b, r.Plan, "plan")
	}
	fmt.Fprintf(&b, "%s\n", r.Summary)
	return b.String()
}

func writeEntries(b *strings.Builder, entries []spec.EntryDrift, other string) {
	for _, e := range entries {
		fmt.Fprintf(b, "  %s %-8s %s", marks[e.State], e.State, e.Path)
		switch e.State {
		case spec.DriftChanged:
			fmt.Fprintf(b, ": file %s, %s %s", spec.DescribeEntry(e.File), other, spec.DescribeEntry(e.Live))
		case spec.DriftMissing:
			fmt.Fprintf(b, ": file %s", spec.DescribeEntry(e.File))
		case spec.DriftRemoved, spec.DriftOthers:
			fmt.Fprintf(b, ": %s %s", other, spec.DescribeEntry(e.Live))
		}
		if len(e.Owners) > 0 {
			fmt.Fprintf(b, " (owned by %s)", strings.Join(spec.Names(e.Owners), ", "))
		}
		b.WriteString("\n")
	}
}
