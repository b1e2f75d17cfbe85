// Package sim is `asmlink sim`: the simulated Alibaba Cloud as a local
// server, so asmlink (or the aliyun CLI, or a test) can run against a world
// of fake ASM instances, ACK clusters, VPCs and PrivateLink without an
// account or a network.
package sim

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	cloudsim "github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// Options are the inputs of `asmlink sim`.
type Options struct {
	IO *cmdutil.IOStreams
	// World is a built-in world name or a world file path.
	World string
	// Addr is the listen address; AllowRemote permits a non-loopback one.
	Addr        string
	AllowRemote bool
	// Faults replace the world's own faults when FaultsSet is true.
	Faults    cloudsim.Faults
	FaultsSet bool
	// Debug logs each call (never a signature or secret) to stderr.
	Debug bool
	// ASMKubeconfigs are --asm-kubeconfig values, [MESH_ID=]PATH.
	ASMKubeconfigs []string
	// Delay, when set, replaces the world's provisioning delays (--delay).
	Delay time.Duration

	// started, when set, receives the server once it serves (for tests).
	started chan<- *cloudsim.Server
}

// faultFlags are the flags that replace the world's faults.
var faultFlags = []string{"latency", "throttle-rate", "throttle-code", "error-rate", "hang-rate", "seed"}

// NewCmdSim builds `asmlink sim`. runF replaces the run function in tests of
// flag handling; nil serves until interrupted.
func NewCmdSim(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IO}
	var latency time.Duration
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Serve a simulated Alibaba Cloud for trying asmlink without an account",
		Long: `Serve a simulated Alibaba Cloud on this machine: the ASM (servicemesh), ACK (cs),
VPC, PrivateLink and CEN APIs asmlink calls, with their real wire formats,
signatures, paging and error codes, seeded from a world file.

On start it prints, on stdout, shell export lines for ASMLINK_ENDPOINT and the
world's simulator-only access key pair and region, then serves until
interrupted (Ctrl-C or SIGTERM). The keys are fake and only the simulator
accepts them.

Each ASM instance also gets a Kubernetes API of its own, served in memory over
HTTPS on loopback, with the simulated ASM controller reconciling its
ASMPvlConfig and the simulated gateway controller deploying its
IstioGateways; DescribeServiceMeshKubeconfig returns its kubeconfig, so every
command works against asmlink sim alone.
--asm-kubeconfig puts a real kube-apiserver in its place.

Built-in worlds: ` + strings.Join(cloudsim.BuiltinWorlds(), ", ") + `. --world also takes a path to
your own world file (YAML; see testdata/worlds/demo.yaml).

--delay replaces the world's provisioning delays (endpoints, endpoint
services, cluster and mesh updates, gateway deployments), so a trial or a CI
job that waits (--wait) takes seconds.

Fault flags (--latency, --throttle-rate, --throttle-code, --error-rate,
--hang-rate, --seed)
replace the world's own faults; rates are fractions from 0 to 1 and the same
seed gives the same faults.`,
		Example: `  asmlink sim > /tmp/asmlink-sim.env &
  . /tmp/asmlink-sim.env && asmlink setup

  asmlink sim --world large --latency 50ms --throttle-rate 0.1 --seed 7
  asmlink sim --world edge --delay 1s > /tmp/edge.env &`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText); err != nil {
				return err
			}
			for _, name := range faultFlags {
				opts.FaultsSet = opts.FaultsSet || cmd.Flags().Changed(name)
			}
			opts.Faults.Latency = cloudsim.Duration(latency)
			for _, r := range []struct {
				flag string
				v    float64
			}{{"throttle-rate", opts.Faults.ThrottleRate}, {"error-rate", opts.Faults.ErrorRate}, {"hang-rate", opts.Faults.HangRate}} {
				if r.v < 0 || r.v > 1 {
					return cmdutil.UsageErrorf("--%s %v is not a rate: give a fraction from 0 to 1", r.flag, r.v)
				}
			}
			if c := opts.Faults.ThrottleCode; !slices.Contains(cloudsim.ThrottleCodes(), c) {
				return cmdutil.UsageErrorf("--throttle-code %q is not a code the simulator sends: give one of %s", c, strings.Join(cloudsim.ThrottleCodes(), ", "))
			}
			if opts.Delay < 0 {
				return cmdutil.UsageErrorf("--delay %s is negative: give a duration like 1s", opts.Delay)
			}
			if latency < 0 {
				return cmdutil.UsageErrorf("--latency %s is negative: give a duration like 50ms", latency)
			}
			opts.Debug = f.Options.Debug
			if runF != nil {
				return runF(opts)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runSim(ctx, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.World, "world", "demo", "built-in world name or world file path")
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	fl.BoolVar(&opts.AllowRemote, "allow-remote", false, "allow an --addr that is not a loopback address (the keys are public)")
	fl.DurationVar(&opts.Delay, "delay", 0, "replace the world's provisioning delays (endpoints, cluster and mesh updates, gateways) with this one, e.g. 1s")
	fl.DurationVar(&latency, "latency", 0, "delay every call by this long, e.g. 50ms")
	fl.Float64Var(&opts.Faults.ThrottleRate, "throttle-rate", 0, "fraction of calls answered with --throttle-code (HTTP 400)")
	fl.StringVar(&opts.Faults.ThrottleCode, "throttle-code", "Throttling.User", "error code of throttled calls: "+strings.Join(cloudsim.ThrottleCodes(), ", "))
	fl.Float64Var(&opts.Faults.ErrorRate, "error-rate", 0, "fraction of calls answered ServiceUnavailable (503) or InternalError (500)")
	fl.Float64Var(&opts.Faults.HangRate, "hang-rate", 0, "fraction of calls never answered until the client gives up")
	fl.Uint64Var(&opts.Faults.Seed, "seed", 0, "seed for the fault sequence")
	fl.StringArrayVar(&opts.ASMKubeconfigs, "asm-kubeconfig", nil, "[MESH_ID=]PATH: serve that ASM instance's (default: the world's first) Kubernetes API from the API server the kubeconfig PATH points to, run the simulated ASM controller against it, and return PATH's kubeconfig from DescribeServiceMeshKubeconfig; repeatable")
	return cmd
}

// runSim serves the world until ctx is done.
func runSim(ctx context.Context, opts *Options) error {
	world, err := cloudsim.LoadWorld(opts.World)
	if err != nil {
		return cmdutil.UsageErrorf("--world: %v", err)
	}
	if opts.Delay > 0 {
		world.SetDelays(opts.Delay)
	}
	so := cloudsim.Options{Addr: opts.Addr, AllowNonLoopback: opts.AllowRemote}
	if opts.FaultsSet {
		so.Faults = &opts.Faults
	}
	if opts.Debug {
		so.Log = opts.IO.ErrOut
	}
	srv, err := cloudsim.New(world, so)
	if err != nil {
		return cmdutil.UsageErrorf("--addr: %v", err)
	}
	defer srv.Close()
	ctx, stopControllers := context.WithCancel(ctx)
	waitControllers, err := startASMControllers(ctx, srv, opts.ASMKubeconfigs, opts.IO.ErrOut)
	defer func() { stopControllers(); waitControllers() }()
	if err != nil {
		return err
	}
	id, secret := srv.AccessKey()
	writeExports(opts.IO.Out, [][2]string{
		{"ASMLINK_ENDPOINT", srv.URL()},
		{"ALIBABA_CLOUD_ACCESS_KEY_ID", id},
		{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret},
		{"ALIBABA_CLOUD_REGION_ID", srv.Region()},
	})
	fmt.Fprintf(opts.IO.ErrOut, "Simulated Alibaba Cloud (world %s) serving at %s. Press Ctrl-C to stop.\n", world.Name, srv.URL())
	fmt.Fprintf(opts.IO.ErrOut, "Each ASM instance's Kubernetes API is served in memory at %s<mesh ID>, with the simulated ASM controller; DescribeServiceMeshKubeconfig returns its kubeconfig.\n", srv.MeshAPIURL())
	if opts.started != nil {
		opts.started <- srv
	}
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	fmt.Fprintf(opts.IO.ErrOut, "Simulator stopped after %d API calls.\n", srv.Calls())
	return nil
}

// writeExports prints POSIX shell export lines, single-quoting values that
// need it.
func writeExports(w io.Writer, vars [][2]string) {
	for _, v := range vars {
		fmt.Fprintf(w, "export %s=%s\n", v[0], shellQuote(v[1]))
	}
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
