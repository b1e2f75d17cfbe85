package spec

import (
	"slices"
	"strings"
	"testing"
)

func TestStaleNamesWhatAnOldPlanBringsBackOrUndoes(t *testing.T) {
	a := AckVpcEndpoint{ClusterID: "ca", VSwitches: []VSwitch{{VSwitchID: "vsw-a", ZoneID: "cn-hangzhou-j"}}}
	b := AckVpcEndpoint{ClusterID: "cb", VSwitches: []VSwitch{{VSwitchID: "vsw-b", ZoneID: "cn-hangzhou-j"}}}
	c := AckVpcEndpoint{ClusterID: "cc", VSwitches: []VSwitch{{VSwitchID: "vsw-c", ZoneID: "cn-hangzhou-h"}}}
	live := Merge(Merge(nil, a, []VSwitch{{VSwitchID: "vsw-asm-j", ZoneID: "cn-hangzhou-j"}}), b, nil)
	live.Metadata.ResourceVersion = "10"
	plan := Merge(live, c, []VSwitch{{VSwitchID: "vsw-asm-h", ZoneID: "cn-hangzhou-h"}})
	RecordBase(plan, live)
	base, ok, err := ReadBase(plan)
	if err != nil || !ok || base.ResourceVersion != "10" || !slices.Equal(base.Changed, []string{"cc"}) || !slices.Equal(base.AddedASMVSwitches, []string{"vsw-asm-h"}) {
		t.Fatalf("base = %+v, %v, %v; want version 10, changed cc, added vsw-asm-h", base, ok, err)
	}
	if got := Stale(plan, live, base); got != nil {
		t.Errorf("nothing changed since the plan, yet Stale = %v", got)
	}
	// Since the plan someone removed A, moved B to zone h and removed the
	// shared ASM vSwitch.
	b2 := AckVpcEndpoint{ClusterID: "cb", VSwitches: []VSwitch{{VSwitchID: "vsw-b", ZoneID: "cn-hangzhou-h"}}}
	now := Merge(Remove(live, "ca", nil), b2, nil)
	now.Spec.AsmVpcEndpoint.VSwitches = nil
	now.Metadata.ResourceVersion = "12"
	want := []string{
		"brings back spec.ackVpcEndpoint[clusterId=ca], removed since the file was made",
		"undoes the change to spec.ackVpcEndpoint[clusterId=cb] made since the file was made",
		"brings back spec.asmVpcEndpoint.vSwitches[vSwitchId=vsw-asm-j], removed since the file was made",
	}
	if got := Stale(plan, now, base); !slices.Equal(got, want) {
		t.Errorf("Stale = %q\nwant %q", got, want)
	}
	if got := Stale(plan, nil, base); len(got) != 3 {
		t.Errorf("against a deleted object, Stale = %q, want A, B and the ASM vSwitch", got)
	}
	unrecorded := Merge(nil, c, nil)
	if _, ok, err := ReadBase(unrecorded); ok || err != nil {
		t.Errorf("a file without the annotation: ok %v, err %v", ok, err)
	}
	unrecorded.Metadata.Annotations = map[string]string{BaseAnnotation: "{"}
	if _, _, err := ReadBase(unrecorded); err == nil {
		t.Error("a broken annotation is not reported")
	}
}

func TestForFileRecordsTheBaseAndDropsServerBookkeeping(t *testing.T) {
	live := Merge(nil, AckVpcEndpoint{ClusterID: "ca", VSwitches: []VSwitch{{VSwitchID: "vsw-a", ZoneID: "cn-hangzhou-j"}}}, nil)
	live.Metadata.ResourceVersion = "7"
	live.Metadata.Annotations = map[string]string{lastAppliedAnnotation: "{}", "team": "mesh"}
	plan := Merge(live, AckVpcEndpoint{ClusterID: "cb", VSwitches: []VSwitch{{VSwitchID: "vsw-b", ZoneID: "cn-hangzhou-j"}}}, nil)
	file := ForFile(plan, live)
	if file.Metadata.ResourceVersion != "" || file.Metadata.Annotations[lastAppliedAnnotation] != "" || file.Metadata.Annotations["team"] != "mesh" {
		t.Errorf("file metadata = %+v, want no resourceVersion, no last-applied, the team annotation kept", file.Metadata)
	}
	if b, ok, _ := ReadBase(file); !ok || b.ResourceVersion != "7" || !slices.Equal(b.Changed, []string{"cb"}) {
		t.Errorf("base = %+v, %v; want version 7, changed cb", b, ok)
	}
	if plan.Metadata.ResourceVersion != "7" || plan.Metadata.Annotations[BaseAnnotation] != "" {
		t.Errorf("ForFile changed its argument: %+v", plan.Metadata)
	}
	for _, fd := range Validate(file, nil) {
		if strings.Contains(fd.String(), "metadata") {
			t.Errorf("validate refuses the file's metadata: %v", fd)
		}
	}
}
