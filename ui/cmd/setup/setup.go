// Package setup is `asmlink setup`, the guided wizard on a terminal, and
// `asmlink demo`, the same wizard on a simulated world in one process.
package setup

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/prompt"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard"
)

// Options are the inputs of asmlink setup.
type Options struct {
	Factory *cmdutil.Factory
	// File is the file name the write action proposes.
	File string
	// Demo shows the demo banner (asmlink demo sets it).
	Demo bool
	// Command names the command in messages, e.g. "setup" or "demo".
	Command string
	// OpenTTY opens the controlling terminal, where the wizard draws when
	// stdout is redirected; nil opens /dev/tty.
	OpenTTY func() (*os.File, error)
}

// NewCmdSetup builds the setup command. runF replaces the run function in
// tests of flag parsing.
func NewCmdSetup(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f, Command: "asmlink setup"}
	cmd := &cobra.Command{
		Use:   "setup",
		Short: "Guided setup: connect an ACK cluster to an ASM instance over PrivateLink (needs a terminal)",
		Long: `Leads you from an ASM instance to an ACK cluster running in the mesh: pick the
mesh and the cluster from live listings, pick a vSwitch pair (same zone
recommended; zone IDs are never typed), run the preflight checks and their
fixes (with your consent), review the ASMPvlConfig and its diff against the
mesh's API server, apply it or write it to a file, watch both links come up,
and add the endpoint domain to the API server certificate.

Keys: arrows move, enter chooses, esc goes back, ? shows every key, q quits
(asking first while a change is in flight). On a list typing always filters:
there ctrl+r retries, ctrl+g changes region, f1 shows every key and ctrl+c
quits.
With --accessible, ACCESSIBLE=1 or TERM=dumb the same steps are asked as
numbered questions, one line at a time, with no redraws.

With -o yaml the reviewed ASMPvlConfig goes to stdout once the wizard ends
at its summary, whatever you chose to do with it; the wizard itself draws on
the terminal (stderr, or /dev/tty when stderr is redirected too) and its
summary stays there. Without any terminal it exits 2: use asmlink plan,
apply, status and doctor.`,
		Example: `  asmlink setup
  asmlink setup -o yaml > asmpvlconfig.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText, cmdutil.OutputYAML); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return RunSetup(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.File, "file", "asmpvlconfig.yaml", "file name the wizard proposes when you choose to write the ASMPvlConfig")
	return cmd
}

// RunSetup runs the wizard on the terminal findTerminal finds. It refuses
// to start without one (exit 2), naming the scriptable commands to use
// instead. stdout gets only data: the object the person asked to print,
// or with -o yaml the reviewed object.
func RunSetup(ctx context.Context, opts *Options) error {
	f := opts.Factory
	t := text.Active()
	term, err := findTerminal(f, opts.OpenTTY, opts.Command)
	if err != nil {
		return err
	}
	defer term.close()
	if ctx == nil {
		ctx = context.Background()
	}
	deps := wizard.Deps{
		Cloud:         func(ctx context.Context, region string) (cloud.API, error) { return cloudFor(ctx, f, region) },
		Server:        f.Server,
		WriteFile:     cmdutil.WriteConfigFile,
		Demo:          opts.Demo,
		DefaultFile:   opts.File,
		PrintReviewed: f.Options.Output == cmdutil.OutputYAML,
	}
	if f.Accessible() {
		p := prompt.New(term.in, term.screen, prompt.Options{Accessible: true})
		err = wizard.RunAccessible(ctx, deps, t, p, f.IO.Out)
	} else {
		st := styles.New(f.Color(term.tty))
		err = wizard.Run(ctx, deps, st, t, term.in, term.screen, f.IO.Out, f.IO.Env)
	}
	if errors.Is(err, wizard.ErrCancelled) {
		return cmdutil.WithCode(cmdutil.ExitCancelled, fmt.Errorf("%s %w", opts.Command, err))
	}
	return err
}

// cloudFor returns the cloud client of a region: the Factory's own for the
// default region, a new one when the person switches region.
func cloudFor(ctx context.Context, f *cmdutil.Factory, region string) (cloud.API, error) {
	def, err := f.Cloud(ctx)
	if err != nil || region == "" || region == def.Identity().Region {
		return def, err
	}
	if f.CloudForRegion != nil {
		return f.CloudForRegion(ctx, region)
	}
	cfg := f.CloudConfig()
	cfg.Region = region
	return cloud.New(ctx, cfg)
}
