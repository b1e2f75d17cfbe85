package spec

import (
	"slices"
	"sort"
)

// Manager is one field manager of the live object, as its managedFields
// name it. Applier is true when it writes with server-side apply, so that
// it sets its fields again at its next sync (a GitOps tool); false when
// its fields were last written by an update (kubectl edit, client-side
// kubectl apply, the console).
type Manager struct {
	Name    string `json:"name"`
	Applier bool   `json:"applier"`
}

// Owners is who owns what in the live object, read from its managedFields.
// How the server shares the lists decides what can be owned: with lists
// merged by key (ListMaps) each entry has its own owners; with atomic
// lists, whoever owns a list owns every entry in it, and the next write
// of the list by one owner replaces it whole.
type Owners struct {
	ListMaps bool `json:"listMaps"`
	// Clusters are the owners of each live ackVpcEndpoint entry, by
	// clusterId, and ASMVSwitches those of each asmVpcEndpoint.vSwitches
	// entry, by vSwitchId; with atomic lists, each entry has its list's
	// owners.
	Clusters     map[string][]Manager `json:"clusters,omitempty"`
	ASMVSwitches map[string][]Manager `json:"asmVSwitches,omitempty"`
	// ClusterList and ASMVSwitchList are the owners of each list as a
	// whole: with atomic lists, the managers that set it.
	ClusterList    []Manager `json:"clusterList,omitempty"`
	ASMVSwitchList []Manager `json:"asmVSwitchList,omitempty"`
}

// OwnedBy lists, sorted, the clusters whose entries manager owns with
// server-side apply.
func (o Owners) OwnedBy(manager string) []string {
	var out []string
	for id, ms := range o.Clusters {
		if slices.Contains(ms, Manager{Name: manager, Applier: true}) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Names is the managers' names, for a message.
func Names(ms []Manager) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

// Contenders names the server-side appliers that share atomic lists:
// with two or more, each one's next apply replaces the list the others
// set, so they take turns dropping each other's entries. With list maps
// (or one applier) it is empty.
func (o Owners) Contenders() []string {
	if o.ListMaps {
		return nil
	}
	var out []string
	for _, m := range append(slices.Clone(o.ClusterList), o.ASMVSwitchList...) {
		if m.Applier && !slices.Contains(out, m.Name) {
			out = append(out, m.Name)
		}
	}
	if len(out) < 2 {
		return nil
	}
	sort.Strings(out)
	return out
}
