// Package export is `asmlink export`: the ASMPvlConfig that connects a
// cluster, computed as plan computes it, with what a GitOps tool (Argo CD,
// Flux, kustomize, Terraform) needs to apply it server-side under its own
// field manager and own only what it wrote.
package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// Options are the inputs of `asmlink export`.
type Options struct {
	Factory *cmdutil.Factory
	Target  cmdutil.Target
	// For is the tool: argocd, flux, kustomize or terraform.
	For string
	// FieldManager is the field manager the tool applies with; only
	// kustomize's and Terraform's are chosen in the files.
	FieldManager string
	// Out is the directory to write the files to; "" writes the one
	// file of --for argocd to stdout.
	Out     string
	MaxSize cmdutil.MaxObjectSize

	tool spec.Tool
}

// NewCmdExport builds `asmlink export`. runF replaces the run function in
// tests of flag handling; nil exports.
func NewCmdExport(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "export --for argocd|flux|kustomize|terraform --mesh ID --cluster ID",
		Short: "Write the ASMPvlConfig and a GitOps tool's settings so the tool owns only this team's entries",
		Long: `Write the ASMPvlConfig that connects a cluster, computed as asmlink plan computes
it (the recommended vSwitch pair, or --asm-vswitch/--ack-vswitch; the same
preconditions), for a GitOps tool to apply server-side under a named field
manager:

  argocd     asmpvlconfig.yaml with argocd.argoproj.io/sync-options
             ServerSideApply=true,Prune=false,Delete=false (field manager
             argocd-controller, which forces conflicts)
  flux       asmpvlconfig.yaml (kustomize.toolkit.fluxcd.io/prune: disabled),
             kustomization.yaml and flux-kustomization.yaml (field manager
             kustomize-controller, which forces conflicts)
  kustomize  asmpvlconfig.yaml and kustomization.yaml, for
             kubectl apply -k --server-side --field-manager NAME
  terraform  asmpvlconfig.yaml and asmpvlconfig.tf: a kubernetes_manifest with
             field_manager NAME, force_conflicts = false and prevent_destroy

What the file holds depends on the CRD's schema, read from the API server as
apply reads it. When its lists are merged by key, the file holds only this
team's entries: the --cluster given and those the tool's field manager
already owns, with the ASM vSwitches they rely on; every other cluster's
entry is left to its owner, and a sync never removes or brings one back.
When the lists are atomic (or the schema cannot be read), a server-side
apply replaces each list whole, so the file must hold every live entry, and
export says so loudly: each sync then undoes what other teams changed since,
until the file is exported again. Each file's header says what the tool
owns and what it leaves to others.

--field-manager names the manager for kustomize and terraform (default
kustomize-asmpvlconfig, terraform-asmpvlconfig); Argo CD and Flux fix theirs.
--out DIR writes the files there (replacing only files export wrote); without
it, --for argocd writes its one file to stdout.

Exit status: 0 written, 2 bad flags, 3 a precondition failed or the object is
too large, 4 credentials.`,
		Example: `  asmlink export --for argocd --mesh mesh-prod --cluster shop-prod > asmpvlconfig.yaml
  asmlink export --for flux --mesh mesh-prod --cluster shop-prod --out clusters/asm
  asmlink export --for terraform --mesh mesh-prod --cluster shop-prod --field-manager team-shop --out asm`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.Options.ValidateOutput(cmdutil.OutputText); err != nil {
				return err
			}
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runExport(cmd.Context(), opts)
		},
	}
	opts.Target.Bind(cmd)
	cmd.Flags().StringVar(&opts.For, "for", "", "the GitOps tool that applies the files: "+spec.ToolNames())
	cmd.Flags().StringVar(&opts.FieldManager, "field-manager", "", "field manager kustomize or terraform applies as (Argo CD and Flux fix theirs)")
	cmd.Flags().StringVar(&opts.Out, "out", "", "directory to write the files to (needed for every tool but argocd)")
	cmdutil.BindMaxObjectSize(cmd, &opts.MaxSize)
	return cmd
}

func (o *Options) validate() error {
	if err := cmdutil.Required(cmdutil.Flag{Name: "--for", Value: o.For, What: "the GitOps tool that applies the files: " + spec.ToolNames()}); err != nil {
		return err
	}
	tool, ok := spec.ParseTool(o.For)
	if !ok {
		return cmdutil.UsageErrorf("--for %s is not a tool asmlink exports for: use %s", spec.Quote(o.For), spec.ToolNames())
	}
	o.tool = tool
	switch {
	case o.FieldManager != "" && !tool.ManagerConfigurable():
		return cmdutil.UsageErrorf("--field-manager cannot be chosen for --for %s: it always applies as %s; leave --field-manager out", tool, tool.FieldManager())
	case o.FieldManager == "":
		o.FieldManager = tool.FieldManager()
	}
	if o.Out == "" && tool != spec.ToolArgoCD {
		return cmdutil.UsageErrorf("--out DIR is required for --for %s: it writes several files", tool)
	}
	return o.Target.Validate()
}

func runExport(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	if err := opts.Target.Resolve(ctx, f); err != nil {
		return err
	}
	l, err := cmdutil.LoadSession(ctx, f, opts.Target.MeshID, false)
	if err != nil {
		return err
	}
	pairs, err := cmdutil.Prepare(ctx, f, l, opts.Target)
	if err != nil {
		return err
	}
	c, err := f.Kube(ctx, opts.Target.MeshID)
	if err != nil {
		return err
	}
	shape, err := c.Shape(ctx)
	if err != nil {
		return err
	}
	// The owners and the object they own come from one read, and the
	// change is merged into that read, as plan merges it.
	live, owners, err := c.Owners(ctx)
	if err != nil {
		return err
	}
	desired, err := l.Change(opts.Target.ClusterID, flow.IntentConnect, pairs)(live)
	if err != nil {
		return err
	}
	if err := cmdutil.CheckSize(f, "the exported ASMPvlConfig", desired, opts.MaxSize); err != nil {
		return err
	}
	content, team, others := spec.ExportContent(desired, owners, opts.FieldManager, []string{opts.Target.ClusterID}, l.Env.Facts())
	files := spec.Export(content, spec.ExportOptions{
		Tool: opts.tool, Manager: opts.FieldManager, MeshID: opts.Target.MeshID, Team: team, Others: others,
		ListMaps: owners.ListMaps, ShapeSource: shape.Source, Path: fluxPath(opts.Out),
	})
	if owners.ListMaps {
		fmt.Fprintf(f.IO.ErrOut, "The CRD merges lists by key: the export holds %d cluster(s) of this team and leaves %d to their owners.\n", len(team), len(others))
	} else {
		fmt.Fprintf(f.IO.ErrOut, "WARNING: the CRD's lists are atomic (%s): the export holds every live entry, %d of them other teams'.\n"+
			"Each sync by %s sets the whole list to this file and undoes what others changed since: export again before every sync.\n",
			shape.Source, len(others), opts.FieldManager)
	}
	if opts.Out == "" {
		_, err := f.IO.Out.Write(files[0].Data)
		return err
	}
	return writeFiles(f, opts.Out, files)
}

// fluxPath is the --out directory as Flux's Kustomization path: relative
// to the repository root, which asmlink takes to be the working
// directory.
func fluxPath(out string) string {
	if out == "" || filepath.IsAbs(out) {
		return "./"
	}
	return "./" + filepath.ToSlash(filepath.Clean(out))
}

// writeFiles writes the export into dir, each file atomically, after
// checking that none would replace a file export did not write.
func writeFiles(f *cmdutil.Factory, dir string, files []spec.ExportFile) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return cmdutil.UsageErrorf("--out %v", err)
	}
	for _, file := range files {
		if err := checkReplace(filepath.Join(dir, file.Name)); err != nil {
			return cmdutil.UsageErrorf("--out %v", err)
		}
	}
	for _, file := range files {
		path := filepath.Join(dir, file.Name)
		if err := cmdutil.WriteFileAtomic(path, file.Data); err != nil {
			return fmt.Errorf("--out %w", err)
		}
		fmt.Fprintf(f.IO.ErrOut, "Wrote %s.\n", path)
	}
	return nil
}

// checkReplace refuses to replace a file that export did not write: one
// whose first line is not the export marker, a link, or not a regular
// file.
func checkReplace(path string) error {
	info, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s exists and is not a regular file (%s), so it is not replaced: choose another directory", path, info.Mode().Type())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(data, []byte(spec.ExportMarker)) {
		return fmt.Errorf("%s exists and was not written by asmlink export, so it is not replaced: move it, or choose another directory", path)
	}
	return nil
}
