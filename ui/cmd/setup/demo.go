package setup

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/cloud"
	cloudsim "github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/cloud/sim/demoenv"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// DemoOptions are the inputs of asmlink demo.
type DemoOptions struct {
	Factory *cmdutil.Factory
	World   string
	Delay   time.Duration
}

// NewCmdDemo builds `asmlink demo`: setup itself, on a simulated world.
func NewCmdDemo(f *cmdutil.Factory, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the wizard on a simulated cloud: no credentials, no network, nothing real changed",
		Long: `Runs the whole product in one process against a simulated world: the
simulated Alibaba Cloud on loopback, an in-memory API server for each ASM
instance, and a simulated ASM controller that provisions PrivateLink with
delays of a few seconds. In about a minute you see the full journey,
including a failure and its fix: connect shop-prod to mesh-prod, watch both
links come up, then add the endpoint domain to the API server certificate.

Worlds: ` + strings.Join(cloudsim.BuiltinWorlds(), ", ") + ` (default demo), or a world file.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputYAML); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runDemo(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.World, "world", "demo", "simulated world: "+strings.Join(cloudsim.BuiltinWorlds(), ", ")+", or a world file")
	cmd.Flags().DurationVar(&opts.Delay, "delay", 3*time.Second, "how long the simulated cloud takes to provision each endpoint and update a cluster")
	return cmd
}

func runDemo(ctx context.Context, opts *DemoOptions) error {
	f := opts.Factory
	term, err := findTerminal(f, nil, "asmlink demo")
	if err != nil {
		return cmdutil.UsageErrorf("asmlink demo needs a terminal, and none is reachable. To use the simulated cloud from scripts, run asmlink sim --world %s and the scriptable commands", opts.World)
	}
	term.close()
	if opts.Delay <= 0 {
		return cmdutil.UsageErrorf("--delay %s must be positive, e.g. --delay 3s", opts.Delay)
	}
	env, err := demoenv.Start(ctx, demoenv.Options{World: opts.World, Delay: opts.Delay})
	if err != nil {
		return cmdutil.WithCode(cmdutil.ExitUsage, err)
	}
	defer env.Close()
	f.CloudFunc = func(ctx context.Context) (cloud.API, error) { return env.Cloud(ctx, "") }
	f.CloudForRegion = env.Cloud
	f.KubeFunc = env.Kube
	return RunSetup(ctx, &Options{Factory: f, File: "asmpvlconfig.yaml", Demo: true, Command: "asmlink demo"})
}
