package cmdutil

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// Target is the cluster to connect and, optionally, the vSwitches to use,
// paired by position (the first --asm-vswitch with the first
// --ack-vswitch, and so on).
type Target struct {
	MeshID       string
	ClusterID    string
	ACKVSwitches []string
	ASMVSwitches []string
}

// Bind registers --mesh, --cluster, --ack-vswitch and --asm-vswitch.
func (t *Target) Bind(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.MeshID, "mesh", "", "name or ID of the ASM instance")
	cmd.Flags().StringVar(&t.ClusterID, "cluster", "", "name or ID of the ACK cluster to connect")
	cmd.Flags().StringSliceVar(&t.ACKVSwitches, "ack-vswitch", nil, "vSwitch in the cluster's VPC (default: the recommended same-zone pair)")
	cmd.Flags().StringSliceVar(&t.ASMVSwitches, "asm-vswitch", nil, "vSwitch in the ASM instance's VPC (default: the recommended same-zone pair)")
}

// Validate checks the flags before anything is asked of the cloud; every
// missing flag is named at once.
func (t *Target) Validate() error {
	if err := Required(Flag{"--mesh", t.MeshID, "the name or ID of the ASM instance"},
		Flag{"--cluster", t.ClusterID, "the name or ID of the ACK cluster to connect"}); err != nil {
		return err
	}
	if len(t.ACKVSwitches) != len(t.ASMVSwitches) {
		return UsageErrorf("--asm-vswitch is given %d time(s) and --ack-vswitch %d: give them in pairs, or neither for the recommended pair",
			len(t.ASMVSwitches), len(t.ACKVSwitches))
	}
	// The cluster's entry lists each of its vSwitches once (the API server
	// keys the list by vSwitchId), so a repeated pair or ACK vSwitch would
	// make a file validate refuses (PVL017). An ASM vSwitch may pair with
	// several: the shared list keeps it once.
	for i, id := range t.ACKVSwitches {
		if j := slices.Index(t.ACKVSwitches[:i], id); j >= 0 {
			return UsageErrorf("--ack-vswitch %s is given twice (pairs %d and %d): each vSwitch of the cluster is listed once, so give each pair once", id, j+1, i+1)
		}
	}
	return nil
}

// Flag is a flag a command needs, with its value and what it is for.
type Flag struct {
	Name, Value, What string
}

// Required names every flag of flags whose value is empty, in one usage
// error: "--mesh and --cluster are required: --mesh, the name or ID of
// ...; --cluster, ...".
func Required(flags ...Flag) error {
	var names, whats []string
	for _, fl := range flags {
		if fl.Value == "" {
			names = append(names, fl.Name)
			whats = append(whats, fl.Name+", "+fl.What)
		}
	}
	switch len(names) {
	case 0:
		return nil
	case 1:
		return UsageErrorf("%s is required: %s", names[0], flags[slices.IndexFunc(flags, func(fl Flag) bool { return fl.Name == names[0] })].What)
	}
	return UsageErrorf("%s and %s are required: %s", strings.Join(names[:len(names)-1], ", "), names[len(names)-1], strings.Join(whats, "; "))
}

// LoadSession reads the mesh's inventory and, unless offline, its current
// ASMPvlConfig (session.Load), and says on stderr which credentials, region
// and API server are used.
func LoadSession(ctx context.Context, f *Factory, meshID string, offline bool) (*session.Session, error) {
	api, err := f.Cloud(ctx)
	if err != nil {
		return nil, err
	}
	AnnounceIdentity(f.IO.ErrOut, api.Identity())
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
func Pairs(f *Factory, s *session.Session, t Target) ([]flow.Pair, error) {
	env := s.Env
	pairing, err := s.Pairing(t.ClusterID)
	if err != nil {
		return nil, UsageErrorf("--cluster %s: %v", t.ClusterID, err)
	}
	if len(t.ASMVSwitches) == 0 {
		p, ok := pairing.Recommend()
		if !ok {
			var lines []string
			for _, c := range pairing.Create {
				lines = append(lines, "  "+c.Message+"\n    "+c.Command)
			}
			return nil, WithCode(ExitChecks, fmt.Errorf("no usable pair of vSwitches in one shared PrivateLink zone for cluster %s; create one:\n%s",
				t.ClusterID, strings.Join(lines, "\n")))
		}
		fmt.Fprintf(f.IO.ErrOut, "Recommended vSwitch pair: %s\n", spec.Printable(p.String()))
		return []flow.Pair{p}, nil
	}
	var pairs []flow.Pair
	for i := range t.ASMVSwitches {
		o, ok := pairing.Option(t.ASMVSwitches[i], t.ACKVSwitches[i])
		if !ok {
			return nil, UsageErrorf("--asm-vswitch %s with --ack-vswitch %s is not a pair of a vSwitch of the ASM instance's VPC %s and one of cluster %s's VPC: %s",
				t.ASMVSwitches[i], t.ACKVSwitches[i], env.Mesh.VpcID, t.ClusterID, listPairs(pairing))
		}
		var msgs []string
		for _, fd := range o.Findings {
			msgs = append(msgs, spec.Printable(fd.String()))
		}
		switch o.Verdict {
		case flow.VerdictRefused:
			return nil, WithCode(ExitChecks, fmt.Errorf("vSwitch pair %s cannot be used:\n  %s", o.Pair, strings.Join(msgs, "\n  ")))
		case flow.VerdictWarn:
			fmt.Fprintf(f.IO.ErrOut, "Warning: vSwitch pair %s:\n  %s\n", spec.Printable(o.Pair.String()), strings.Join(msgs, "\n  "))
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
func ReportPreflight(f *Factory, results []flow.Result) error {
	failed := len(flow.Failed(results)) > 0
	warned := slices.ContainsFunc(results, func(r flow.Result) bool { return r.Status == flow.StatusWarn })
	if failed || warned || f.Options.Debug {
		st := styles.New(f.Color(f.IO.IsStderrTTY()))
		fmt.Fprint(f.IO.ErrOut, render.Checks(st, 0, results, render.CheckOptions{}))
	}
	if failed {
		return SilentExit(ExitChecks)
	}
	return nil
}

// Prepare chooses the vSwitch pairs and runs the preflight checks. When
// no pair can be used, the checks run without one, so a failed
// precondition (a cluster in the mesh's own VPC, say) is named rather than
// only the missing pair.
func Prepare(ctx context.Context, f *Factory, s *session.Session, t Target) ([]flow.Pair, error) {
	opts := session.PreflightOptions{Observe: progress(f)}
	pairs, err := Pairs(f, s, t)
	if CodeOf(err) == ExitChecks {
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
func progress(f *Factory) func(flow.Result) {
	if !f.IO.IsStderrTTY() {
		return nil
	}
	return func(r flow.Result) {
		fmt.Fprintf(f.IO.ErrOut, "Checked %s %s: %s\n", r.Check.Code, r.Check.Description, r.Status)
	}
}

// ResolveNames turns the --mesh and --cluster values a person gave, a name
// or an ID each, into IDs (session.ResolveMesh, session.ResolveCluster),
// in place; an empty value stays empty. A value that names nothing, or a
// name several share, is a usage error (exit 2) naming the flag, the
// nearest candidates and the list of them.
func ResolveNames(ctx context.Context, f *Factory, mesh, cluster *string) error {
	if (mesh == nil || *mesh == "") && (cluster == nil || *cluster == "") {
		return nil
	}
	api, err := f.Cloud(ctx)
	if err != nil {
		// The command's own use of the cloud reports this failure, as
		// it would without names (doctor as a check).
		return nil
	}
	for _, r := range []struct {
		flag    string
		ref     *string
		resolve func(context.Context, cloud.API, string) (flow.Named, error)
	}{{"--mesh", mesh, session.ResolveMesh}, {"--cluster", cluster, session.ResolveCluster}} {
		if r.ref == nil || *r.ref == "" {
			continue
		}
		n, err := r.resolve(ctx, api, *r.ref)
		if err != nil {
			return UsageErrorf("%s %v", r.flag, err)
		}
		if n.ID != *r.ref {
			fmt.Fprintln(f.IO.ErrOut, text.Sprintf("%s %s is %s.", r.flag, spec.Value(*r.ref), n))
		}
		*r.ref = n.ID
	}
	return nil
}

// Resolve turns t's --mesh and --cluster names into IDs (ResolveNames).
func (t *Target) Resolve(ctx context.Context, f *Factory) error {
	return ResolveNames(ctx, f, &t.MeshID, &t.ClusterID)
}
