package flow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/spec"
)

// Named is a thing a person may give by its ID or by its name: an ASM
// instance or an ACK cluster. Cloud IDs are unique; names need not be.
type Named struct {
	ID   string
	Name string
}

// String is "name (ID)", or the ID alone when the thing has no name.
func (n Named) String() string {
	if n.Name == "" || n.Name == n.ID {
		return spec.Value(n.ID)
	}
	return spec.Value(n.Name) + " (" + spec.Value(n.ID) + ")"
}

// NotFoundError means a name or ID matched none of the candidates, or a
// name matched several. It holds the nearest candidates and all of them,
// so the message can say "did you mean" and list what there is.
type NotFoundError struct {
	// Kind is what was looked for: "ASM instance", "ACK cluster".
	Kind string
	// Where says where it was looked for, e.g. "in region cn-hangzhou".
	Where string
	Ref   string
	// Ambiguous holds the candidates that share the name Ref, when more
	// than one does.
	Ambiguous  []Named
	Nearest    []Named
	Candidates []Named
}

// maxListed is how many candidates an error names before "and N more".
const maxListed = 10

func (e *NotFoundError) Error() string {
	var b strings.Builder
	if len(e.Ambiguous) > 0 {
		fmt.Fprintf(&b, "%q names %d %ss %s: give the ID of one: %s", e.Ref, len(e.Ambiguous), e.Kind, e.Where, list(e.Ambiguous))
		return b.String()
	}
	fmt.Fprintf(&b, "no %s %s is named or has the ID %q", e.Kind, e.Where, e.Ref)
	if len(e.Nearest) > 0 {
		fmt.Fprintf(&b, "; did you mean %s?", list(e.Nearest))
	}
	if len(e.Candidates) == 0 {
		fmt.Fprintf(&b, "; there is no %s %s", e.Kind, e.Where)
	} else {
		fmt.Fprintf(&b, "; the %ss %s are: %s", e.Kind, e.Where, list(e.Candidates))
	}
	return b.String()
}

// list names up to maxListed things, then how many more there are.
func list(ns []Named) string {
	var parts []string
	for _, n := range ns[:min(len(ns), maxListed)] {
		parts = append(parts, n.String())
	}
	s := strings.Join(parts, ", ")
	if len(ns) > maxListed {
		s += fmt.Sprintf(" and %d more", len(ns)-maxListed)
	}
	return s
}

// Resolve finds what ref names among candidates: the one whose ID is ref,
// else the only one whose name is ref (letter case ignored). Anything else
// is a *NotFoundError with the nearest candidates by edit distance.
func Resolve(kind, where, ref string, candidates []Named) (Named, error) {
	if i := slices.IndexFunc(candidates, func(n Named) bool { return n.ID == ref }); i >= 0 {
		return candidates[i], nil
	}
	var named []Named
	for _, n := range candidates {
		if strings.EqualFold(n.Name, ref) {
			named = append(named, n)
		}
	}
	if len(named) == 1 {
		return named[0], nil
	}
	e := &NotFoundError{Kind: kind, Where: where, Ref: ref, Candidates: candidates}
	if len(named) > 1 {
		e.Ambiguous = named
		return Named{}, e
	}
	words := make([]string, 0, 2*len(candidates))
	for _, n := range candidates {
		words = append(words, n.ID, n.Name)
	}
	near := Nearest(ref, words)
	for _, n := range candidates {
		if slices.Contains(near, n.ID) || (n.Name != "" && slices.Contains(near, n.Name)) {
			e.Nearest = append(e.Nearest, n)
		}
	}
	return Named{}, e
}

// Nearest returns the words nearest to ref by edit distance (letter case
// ignored), when they are near enough to be a slip: at most a third of
// ref's length, and at least 2, apart. A word that starts with ref, or
// that ref starts with, counts as near too (an ID cut short, a flag with
// a word added). It serves "did you mean" for names, IDs
// and flags alike.
func Nearest(ref string, words []string) []string {
	ref = strings.ToLower(ref)
	limit := max(2, len(ref)/3)
	best, out := -1, []string(nil)
	for _, w := range words {
		if w == "" {
			continue
		}
		lw := strings.ToLower(w)
		d := cloud.EditDistance(ref, lw)
		if min(len(ref), len(lw)) >= 4 && (strings.HasPrefix(lw, ref) || strings.HasPrefix(ref, lw)) {
			d = min(d, 1)
		}
		switch {
		case d > limit:
		case best < 0 || d < best:
			best, out = d, []string{w}
		case d == best && !slices.Contains(out, w):
			out = append(out, w)
		}
	}
	return out
}

// MeshNames are the region's ASM instances as Named, for Resolve.
func MeshNames(meshes []cloud.Mesh) []Named {
	ns := make([]Named, len(meshes))
	for i, m := range meshes {
		ns[i] = Named{ID: m.ID, Name: m.Name}
	}
	return ns
}

// ClusterNames are the region's ACK clusters as Named, for Resolve.
func ClusterNames(clusters []cloud.Cluster) []Named {
	ns := make([]Named, len(clusters))
	for i, c := range clusters {
		ns[i] = Named{ID: c.ID, Name: c.Name}
	}
	return ns
}
