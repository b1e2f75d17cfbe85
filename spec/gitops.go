package spec

import (
	"bytes"
	"fmt"
	"maps"
	"strconv"
	"strings"
)

// Tool is a GitOps tool that `asmlink export` writes files for. Each
// applies ASMPvlConfig/default with server-side apply under its own field
// manager, so the API server records which entries it owns.
type Tool string

// The tools, and what each does on the wire, from its own documentation
// or source:
//
//   - Argo CD applies with server-side apply when the resource carries the
//     sync option ServerSideApply=true, as field manager argocd-controller,
//     and forces conflicts ("Sync Options",
//     https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/;
//     "Server-Side Apply support for ArgoCD",
//     https://argo-cd.readthedocs.io/en/stable/proposals/server-side-apply/:
//     "use the force flag and override even if there are conflicts").
//     Prune=false and Delete=false keep it from deleting the object.
//   - Flux's kustomize-controller always applies server-side as field
//     manager kustomize-controller with ForceOwnership (fluxcd/pkg
//     ssa/manager_apply.go); the annotation
//     kustomize.toolkit.fluxcd.io/prune: disabled keeps its garbage
//     collection from deleting the object ("Kustomization",
//     https://fluxcd.io/flux/components/kustomize/kustomizations/#prune).
//   - kustomize builds; kubectl apply -k --server-side --field-manager
//     applies, and stops on a conflict unless --force-conflicts
//     (https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts).
//   - Terraform's kubernetes_manifest applies server-side with the
//     field_manager block's name (default "Terraform") and
//     force_conflicts (default false)
//     (https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/manifest).
const (
	ToolArgoCD    Tool = "argocd"
	ToolFlux      Tool = "flux"
	ToolKustomize Tool = "kustomize"
	ToolTerraform Tool = "terraform"
)

// Tools are the tools export writes for, in the order --help lists them.
var Tools = []Tool{ToolArgoCD, ToolFlux, ToolKustomize, ToolTerraform}

// toolFacts are what each tool does when it applies: its field manager
// (fixed, or asmlink's default for a tool where it is chosen), whether the
// manager is chosen in the exported files, and whether it forces conflicts.
var toolFacts = map[Tool]struct {
	manager    string
	configured bool
	force      bool
	name       string
}{
	ToolArgoCD:    {"argocd-controller", false, true, "Argo CD"},
	ToolFlux:      {"kustomize-controller", false, true, "Flux"},
	ToolKustomize: {"kustomize-asmpvlconfig", true, false, "kubectl apply -k"},
	ToolTerraform: {"terraform-asmpvlconfig", true, false, "Terraform"},
}

// FieldManager is the field manager tool applies with by default.
func (t Tool) FieldManager() string { return toolFacts[t].manager }

// ManagerConfigurable tells whether the exported files choose the field
// manager (kubectl, Terraform), rather than the tool fixing it (Argo CD,
// Flux).
func (t Tool) ManagerConfigurable() bool { return toolFacts[t].configured }

// Forces tells whether tool applies with force, taking over fields other
// managers own.
func (t Tool) Forces() bool { return toolFacts[t].force }

// ParseTool reads a --for value.
func ParseTool(s string) (Tool, bool) {
	t := Tool(s)
	_, ok := toolFacts[t]
	return t, ok
}

// The annotations export puts on the object for the tools.
const (
	argoSyncOptions = "argocd.argoproj.io/sync-options"
	fluxPrune       = "kustomize.toolkit.fluxcd.io/prune"
)

// ExportContent is the object to hand to a GitOps tool that applies as
// manager, connecting (or keeping) the clusters of team, from desired (the
// live object with the team's changes merged, as plan computes it), the
// live object's owners and the cloud's facts. With list maps it carries
// only the team's entries (those named in team, and those manager already
// owns) and the ASM vSwitches they rely on: the tool then owns only what it
// wrote, and a sync never removes or brings back another team's entry.
// With atomic lists a server-side apply sets each list whole, so it
// carries every entry of desired. The other results name the team's
// clusters in it (with atomic lists only those named in team: the server
// records one owner for a whole list), and the others: left out with list
// maps, carried with atomic lists.
func ExportContent(desired *ASMPvlConfig, owners Owners, manager string, team []string, facts *Facts) (cfg *ASMPvlConfig, mine, others []string) {
	ids := map[string]bool{}
	for _, id := range team {
		ids[id] = true
	}
	if owners.ListMaps {
		// An atomic list has one set of owners for all its entries, so
		// only list maps tell which entries are the manager's.
		for _, id := range owners.OwnedBy(manager) {
			ids[id] = true
		}
	}
	for _, e := range desired.Spec.AckVpcEndpoint {
		if ids[e.ClusterID] {
			mine = append(mine, e.ClusterID)
		} else {
			others = append(others, e.ClusterID)
		}
	}
	out := desired
	if owners.ListMaps {
		out = Keep(desired, ids, facts)
	}
	out = out.DeepCopy()
	out.Metadata.ResourceVersion = ""
	out.Status = nil
	out.Metadata.Annotations = maps.Clone(out.Metadata.Annotations)
	delete(out.Metadata.Annotations, lastAppliedAnnotation)
	delete(out.Metadata.Annotations, BaseAnnotation)
	return out, mine, others
}

// ExportFile is one file of an export.
type ExportFile struct {
	Name string
	Data []byte
}

// ExportMarker starts the first line of every file export writes, so that
// a later export replaces only files it wrote.
const ExportMarker = "# Exported by asmlink export"

// ExportOptions describe an export for its header comments.
type ExportOptions struct {
	Tool Tool
	// Manager is the field manager the tool applies with.
	Manager string
	MeshID  string
	// Team are the clusters the export connects or keeps for this team.
	Team []string
	// Others are the clusters of other owners: left out with list maps,
	// carried with atomic lists.
	Others []string
	// ListMaps and ShapeSource are how the server merges the lists, and
	// where that was read.
	ListMaps    bool
	ShapeSource string
	// Path is the directory the files are committed in, relative to the
	// repository root, for Flux's Kustomization (default ./).
	Path string
}

// Export writes the files that hand cfg (from ExportContent) to the tool:
// the manifest with the tool's annotations, and the tool's own settings.
// Every file starts with a header comment saying what the tool will own
// and what it leaves to others.
func Export(cfg *ASMPvlConfig, o ExportOptions) []ExportFile {
	obj := cfg.DeepCopy()
	obj.Metadata.Annotations = maps.Clone(obj.Metadata.Annotations)
	if obj.Metadata.Annotations == nil {
		obj.Metadata.Annotations = map[string]string{}
	}
	switch o.Tool {
	case ToolArgoCD:
		obj.Metadata.Annotations[argoSyncOptions] = "ServerSideApply=true,Prune=false,Delete=false"
	case ToolFlux:
		obj.Metadata.Annotations[fluxPrune] = "disabled"
	}
	manifest := exportHeader(o) + string(Encode(obj, EncodeOptions{}))
	files := []ExportFile{{Name: "asmpvlconfig.yaml", Data: []byte(manifest)}}
	switch o.Tool {
	case ToolFlux:
		files = append(files, kustomizationFile(o), fluxKustomization(o))
	case ToolKustomize:
		files = append(files, kustomizationFile(o))
	case ToolTerraform:
		files = append(files, terraformFile(o))
	}
	return files
}

// exportHeader is the manifest's comment: who applies it and how, what it
// owns, what it leaves to others, and, with atomic lists, the warning
// that ownership of the list cannot be shared.
func exportHeader(o ExportOptions) string {
	var b bytes.Buffer
	line := func(format string, args ...any) {
		b.WriteString(strings.TrimRight("# "+Printable(fmt.Sprintf(format, args...)), " ") + "\n")
	}
	f := toolFacts[o.Tool]
	line("%s --for %s, for ASM instance %s.", ExportMarker[2:], o.Tool, o.MeshID)
	line("%s applies it with server-side apply as field manager %s,", f.name, o.Manager)
	if f.force {
		line("forcing conflicts: it takes over any field of this file that another manager set.")
	} else {
		line("without forcing: a field of this file that another manager set stops the apply.")
	}
	switch o.Tool {
	case ToolArgoCD:
		line("%s: server-side apply; Argo CD never prunes or", argoSyncOptions)
		line("deletes ASMPvlConfig/default, which holds every team's clusters.")
	case ToolFlux:
		line("%s: disabled: Flux never garbage-collects", fluxPrune)
		line("ASMPvlConfig/default, which holds every team's clusters.")
	}
	line("")
	if o.ListMaps {
		line("Owns: the entries of cluster(s) %s,", listOrNone(o.Team))
		line("and the ASM vSwitches they rely on.")
		line("The server merges spec.ackVpcEndpoint by clusterId and the vSwitches by vSwitchId")
		line("(%s), so %s owns only these entries.", o.ShapeSource, o.Manager)
		line("Leaves to others: every other cluster's entry (%s).", listOrNone(o.Others))
		line("A sync never removes or brings back an entry it did not write. Re-export when")
		line("this team connects a cluster: the entries %s owns stay in the export.", o.Manager)
		return b.String()
	}
	line("Owns: both lists WHOLE, every entry in them. Exported to connect cluster(s)")
	line("%s.", listOrNone(o.Team))
	line("WARNING: the server's lists are ATOMIC (%s):", o.ShapeSource)
	line("a server-side apply replaces each list whole, so ownership cannot be shared.")
	line("This file therefore carries EVERY live entry, and besides the clusters above")
	line("%s,", listOrNone(o.Others))
	line("which may be other teams': the server records one owner for a whole atomic list.")
	line("Each sync sets the lists to exactly this file: a cluster another team connects")
	line("or removes after this export is undone at the next sync unless this file is")
	line("exported again (asmlink export) first. asmlink apply and remove stop with a")
	line("conflict rather than take the list from %s; asmlink doctor warns when", o.Manager)
	line("two managers apply it.")
	return b.String()
}

func listOrNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	if len(ids) > 8 {
		return fmt.Sprintf("%s and %d more", strings.Join(ids[:8], ", "), len(ids)-8)
	}
	return strings.Join(ids, ", ")
}

// kustomizationFile is kustomize's kustomization.yaml listing the
// manifest, with how to apply it.
func kustomizationFile(o ExportOptions) ExportFile {
	var b strings.Builder
	fmt.Fprintf(&b, "%s --for %s: the kustomization of asmpvlconfig.yaml.\n", ExportMarker, o.Tool)
	if o.Tool == ToolKustomize {
		fmt.Fprintf(&b, "# Apply with server-side apply under the field manager that owns this team's entries,\n")
		fmt.Fprintf(&b, "# without --force-conflicts, so a conflict stops the apply instead of taking fields over:\n")
		fmt.Fprintf(&b, "#   kubectl apply -k . --server-side --field-manager=%s\n", o.Manager)
		fmt.Fprintf(&b, "# Never kubectl delete -k: ASMPvlConfig/default holds every team's clusters.\n")
	} else {
		fmt.Fprintf(&b, "# Flux builds it and applies the result (see flux-kustomization.yaml).\n")
	}
	b.WriteString("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- asmpvlconfig.yaml\n")
	return ExportFile{Name: "kustomization.yaml", Data: []byte(b.String())}
}

// fluxKustomization is the Flux Kustomization that applies the directory.
func fluxKustomization(o ExportOptions) ExportFile {
	path := o.Path
	if path == "" {
		path = "./"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s --for flux: the Flux Kustomization that applies this directory.\n", ExportMarker)
	b.WriteString("# kustomize-controller applies it server-side as field manager kustomize-controller, forcing\n")
	b.WriteString("# conflicts. deletionPolicy Orphan: deleting this Kustomization leaves ASMPvlConfig/default.\n")
	b.WriteString("# Set sourceRef to the GitRepository these files are committed to. kubeConfig points Flux at the\n")
	b.WriteString("# ASM instance's API server: a Secret with its kubeconfig under the key value, e.g.\n")
	b.WriteString("#   kubectl -n flux-system create secret generic asm-kubeconfig --from-file=value=asm.kubeconfig\n")
	fmt.Fprintf(&b, `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: asmpvlconfig
  namespace: flux-system
spec:
  interval: 10m
  path: %s
  prune: true
  deletionPolicy: Orphan
  sourceRef:
    kind: GitRepository
    name: flux-system
  kubeConfig:
    secretRef:
      name: asm-kubeconfig
`, strconv.Quote(path))
	return ExportFile{Name: "flux-kustomization.yaml", Data: []byte(b.String())}
}

// terraformFile is the kubernetes_manifest resource that applies the
// manifest, with the field manager named and force_conflicts false, so
// that Terraform stops on a field another manager changed instead of
// silently setting it back; a variable takes a list over once, on
// purpose, when another manager applied it first (atomic lists).
func terraformFile(o ExportOptions) ExportFile {
	var b strings.Builder
	fmt.Fprintf(&b, "%s --for terraform: applies asmpvlconfig.yaml.\n", ExportMarker)
	fmt.Fprintf(&b, "# field_manager %s owns this team's entries. force_conflicts is false: when\n", o.Manager)
	b.WriteString("# another manager changed a field of this file, terraform apply stops and names it instead of\n")
	b.WriteString("# setting it back. To take such fields over on purpose, once (an atomic list another manager\n")
	b.WriteString("# applied first): terraform apply -var asmpvlconfig_take_over=true\n")
	b.WriteString("# prevent_destroy: terraform destroy would delete ASMPvlConfig/default, which holds every team's\n")
	b.WriteString("# clusters; to stop managing it: terraform state rm kubernetes_manifest.asmpvlconfig\n")
	fmt.Fprintf(&b, `variable "asmpvlconfig_take_over" {
  description = "Take over fields of ASMPvlConfig/default that another field manager owns (once, on purpose)."
  type        = bool
  default     = false
}

resource "kubernetes_manifest" "asmpvlconfig" {
  manifest = yamldecode(file("${path.module}/asmpvlconfig.yaml"))

  field_manager {
    name            = %q
    force_conflicts = var.asmpvlconfig_take_over
  }

  lifecycle {
    prevent_destroy = true
  }
}
`, o.Manager)
	return ExportFile{Name: "asmpvlconfig.tf", Data: []byte(b.String())}
}

// ToolNames lists the tools for a message: argocd, flux, kustomize or
// terraform.
func ToolNames() string {
	names := make([]string, len(Tools))
	for i, t := range Tools {
		names[i] = string(t)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
