package edge

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

// InjectOptions are the inputs of `asmlink edge inject`.
type InjectOptions struct {
	Factory *cmdutil.Factory

	MeshID, ClusterID string
	Enable, Disable   []string
	Yes               bool
	Output            string
}

// NewCmdInject builds `asmlink edge inject`. runF replaces the run
// function in tests of flag handling; nil runs it.
func NewCmdInject(f *cmdutil.Factory, runF func(*InjectOptions) error) *cobra.Command {
	opts := &InjectOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "inject --mesh MESH --cluster CLUSTER [--enable NS]... [--disable NS]...",
		Short: "Show and change automatic sidecar injection of an edge cluster's namespaces, and say which workloads need a restart",
		Long: `Show which namespaces of an ACK Edge cluster of the mesh get sidecars
automatically, and turn injection on (--enable) or off (--disable) for chosen
namespaces through the ASM instance: step 4 of "Manage applications in ACK
edge clusters".

ASM sets injection per global namespace (UpdateIstioInjectionConfig) and
synchronises the istio-injection label to the namespace of that name in every
cluster of the mesh; the mesh's injection policy decides namespaces without a
label. asmlink reads the namespaces back to check that each change took
effect. A sidecar is added when a pod is created, so every workload of a
changed namespace needs a restart: asmlink lists them with the command that
restarts each.

On a terminal, asmlink asks for the ASM instance and the edge cluster when
--mesh or --cluster is not given.

Without --enable or --disable nothing is changed. A change needs --yes when
not on a terminal.

Exit status: 0 done, 2 bad flags or no terminal without --yes, 3 refused (an
unknown cluster, not in the mesh, not an edge cluster, a namespace that does
not exist) or a change that did not take effect, 4 credentials or
permission, 130 declined.`,
		Example: `  asmlink edge inject --mesh 569969e58b081006f7e3dfc967a64cb1 --cluster c8d41bed440e50454f31af3176813e02e
  asmlink edge inject --mesh MESH --cluster CLUSTER --enable iot --yes
  asmlink edge inject --mesh MESH --cluster CLUSTER --disable shop --yes -o json`,
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
					cmdutil.Flag{Name: "--cluster", Value: opts.ClusterID, What: "the name or ID of the ACK Edge cluster of the mesh whose namespaces to show or change"}); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return runInject(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.MeshID, "mesh", "", "name or ID of the ASM instance")
	fl.StringVar(&opts.ClusterID, "cluster", "", "name or ID of the ACK Edge cluster of the mesh")
	fl.StringSliceVar(&opts.Enable, "enable", nil, "namespace to turn automatic sidecar injection on for (repeat or comma-separate)")
	fl.StringSliceVar(&opts.Disable, "disable", nil, "namespace to turn automatic sidecar injection off for (repeat or comma-separate)")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "change without asking (required without a terminal)")
	return cmd
}

// InjectReport is what `asmlink edge inject` found and did, as -o json
// writes it.
type InjectReport struct {
	MeshID                    string                    `json:"meshId"`
	ClusterID                 string                    `json:"clusterId"`
	EnableNamespacesByDefault bool                      `json:"enableNamespacesByDefault"`
	Namespaces                []flow.NamespaceInjection `json:"namespaces"`
	Changed                   []flow.NamespaceInjection `json:"changed"`
	// Restart are the workloads of changed namespaces, which need a
	// restart to get (or lose) their sidecars.
	Restart []flow.Workload `json:"restart"`
	// Pilot is how the cluster's edge nodes reach Pilot, which their
	// sidecars need; absent when it could not be read.
	Pilot *flow.PilotPath `json:"pilot,omitempty"`
}

func runInject(ctx context.Context, opts *InjectOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	api, mesh, _, err := edgeTarget(ctx, f, &opts.MeshID, &opts.ClusterID, "reading the namespaces of")
	if err != nil {
		return err
	}
	policy, err := api.InjectionPolicy(ctx, opts.MeshID)
	if err != nil {
		return err
	}
	nss, err := api.GuestNamespaces(ctx, opts.MeshID, opts.ClusterID)
	if err != nil {
		return err
	}
	plan, err := flow.PlanInjection(policy, opts.ClusterID, nss, flow.InjectionRequest{Enable: opts.Enable, Disable: opts.Disable})
	if err != nil {
		return gatewayCode(err)
	}
	rep := InjectReport{MeshID: opts.MeshID, ClusterID: opts.ClusterID, EnableNamespacesByDefault: policy.EnableNamespacesByDefault,
		Namespaces: plan.Namespaces, Changed: []flow.NamespaceInjection{}, Restart: []flow.Workload{}}
	if len(plan.Changes) > 0 {
		var what []string
		for _, c := range plan.Changes {
			what = append(what, fmt.Sprintf("%s %s", map[bool]string{true: "on for", false: "off for"}[c.Enabled], c.Name))
		}
		question := fmt.Sprintf("Turn sidecar injection %s in ASM instance %s? (a global namespace: every cluster of the mesh with it follows)", strings.Join(what, ", "), opts.MeshID)
		if err := f.Confirm(ctx, question, opts.Yes); err != nil {
			return err
		}
		after, workloads, err := flow.ApplyInjection(ctx, api, opts.MeshID, opts.ClusterID, plan)
		if err != nil {
			var na *flow.InjectionNotAppliedError
			if errors.As(err, &na) {
				return cmdutil.WithCode(cmdutil.ExitChecks, err)
			}
			return err
		}
		rep.Namespaces, rep.Changed, rep.Restart = after, plan.Changes, append(rep.Restart, workloads...)
	}
	rep.Pilot = pilotPath(ctx, f, api, mesh, opts.ClusterID)
	return writeInjectReport(f.IO.Out, opts.Output, rep)
}

func writeInjectReport(out io.Writer, format string, rep InjectReport) error {
	if format == cmdutil.OutputJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	var b strings.Builder
	policy := "only namespaces labelled istio-injection=enabled are injected"
	if rep.EnableNamespacesByDefault {
		policy = "every namespace not labelled istio-injection=disabled is injected"
	}
	fmt.Fprintf(&b, "Sidecar injection in cluster %s (ASM instance %s; %s):\n", rep.ClusterID, rep.MeshID, policy)
	width := len("NAMESPACE")
	for _, n := range rep.Namespaces {
		width = max(width, len(n.Name))
	}
	fmt.Fprintf(&b, "  %-*s  %-9s  %s\n", width, "NAMESPACE", "INJECTION", "WHY")
	for _, n := range rep.Namespaces {
		fmt.Fprintf(&b, "  %-*s  %-9s  %s\n", width, n.Name, map[bool]string{true: "on", false: "off"}[n.Enabled], n.Reason)
	}
	for _, c := range rep.Changed {
		fmt.Fprintf(&b, "Turned injection %s for namespace %s.\n", map[bool]string{true: "on", false: "off"}[c.Enabled], c.Name)
	}
	switch {
	case len(rep.Changed) > 0 && len(rep.Restart) == 0:
		b.WriteString("No workload runs in the changed namespaces: new pods get the change.\n")
	case len(rep.Restart) > 0:
		b.WriteString("A sidecar is added or removed when a pod is created: restart these workloads for the change to reach them:\n")
		for _, w := range rep.Restart {
			fmt.Fprintf(&b, "  %s/%s (%d pod(s)): %s\n", w.Kind, w.Name, len(w.Pods), w.Restart)
		}
	}
	if rep.Pilot != nil {
		b.WriteString("\n" + rep.Pilot.Text())
	}
	_, err := io.WriteString(out, spec.PrintableLines(b.String()))
	return err
}
