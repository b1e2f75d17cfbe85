package spec

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// BaseAnnotation records, in a file asmlink plan writes, which version of
// the live object the file was made from and what the plan changed, so that
// applying the file later can tell the entries it carries over unchanged
// from the entries it means to change. An annotation keeps the file a plain
// ASMPvlConfig that validate accepts and kubectl can apply; its value stays
// small whatever the number of clusters.
const BaseAnnotation = "asmlink.io/based-on"

// Base is the value of BaseAnnotation.
type Base struct {
	// ResourceVersion is the live object's version the plan read.
	ResourceVersion string `json:"resourceVersion"`
	// Changed are the clusters whose entries the plan added or changed.
	Changed []string `json:"changed,omitempty"`
	// AddedASMVSwitches are the ASM vSwitches the plan added.
	AddedASMVSwitches []string `json:"addedAsmVSwitches,omitempty"`
}

// RecordBase annotates plan, made from the live object live, with its Base.
// A plan made from no live object records nothing: there is nothing it
// could bring back.
func RecordBase(plan, live *ASMPvlConfig) {
	if live == nil || live.Metadata.ResourceVersion == "" {
		return
	}
	b := Base{ResourceVersion: live.Metadata.ResourceVersion}
	entries := entriesByCluster(live)
	for _, e := range plan.Spec.AckVpcEndpoint {
		if old, ok := entries[e.ClusterID]; !ok || !sameEntry(old, e) {
			b.Changed = append(b.Changed, e.ClusterID)
		}
	}
	asm := asmVSwitchIDs(live)
	for _, v := range plan.Spec.AsmVpcEndpoint.VSwitches {
		if !asm[v.VSwitchID] {
			b.AddedASMVSwitches = append(b.AddedASMVSwitches, v.VSwitchID)
		}
	}
	data, _ := json.Marshal(b)
	plan.Metadata.Annotations = maps.Clone(plan.Metadata.Annotations)
	if plan.Metadata.Annotations == nil {
		plan.Metadata.Annotations = map[string]string{}
	}
	plan.Metadata.Annotations[BaseAnnotation] = string(data)
}

// lastAppliedAnnotation is where client-side kubectl apply keeps the file
// it last applied, on the live object.
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// ForFile is plan, made from the live object live (nil when not read), as
// a file to apply later: it records its Base, and drops the
// resourceVersion, which would only make kubectl apply fail, and kubectl's
// record of its own last apply, which is not the file's content.
func ForFile(plan, live *ASMPvlConfig) *ASMPvlConfig {
	out := plan.DeepCopy()
	RecordBase(out, live)
	out.Metadata.ResourceVersion = ""
	delete(out.Metadata.Annotations, lastAppliedAnnotation)
	return out
}

// ReadBase reads the Base a file records; false when it records none.
func ReadBase(file *ASMPvlConfig) (Base, bool, error) {
	v, ok := file.Metadata.Annotations[BaseAnnotation]
	if !ok {
		return Base{}, false, nil
	}
	var b Base
	if err := json.Unmarshal([]byte(v), &b); err != nil || b.ResourceVersion == "" {
		return Base{}, false, fmt.Errorf("metadata.annotations[%s] is not what asmlink plan writes (%q): remove it or make a new plan", BaseAnnotation, v)
	}
	return b, true, nil
}

// Stale names every entry of file that, merged into live, would bring back
// an entry removed, or undo a change made, since the version base records:
// the entries file carries over from that version (not the ones its plan
// changed) that live no longer holds as they are in file. Nothing is stale
// when live is still that version.
func Stale(file, live *ASMPvlConfig, base Base) []string {
	if live != nil && live.Metadata.ResourceVersion == base.ResourceVersion {
		return nil
	}
	var out []string
	entries, asm := entriesByCluster(live), asmVSwitchIDs(live)
	for _, e := range file.Spec.AckVpcEndpoint {
		if slices.Contains(base.Changed, e.ClusterID) {
			continue
		}
		now, ok := entries[e.ClusterID]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("brings back spec.ackVpcEndpoint[clusterId=%s], removed since the file was made", e.ClusterID))
		case !sameEntry(now, e):
			out = append(out, fmt.Sprintf("undoes the change to spec.ackVpcEndpoint[clusterId=%s] made since the file was made", e.ClusterID))
		}
	}
	for _, v := range file.Spec.AsmVpcEndpoint.VSwitches {
		if slices.Contains(base.AddedASMVSwitches, v.VSwitchID) {
			continue
		}
		if !asm[v.VSwitchID] {
			out = append(out, fmt.Sprintf("brings back spec.asmVpcEndpoint.vSwitches[vSwitchId=%s], removed since the file was made", v.VSwitchID))
		}
	}
	return out
}

// sameEntry tells whether two entries list the same vSwitches and zones in
// the same order.
func sameEntry(a, b AckVpcEndpoint) bool {
	return a.ClusterID == b.ClusterID && slices.Equal(a.VSwitches, b.VSwitches)
}

// entriesByCluster indexes cfg's entries by cluster (nil cfg: none), so
// that files of many clusters are compared in linear time.
func entriesByCluster(cfg *ASMPvlConfig) map[string]AckVpcEndpoint {
	out := map[string]AckVpcEndpoint{}
	if cfg != nil {
		for _, e := range cfg.Spec.AckVpcEndpoint {
			if _, dup := out[e.ClusterID]; !dup {
				out[e.ClusterID] = e
			}
		}
	}
	return out
}

// asmVSwitchIDs is the set of cfg's ASM vSwitches (nil cfg: none).
func asmVSwitchIDs(cfg *ASMPvlConfig) map[string]bool {
	out := map[string]bool{}
	if cfg != nil {
		for _, v := range cfg.Spec.AsmVpcEndpoint.VSwitches {
			out[v.VSwitchID] = true
		}
	}
	return out
}
