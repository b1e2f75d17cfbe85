package spec

import (
	"fmt"
	"reflect"
	"testing"
)

// mergeUniverse turns fuzz bytes into a live object and a change drawn
// from one valid world: shaped cluster IDs, each cluster's own vSwitches,
// ASM vSwitches from another pool, zones of one region. Any live object
// and change drawn from it is valid, so a merge of the two must be too.
type mergeUniverse struct {
	data []byte
	pos  int
}

func (u *mergeUniverse) next(n int) int {
	if u.pos >= len(u.data) || n <= 0 {
		return 0
	}
	b := int(u.data[u.pos])
	u.pos++
	return b % n
}

var fuzzZones = []string{"cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"}

func (u *mergeUniverse) entry() AckVpcEndpoint {
	c := u.next(12)
	e := AckVpcEndpoint{ClusterID: fmt.Sprintf("c%032x", c+1)}
	for k, n := 0, 1+u.next(3); k < n; k++ {
		e.VSwitches = append(e.VSwitches, VSwitch{VSwitchID: fmt.Sprintf("vsw-bp1ack%02dk%d", c, k), ZoneID: fuzzZones[u.next(len(fuzzZones))]})
	}
	// Each vSwitch once in the entry, as a valid entry lists it.
	seen := map[string]bool{}
	out := e.VSwitches[:0]
	for _, v := range e.VSwitches {
		if !seen[v.VSwitchID] {
			seen[v.VSwitchID] = true
			out = append(out, v)
		}
	}
	e.VSwitches = out
	return e
}

func (u *mergeUniverse) asm(n int) []VSwitch {
	var out []VSwitch
	seen := map[string]bool{}
	for range n {
		id := fmt.Sprintf("vsw-bp1asm%02d", u.next(6))
		if !seen[id] {
			seen[id] = true
			out = append(out, VSwitch{VSwitchID: id, ZoneID: fuzzZones[u.next(len(fuzzZones))]})
		}
	}
	return out
}

// live is a valid object of up to 8 clusters (each once) and 1-3 ASM
// vSwitches.
func (u *mergeUniverse) live() *ASMPvlConfig {
	cfg := New()
	seen := map[string]bool{}
	for range u.next(9) {
		e := u.entry()
		if !seen[e.ClusterID] {
			seen[e.ClusterID] = true
			cfg.Spec.AckVpcEndpoint = append(cfg.Spec.AckVpcEndpoint, e)
		}
	}
	cfg.Spec.AsmVpcEndpoint.VSwitches = u.asm(1 + u.next(3))
	return cfg
}

// FuzzMergeApply drives the merge an apply makes (spec.MergeAll, which
// apply -f and every wizard or plan change go through via spec.Merge) with
// random live objects and random changes. For any of them: the result is
// valid; every entry of a cluster the change does not name is unchanged
// and in its place; each changed cluster has exactly the change's entry
// (the last one for a cluster named twice); every live ASM vSwitch stays
// with its own zoneId and the change's new ones are added once; merging
// all at once equals merging one by one; and neither input is changed.
func FuzzMergeApply(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 1, 0, 2, 5, 1, 1, 2, 3, 0, 0, 2, 1, 1, 4, 2, 0, 7, 1})
	f.Add([]byte{8, 0, 1, 0, 0, 1, 1, 0, 2, 2, 0, 0, 3, 3, 0, 1, 2, 2, 9, 9, 9, 9})
	f.Add([]byte("a merge of many clusters with repeated names in the change"))
	f.Fuzz(func(t *testing.T, data []byte) {
		u := &mergeUniverse{data: data}
		live := u.live()
		var change []AckVpcEndpoint
		for range u.next(6) {
			change = append(change, u.entry())
		}
		asm := u.asm(u.next(4))
		liveBefore, changeBefore := live.DeepCopy(), append([]AckVpcEndpoint(nil), change...)
		for i := range changeBefore {
			changeBefore[i] = changeBefore[i].deepCopy()
		}

		got := MergeAll(live, change, asm)

		if !reflect.DeepEqual(live, liveBefore) || !reflect.DeepEqual(change, changeBefore) {
			t.Fatal("MergeAll changed its input")
		}
		if fs := Validate(got, nil); HasErrors(fs) {
			t.Fatalf("the merge of a valid object and a valid change is invalid: %v\nlive %+v\nchange %+v", fs, live.Spec, change)
		}
		want := map[string]AckVpcEndpoint{}
		for _, e := range change {
			want[e.ClusterID] = e
		}
		for i, e := range live.Spec.AckVpcEndpoint {
			if w, changed := want[e.ClusterID]; changed {
				if !reflect.DeepEqual(got.Spec.AckVpcEndpoint[i], w) {
					t.Fatalf("cluster %s: got %+v, want the change's entry %+v", e.ClusterID, got.Spec.AckVpcEndpoint[i], w)
				}
				continue
			}
			if !reflect.DeepEqual(got.Spec.AckVpcEndpoint[i], e) {
				t.Fatalf("an entry the change does not name moved or changed: %+v became %+v", e, got.Spec.AckVpcEndpoint[i])
			}
		}
		if len(got.Spec.AckVpcEndpoint) != len(live.Spec.AckVpcEndpoint)+countNew(live, want) {
			t.Fatalf("%d entries after merging %d new clusters into %d", len(got.Spec.AckVpcEndpoint), countNew(live, want), len(live.Spec.AckVpcEndpoint))
		}
		for i, v := range live.Spec.AsmVpcEndpoint.VSwitches {
			if got.Spec.AsmVpcEndpoint.VSwitches[i] != v {
				t.Fatalf("live ASM vSwitch %+v became %+v", v, got.Spec.AsmVpcEndpoint.VSwitches[i])
			}
		}
		ids := map[string]bool{}
		for _, v := range got.Spec.AsmVpcEndpoint.VSwitches {
			if ids[v.VSwitchID] {
				t.Fatalf("ASM vSwitch %s is listed twice", v.VSwitchID)
			}
			ids[v.VSwitchID] = true
		}
		for _, v := range asm {
			if !ids[v.VSwitchID] {
				t.Fatalf("the change's ASM vSwitch %s is missing", v.VSwitchID)
			}
		}
		if len(change) == 0 {
			return
		}
		oneByOne := live
		for i, e := range change {
			var shared []VSwitch
			if i == 0 {
				shared = asm
			}
			oneByOne = Merge(oneByOne, e, shared)
		}
		if !reflect.DeepEqual(oneByOne, got) {
			t.Fatalf("merging at once differs from merging one by one:\n%s", Diff(oneByOne, got))
		}
	})
}

// countNew is how many clusters of want the live object does not have.
func countNew(live *ASMPvlConfig, want map[string]AckVpcEndpoint) int {
	n := 0
	for id := range want {
		if _, ok := live.Entry(id); !ok {
			n++
		}
	}
	return n
}
