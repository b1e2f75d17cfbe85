package flow

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

var named = []Named{
	{ID: "d564b858f9a3e247cb2c083eb8cb37f0", Name: "mesh-prod"},
	{ID: "a72e9d34119f3374cebd4d3fd81b6ee7", Name: "mesh-staging"},
	{ID: "c3e04d42f8ac2acaf127972d33e5901a7", Name: "billing"},
	{ID: "cf00000000000000000000000000000001", Name: "twin"},
	{ID: "cf00000000000000000000000000000002", Name: "twin"},
}

// TestResolveTakesAnIDOrAName: an ID is found as is, a name in any letter
// case, and an ID wins over a name.
func TestResolveTakesAnIDOrAName(t *testing.T) {
	for ref, want := range map[string]string{
		"d564b858f9a3e247cb2c083eb8cb37f0": "d564b858f9a3e247cb2c083eb8cb37f0",
		"mesh-prod":                        "d564b858f9a3e247cb2c083eb8cb37f0",
		"Mesh-Staging":                     "a72e9d34119f3374cebd4d3fd81b6ee7",
		"billing":                          "c3e04d42f8ac2acaf127972d33e5901a7",
	} {
		got, err := Resolve("ASM instance", "in region cn-hangzhou", ref, named)
		if err != nil || got.ID != want {
			t.Errorf("Resolve(%q) = %v, %v; want %s", ref, got, err, want)
		}
	}
}

// TestResolveMissSuggestsTheNearestAndListsAll: a slip gets "did you
// mean" the nearest, a name two share is ambiguous with both IDs, and a
// value near nothing lists the candidates without a guess.
func TestResolveMissSuggestsTheNearestAndListsAll(t *testing.T) {
	for _, tc := range []struct {
		ref        string
		nearest    []string
		ambiguous  int
		wantInText []string
	}{
		{"mesh-prd", []string{"d564b858f9a3e247cb2c083eb8cb37f0"}, 0, []string{`"mesh-prd"`, "did you mean mesh-prod (d564b858f9a3e247cb2c083eb8cb37f0)?", "billing (c3e04d42f8ac2acaf127972d33e5901a7)"}},
		{"d564b858f9a3e247cb2c083eb8cb37f", []string{"d564b858f9a3e247cb2c083eb8cb37f0"}, 0, []string{"did you mean mesh-prod"}},
		{"twin", nil, 2, []string{`"twin" names 2 ASM instances`, "cf00000000000000000000000000000001", "cf00000000000000000000000000000002"}},
		{"zzzzzzzzzzzzz", nil, 0, []string{"the ASM instances in region cn-hangzhou are: mesh-prod"}},
	} {
		_, err := Resolve("ASM instance", "in region cn-hangzhou", tc.ref, named)
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Fatalf("Resolve(%q): %v, want a *NotFoundError", tc.ref, err)
		}
		var ids []string
		for _, n := range nf.Nearest {
			ids = append(ids, n.ID)
		}
		if !slices.Equal(ids, tc.nearest) || len(nf.Ambiguous) != tc.ambiguous {
			t.Errorf("Resolve(%q): nearest %v, ambiguous %d; want %v, %d", tc.ref, ids, len(nf.Ambiguous), tc.nearest, tc.ambiguous)
		}
		for _, w := range tc.wantInText {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Resolve(%q): %q lacks %q", tc.ref, err, w)
			}
		}
		if strings.Contains(err.Error(), "did you mean") != (len(tc.nearest) > 0) {
			t.Errorf("Resolve(%q): %q says did you mean without a near candidate, or not with one", tc.ref, err)
		}
	}
	if _, err := Resolve("ACK cluster", "in region cn-hangzhou", "x", nil); err == nil || !strings.Contains(err.Error(), "there is no ACK cluster in region cn-hangzhou") {
		t.Errorf("no candidates: %v", err)
	}
}

// TestNearestIsASlipNotAGuess: a slip within a third of the length or a
// cut prefix is near; a different word is not.
func TestNearestIsASlipNotAGuess(t *testing.T) {
	words := []string{"mesh", "cluster", "wait", "watch", "timeout"}
	for ref, want := range map[string][]string{
		"mesh-id": {"mesh"},
		"clustr":  {"cluster"},
		"wiat":    {"wait"},
		"time":    {"timeout"},
		"zzzzz":   nil,
	} {
		if got := Nearest(ref, words); !slices.Equal(got, want) {
			t.Errorf("Nearest(%q) = %v, want %v", ref, got, want)
		}
	}
}

// TestListCutsLongLists: more than ten candidates are named up to ten,
// then "and N more".
func TestListCutsLongLists(t *testing.T) {
	var many []Named
	for i := range 14 {
		many = append(many, Named{ID: strings.Repeat("c", i+1)})
	}
	if got := list(many); !strings.HasSuffix(got, "cccccccccc and 4 more") {
		t.Errorf("list = %q", got)
	}
}

// BenchmarkResolveMiss20000 is a --cluster slip among 20,000 clusters:
// the whole list is ranked by edit distance once.
func BenchmarkResolveMiss20000(b *testing.B) {
	many := make([]Named, 20000)
	for i := range many {
		many[i] = Named{ID: fmt.Sprintf("c%032x", i*7919), Name: fmt.Sprintf("cluster-%05d", i)}
	}
	for b.Loop() {
		if _, err := Resolve("ACK cluster", "in region cn-hangzhou", "cluster-1234", many); err == nil {
			b.Fatal("a slip resolved")
		}
	}
}
