package sim

import (
	"slices"
	"testing"
)

// TestZoneRuleKeepersFollowsTheGuide checks the controller's own reading of
// the guide's cross-VPC zone matching: ackVpcEndpoint zoneIds must be zones
// of the ASM vSwitches, asmVpcEndpoint zoneIds zones of the cluster's.
func TestZoneRuleKeepersFollowsTheGuide(t *testing.T) {
	zones := map[string]string{"vsw-asm-i": "cn-hangzhou-i", "vsw-asm-j": "cn-hangzhou-j", "vsw-ack-i": "cn-hangzhou-i", "vsw-ack-j": "cn-hangzhou-j"}
	zoneOf := func(id string) string { return zones[id] }
	for _, tc := range []struct {
		name         string
		asm, ack     []pvlVSwitch
		asmOK, ackOK []int
	}{
		{"same zone", []pvlVSwitch{{"vsw-asm-i", "cn-hangzhou-i"}}, []pvlVSwitch{{"vsw-ack-i", "cn-hangzhou-i"}}, []int{0}, []int{0}},
		{"cross-VPC matching, the guide's example", []pvlVSwitch{{"vsw-asm-i", "cn-hangzhou-j"}}, []pvlVSwitch{{"vsw-ack-j", "cn-hangzhou-i"}}, []int{0}, []int{0}},
		{"each side names its own zone, no zone shared", []pvlVSwitch{{"vsw-asm-i", "cn-hangzhou-i"}}, []pvlVSwitch{{"vsw-ack-j", "cn-hangzhou-j"}}, nil, nil},
		{"one pair of two keeps it", []pvlVSwitch{{"vsw-asm-i", "cn-hangzhou-i"}, {"vsw-asm-j", "cn-hangzhou-k"}}, []pvlVSwitch{{"vsw-ack-i", "cn-hangzhou-i"}}, []int{0}, []int{0}},
		{"unknown vSwitch gives no zone", []pvlVSwitch{{"vsw-nope", "cn-hangzhou-i"}}, []pvlVSwitch{{"vsw-ack-i", "cn-hangzhou-i"}}, []int{0}, nil},
	} {
		asmOK, ackOK := zoneRuleKeepers(tc.asm, ackEndpoint{ClusterID: "c1", VSwitches: tc.ack}, zoneOf)
		if !slices.Equal(asmOK, tc.asmOK) || !slices.Equal(ackOK, tc.ackOK) {
			t.Errorf("%s: asm %v ack %v, want %v %v", tc.name, asmOK, ackOK, tc.asmOK, tc.ackOK)
		}
	}
}
