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
	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/spec/gateway"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// GatewayOptions are the inputs of `asmlink edge gateway`.
type GatewayOptions struct {
	Factory *cmdutil.Factory

	MeshID, ClusterID, Name string
	CLBType, CLBID, CLBSpec string
	OverrideListeners       bool
	Ports                   []string
	Replicas                int

	DryRun, Yes, Force bool
	Timeout            time.Duration
	// Interval is the first pause between polls of the wait; 0 is flow's
	// default. Tests shorten it.
	Interval time.Duration
	Output   string
}

// NewCmdGateway builds `asmlink edge gateway`. runF replaces the run
// function in tests of flag handling; nil runs it.
func NewCmdGateway(f *cmdutil.Factory, runF func(*GatewayOptions) error) *cobra.Command {
	opts := &GatewayOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "gateway --mesh MESH --cluster CLUSTER",
		Short: "Create or update an ingress gateway for an edge cluster of a mesh, and wait until it has an address",
		Long: `Create or update an ASM ingress gateway (the IstioGateway resource in
istio-system of the ASM instance's API server) for an ACK Edge cluster of the
mesh: step 3 of "Manage applications in ACK edge clusters".

The gateway's Service gets a CLB: --clb-type internet (Internet Access, the
default) or intranet (Private Access), new, or an existing one with --clb-id
(its listeners on the gateway's ports are kept unless --override-listeners).
Ports are --port [NAME=]PORT[:TARGETPORT][/PROTOCOL], repeatable; the target
port is the port unless given, as ASM recommends. Without --port a new gateway
gets Istio's two default ports, 80 (http2) and 443 (https), and an existing one
keeps its ports. An existing gateway keeps its other clusters and every field
asmlink does not set.

On a terminal, asmlink asks for the ASM instance and the edge cluster when
--mesh or --cluster is not given.

asmlink then waits until ASM reports the gateway running in the cluster
(--timeout) and prints its address. --dry-run has the API server check the
resource and prints it on stdout as YAML, for a GitOps review, changing
nothing.

Exit status: 0 done, 2 bad flags (clashing or malformed ports) or no terminal
without --yes, 3 refused (unknown cluster, not in the mesh, not an edge
cluster, a port another gateway on the CLB uses, a field another tool owns) or
ASM failed to deploy it, 4 credentials or permission, 124 not running in time,
130 declined.`,
		Example: `  asmlink edge gateway --mesh 569969e58b081006f7e3dfc967a64cb1 --cluster c8d41bed440e50454f31af3176813e02e --dry-run
  asmlink edge gateway --mesh MESH --cluster CLUSTER --clb-type intranet --port 80 --port 443 --port mqtt=1883 --yes
  asmlink edge gateway --mesh MESH --cluster CLUSTER --clb-type internet --clb-id lb-bp1edgegwpublic00001 --yes -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputJSON); err != nil {
				return err
			}
			opts.Output = f.Options.Output
			// Without a terminal there is no one to ask, so every missing
			// target flag is named at once, as plan and remove do.
			if !f.IO.CanPrompt() {
				if err := cmdutil.Required(cmdutil.Flag{Name: "--mesh", Value: opts.MeshID, What: "the name or ID of the ASM instance (`aliyun servicemesh DescribeServiceMeshes` lists them)"},
					cmdutil.Flag{Name: "--cluster", Value: opts.ClusterID, What: "the name or ID of the ACK Edge cluster of the mesh that runs the gateway"}); err != nil {
					return err
				}
			}
			if opts.Timeout <= 0 {
				return cmdutil.UsageErrorf("--timeout must be positive, e.g. 10m")
			}
			if runF != nil {
				return runF(opts)
			}
			return runGateway(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.MeshID, "mesh", "", "name or ID of the ASM instance")
	fl.StringVar(&opts.ClusterID, "cluster", "", "name or ID of the ACK Edge cluster of the mesh that runs the gateway")
	fl.StringVar(&opts.Name, "name", gateway.DefaultName, "name of the gateway in istio-system")
	fl.StringVar(&opts.CLBType, "clb-type", "", "internet (Internet Access) or intranet (Private Access); default internet for a new gateway")
	fl.StringVar(&opts.CLBID, "clb-id", "", "an existing CLB instance to use (lb-…) instead of creating one")
	fl.BoolVar(&opts.OverrideListeners, "override-listeners", false, "let ASM replace the existing CLB's listeners on the gateway's ports")
	fl.StringVar(&opts.CLBSpec, "clb-spec", "", "specification of a new CLB, e.g. slb.s1.small")
	fl.StringSliceVar(&opts.Ports, "port", nil, "port mapping [NAME=]PORT[:TARGETPORT][/PROTOCOL] (repeat; default 80 and 443)")
	fl.IntVar(&opts.Replicas, "replicas", 0, "gateway replicas (default 1, or the live gateway's)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "have the API server check the gateway and print it as YAML; change nothing")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "apply without asking (required without a terminal)")
	fl.BoolVar(&opts.Force, "force-conflicts", false, "take over gateway fields another tool set")
	fl.DurationVar(&opts.Timeout, "timeout", 10*time.Minute, "how long to wait for the gateway to run")
	return cmd
}

// GatewayReport is what `asmlink edge gateway` did, as -o json writes it.
type GatewayReport struct {
	MeshID    string `json:"meshId"`
	ClusterID string `json:"clusterId"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Action is created or updated.
	Action       string         `json:"action"`
	Clusters     []string       `json:"clusters"`
	CLBType      string         `json:"clbType"`
	CLBID        string         `json:"clbId,omitempty"`
	Ports        []gateway.Port `json:"ports"`
	Replicas     int            `json:"replicas"`
	Status       string         `json:"status"`
	Address      string         `json:"address"`
	LoadBalancer string         `json:"loadBalancerId,omitempty"`
	Notes        []string       `json:"notes"`
	// Pilot is how the cluster's edge nodes reach Pilot, which the
	// gateway's proxies need; absent when it could not be read.
	Pilot *flow.PilotPath `json:"pilot,omitempty"`
}

func runGateway(ctx context.Context, opts *GatewayOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	ports, err := flow.ParseGatewayPorts(opts.Ports)
	if err != nil {
		return gatewayCode(err)
	}
	api, mesh, cluster, err := edgeTarget(ctx, f, &opts.MeshID, &opts.ClusterID, "checking")
	if err != nil {
		return err
	}
	kc, err := f.Kube(ctx, opts.MeshID)
	if err != nil {
		return err
	}
	live, err := kc.Gateway(ctx, gateway.Namespace, nameOr(opts.Name))
	if err != nil {
		return gatewayCode(err)
	}
	others, err := kc.Gateways(ctx, gateway.Namespace)
	if err != nil {
		return gatewayCode(err)
	}
	plan, err := flow.PlanGateway(&flow.GatewayFacts{Mesh: mesh, Cluster: cluster, Live: live, Others: others}, flow.GatewayRequest{
		MeshID: opts.MeshID, ClusterID: opts.ClusterID, Name: opts.Name,
		CLBType: gateway.AddressType(opts.CLBType), CLBID: opts.CLBID, OverrideListeners: opts.OverrideListeners, CLBSpec: opts.CLBSpec,
		Ports: ports, Replicas: opts.Replicas,
	})
	if err != nil {
		return gatewayCode(err)
	}
	fmt.Fprint(f.IO.ErrOut, spec.PrintableLines(gatewayPlanText(plan, cluster)))
	applyOpts := kube.GatewayApplyOptions{DryRun: true, Force: opts.Force}
	if _, err := kc.ApplyGateway(ctx, plan.Desired, applyOpts); err != nil {
		return gatewayCode(err)
	}
	if opts.DryRun {
		header := fmt.Sprintf("%s %s/%s for ASM instance %s (%s), checked by its API server (dry run).\nApply it with `kubectl apply --server-side -f FILE` against the ASM instance's kubeconfig,\nor with asmlink edge gateway and the same flags without --dry-run.",
			gateway.Kind, gateway.Namespace, plan.Desired.Metadata.Name, opts.MeshID, map[bool]string{true: "a new gateway", false: "an update of the live gateway"}[plan.Create])
		out, err := plan.Desired.YAML(header)
		if err != nil {
			return err
		}
		_, err = f.IO.Out.Write(out)
		return err
	}
	verb := map[bool]string{true: "Create", false: "Update"}[plan.Create]
	if err := f.Confirm(ctx, fmt.Sprintf("%s gateway %s/%s in cluster %s? (a new CLB is billed)", verb, gateway.Namespace, plan.Desired.Metadata.Name, opts.ClusterID), opts.Yes); err != nil {
		return err
	}
	applyOpts.DryRun = false
	if _, err := kc.ApplyGateway(ctx, plan.Desired, applyOpts); err != nil {
		return gatewayCode(err)
	}
	fmt.Fprintf(f.IO.ErrOut, "%s %s %s/%s; waiting for ASM to deploy it to cluster %s…\n", map[bool]string{true: "Created", false: "Updated"}[plan.Create], gateway.Kind, gateway.Namespace, plan.Desired.Metadata.Name, opts.ClusterID)
	got, err := flow.WaitGateway(ctx, api, opts.MeshID, plan.Desired, opts.ClusterID, flow.WaitOptions{Interval: opts.Interval, Timeout: opts.Timeout, Observe: func(a flow.Attempt) {
		if a.State != "" && !a.Done {
			fmt.Fprintf(f.IO.ErrOut, "waiting (%s): %s\n", a.Elapsed.Round(time.Second), a.State)
		}
	}})
	if err != nil {
		return gatewayCode(err)
	}
	clb := gateway.CLBOf(plan.Desired.Spec.ServiceAnnotations)
	rep := GatewayReport{
		MeshID: opts.MeshID, ClusterID: opts.ClusterID, Namespace: gateway.Namespace, Name: plan.Desired.Metadata.Name,
		Action: map[bool]string{true: "created", false: "updated"}[plan.Create], Clusters: plan.Desired.Spec.ClusterIDs,
		CLBType: string(clb.Type), CLBID: clb.ID, Ports: plan.Desired.Spec.Ports, Replicas: plan.Desired.Spec.ReplicaCount,
		Status: got.Status, Address: got.Address, LoadBalancer: got.LoadBalancerID, Notes: append([]string{}, plan.Notes...),
		Pilot: pilotPath(ctx, f, api, mesh, opts.ClusterID),
	}
	return writeGatewayReport(f.IO.Out, opts.Output, rep)
}

func nameOr(name string) string {
	if name == "" {
		return gateway.DefaultName
	}
	return name
}

// dataPlaneAPI returns the cloud client with the gateway and injection calls.
func dataPlaneAPI(ctx context.Context, f *cmdutil.Factory) (cloud.DataPlaneAPI, error) {
	api, err := f.Cloud(ctx)
	if err != nil {
		return nil, err
	}
	dp, ok := api.(cloud.DataPlaneAPI)
	if !ok {
		return nil, errors.New("this cloud client cannot read the mesh's gateways or sidecar injection")
	}
	return dp, nil
}

// gatewayCode gives the errors of the gateway and injection flows their
// exit codes: bad flags 2, refusals and failures ASM reports 3, a wait
// that ran out of time 124.
func gatewayCode(err error) error {
	var (
		ue *flow.GatewayUsageError
		re *flow.GatewayRefusedError
		fe *flow.GatewayFailedError
		ce *kube.ConflictError
		ke *kube.NoGatewayKindError
		te *flow.TimeoutError
	)
	switch {
	case errors.As(err, &ue):
		return cmdutil.WithCode(cmdutil.ExitUsage, err)
	case errors.As(err, &ce):
		return cmdutil.WithCode(cmdutil.ExitChecks, fmt.Errorf("%w\nhint: another tool set these gateway fields; pass --force-conflicts to take them over, or --name for a gateway of its own", err))
	case errors.As(err, &re), errors.As(err, &fe), errors.As(err, &ke):
		return cmdutil.WithCode(cmdutil.ExitChecks, err)
	case errors.As(err, &te):
		return cmdutil.WithCode(cmdutil.ExitTimeout, err)
	}
	return err
}

// gatewayPlanText says what will be applied, on stderr.
func gatewayPlanText(p *flow.GatewayPlan, c cloud.Cluster) string {
	var b strings.Builder
	g := p.Desired
	clb := gateway.CLBOf(g.Spec.ServiceAnnotations)
	where := "a new " + string(clb.Type) + " CLB"
	if clb.ID != "" {
		where = "existing CLB " + clb.ID
	}
	fmt.Fprintf(&b, "%s gateway %s/%s for cluster %s%s, behind %s, %d replica(s):\n",
		map[bool]string{true: "New", false: "Updated"}[p.Create], g.Metadata.Namespace, g.Metadata.Name, c.ID, paren(c.Name), where, g.Spec.ReplicaCount)
	b.WriteString(portsText(g.Spec.Ports))
	for _, n := range p.Notes {
		b.WriteString("  note: " + n + "\n")
	}
	return b.String()
}

func portsText(ports []gateway.Port) string {
	var b strings.Builder
	for _, p := range ports {
		fmt.Fprintf(&b, "  port %-6d → %-6d %-4s %s\n", p.Port, p.TargetPort, p.Protocol, p.Name)
	}
	return b.String()
}

func writeGatewayReport(out io.Writer, format string, rep GatewayReport) error {
	if format == cmdutil.OutputJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Gateway %s/%s %s; ASM reports it %s in cluster %s.\n", rep.Namespace, rep.Name, rep.Action, rep.Status, rep.ClusterID)
	clb := rep.CLBType + " CLB"
	if rep.LoadBalancer != "" {
		clb += " " + rep.LoadBalancer
	}
	fmt.Fprintf(&b, "Address: %s (%s)\n", rep.Address, clb)
	b.WriteString(portsText(rep.Ports))
	for _, n := range rep.Notes {
		b.WriteString("note: " + n + "\n")
	}
	if rep.Pilot != nil {
		b.WriteString("\n" + rep.Pilot.Text())
	}
	_, err := io.WriteString(out, spec.PrintableLines(b.String()))
	return err
}
