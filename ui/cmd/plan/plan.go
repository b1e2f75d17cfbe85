// Package plan is `asmlink plan`: the reviewed ASMPvlConfig YAML for
// connecting one ACK cluster, for a GitOps change or a later apply. It also
// holds what apply shares with it: choosing the vSwitch pairs from the
// flags and reporting the preflight checks; the use cases themselves are
// flow/session's.
package plan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
)

// Options are the inputs of `asmlink plan`.
type Options struct {
	Factory *cmdutil.Factory
	Target  Target
	// Out is the file to write; "" writes to stdout.
	Out string
	// Offline skips reading the mesh's current ASMPvlConfig.
	Offline bool
}

// Target is the cluster to connect and, optionally, the vSwitches to use,
// paired by position (the first --asm-vswitch with the first
// --ack-vswitch, and so on).
type Target struct {
	MeshID       string
	ClusterID    string
	ACKVSwitches []string
	ASMVSwitches []string
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
nothing is written.

Exit status: 0 written, 2 bad flags, 3 a precondition failed, 4 credentials.`,
		Example: `  asmlink plan --mesh d564b858f9a3e247cb2c083eb8cb37f0 --cluster cbfbdabe898736a3566f893697b590487 > asmpvlconfig.yaml
  asmlink plan --mesh MESH --cluster CLUSTER --asm-vswitch vsw-asm --ack-vswitch vsw-ack --out clusters/prod/asmpvlconfig.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
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
	return cmd
}

// Bind registers --mesh, --cluster, --ack-vswitch and --asm-vswitch.
func (t *Target) Bind(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.MeshID, "mesh", "", "ID of the ASM instance")
	cmd.Flags().StringVar(&t.ClusterID, "cluster", "", "ID of the ACK cluster to connect")
	cmd.Flags().StringSliceVar(&t.ACKVSwitches, "ack-vswitch", nil, "vSwitch in the cluster's VPC (default: the recommended same-zone pair)")
	cmd.Flags().StringSliceVar(&t.ASMVSwitches, "asm-vswitch", nil, "vSwitch in the ASM instance's VPC (default: the recommended same-zone pair)")
}

// Validate checks the flags before anything is asked of the cloud.
func (t *Target) Validate() error {
	switch {
	case t.MeshID == "":
		return cmdutil.UsageErrorf("--mesh is required: the ID of the ASM instance")
	case t.ClusterID == "":
		return cmdutil.UsageErrorf("--cluster is required: the ID of the ACK cluster to connect")
	case len(t.ACKVSwitches) != len(t.ASMVSwitches):
		return cmdutil.UsageErrorf("--asm-vswitch is given %d time(s) and --ack-vswitch %d: give them in pairs, or neither for the recommended pair",
			len(t.ASMVSwitches), len(t.ACKVSwitches))
	}
	return nil
}

// Load reads the mesh's inventory and, unless offline, its current
// ASMPvlConfig (session.Load), and says on stderr which credentials, region
// and API server are used.
func Load(ctx context.Context, f *cmdutil.Factory, meshID string, offline bool) (*session.Session, error) {
	api, err := f.Cloud(ctx)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f.IO.ErrOut, "Using %s.\n", flow.DescribeIdentity(api.Identity()))
	connect := session.Connect(f.Server)
	if offline {
		connect = nil
	}
	s, err := session.Load(ctx, api, meshID, connect)
	if err != nil {
		return nil, err
	}
	if s.Server != nil {
		f.Debugf("read ASMPvlConfig %s from %s: %d cluster(s)", spec.Name, s.Server.Server(), clusterCount(s.Env.Config))
	}
	return s, nil
}

func clusterCount(cfg *spec.ASMPvlConfig) int {
	if cfg == nil {
		return 0
	}
	return len(cfg.Spec.AckVpcEndpoint)
}

// Pairs returns the vSwitch pairs of t: the recommended same-zone pair when
// none is given, else each given pair as the cloud lists it. A pair that
// breaks a rule is refused (exit 3); a pair allowed with a warning (a
// cross-zone pair) is written to stderr.
func Pairs(f *cmdutil.Factory, s *session.Session, t Target) ([]flow.Pair, error) {
	env := s.Env
	pairing, err := s.Pairing(t.ClusterID)
	if err != nil {
		return nil, cmdutil.UsageErrorf("--cluster %s: %v", t.ClusterID, err)
	}
	if len(t.ASMVSwitches) == 0 {
		p, ok := pairing.Recommend()
		if !ok {
			var lines []string
			for _, c := range pairing.Create {
				lines = append(lines, "  "+c.Message+"\n    "+c.Command)
			}
			return nil, cmdutil.WithCode(cmdutil.ExitChecks, fmt.Errorf("no usable pair of vSwitches in one shared PrivateLink zone for cluster %s; create one:\n%s",
				t.ClusterID, strings.Join(lines, "\n")))
		}
		fmt.Fprintf(f.IO.ErrOut, "Recommended vSwitch pair: %s\n", p)
		return []flow.Pair{p}, nil
	}
	var pairs []flow.Pair
	for i := range t.ASMVSwitches {
		o, ok := pairing.Option(t.ASMVSwitches[i], t.ACKVSwitches[i])
		if !ok {
			return nil, cmdutil.UsageErrorf("--asm-vswitch %s with --ack-vswitch %s is not a pair of a vSwitch of the ASM instance's VPC %s and one of cluster %s's VPC: %s",
				t.ASMVSwitches[i], t.ACKVSwitches[i], env.Mesh.VpcID, t.ClusterID, listPairs(pairing))
		}
		var msgs []string
		for _, fd := range o.Findings {
			msgs = append(msgs, fd.String())
		}
		switch o.Verdict {
		case flow.VerdictRefused:
			return nil, cmdutil.WithCode(cmdutil.ExitChecks, fmt.Errorf("vSwitch pair %s cannot be used:\n  %s", o.Pair, strings.Join(msgs, "\n  ")))
		case flow.VerdictWarn:
			fmt.Fprintf(f.IO.ErrOut, "Warning: vSwitch pair %s:\n  %s\n", o.Pair, strings.Join(msgs, "\n  "))
		}
		pairs = append(pairs, o.Pair)
	}
	return pairs, nil
}

// listPairs names the usable pairs, for an error about a wrong pair.
func listPairs(p flow.Pairing) string {
	var ok []string
	for _, o := range p.Options {
		if o.Verdict != flow.VerdictRefused {
			ok = append(ok, "--asm-vswitch "+o.ASM.ID+" --ack-vswitch "+o.ACK.ID+" ("+o.ASM.ZoneID+"/"+o.ACK.ZoneID+")")
		}
	}
	if len(ok) == 0 {
		return "no usable pair exists"
	}
	return "usable pairs: " + strings.Join(ok, "; ")
}

// ReportPreflight writes the results to stderr and returns exit 3 when a
// check failed; warnings are shown and pass.
func ReportPreflight(f *cmdutil.Factory, results []flow.Result) error {
	failed := len(flow.Failed(results)) > 0
	warned := slices.ContainsFunc(results, func(r flow.Result) bool { return r.Status == flow.StatusWarn })
	if failed || warned || f.Options.Debug {
		st := styles.New(f.Color(f.IO.IsStderrTTY()))
		fmt.Fprint(f.IO.ErrOut, render.Checks(st, 0, results, render.CheckOptions{}))
	}
	if failed {
		return cmdutil.SilentExit(cmdutil.ExitChecks)
	}
	return nil
}

// Prepare chooses the vSwitch pairs and runs the preflight checks. When
// no pair can be used, the checks run without one, so a failed
// precondition (a cluster in the mesh's own VPC, say) is named rather than
// only the missing pair.
func Prepare(ctx context.Context, f *cmdutil.Factory, s *session.Session, t Target) ([]flow.Pair, error) {
	opts := session.PreflightOptions{Observe: progress(f)}
	pairs, err := Pairs(f, s, t)
	if cmdutil.CodeOf(err) == cmdutil.ExitChecks {
		if ferr := ReportPreflight(f, s.Preflight(ctx, t.ClusterID, nil, opts)); ferr != nil {
			return nil, ferr
		}
	}
	if err != nil {
		return nil, err
	}
	return pairs, ReportPreflight(f, s.Preflight(ctx, t.ClusterID, pairs, opts))
}

// progress says on a terminal's stderr which check has just finished, so a
// preflight that waits for the mesh to settle is not a silent minute.
func progress(f *cmdutil.Factory) func(flow.Result) {
	if !f.IO.IsStderrTTY() {
		return nil
	}
	return func(r flow.Result) {
		fmt.Fprintf(f.IO.ErrOut, "Checked %s %s: %s\n", r.Check.Code, r.Check.Description, r.Status)
	}
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
	l, err := Load(ctx, f, opts.Target.MeshID, opts.Offline)
	var se *session.ServerError
	if errors.As(err, &se) {
		return fmt.Errorf("%w (pass --offline to plan without the current ASMPvlConfig)", err)
	}
	if err != nil {
		return err
	}
	pairs, err := Prepare(ctx, f, l, opts.Target)
	if err != nil {
		return err
	}
	desired, err := l.Desired(opts.Target.ClusterID, flow.IntentConnect, pairs)
	if err != nil {
		return err
	}
	// The file records the version it was made from in an annotation, so
	// that applying it later names what it would bring back or undo; a
	// resourceVersion in the file would only make kubectl apply fail, and
	// kubectl's record of its own last apply is not the file's content.
	if !opts.Offline {
		spec.RecordBase(desired, l.Env.Config)
	}
	desired.Metadata.ResourceVersion = ""
	delete(desired.Metadata.Annotations, lastAppliedAnnotation)
	var buf bytes.Buffer
	for _, n := range notes(l, opts) {
		buf.WriteString("# " + n + "\n")
	}
	buf.Write(spec.Encode(desired, spec.EncodeOptions{Header: &spec.Header{
		Producer: "asmlink plan", MeshID: opts.Target.MeshID, Facts: l.Env.Facts(),
	}}))
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

// lastAppliedAnnotation is where client-side kubectl apply keeps the file
// it last applied, on the live object.
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

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
