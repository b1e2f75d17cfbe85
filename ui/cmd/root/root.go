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
	"sync/atomic"
	"syscall"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmd/apply"
	"github.com/asmlink/asmlink/ui/cmd/diff"
	"github.com/asmlink/asmlink/ui/cmd/doctor"
	"github.com/asmlink/asmlink/ui/cmd/edge"
	"github.com/asmlink/asmlink/ui/cmd/export"
	"github.com/asmlink/asmlink/ui/cmd/plan"
	"github.com/asmlink/asmlink/ui/cmd/remove"
	"github.com/asmlink/asmlink/ui/cmd/setup"
	"github.com/asmlink/asmlink/ui/cmd/sim"
	"github.com/asmlink/asmlink/ui/cmd/status"
	"github.com/asmlink/asmlink/ui/cmd/validate"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/text"
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
		Args:          noCommand,
		// Bare asmlink on a terminal is the wizard, as asmlink setup.
		RunE: func(c *cobra.Command, _ []string) error {
			if v, _ := c.Flags().GetBool("version"); v {
				return runVersion(f)
			}
			if err := f.Options.ValidateOutput(cmdutil.OutputText); err != nil {
				return err
			}
			return setup.RunSetup(c.Context(), &setup.Options{Factory: f, File: "asmpvlconfig.yaml", Command: "asmlink"})
		},
	}
	cmd.SetOut(f.IO.Out)
	cmd.SetErr(f.IO.ErrOut)
	cmd.SetIn(f.IO.In)
	f.Options.Bind(cmd.PersistentFlags())
	// --lang is read before the tree is built (chooseLanguage), so that
	// help and flag errors speak it too; cobra only has to accept it.
	cmd.PersistentFlags().String("lang", "", "language of what asmlink says to people: en or zh (default: ASMLINK_LANG, the aliyun CLI profile's language, then LC_ALL, LC_MESSAGES or LANG); JSON, YAML, codes and exit codes are the same in both")
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return cmdutil.UsageErrorf("%v%s (see '%s --help')", err, flagSuggestion(c, err), c.CommandPath())
	})
	// --version is asmlink's own flag, not cobra's (Command.Version): cobra
	// prints a custom version line through text/template, whose reflection
	// stops the linker from dropping unused methods and more than doubles
	// the binary.
	cmd.Flags().BoolP("version", "v", false, "version for asmlink")
	// cobra says "Did you mean this?" for a mistyped command within this
	// many edits.
	cmd.SuggestionsMinimumDistance = 2
	cmd.AddCommand(
		// Each working subcommand is added here, one line each.
		validate.NewCmdValidate(f, nil),
		plan.NewCmdPlan(f, nil),
		export.NewCmdExport(f, nil),
		diff.NewCmdDiff(f, nil),
		apply.NewCmdApply(f, nil),
		remove.NewCmdRemove(f, nil),
		status.NewCmdStatus(f, nil),
		doctor.NewCmdDoctor(f, nil),
		sim.NewCmdSim(f, nil),
		setup.NewCmdSetup(f, nil),
		setup.NewCmdDemo(f, nil),
		edge.NewCmdEdge(f),
		newCmdVersion(f),
	)
	for _, c := range cmd.Commands() {
		if !c.Runnable() && c.HasSubCommands() {
			c.Args, c.RunE = noCommand, groupRun(f)
			c.SuggestionsMinimumDistance = cmd.SuggestionsMinimumDistance
		}
	}
	translateHelp(cmd)
	return cmd
}

// Main runs asmlink with args and returns the process exit code. An
// interrupt (ctrl-c, SIGINT), SIGTERM, SIGHUP or SIGQUIT cancels what is
// running, which then ends at once, and the terminal is given back as it
// was (cursor shown, line mode and echo on); the exit code names the
// signal (see cmdutil.SignalCode). A command that has not ended
// gracePeriod after the signal is ended by force, after the same repair.
// The wizard reads ctrl-c as a key instead and asks first if needed.
// Catching SIGQUIT also keeps Go's goroutine dump off the screen.
func Main(io *cmdutil.IOStreams, args []string) int {
	term := saveTerminal()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	var got atomic.Value
	go func() {
		s, ok := <-sigs
		if !ok {
			return
		}
		got.Store(s)
		cancel()
		time.Sleep(gracePeriod)
		term.restore()
		fmt.Fprintf(io.ErrOut, "\nasmlink: stopped by %v\n", s)
		os.Exit(cmdutil.SignalCode(s))
	}()
	code := Execute(ctx, io, args)
	if s, ok := got.Load().(os.Signal); ok {
		term.restore()
		return cmdutil.SignalCode(s)
	}
	return code
}

// gracePeriod is how long a command may take to end after a signal
// cancelled it, before it is ended by force.
const gracePeriod = 2 * time.Second

// Execute runs asmlink with args under ctx, writes the error to stderr, and
// returns the exit code. A command whose context was cancelled (an
// interrupt) exits 130 whatever it ended with.
func Execute(ctx context.Context, io *cmdutil.IOStreams, args []string) int {
	if err := chooseLanguage(io, args); err != nil {
		fmt.Fprintf(io.ErrOut, "Error: %v\n", err)
		return cmdutil.ExitUsage
	}
	f := &cmdutil.Factory{IO: io, Options: &cmdutil.GlobalOptions{}}
	cmd := NewCmdRoot(f)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		fmt.Fprintln(io.ErrOut, text.T("Cancelled."))
		return cmdutil.ExitCancelled
	}
	if !errors.Is(err, cmdutil.ErrSilent) {
		fmt.Fprintln(io.ErrOut, text.Sprintf("Error: %s", spec.PrintableLines(err.Error())))
	}
	code := cmdutil.CodeOf(err)
	if code == cmdutil.ExitError && isUsage(err) {
		code = cmdutil.ExitUsage
	}
	return code
}

// chooseLanguage makes the language people set the language of this run
// (text.Choose: --lang, ASMLINK_LANG, the aliyun CLI profile's language,
// the locale), before anything is said. A --lang or ASMLINK_LANG that is
// not en or zh is a usage error naming it.
func chooseLanguage(io *cmdutil.IOStreams, args []string) error {
	l, err := text.Choose(text.Choice{
		Flag:    flagValue(args, "lang"),
		Getenv:  io.Getenv,
		Profile: func() string { return cloud.ProfileLanguage(flagValue(args, "profile")) },
	})
	if err != nil {
		return err
	}
	text.UseLanguage(l)
	return nil
}

// flagValue is the value of the long flag --name in args (--name VALUE or
// --name=VALUE; the last one given wins, as in pflag), "" when absent.
// Arguments after "--" are not flags.
func flagValue(args []string, name string) string {
	var v string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if rest, ok := strings.CutPrefix(a, "--"+name); ok {
			switch {
			case strings.HasPrefix(rest, "="):
				v = rest[1:]
			case rest == "" && i+1 < len(args):
				i++
				v = args[i]
			}
		}
	}
	return v
}

// terminalState is the terminal as asmlink found it, to give back after a
// signal: Bubble Tea restores it on its own exits, but a signal may come
// while a prompt has it in raw mode, or end the process before it can.
type terminalState struct {
	fd    uintptr
	state *term.State
	// cursor tells whether stderr is a terminal whose cursor is shown
	// again (a TUI hides it).
	cursor bool
}

// saveTerminal records the state of stdin's terminal, if it is one.
func saveTerminal() *terminalState {
	t := &terminalState{fd: os.Stdin.Fd(), cursor: term.IsTerminal(os.Stderr.Fd())}
	if term.IsTerminal(t.fd) {
		t.state, _ = term.GetState(t.fd)
	}
	return t
}

// restore gives the terminal back: line mode and echo as they were, the
// cursor shown. Errors are ignored: after SIGHUP the terminal may be gone.
func (t *terminalState) restore() {
	if t.state != nil {
		_ = term.Restore(t.fd, t.state)
	}
	if t.cursor {
		fmt.Fprint(os.Stderr, ansi.ShowCursor)
	}
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

// flagSuggestion is ", did you mean --mesh?" for an unknown flag that is a
// slip of one the command has (flow.Nearest), else "". pflag names the
// flag in its error: "unknown flag: --mesh-id", "unknown shorthand flag:
// 'x' in -x".
func flagSuggestion(c *cobra.Command, err error) string {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		return ""
	}
	name, _, _ = strings.Cut(name, "=")
	var names []string
	c.Flags().VisitAll(func(fl *pflag.Flag) {
		if !fl.Hidden {
			names = append(names, fl.Name)
		}
	})
	near := flow.Nearest(name, names)
	if len(near) == 0 {
		return ""
	}
	return ", did you mean --" + strings.Join(near, " or --") + "?"
}

// noCommand refuses arguments to bare asmlink, as cobra.NoArgs does, but
// with cobra's "did you mean" for a mistyped command: cobra only suggests
// commands for a root that takes no Args function.
func noCommand(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += ", did you mean " + strings.Join(s, " or ") + "?"
	}
	return errors.New(msg)
}

// groupRun is the run of a command that only groups others (asmlink
// edge): alone it prints its help. Its Args is noCommand, so a word after
// it that is none of its commands is a usage error with cobra's "did you
// mean", as at the top.
func groupRun(f *cmdutil.Factory) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, _ []string) error {
		if err := f.Options.ValidateOutput(cmdutil.OutputText); err != nil {
			return err
		}
		return c.Help()
	}
}
