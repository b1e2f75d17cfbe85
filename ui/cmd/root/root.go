// Package root assembles the asmlink command tree and turns the result of a
// command into an exit code.
package root

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/ui/cmd/apply"
	"github.com/asmlink/asmlink/ui/cmd/demo"
	"github.com/asmlink/asmlink/ui/cmd/doctor"
	"github.com/asmlink/asmlink/ui/cmd/edge"
	"github.com/asmlink/asmlink/ui/cmd/plan"
	"github.com/asmlink/asmlink/ui/cmd/remove"
	"github.com/asmlink/asmlink/ui/cmd/setup"
	"github.com/asmlink/asmlink/ui/cmd/sim"
	"github.com/asmlink/asmlink/ui/cmd/status"
	"github.com/asmlink/asmlink/ui/cmd/validate"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// NewCmdRoot builds the asmlink command with every working subcommand.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "asmlink",
		Short: "Connect ASM control planes to ACK clusters in other VPCs over PrivateLink",
		Long: `asmlink connects an Alibaba Cloud Service Mesh (ASM) instance to ACK clusters in
other VPCs of the same region over PrivateLink. It picks vSwitches from the
cloud's own listings, checks every precondition, writes the ASMPvlConfig
resource (as reviewed YAML or applied), and shows whether both links work.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		// Bare asmlink on a terminal is the wizard, as asmlink setup.
		RunE: func(c *cobra.Command, _ []string) error {
			return setup.RunSetup(c.Context(), &setup.Options{Factory: f, File: "asmpvlconfig.yaml", Command: "asmlink"})
		},
	}
	cmd.SetOut(f.IO.Out)
	cmd.SetErr(f.IO.ErrOut)
	cmd.SetIn(f.IO.In)
	f.Options.Bind(cmd.PersistentFlags())
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return cmdutil.UsageErrorf("%v (see '%s --help')", err, c.CommandPath())
	})
	cmd.AddCommand(
		// Each working subcommand is added here, one line each.
		validate.NewCmdValidate(f, nil),
		plan.NewCmdPlan(f, nil),
		apply.NewCmdApply(f, nil),
		remove.NewCmdRemove(f, nil),
		status.NewCmdStatus(f, nil),
		doctor.NewCmdDoctor(f, nil),
		sim.NewCmdSim(f, nil),
		setup.NewCmdSetup(f, nil),
		demo.NewCmdDemo(f, nil),
		edge.NewCmdEdge(f),
	)
	return cmd
}

// Main runs asmlink with args and returns the process exit code.
func Main(io *cmdutil.IOStreams, args []string) int {
	f := &cmdutil.Factory{IO: io, Options: &cmdutil.GlobalOptions{}}
	cmd := NewCmdRoot(f)
	cmd.SetArgs(args)
	// An interrupt cancels what is running (a wait, a listing); the
	// wizard reads ctrl-c as a key instead and asks first if needed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if !errors.Is(err, cmdutil.ErrSilent) {
		fmt.Fprintf(io.ErrOut, "Error: %v\n", err)
	}
	code := cmdutil.CodeOf(err)
	if code == cmdutil.ExitError && isUsage(err) {
		code = cmdutil.ExitUsage
	}
	return code
}

// isUsage recognises cobra's own argument errors (unknown command, wrong
// number of arguments), which do not pass through the flag error function.
func isUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "unknown flag", "unknown shorthand"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
