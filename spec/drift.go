package spec

import (
	"fmt"
	"strings"
)

// DriftState is how one entry of a file compares with the live object.
type DriftState string

// The states. Missing, Changed and Removed are drift: a sync of the file
// would change the live object. InSync and Others are not.
const (
	// DriftMissing: in the file, not live.
	DriftMissing DriftState = "missing"
	// DriftChanged: in both, with other vSwitches or zones.
	DriftChanged DriftState = "changed"
	// DriftRemoved: live, not in the file, and a sync of the file removes
	// it (atomic lists, or an entry the file's manager owns).
	DriftRemoved DriftState = "removed"
	// DriftInSync: in both, the same.
	DriftInSync DriftState = "in-sync"
	// DriftOthers: live, not in the file, owned by others: a sync keeps it.
	DriftOthers DriftState = "others"
)

// Drifts tells whether the state is drift.
func (s DriftState) Drifts() bool {
	return s == DriftMissing || s == DriftChanged || s == DriftRemoved
}

// EntryDrift is one entry compared: a cluster's ackVpcEndpoint entry or an
// ASM vSwitch, with what each side holds (nil when absent) and who owns it
// live.
type EntryDrift struct {
	Path   string     `json:"path"`
	State  DriftState `json:"state"`
	File   any        `json:"file,omitempty"`
	Live   any        `json:"live,omitempty"`
	Owners []Manager  `json:"owners,omitempty"`
}

// Drift compares file, entry by entry, with live (nil when the object does
// not exist) as a sync of the file by manager would see it: an entry live
// but not in the file is removed by that sync when the lists are atomic or
// manager owns it, and kept (another owner's) otherwise. manager may be
// empty when it is not known; with list maps no live-only entry is then
// counted as drift.
func Drift(file, live *ASMPvlConfig, owners Owners, manager string) []EntryDrift {
	var out []EntryDrift
	removes := func(ms []Manager) DriftState {
		if !owners.ListMaps {
			return DriftRemoved
		}
		for _, m := range ms {
			if manager != "" && m.Name == manager {
				return DriftRemoved
			}
		}
		return DriftOthers
	}
	liveEntries := entriesByCluster(live)
	inFile := map[string]bool{}
	for _, e := range file.Spec.AckVpcEndpoint {
		inFile[e.ClusterID] = true
		d := EntryDrift{Path: clusterPath(e.ClusterID), File: e, Owners: owners.Clusters[e.ClusterID]}
		switch l, ok := liveEntries[e.ClusterID]; {
		case !ok:
			d.State = DriftMissing
		case sameEntry(e, l):
			d.State, d.Live = DriftInSync, l
		default:
			d.State, d.Live = DriftChanged, l
		}
		out = append(out, d)
	}
	if live != nil {
		for _, l := range live.Spec.AckVpcEndpoint {
			if !inFile[l.ClusterID] {
				ms := owners.Clusters[l.ClusterID]
				out = append(out, EntryDrift{Path: clusterPath(l.ClusterID), State: removes(ms), Live: l, Owners: ms})
			}
		}
	}
	liveASM := map[string]VSwitch{}
	if live != nil {
		for _, v := range live.Spec.AsmVpcEndpoint.VSwitches {
			liveASM[v.VSwitchID] = v
		}
	}
	asmInFile := map[string]bool{}
	for _, v := range file.Spec.AsmVpcEndpoint.VSwitches {
		asmInFile[v.VSwitchID] = true
		d := EntryDrift{Path: asmPath(v.VSwitchID), File: v, Owners: owners.ASMVSwitches[v.VSwitchID]}
		switch l, ok := liveASM[v.VSwitchID]; {
		case !ok:
			d.State = DriftMissing
		case l == v:
			d.State, d.Live = DriftInSync, l
		default:
			d.State, d.Live = DriftChanged, l
		}
		out = append(out, d)
	}
	if live != nil {
		for _, l := range live.Spec.AsmVpcEndpoint.VSwitches {
			if !asmInFile[l.VSwitchID] {
				ms := owners.ASMVSwitches[l.VSwitchID]
				out = append(out, EntryDrift{Path: asmPath(l.VSwitchID), State: removes(ms), Live: l, Owners: ms})
			}
		}
	}
	return out
}

// Drifted counts the entries that drift.
func Drifted(entries []EntryDrift) int {
	n := 0
	for _, e := range entries {
		if e.State.Drifts() {
			n++
		}
	}
	return n
}

// DriftSummary is one line about entries: how many drift and how many are
// in sync or others'.
func DriftSummary(entries []EntryDrift) string {
	counts := map[DriftState]int{}
	for _, e := range entries {
		counts[e.State]++
	}
	n := Drifted(entries)
	if n == 0 {
		return fmt.Sprintf("no drift: %d entries in sync, %d others'", counts[DriftInSync], counts[DriftOthers])
	}
	var parts []string
	for _, s := range []DriftState{DriftMissing, DriftChanged, DriftRemoved} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return fmt.Sprintf("%d entries drift (%s); %d in sync, %d others'", n, strings.Join(parts, ", "), counts[DriftInSync], counts[DriftOthers])
}

// DescribeEntry writes an entry's value on one line: a cluster's
// vSwitches and zones, or an ASM vSwitch's zone.
func DescribeEntry(v any) string {
	switch e := v.(type) {
	case AckVpcEndpoint:
		var parts []string
		for _, s := range e.VSwitches {
			parts = append(parts, s.VSwitchID+" "+s.ZoneID)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case VSwitch:
		return "zone " + e.ZoneID
	}
	return ""
}

func clusterPath(id string) string { return "spec.ackVpcEndpoint[clusterId=" + id + "]" }
func asmPath(id string) string     { return "spec.asmVpcEndpoint.vSwitches[vSwitchId=" + id + "]" }

// ManagerOf names the field manager that applies file when its
// annotations say which tool does: argocd-controller for Argo CD's sync
// options, kustomize-controller for Flux's prune annotation; "" otherwise.
func ManagerOf(file *ASMPvlConfig) string {
	a := file.Metadata.Annotations
	switch {
	case a[argoSyncOptions] != "":
		return ToolArgoCD.FieldManager()
	case a[fluxPrune] != "":
		return ToolFlux.FieldManager()
	}
	return ""
}
