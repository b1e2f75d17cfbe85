package spec

import (
	"maps"
	"slices"

	udiff "github.com/aymanbagabas/go-udiff"
)

// New returns an empty ASMPvlConfig named default, ready for Merge.
func New() *ASMPvlConfig {
	return &ASMPvlConfig{APIVersion: APIVersion, Kind: Kind, Metadata: ObjectMeta{Name: Name}}
}

// DeepCopy returns a copy of c that shares no memory with it.
func (c *ASMPvlConfig) DeepCopy() *ASMPvlConfig {
	if c == nil {
		return nil
	}
	out := *c
	out.Metadata.Labels = maps.Clone(c.Metadata.Labels)
	out.Metadata.Annotations = maps.Clone(c.Metadata.Annotations)
	out.Spec.AckVpcEndpoint = make([]AckVpcEndpoint, len(c.Spec.AckVpcEndpoint))
	for i, e := range c.Spec.AckVpcEndpoint {
		out.Spec.AckVpcEndpoint[i] = e.deepCopy()
	}
	if c.Spec.AckVpcEndpoint == nil {
		out.Spec.AckVpcEndpoint = nil
	}
	out.Spec.AsmVpcEndpoint.VSwitches = slices.Clone(c.Spec.AsmVpcEndpoint.VSwitches)
	out.Status = c.Status.deepCopy()
	return &out
}

func (e AckVpcEndpoint) deepCopy() AckVpcEndpoint {
	e.VSwitches = slices.Clone(e.VSwitches)
	return e
}

func (s *Status) deepCopy() *Status {
	if s == nil {
		return nil
	}
	out := *s
	out.Clusters = copyClusterLinks(s.Clusters)
	if s.Pilot != nil {
		p := *s.Pilot
		p.Clusters = copyClusterLinks(s.Pilot.Clusters)
		p.PvlEndpointService = copyPtr(s.Pilot.PvlEndpointService)
		out.Pilot = &p
	}
	return &out
}

func copyClusterLinks(in []ClusterLink) []ClusterLink {
	if in == nil {
		return nil
	}
	out := make([]ClusterLink, len(in))
	for i, l := range in {
		l.PvlEndpoint = copyPtr(l.PvlEndpoint)
		l.PvlEndpointService = copyPtr(l.PvlEndpointService)
		out[i] = l
	}
	return out
}

func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// ClusterIDs lists the clusters connected by c, in order.
func (c *ASMPvlConfig) ClusterIDs() []string {
	ids := make([]string, 0, len(c.Spec.AckVpcEndpoint))
	for _, e := range c.Spec.AckVpcEndpoint {
		ids = append(ids, e.ClusterID)
	}
	return ids
}

// Entry returns the ackVpcEndpoint entry of a cluster, and false when the
// cluster is not listed.
func (c *ASMPvlConfig) Entry(clusterID string) (AckVpcEndpoint, bool) {
	for _, e := range c.Spec.AckVpcEndpoint {
		if e.ClusterID == clusterID {
			return e.deepCopy(), true
		}
	}
	return AckVpcEndpoint{}, false
}

// Merge returns current with one cluster's entry added or replaced, and with
// the ASM vSwitches that entry needs appended when they are not already
// listed. Every other cluster's entry and every existing ASM vSwitch stays
// exactly as it was, in place: a replaced entry keeps its position, a new
// one goes last, and an ASM vSwitch already listed keeps its own zoneId.
// A nil current starts a new object named default. current is not changed.
func Merge(current *ASMPvlConfig, entry AckVpcEndpoint, asmVSwitches []VSwitch) *ASMPvlConfig {
	return MergeAll(current, []AckVpcEndpoint{entry}, asmVSwitches)
}

// MergeAll is Merge of several entries at once, as if merged one after the
// other (a later entry of a cluster replaces an earlier one), in time
// linear in the sizes of current and the entries: one copy of current and
// an index by cluster and by vSwitch, where merging entry by entry would
// copy and search the whole object for each (quadratic for a file of
// 10,000 clusters). current is not changed.
func MergeAll(current *ASMPvlConfig, entries []AckVpcEndpoint, asmVSwitches []VSwitch) *ASMPvlConfig {
	out := current.DeepCopy()
	if out == nil {
		out = New()
	}
	at := make(map[string]int, len(out.Spec.AckVpcEndpoint)+len(entries))
	for i, e := range out.Spec.AckVpcEndpoint {
		if _, seen := at[e.ClusterID]; !seen {
			at[e.ClusterID] = i
		}
	}
	for _, entry := range entries {
		entry = entry.deepCopy()
		if i, ok := at[entry.ClusterID]; ok {
			out.Spec.AckVpcEndpoint[i] = entry
			continue
		}
		at[entry.ClusterID] = len(out.Spec.AckVpcEndpoint)
		out.Spec.AckVpcEndpoint = append(out.Spec.AckVpcEndpoint, entry)
	}
	listed := make(map[string]bool, len(out.Spec.AsmVpcEndpoint.VSwitches)+len(asmVSwitches))
	for _, v := range out.Spec.AsmVpcEndpoint.VSwitches {
		listed[v.VSwitchID] = true
	}
	for _, v := range asmVSwitches {
		if !listed[v.VSwitchID] {
			listed[v.VSwitchID] = true
			out.Spec.AsmVpcEndpoint.VSwitches = append(out.Spec.AsmVpcEndpoint.VSwitches, v)
		}
	}
	return out
}

// Remove returns current without the entry of one cluster. ASM vSwitches go
// only when no remaining entry can rely on them: with no cluster left, all
// go; with facts, an ASM vSwitch stays when its zoneId is a zone where a
// remaining cluster's vSwitch resides, or when a remaining entry's zoneId is
// the zone it resides in; without facts, or when a vSwitch is not in the
// facts, every ASM vSwitch stays (validate the result with facts before
// applying it: a kept vSwitch may then break the zone rule). Other entries
// are untouched. current is not changed; removing a cluster that is not
// listed returns a copy.
func Remove(current *ASMPvlConfig, clusterID string, facts *Facts) *ASMPvlConfig {
	out := current.DeepCopy()
	if out == nil {
		return nil
	}
	kept := out.Spec.AckVpcEndpoint[:0]
	for _, e := range out.Spec.AckVpcEndpoint {
		if e.ClusterID != clusterID {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		out.Spec.AckVpcEndpoint = nil
		out.Spec.AsmVpcEndpoint.VSwitches = nil
		return out
	}
	out.Spec.AckVpcEndpoint = kept
	out.Spec.AsmVpcEndpoint.VSwitches = reliedOn(kept, out.Spec.AsmVpcEndpoint.VSwitches, facts)
	return out
}

// Keep returns current with only the entries of the clusters in ids, and
// the ASM vSwitches those entries can rely on as Remove decides it (with no
// cluster left, none; without facts, all). current is not changed.
func Keep(current *ASMPvlConfig, ids map[string]bool, facts *Facts) *ASMPvlConfig {
	out := current.DeepCopy()
	if out == nil {
		return nil
	}
	var kept []AckVpcEndpoint
	for _, e := range out.Spec.AckVpcEndpoint {
		if ids[e.ClusterID] {
			kept = append(kept, e)
		}
	}
	out.Spec.AckVpcEndpoint = kept
	if len(kept) == 0 {
		out.Spec.AsmVpcEndpoint.VSwitches = nil
		return out
	}
	out.Spec.AsmVpcEndpoint.VSwitches = reliedOn(kept, out.Spec.AsmVpcEndpoint.VSwitches, facts)
	return out
}

// reliedOn is the ASM vSwitches of asm that the entries can rely on: with
// facts, one whose zoneId is a zone where an entry's vSwitch resides, or
// one residing in a zone an entry's zoneId names; without facts, or when a
// vSwitch is not in them, all of asm (in doubt, keep).
func reliedOn(entries []AckVpcEndpoint, asm []VSwitch, facts *Facts) []VSwitch {
	if facts == nil {
		return asm
	}
	ackZones := map[string]bool{}   // zones where the entries' vSwitches are
	ackTargets := map[string]bool{} // zoneIds the entries point at
	for _, e := range entries {
		for _, v := range e.VSwitches {
			fact, ok := facts.VSwitches[v.VSwitchID]
			if !ok {
				return asm
			}
			ackZones[fact.ZoneID] = true
			ackTargets[v.ZoneID] = true
		}
	}
	var out []VSwitch
	for _, v := range asm {
		fact, known := facts.VSwitches[v.VSwitchID]
		if !known || ackZones[v.ZoneID] || ackTargets[fact.ZoneID] {
			out = append(out, v)
		}
	}
	return out
}

// Diff returns a unified line diff between the YAML of a (labelled
// "current") and b ("proposed"), without status, for a person to review
// before applying. It is empty when both encode the same. A nil side is an
// empty file.
func Diff(a, b *ASMPvlConfig) string {
	return udiff.Unified("current", "proposed", string(Encode(a, EncodeOptions{})), string(Encode(b, EncodeOptions{})))
}
