package kube

import (
	"fmt"
	"testing"

	"github.com/asmlink/asmlink/spec"
)

// BenchmarkAtomicWriteOf20000Clusters measures what asmlink computes for
// one change to an object of 20,000 clusters with atomic lists: the lists
// sent whole (every other entry as stored) and the read-back comparison.
// Both must stay linear in the number of clusters.
func BenchmarkAtomicWriteOf20000Clusters(b *testing.B) {
	before := spec.New()
	before.Spec.AsmVpcEndpoint.VSwitches = []spec.VSwitch{{VSwitchID: "vsw-bp13uea3ge8n6qiwepxsk", ZoneID: "cn-hangzhou-j"}}
	for i := range 20000 {
		before.Spec.AckVpcEndpoint = append(before.Spec.AckVpcEndpoint, spec.AckVpcEndpoint{ClusterID: fmt.Sprintf("c%032x", i),
			VSwitches: []spec.VSwitch{{VSwitchID: fmt.Sprintf("vsw-bp1%022d", i), ZoneID: "cn-hangzhou-j"}}})
	}
	stored, err := toUnstructured(before)
	if err != nil {
		b.Fatal(err)
	}
	desired := spec.Merge(before, spec.AckVpcEndpoint{ClusterID: "cnew", VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bp1new", ZoneID: "cn-hangzhou-j"}}}, nil)
	b.ResetTimer()
	for b.Loop() {
		lists, err := mergedLists(stored, before, desired)
		if err != nil {
			b.Fatal(err)
		}
		back := stored.DeepCopy()
		back.Object["spec"].(map[string]any)["ackVpcEndpoint"] = lists.ack
		if lost, _ := lostEntries(stored, back, before, desired); len(lost) != 0 {
			b.Fatalf("lost %v", lost)
		}
	}
}
