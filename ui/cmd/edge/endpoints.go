package edge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/edgewizard"
	"github.com/asmlink/asmlink/ui/prompt"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
)

// EndpointsOptions are the inputs of `asmlink edge endpoints`.
type EndpointsOptions struct {
	Factory *cmdutil.Factory

	ClusterID       string
	ACRService      string
	ACKService      string
	VSwitchIDs      []string
	SecurityGroupID string
	OnPremCIDRs     []string

	DryRun  bool
	Yes     bool
	Timeout time.Duration
	// Interval is the first pause between polls of the wait; 0 is flow's
	// default. Tests shorten it.
	Interval time.Duration
	// Output is text or json.
	Output string
}

// NewCmdEndpoints builds `asmlink edge endpoints`. runF replaces the run
// function in tests of flag handling; nil runs it.
func NewCmdEndpoints(f *cmdutil.Factory, runF func(*EndpointsOptions) error) *cobra.Command {
	opts := &EndpointsOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "endpoints --cluster ID",
		Short: "Create PrivateLink endpoints for ACR and the ACK control plane, and print the DNS records edge nodes need",
		Long: `Create the PrivateLink interface endpoints that give an ACK Edge cluster's
on-premises nodes stable private addresses for the system Container Registry
(ACR) and the ACK control plane, in the cluster's VPC.

The endpoint services are found among those visible to the account
(ListVpcEndpointServicesByEndUser), or named with --acr-service and
--ack-service (the ID or name support gave you: PrivateLink for ACR and ACK is
offered to whitelisted accounts). The zones each service serves are matched
against the VPC's vSwitches and one vSwitch per shared zone is picked (the
cluster's own first, then the one with the most free IPs), or use --vswitch.
A service that serves no zone of the VPC stops the command with the vSwitch to
create (zone, VPC and a free CIDR block).

The endpoints are created (an endpoint to the same service already in the VPC
is used as it is), then asmlink waits until they are Active and Connected
(--timeout) and prints each zone's IP, the CNAME records for the on-premises
DNS as a zone-file snippet, and a hosts-file alternative with the zone IPs.
--onprem-cidr blocks are checked against 100.64.0.0/10 and the cluster's VPC,
pod and Service CIDRs (warnings PVL310-PVL313).

Creating endpoints changes the cloud: without a terminal --yes is required.
--dry-run has the cloud check every creation and creates nothing. On a
terminal with no flags at all, asmlink asks for the cluster and the rest.

Exit status: 0 done, 2 bad flags or no terminal without --yes, 3 a check
failed (services not found, no shared zone, PrivateLink off), 4 credentials or
permission, 124 the endpoints did not become Active and Connected in time,
130 declined.`,
		Example: `  asmlink edge endpoints --cluster c8d41bed440e50454f31af3176813e02e --onprem-cidr 10.8.0.0/16 --dry-run
  asmlink edge endpoints --cluster CLUSTER --acr-service epsrv-… --ack-service epsrv-… --yes
  asmlink edge endpoints --cluster CLUSTER --yes -o json | jq -r .dns.zoneFile`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputJSON); err != nil {
				return err
			}
			opts.Output = f.Options.Output
			if opts.Timeout <= 0 {
				return cmdutil.UsageErrorf("--timeout must be positive, e.g. 10m")
			}
			if opts.ClusterID == "" && (cmd.Flags().NFlag() > 0 || !f.IO.CanPrompt()) {
				return cmdutil.UsageErrorf("`--cluster` is required when not running interactively: the ID of the ACK Edge cluster whose VPC gets the endpoints")
			}
			if runF != nil {
				return runF(opts)
			}
			return runEndpoints(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.ClusterID, "cluster", "", "name or ID of the ACK Edge cluster; the endpoints go into its VPC")
	fl.StringVar(&opts.ACRService, "acr-service", "", "ID or name of the ACR endpoint service (default: found by name)")
	fl.StringVar(&opts.ACKService, "ack-service", "", "ID or name of the ACK control-plane endpoint service (default: found by name)")
	fl.StringSliceVar(&opts.VSwitchIDs, "vswitch", nil, "vSwitch of the cluster's VPC for the endpoints, one per zone (repeat; default: picked per zone)")
	fl.StringVar(&opts.SecurityGroupID, "security-group", "", "security group of the endpoints' network interfaces (default: the cluster's)")
	fl.StringSliceVar(&opts.OnPremCIDRs, "onprem-cidr", nil, "CIDR block of the data center's edge nodes, checked for overlaps (repeat or comma-separate)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "have the cloud check each creation and create nothing")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "create without asking (required without a terminal)")
	fl.DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "how long to wait for the endpoints to be Active and Connected")
	return cmd
}

func runEndpoints(ctx context.Context, opts *EndpointsOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	api, err := edgeAPI(ctx, f)
	if err != nil {
		return err
	}
	if err := cmdutil.ResolveNames(ctx, f, nil, &opts.ClusterID); err != nil {
		return err
	}
	if opts.ClusterID == "" {
		if err := askInputs(ctx, opts, api, f.Prompter()); err != nil {
			return err
		}
	}
	onPrem, err := flow.ParseOnPremCIDRs(opts.OnPremCIDRs)
	if err != nil {
		return usage(err)
	}
	id := api.Identity()
	fmt.Fprintf(f.IO.ErrOut, "Using %s in region %s; listing cluster %s, its VPC and the endpoint services…\n", describeIdentity(id), id.Region, opts.ClusterID)
	facts, err := flow.LoadEdgeFacts(ctx, api, opts.ClusterID)
	if err != nil {
		return err
	}
	plan, err := flow.PlanEdge(facts, flow.EdgeRequest{
		Services:        map[flow.EdgeService]string{flow.EdgeACR: opts.ACRService, flow.EdgeACK: opts.ACKService},
		VSwitchIDs:      opts.VSwitchIDs,
		SecurityGroupID: opts.SecurityGroupID,
		OnPremCIDRs:     onPrem,
	})
	if err != nil {
		return usage(err)
	}
	rep := newReport(plan, opts.DryRun)
	if opts.Output == cmdutil.OutputText {
		st := styles.New(f.Color(f.IO.IsStderrTTY()))
		fmt.Fprint(f.IO.ErrOut, render.Checks(st, 0, plan.Results, render.CheckOptions{}))
	}
	if !plan.Ready() {
		return finish(opts, rep, cmdutil.SilentExit(cmdutil.ExitChecks))
	}

	toCreate := 0
	for _, ep := range plan.Endpoints {
		if ep.Existing == nil {
			toCreate++
		}
	}
	if toCreate > 0 && !opts.DryRun {
		fmt.Fprint(f.IO.ErrOut, spec.PrintableLines(planText(plan)))
		question := fmt.Sprintf("Create %d interface endpoint(s) in VPC %s? (PrivateLink bills each endpoint)", toCreate, plan.VPC.ID)
		if err := f.Confirm(ctx, question, opts.Yes); err != nil {
			return err
		}
	}
	outcomes, err := flow.CreateEdgeEndpoints(ctx, api, plan, flow.EdgeApplyOptions{
		DryRun: opts.DryRun,
		Wait: flow.WaitOptions{Interval: opts.Interval, Timeout: opts.Timeout, Observe: func(a flow.Attempt) {
			if a.State != "" && !a.Done {
				fmt.Fprintf(f.IO.ErrOut, "waiting (%s): %s\n", a.Elapsed.Round(time.Second), a.State)
			}
		}},
		Created: func(ep flow.EdgeEndpoint, e cloud.Endpoint) {
			fmt.Fprintf(f.IO.ErrOut, "created %s endpoint %s\n", ep.Service.Title(), e.ID)
		},
	})
	rep.fill(plan, outcomes)
	if err != nil {
		if created := rep.createdIDs(); len(created) > 0 {
			err = fmt.Errorf("%w\nendpoints created so far: %s; run the same command again to wait for them (they are used, not created twice)", err, strings.Join(created, ", "))
		}
		return err
	}
	return finish(opts, rep, nil)
}

// edgeAPI returns the cloud client with the edge endpoint calls.
func edgeAPI(ctx context.Context, f *cmdutil.Factory) (cloud.EdgeAPI, error) {
	api, err := f.Cloud(ctx)
	if err != nil {
		return nil, err
	}
	edge, ok := api.(cloud.EdgeAPI)
	if !ok {
		return nil, errors.New("this cloud client cannot list or create PrivateLink endpoints for edge clusters")
	}
	return edge, nil
}

// askInputs runs the edge wizard on the terminal and takes its answers as
// if they had been given as flags.
func askInputs(ctx context.Context, opts *EndpointsOptions, api cloud.EdgeAPI, p *prompt.Prompter) error {
	a, err := edgewizard.Ask(ctx, p, api)
	if err != nil {
		return err
	}
	opts.ClusterID, opts.ACRService, opts.ACKService, opts.OnPremCIDRs = a.ClusterID, a.ACRService, a.ACKService, a.OnPremCIDRs
	return nil
}

// usage turns a flow usage error into exit code 2.
func usage(err error) error {
	var ue *flow.EdgeUsageError
	if errors.As(err, &ue) {
		return cmdutil.WithCode(cmdutil.ExitUsage, err)
	}
	return err
}

func describeIdentity(id cloud.Identity) string {
	if id.Profile != "" {
		return id.Provider + " profile " + id.Profile
	}
	return id.Provider
}

// finish writes the report on stdout and returns ret.
func finish(opts *EndpointsOptions, rep *Report, ret error) error {
	out := opts.Factory.IO.Out
	if opts.Output == cmdutil.OutputJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
		return ret
	}
	if rep.Ready {
		if _, err := io.WriteString(out, spec.PrintableLines(reportText(rep))); err != nil {
			return err
		}
	}
	return ret
}
