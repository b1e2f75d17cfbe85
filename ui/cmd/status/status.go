// Package status is `asmlink status`: both links of each connected
// cluster, the overall status, and each cluster's state in the mesh,
// cross-checked with the PrivateLink APIs, with the causes flow diagnoses.
package status

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
)

// Options are the inputs of `asmlink status`.
type Options struct {
	Factory   *cmdutil.Factory
	MeshID    string
	ClusterID string
	Watch     bool
	// Wait is what --wait waits for; WaitNone reports once.
	Wait    flow.WaitMode
	Timeout time.Duration
	// Grace is how long a cause only a person can fix must hold before
	// --wait gives up on it.
	Grace  time.Duration
	Output string
	// Interval is the first pause between polls of --wait; 0 is flow's
	// default. Tests shorten it.
	Interval time.Duration
	// File, when set, is an ASMPvlConfig file (the one a GitOps tool
	// applies) to report drift against, on one line.
	File string
}

// NewCmdStatus builds `asmlink status`. runF replaces the run function in
// tests of flag handling; nil reports.
func NewCmdStatus(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "status --mesh ID [--cluster ID]",
		Short: "Show both links of each connected cluster and whether they work",
		Long: `Show the ASMPvlConfig's status: for each connected ACK cluster, link A (ASM
control plane to the ACK API server) and link B (ACK data plane to ASM Pilot)
with their endpoints, endpoint services, states and domain, cross-checked
with the PrivateLink APIs; the overall status; the cluster's state in the
mesh; and the causes asmlink diagnoses (still provisioning, zone rule,
PrivateLink not activated, quota, missing SAN).

Health is what the status and the PrivateLink APIs say together: a link
whose status says Active and Connected while PrivateLink does not agree is
"settling", never up; a Failed state is a failure, never waited for.

--wait (or --wait=running) waits until both links of every cluster are up
and every cluster is running in the mesh; --wait=available only until the
links are up. It goes on through causes that settle by themselves, saying
on stderr how long it has waited and what for, and ends early, exit 3, on a
cause only a person can fix once it has held for --grace (default 1m),
naming the cause and its fix. --timeout (default 15m) bounds the wait.
--watch follows changes until interrupted: a full view on a terminal, one
line per change otherwise (one JSON object per line with -o json).

With -o json the report is:
  {"meshId", "clusterId", "ready": bool, "status": "Available"|..., "available": bool,
   "settled": bool, "pending": [...], "failures": [...], "clusters": [{"clusterId", "inSpec",
   "linkA": {...}, "linkB": {...}, "meshState", "meshError", "health", "healthy",
   "running", "pending"}],
   "diagnoses": [{"code", "severity", "clusterId", "link", "message", "details",
   "hint", "fix", "wait", "terminal", "docURL"}],
   "proof": [{"code": "PVL147"|"PVL148", "status", "message", "details", ...}],
   "verdict": {"ok", "summary", "next"}}

With -f FILE (the file a GitOps tool applies) status adds one line saying
whether the live object drifted from it, as asmlink diff counts it; the exit
status does not change.

The proof is the cloud's own word: PVL147 reads istiod's sync state of
every sidecar proxy (DescribeServiceMeshProxyStatus) and proves a cluster's
link B when one of its proxies is SYNCED; PVL148 reports the mesh's load
balancers, EIPs and security group (DescribeServiceMeshAdditionalStatus),
which is reported, not proven. Neither changes the exit status.

Exit status: 0 what was asked is reached (without --wait: Available and
running), 3 not (with --wait: a cause only a person can fix held for
--grace), 124 --wait timed out (after printing the last state and cause),
4 credentials.`,
		Example: `  asmlink status --mesh d564b858f9a3e247cb2c083eb8cb37f0
  asmlink status --mesh MESH --cluster CLUSTER --wait --timeout 10m
  asmlink status --mesh MESH --wait=available --grace 2m
  asmlink status --mesh MESH --watch -o json | jq .status`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputJSON, cmdutil.OutputYAML); err != nil {
				return err
			}
			opts.Output = f.Options.Output
			switch {
			case opts.MeshID == "":
				return cmdutil.UsageErrorf("--mesh is required: the name or ID of the ASM instance")
			case opts.Watch && opts.Wait != flow.WaitNone:
				return cmdutil.UsageErrorf("--watch and --wait cannot be combined: --watch follows changes, --wait stops when all is well")
			case opts.Timeout <= 0:
				return cmdutil.UsageErrorf("--timeout must be positive, e.g. 15m")
			case opts.Grace <= 0:
				return cmdutil.UsageErrorf("--grace must be positive, e.g. 1m")
			case opts.File != "" && (opts.Watch || opts.Wait != flow.WaitNone):
				return cmdutil.UsageErrorf("-f reports drift once: it cannot be combined with --watch or --wait")
			}
			if runF != nil {
				return runF(opts)
			}
			return RunStatus(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.MeshID, "mesh", "", "name or ID of the ASM instance")
	cmd.Flags().StringVar(&opts.ClusterID, "cluster", "", "show only this ACK cluster (name or ID)")
	cmd.Flags().BoolVar(&opts.Watch, "watch", false, "follow changes until interrupted")
	cmd.Flags().StringVarP(&opts.File, "filename", "f", "", "also say, on one line, whether the live object drifted from this file (asmlink diff shows each entry)")
	cmdutil.BindWait(cmd, &opts.Wait, &opts.Timeout, &opts.Grace)
	return cmd
}

// Report is the status as -o json and yaml write it.
type Report struct {
	MeshID    string `json:"meshId"`
	ClusterID string `json:"clusterId,omitempty"`
	// Ready tells whether the status is Available with both links of every
	// (or the chosen) cluster healthy and the cluster running in the mesh:
	// the exit status is 0 exactly then.
	Ready bool `json:"ready"`
	render.LinkReport
	Diagnoses []render.Diagnosis `json:"diagnoses"`
	// Proof is what the cloud itself says about the links: istiod's proxy
	// sync per cluster (PVL147, proves link B) and the mesh's load
	// balancers and security group (PVL148, only reported). Not read while
	// --wait polls; the last report has it.
	Proof []render.CheckResult `json:"proof"`
	// Verdict is the closing line: all well or not, counted, and the
	// command to run next.
	Verdict render.Verdict `json:"verdict"`
	// Drift is the live object against -f FILE; absent without -f. It
	// does not change the exit status.
	Drift *Drift `json:"drift,omitempty"`

	state flow.LinkState
	proof []flow.Result
}

// observer reads the status again and again: the live object from the API
// server, the mesh's clusters and PrivateLink from the cloud.
type observer struct {
	opts *Options
	l    *session.Session
}

func (o *observer) observe(ctx context.Context) (Report, error) {
	cfg, err := o.l.Server.Get(ctx)
	if err != nil {
		return Report{}, err
	}
	return o.observeConfig(ctx, cfg)
}

func (o *observer) observeConfig(ctx context.Context, cfg *spec.ASMPvlConfig) (Report, error) {
	obs, err := o.l.Observe(ctx, cfg, "")
	if err != nil {
		return Report{}, err
	}
	rep := newReport(o.opts.MeshID, o.opts.ClusterID, flow.NewLinkState(obs, o.opts.ClusterID))
	o.prove(ctx, &rep, cfg)
	return rep, nil
}

// prove adds the cloud-side proof of the links to rep.
func (o *observer) prove(ctx context.Context, rep *Report, cfg *spec.ASMPvlConfig) {
	if cfg == nil {
		return
	}
	p := flow.ObserveProof(ctx, o.l.API, o.opts.MeshID, cfg.ClusterIDs())
	rep.proof = flow.ProofResults(ctx, cfg, p, o.opts.ClusterID)
	for _, r := range rep.proof {
		rep.Proof = append(rep.Proof, render.NewCheckResult(r))
	}
}

// newReport builds the report of a state. Ready is what status without
// --wait exits 0 on: Available, every (or the chosen) cluster of the spec
// up and running in the mesh, and at least one cluster.
func newReport(meshID, clusterID string, s flow.LinkState) Report {
	target := flow.WaitTarget{Mode: flow.WaitRunning, ClusterID: clusterID, RequireCluster: true}
	return Report{
		MeshID: meshID, ClusterID: clusterID, Ready: s.Reached(target),
		LinkReport: render.NewLinkReport(s.View), Diagnoses: render.NewDiagnoses(s.Diagnoses), Proof: []render.CheckResult{},
		Verdict: render.LinkVerdict(s, target, meshID), state: s,
	}
}

// RunStatus reports once, waits or watches.
func RunStatus(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	if err := cmdutil.ResolveNames(ctx, f, &opts.MeshID, &opts.ClusterID); err != nil {
		return err
	}
	api, err := f.Cloud(ctx)
	if err != nil {
		return err
	}
	cmdutil.AnnounceIdentity(f.IO.ErrOut, api.Identity())
	l, err := session.Load(ctx, api, opts.MeshID, f.Server)
	if err != nil {
		return err
	}
	o := &observer{opts: opts, l: l}
	switch {
	case opts.Wait != flow.WaitNone:
		target := flow.WaitTarget{Mode: opts.Wait, ClusterID: opts.ClusterID, RequireCluster: true}
		last, err := cmdutil.WaitLinks(ctx, f, o.l, target, cmdutil.WaitOptions{Timeout: opts.Timeout, Grace: opts.Grace, Interval: opts.Interval})
		if last != nil {
			rep := newReport(opts.MeshID, opts.ClusterID, *last)
			if cfg, gerr := o.l.Server.Get(ctx); gerr == nil {
				o.prove(ctx, &rep, cfg)
			}
			if werr := write(f, opts.Output, rep); werr != nil {
				return werr
			}
		}
		return err
	case opts.Watch:
		return o.watch(ctx)
	}
	rep, err := o.observe(ctx)
	if err != nil {
		return err
	}
	if opts.File != "" {
		if rep.Drift, err = drift(ctx, f, opts); err != nil {
			return err
		}
	}
	if err := write(f, opts.Output, rep); err != nil {
		return err
	}
	if opts.ClusterID != "" {
		if _, ok := rep.state.View.Cluster(opts.ClusterID); !ok {
			return cmdutil.WithCode(cmdutil.ExitChecks, fmt.Errorf("cluster %s is not in ASMPvlConfig %s of mesh %s", opts.ClusterID, spec.Name, opts.MeshID))
		}
	}
	return exit(rep)
}

// exit is 0 when the report is ready, 3 otherwise.
func exit(r Report) error {
	if r.Ready {
		return nil
	}
	return cmdutil.SilentExit(cmdutil.ExitChecks)
}

// write prints a report on stdout in the chosen format; text ends with
// the verdict line.
func write(f *cmdutil.Factory, format string, r Report) error {
	switch format {
	case cmdutil.OutputJSON:
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case cmdutil.OutputYAML:
		data, err := yaml.Marshal(r)
		if err != nil {
			return err
		}
		_, err = f.IO.Out.Write(data)
		return err
	}
	st := styles.New(f.Color(f.IO.IsStdoutTTY()))
	out := render.Links(st, 0, r.state.View)
	if len(r.state.Diagnoses) > 0 {
		out += "\n" + render.Diagnoses(st, 0, r.state.Diagnoses)
	}
	if len(r.proof) > 0 {
		out += "\n" + render.Checks(st, 0, r.proof, render.CheckOptions{})
	}
	out += "\n" + render.VerdictLine(st, 0, r.Verdict)
	if d := r.Drift; d != nil {
		out += spec.Printable(fmt.Sprintf("Drift against %s: %s (asmlink diff -f %s shows each entry).", d.File, d.Summary, d.File)) + "\n"
	}
	_, err := fmt.Fprint(f.IO.Out, out)
	return err
}

// Drift is the one-line drift summary of status -f.
type Drift struct {
	File    string `json:"file"`
	Drifted int    `json:"drifted"`
	Summary string `json:"summary"`
}

// drift compares the live object with -f FILE as asmlink diff does,
// the file's field manager taken from its annotations.
func drift(ctx context.Context, f *cmdutil.Factory, opts *Options) (*Drift, error) {
	file, err := cmdutil.ReadConfig(ctx, f.IO, "-f", opts.File)
	if err != nil {
		return nil, err
	}
	c, err := f.Kube(ctx, opts.MeshID)
	if err != nil {
		return nil, err
	}
	live, owners, err := c.Owners(ctx)
	if err != nil {
		return nil, err
	}
	entries := spec.Drift(file, live, owners, spec.ManagerOf(file))
	return &Drift{File: opts.File, Drifted: spec.Drifted(entries), Summary: spec.DriftSummary(entries)}, nil
}

// watch follows the object until ctx ends: on a terminal it redraws the
// whole view on each change, otherwise it prints one line (or one JSON
// object) per change. It ends with the exit status of the last state.
func (o *observer) watch(ctx context.Context) error {
	f := o.opts.Factory
	tty := f.IO.IsStdoutTTY() && o.opts.Output == cmdutil.OutputText
	var last Report
	lastLine := ""
	// While the API server cannot be reached, each retry says since when;
	// a cloud read that fails is retried with backoff, not left until the
	// object changes again.
	updates := o.l.Server.Watch(ctx)
	var (
		unreachable time.Time
		pending     *spec.ASMPvlConfig
		retry       <-chan time.Time
		backoff     = watchRetryMin
	)
	for {
		var cfg *spec.ASMPvlConfig
		select {
		case u, open := <-updates:
			if !open {
				return exit(last)
			}
			if u.Err != nil {
				if unreachable.IsZero() {
					unreachable = time.Now()
				}
				fmt.Fprintf(f.IO.ErrOut, "API server unreachable since %s, retrying: %s\n", unreachable.UTC().Format(time.RFC3339), spec.Printable(u.Err.Error()))
				continue
			}
			if !unreachable.IsZero() {
				fmt.Fprintf(f.IO.ErrOut, "API server reachable again after %s.\n", time.Since(unreachable).Round(time.Second))
				unreachable = time.Time{}
			}
			cfg, retry = u.Config, nil
		case <-retry:
			cfg, retry = pending, nil
		}
		rep, err := o.observeConfig(ctx, cfg)
		if err != nil {
			if ctx.Err() != nil {
				return exit(last)
			}
			fmt.Fprintf(f.IO.ErrOut, "Reading the cloud failed, retrying in %s: %s\n", backoff, spec.Printable(err.Error()))
			pending, retry = cfg, time.After(backoff)
			backoff = min(2*backoff, watchRetryMax)
			continue
		}
		backoff = watchRetryMin
		last = rep
		line := render.LinkLine(rep.state.View)
		if line == lastLine {
			continue
		}
		lastLine = line
		switch {
		case o.opts.Output == cmdutil.OutputJSON:
			data, err := json.Marshal(rep)
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.Out, "%s\n", data)
		case tty:
			fmt.Fprint(f.IO.Out, "\x1b[H\x1b[2J")
			if err := write(f, cmdutil.OutputText, rep); err != nil {
				return err
			}
		default:
			fmt.Fprintf(f.IO.Out, "%s %s\n", time.Now().UTC().Format(time.RFC3339), line)
		}
	}
}

// watchRetryMin and watchRetryMax bound the backoff of --watch after a
// failed cloud read.
const (
	watchRetryMin = 2 * time.Second
	watchRetryMax = 30 * time.Second
)
