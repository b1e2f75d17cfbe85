package flow

import (
	"reflect"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/spec"
)

func TestDesiredConnectKeepsOtherClusters(t *testing.T) {
	env := fixture()
	env.ClusterID = idA
	before := env.Config.DeepCopy()
	p := Pair{ASM: env.mustVSwitch("vsw-meshj"), ACK: env.mustVSwitch("vsw-aj")}
	env.Pair = &p
	got, err := env.Desired(IntentConnect)
	if err != nil {
		t.Fatal(err)
	}
	want := spec.New()
	want.Spec.AckVpcEndpoint = []spec.AckVpcEndpoint{
		{ClusterID: idB, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-bi", ZoneID: zoneI}}},
		{ClusterID: idA, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-aj", ZoneID: zoneJ}}},
	}
	want.Spec.AsmVpcEndpoint.VSwitches = []spec.VSwitch{{VSwitchID: "vsw-meshi", ZoneID: zoneI}, {VSwitchID: "vsw-meshj", ZoneID: zoneJ}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Desired =\n%s\nwant\n%s", spec.Encode(got, spec.EncodeOptions{}), spec.Encode(want, spec.EncodeOptions{}))
	}
	if !reflect.DeepEqual(env.Config, before) {
		t.Error("Desired changed the current ASMPvlConfig")
	}
	if f := spec.Validate(got, env.Facts()); len(f) != 0 {
		t.Errorf("the desired ASMPvlConfig has findings: %v", f)
	}
}

func TestDesiredCrossZoneFollowsTheGuide(t *testing.T) {
	p := Pair{ASM: vsw("vsw-m", "vpc-m", zoneI, "", 1), ACK: vsw("vsw-c", "vpc-c", zoneJ, "", 1)}
	got, err := Desired(nil, idA, IntentConnect, []Pair{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Under ackVpcEndpoint, the zone of the ASM vSwitch; under asmVpcEndpoint, the zone of the ACK vSwitch.
	if z := got.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID; z != zoneI {
		t.Errorf("ackVpcEndpoint zoneId = %s, want %s", z, zoneI)
	}
	if z := got.Spec.AsmVpcEndpoint.VSwitches[0].ZoneID; z != zoneJ {
		t.Errorf("asmVpcEndpoint zoneId = %s, want %s", z, zoneJ)
	}
	if got.Metadata.Name != spec.Name {
		t.Errorf("name = %q", got.Metadata.Name)
	}
}

func TestDesiredChangeReplacesInPlace(t *testing.T) {
	env := fixture()
	env.Config.Spec.AckVpcEndpoint = append(env.Config.Spec.AckVpcEndpoint,
		spec.AckVpcEndpoint{ClusterID: idA, VSwitches: []spec.VSwitch{{VSwitchID: "vsw-ai", ZoneID: zoneI}}})
	p := Pair{ASM: env.mustVSwitch("vsw-meshj"), ACK: env.mustVSwitch("vsw-aj")}
	got, err := Desired(env.Config, idB, IntentChange, []Pair{p}, env.Facts())
	if err != nil {
		t.Fatal(err)
	}
	if ids := got.ClusterIDs(); !reflect.DeepEqual(ids, []string{idB, idA}) {
		t.Errorf("cluster order = %v", ids)
	}
	if e, _ := got.Entry(idB); e.VSwitches[0].VSwitchID != "vsw-aj" {
		t.Errorf("entry of B = %+v", e)
	}
	if e, _ := got.Entry(idA); e.VSwitches[0].VSwitchID != "vsw-ai" {
		t.Errorf("entry of A was changed: %+v", e)
	}
}

func TestDesiredRemoveKeepsVSwitchesOthersRelyOn(t *testing.T) {
	env := fixture()
	p := Pair{ASM: env.mustVSwitch("vsw-meshj"), ACK: env.mustVSwitch("vsw-aj")}
	withA, err := Desired(env.Config, idA, IntentConnect, []Pair{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Desired(withA, idA, IntentRemove, nil, env.Facts())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Spec, env.Config.Spec) {
		t.Errorf("after connecting and removing A, spec = %+v, want the original %+v", got.Spec, env.Config.Spec)
	}
}

func TestDesiredErrorsNameTheFix(t *testing.T) {
	env := fixture()
	for _, tc := range []struct {
		name    string
		current *spec.ASMPvlConfig
		cluster string
		intent  Intent
		want    string
	}{
		{"no cluster", env.Config, "", IntentConnect, "--cluster"},
		{"no pair", env.Config, idA, IntentConnect, "--asm-vswitch and --ack-vswitch"},
		{"remove without object", nil, idA, IntentRemove, "has no ASMPvlConfig"},
		{"remove unknown", env.Config, idA, IntentRemove, "has no entry for it"},
	} {
		_, err := Desired(tc.current, tc.cluster, tc.intent, nil, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

func TestBuildFacts(t *testing.T) {
	env := fixture()
	f := env.Facts()
	if f.Region != "cn-hangzhou" || f.AsmVpcID != "vpc-mesh" {
		t.Errorf("facts = %+v", f)
	}
	if f.ClusterVpcIDs[idA] != "vpc-a" || f.ClusterVpcIDs[idC] != "vpc-mesh" {
		t.Errorf("cluster VPCs = %v", f.ClusterVpcIDs)
	}
	if got := f.VSwitches["vsw-aj"]; got != (spec.VSwitchFact{ZoneID: zoneJ, VpcID: "vpc-a"}) {
		t.Errorf("vsw-aj = %+v", got)
	}
	if len(f.VSwitches) != 9 {
		t.Errorf("%d vSwitch facts, want 9", len(f.VSwitches))
	}
}
