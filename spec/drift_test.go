package spec

import (
	"fmt"
	"testing"
)

// TestDrift: each state, on list maps and atomic lists. A live entry the
// file lacks is another owner's with list maps, unless the file's manager
// owns it; with atomic lists a sync of the file removes it.
func TestDrift(t *testing.T) {
	desired, facts := teamWorld()
	id := func(n int) string { return fmt.Sprintf("c%032x", n) }
	live := Remove(desired, id(3), nil)
	file := Merge(Keep(desired, map[string]bool{id(1): true, id(3): true}, facts), AckVpcEndpoint{ClusterID: id(1), VSwitches: []VSwitch{{VSwitchID: "vsw-ack1", ZoneID: "cn-hangzhou-h"}}}, nil)
	for _, c := range []struct {
		listMaps bool
		manager  string
		want     map[string]DriftState
		drifted  int
	}{
		{true, "argocd-controller", map[string]DriftState{clusterPath(id(1)): DriftChanged, clusterPath(id(3)): DriftMissing, clusterPath(id(2)): DriftOthers,
			asmPath("vsw-asmj"): DriftInSync, asmPath("vsw-asmh"): DriftOthers}, 2},
		{true, "asmlink", map[string]DriftState{clusterPath(id(1)): DriftChanged, clusterPath(id(3)): DriftMissing, clusterPath(id(2)): DriftRemoved,
			asmPath("vsw-asmj"): DriftInSync, asmPath("vsw-asmh"): DriftRemoved}, 4},
		{false, "", map[string]DriftState{clusterPath(id(1)): DriftChanged, clusterPath(id(3)): DriftMissing, clusterPath(id(2)): DriftRemoved,
			asmPath("vsw-asmj"): DriftInSync, asmPath("vsw-asmh"): DriftRemoved}, 4},
	} {
		got := Drift(file, live, teamOwners(c.listMaps), c.manager)
		if len(got) != len(c.want) || Drifted(got) != c.drifted {
			t.Errorf("list maps %v, %s: %d entries, %d drifted: %+v", c.listMaps, c.manager, len(got), Drifted(got), got)
		}
		for _, e := range got {
			if c.want[e.Path] != e.State {
				t.Errorf("list maps %v, %s: %s is %s, want %s", c.listMaps, c.manager, e.Path, e.State, c.want[e.Path])
			}
		}
	}
	if got := Drift(file, nil, Owners{ListMaps: true}, ""); Drifted(got) != 3 || DriftSummary(got) != "3 entries drift (3 missing); 0 in sync, 0 others'" {
		t.Errorf("against no live object: %s", DriftSummary(got))
	}
	if m := ManagerOf(Export(file, ExportOptions{Tool: ToolFlux})[0].config(t)); m != "kustomize-controller" {
		t.Errorf("ManagerOf a Flux export = %q", m)
	}
}

func (f ExportFile) config(t *testing.T) *ASMPvlConfig {
	t.Helper()
	cfg, err := Decode(f.Data)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
