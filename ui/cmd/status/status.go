// Package status is `asmlink status`: both links of each connected
// cluster, the overall status, and each cluster's state in the mesh,
// cross-checked with the PrivateLink APIs, with the causes flow diagnoses.
package status

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
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
	Wait      bool
	Timeout   time.Duration
	Output    string
	// Interval is the first pause between polls of --wait; 0 is flow's
	// default. Tests shorten it.
	Interval time.Duration
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

--wait waits until everything is Available and every cluster is running
(--timeout, default 15m). --watch follows changes until interrupted: a full
view on a terminal, one line per change otherwise (one JSON object per line
with -o json).

With -o json the report is:
  {"meshId", "clusterId", "ready": bool, "status": "Available"|..., "available": bool,
   "settled": bool, "pending": [...], "clusters": [{"clusterId", "inSpec", "linkA": {...},
   "linkB": {...}, "meshState", "meshError", "healthy", "running", "pending"}],
   "diagnoses": [{"code", "severity", "clusterId", "link", "message", "details",
   "hint", "fix", "wait", "docURL"}]}

Exit status: 0 Available and running, 3 not (yet), 124 --wait timed out
(after printing the last state and cause), 4 credentials.`,
		Example: `  asmlink status --mesh d564b858f9a3e247cb2c083eb8cb37f0
  asmlink status --mesh MESH --cluster CLUSTER --wait --timeout 10m
  asmlink status --mesh MESH --watch -o json | jq .status`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputJSON, cmdutil.OutputYAML); err != nil {
				return err
			}
			opts.Output = f.Options.Output
			switch {
			case opts.MeshID == "":
				return cmdutil.UsageErrorf("--mesh is required: the ID of the ASM instance")
			case opts.Watch && opts.Wait:
				return cmdutil.UsageErrorf("--watch and --wait cannot be combined: --watch follows changes, --wait stops when all is well")
			case opts.Timeout <= 0:
				return cmdutil.UsageErrorf("--timeout must be positive, e.g. 15m")
			}
			if runF != nil {
				return runF(opts)
			}
			return RunStatus(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.MeshID, "mesh", "", "ID of the ASM instance")
	cmd.Flags().StringVar(&opts.ClusterID, "cluster", "", "show only this ACK cluster")
	cmd.Flags().BoolVar(&opts.Watch, "watch", false, "follow changes until interrupted")
	cmd.Flags().BoolVar(&opts.Wait, "wait", false, "wait until Available and running")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 15*time.Minute, "how long --wait waits")
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

	view      flow.LinkView
	diagnoses []flow.Diagnosis
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
	rep := Report{MeshID: o.opts.MeshID, ClusterID: o.opts.ClusterID}
	rep.view = flow.Links(cfg, obs.EndpointServices, obs.Endpoints, obs.MeshClusters)
	rep.diagnoses = flow.Diagnose(obs)
	if id := o.opts.ClusterID; id != "" {
		rep.view.Clusters = slices.DeleteFunc(rep.view.Clusters, func(c flow.ClusterLinks) bool { return c.ClusterID != id })
		rep.diagnoses = slices.DeleteFunc(rep.diagnoses, func(d flow.Diagnosis) bool { return d.ClusterID != "" && d.ClusterID != id })
	}
	rep.LinkReport = render.NewLinkReport(rep.view)
	rep.Diagnoses = render.NewDiagnoses(rep.diagnoses)
	rep.Ready = ready(rep.view, o.opts.ClusterID)
	return rep, nil
}

// ready tells whether the view is Available and every cluster of the spec
// (or the chosen one, which must be in it) is running in the mesh.
func ready(v flow.LinkView, clusterID string) bool {
	if cfgAvailable := v.Available(); !cfgAvailable || len(v.Clusters) == 0 {
		return false
	}
	for _, c := range v.Clusters {
		if clusterID != "" && !c.InSpec {
			return false
		}
		if c.InSpec && c.MeshState != "running" {
			return false
		}
	}
	return true
}

// cause says in one line why a report is not ready.
func (r Report) cause() string {
	if r.Status == "" && len(r.Clusters) == 0 {
		return "no ASMPvlConfig connects a cluster"
	}
	var parts []string
	for _, d := range r.diagnoses {
		if d.Severity != spec.Info || d.Wait != "" {
			parts = append(parts, string(d.Code)+" "+d.Message)
		}
	}
	if len(parts) == 0 {
		return render.LinkLine(r.view)
	}
	return strings.Join(parts, "; ")
}

// RunStatus reports once, waits or watches.
func RunStatus(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	api, err := f.Cloud(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "Using %s.\n", flow.DescribeIdentity(api.Identity()))
	l, err := session.Load(ctx, api, opts.MeshID, f.Server)
	if err != nil {
		return err
	}
	o := &observer{opts: opts, l: l}
	switch {
	case opts.Wait:
		return o.wait(ctx)
	case opts.Watch:
		return o.watch(ctx)
	}
	rep, err := o.observe(ctx)
	if err != nil {
		return err
	}
	if err := write(f, opts.Output, rep); err != nil {
		return err
	}
	if opts.ClusterID != "" {
		if _, ok := rep.view.Cluster(opts.ClusterID); !ok {
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

// write prints a report on stdout in the chosen format.
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
	out := render.Links(st, 0, r.view)
	if len(r.diagnoses) > 0 {
		out += "\n" + render.Diagnoses(st, 0, r.diagnoses)
	}
	_, err := fmt.Fprint(f.IO.Out, out)
	return err
}

// wait polls until ready with flow's wait; on timeout it prints the last
// report and names the last cause, exiting 124.
func (o *observer) wait(ctx context.Context) error {
	f := o.opts.Factory
	var last Report
	seen := false
	lastLine := ""
	err := flow.Wait(ctx, "mesh "+o.opts.MeshID+" to be Available with every cluster running", flow.WaitOptions{
		Interval: o.opts.Interval, Timeout: o.opts.Timeout,
		Observe: func(a flow.Attempt) {
			if a.State != "" && a.State != lastLine {
				lastLine = a.State
				fmt.Fprintf(f.IO.ErrOut, "Waiting: %s\n", a.State)
			}
		},
	}, func(ctx context.Context) (bool, string, error) {
		rep, err := o.observe(ctx)
		if err != nil {
			return false, "", err
		}
		last, seen = rep, true
		if rep.Ready {
			return true, render.LinkLine(rep.view), nil
		}
		return false, rep.cause(), nil
	})
	var te *flow.TimeoutError
	if errors.As(err, &te) {
		if seen {
			if werr := write(f, o.opts.Output, last); werr != nil {
				return werr
			}
		}
		return cmdutil.WithCode(cmdutil.ExitTimeout, err)
	}
	if err != nil {
		return err
	}
	return write(f, o.opts.Output, last)
}

// watch follows the object until ctx ends: on a terminal it redraws the
// whole view on each change, otherwise it prints one line (or one JSON
// object) per change. It ends with the exit status of the last state.
func (o *observer) watch(ctx context.Context) error {
	f := o.opts.Factory
	tty := f.IO.IsStdoutTTY() && o.opts.Output == cmdutil.OutputText
	var last Report
	lastLine := ""
	for u := range o.l.Server.Watch(ctx) {
		if u.Err != nil {
			fmt.Fprintf(f.IO.ErrOut, "Watch interrupted, reconnecting: %v\n", u.Err)
			continue
		}
		rep, err := o.observeConfig(ctx, u.Config)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			fmt.Fprintf(f.IO.ErrOut, "Reading the cloud failed, will retry on the next change: %v\n", err)
			continue
		}
		last = rep
		line := render.LinkLine(rep.view)
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
	return exit(last)
}
