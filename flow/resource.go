package flow

import (
	"fmt"

	"github.com/asmlink/asmlink/spec"
)

// Desired returns the ASMPvlConfig to apply for one cluster, built from
// current (nil when there is none yet) with spec.Merge or spec.Remove so
// that every other cluster's entry and every ASM vSwitch another entry
// relies on stays as it is. For IntentConnect and IntentChange the
// cluster's entry gets each pair's ACK vSwitch with the zone of its ASM
// vSwitch, and the shared ASM list gets each pair's ASM vSwitch with the zone
// of its ACK vSwitch (the cross-VPC zone matching of the guide; one shared
// zone for a same-zone pair). For IntentRemove pairs are not used and facts
// decide which ASM vSwitches are still needed. current is not changed.
func Desired(current *spec.ASMPvlConfig, clusterID string, intent Intent, pairs []Pair, facts *spec.Facts) (*spec.ASMPvlConfig, error) {
	if clusterID == "" {
		return nil, fmt.Errorf("no ACK cluster is chosen: pass --cluster with the ID of a cluster of the mesh")
	}
	switch intent {
	case IntentConnect, IntentChange:
		if len(pairs) == 0 {
			return nil, fmt.Errorf("no vSwitch pair is chosen for cluster %s: pass --asm-vswitch and --ack-vswitch, or accept the recommended pair", clusterID)
		}
		entry := spec.AckVpcEndpoint{ClusterID: clusterID}
		asm := make([]spec.VSwitch, len(pairs))
		for i, p := range pairs {
			entry.VSwitches = append(entry.VSwitches, spec.VSwitch{VSwitchID: p.ACK.ID, ZoneID: p.ASM.ZoneID})
			asm[i] = spec.VSwitch{VSwitchID: p.ASM.ID, ZoneID: p.ACK.ZoneID}
		}
		return spec.Merge(current, entry, asm), nil
	case IntentRemove:
		if current == nil {
			return nil, fmt.Errorf("cluster %s cannot be removed: the mesh has no ASMPvlConfig", clusterID)
		}
		if _, ok := current.Entry(clusterID); !ok {
			return nil, fmt.Errorf("cluster %s cannot be removed: the ASMPvlConfig has no entry for it (connected: %v)", clusterID, current.ClusterIDs())
		}
		return spec.Remove(current, clusterID, facts), nil
	}
	return nil, fmt.Errorf("unknown intent %s", intent)
}

// Desired returns the ASMPvlConfig the environment's choices produce.
func (e *Env) Desired(intent Intent) (*spec.ASMPvlConfig, error) {
	var pairs []Pair
	if e.Pair != nil {
		pairs = []Pair{*e.Pair}
	}
	return Desired(e.Config, e.ClusterID, intent, pairs, e.Facts())
}
