package spec

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// entryBytes is the YAML of one cluster's entry exactly as Encode writes it.
func entryBytes(t *testing.T, cfg *ASMPvlConfig, clusterID string) []byte {
	t.Helper()
	e, ok := cfg.Entry(clusterID)
	if !ok {
		t.Fatalf("cluster %s is gone from %v", clusterID, cfg.ClusterIDs())
	}
	out, err := yaml.Marshal(encodeNode(reflectValue(e)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// asmBytes is the YAML of the ASM vSwitch list.
func asmBytes(t *testing.T, cfg *ASMPvlConfig) []byte {
	t.Helper()
	out, err := yaml.Marshal(encodeNode(reflectValue(cfg.Spec.AsmVpcEndpoint)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// threeClusters is the example plus a third cluster in zone k only, with its
// own ASM vSwitch in zone i that nobody else relies on.
func threeClusters(t *testing.T) (*ASMPvlConfig, *Facts) {
	cfg, facts := example(t), exampleFacts()
	const cluster3, ack3I, asmI = "c00000000000000000000000000000003", "vsw-ack3i", "vsw-asmi"
	cfg = Merge(cfg, AckVpcEndpoint{ClusterID: cluster3, VSwitches: []VSwitch{{ack3I, "cn-hangzhou-i"}}}, []VSwitch{{asmI, "cn-hangzhou-i"}})
	facts.ClusterVpcIDs[cluster3] = "vpc-ack3"
	facts.VSwitches[ack3I] = VSwitchFact{"cn-hangzhou-i", "vpc-ack3"}
	facts.VSwitches[asmI] = VSwitchFact{"cn-hangzhou-i", "vpc-asm"}
	if fs := Validate(cfg, facts); len(fs) != 0 {
		t.Fatalf("three-cluster fixture is not valid: %v", fs)
	}
	return cfg, facts
}

func TestMergeIntoNothingStartsDefault(t *testing.T) {
	entry := AckVpcEndpoint{ClusterID: cluster1, VSwitches: []VSwitch{{ack1J, "cn-hangzhou-j"}}}
	got := Merge(nil, entry, []VSwitch{{asmJ, "cn-hangzhou-j"}, {asmJ, "cn-hangzhou-j"}})
	want := New()
	want.Spec.AckVpcEndpoint = []AckVpcEndpoint{entry}
	want.Spec.AsmVpcEndpoint.VSwitches = []VSwitch{{asmJ, "cn-hangzhou-j"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Merge(nil) = %+v, want %+v", got, want)
	}
	if fs := Validate(got, nil); len(fs) != 0 {
		t.Errorf("merged object is not valid: %v", fs)
	}
}

func TestMergeAddKeepsOtherClustersByteForByte(t *testing.T) {
	current := example(t)
	before := Encode(current, EncodeOptions{Status: true})
	kept1, kept2, keptASM := entryBytes(t, current, cluster1), entryBytes(t, current, cluster2), asmBytes(t, current)

	const cluster3 = "c00000000000000000000000000000003"
	entry := AckVpcEndpoint{ClusterID: cluster3, VSwitches: []VSwitch{{"vsw-ack3i", "cn-hangzhou-i"}}}
	// asmK is already listed (with its own zoneId); only vsw-asmi is new.
	got := Merge(current, entry, []VSwitch{{asmK, "cn-hangzhou-i"}, {"vsw-asmi", "cn-hangzhou-i"}})

	if !bytes.Equal(Encode(current, EncodeOptions{Status: true}), before) {
		t.Fatal("Merge changed its input")
	}
	if ids := strings.Join(got.ClusterIDs(), ","); ids != cluster1+","+cluster2+","+cluster3 {
		t.Fatalf("clusters = %s; the new one goes last", ids)
	}
	if !bytes.Equal(entryBytes(t, got, cluster1), kept1) || !bytes.Equal(entryBytes(t, got, cluster2), kept2) {
		t.Fatal("another cluster's entry changed")
	}
	gotASM := asmBytes(t, got)
	if !bytes.HasPrefix(gotASM[len("vSwitches:\n"):], keptASM[len("vSwitches:\n"):]) {
		t.Fatalf("existing ASM vSwitches were rewritten or reordered:\n%s\nwas\n%s", gotASM, keptASM)
	}
	wantASM := append(current.Spec.AsmVpcEndpoint.VSwitches[:2:2], VSwitch{"vsw-asmi", "cn-hangzhou-i"})
	if !reflect.DeepEqual(got.Spec.AsmVpcEndpoint.VSwitches, wantASM) {
		t.Fatalf("ASM vSwitches = %v, want %v", got.Spec.AsmVpcEndpoint.VSwitches, wantASM)
	}
	// The result shares no memory with the input.
	got.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID = "changed"
	got.Spec.AsmVpcEndpoint.VSwitches[0].ZoneID = "changed"
	if !bytes.Equal(Encode(current, EncodeOptions{Status: true}), before) {
		t.Fatal("Merge's result aliases its input")
	}
}

func TestMergeReplaceKeepsPositionAndOthers(t *testing.T) {
	current, _ := threeClusters(t)
	kept1, kept3 := entryBytes(t, current, cluster1), entryBytes(t, current, "c00000000000000000000000000000003")
	replacement := AckVpcEndpoint{ClusterID: cluster2, VSwitches: []VSwitch{{ack2K, "cn-hangzhou-k"}}}
	got := Merge(current, replacement, nil)
	if ids := got.ClusterIDs(); ids[1] != cluster2 || len(ids) != 3 {
		t.Fatalf("replaced entry moved: %v", ids)
	}
	if e, _ := got.Entry(cluster2); !reflect.DeepEqual(e, replacement) {
		t.Fatalf("entry = %+v, want %+v", e, replacement)
	}
	if !bytes.Equal(entryBytes(t, got, cluster1), kept1) || !bytes.Equal(entryBytes(t, got, "c00000000000000000000000000000003"), kept3) {
		t.Fatal("another cluster's entry changed")
	}
	if !bytes.Equal(asmBytes(t, got), asmBytes(t, current)) {
		t.Fatal("ASM vSwitches changed though none were added")
	}
}

func TestRemove(t *testing.T) {
	const cluster3 = "c00000000000000000000000000000003"
	tests := []struct {
		name     string
		remove   string
		facts    bool
		clusters []string
		asm      []string
	}{
		// Cluster 3 alone relied on vsw-asmi (zone i): with facts it goes.
		{"with facts, an ASM vSwitch only the removed cluster used goes", cluster3, true, []string{cluster1, cluster2}, []string{asmJ, asmK}},
		// Only cluster 2 has a vSwitch in zone k, so nobody left needs asmK.
		{"with facts, zone k is no longer needed after cluster 2", cluster2, true, []string{cluster1, cluster3}, []string{asmJ, "vsw-asmi"}},
		{"with facts, a shared zone keeps its ASM vSwitch", cluster1, true, []string{cluster2, cluster3}, []string{asmJ, asmK, "vsw-asmi"}},
		{"without facts every ASM vSwitch stays", cluster3, false, []string{cluster1, cluster2}, []string{asmJ, asmK, "vsw-asmi"}},
		{"an unlisted cluster changes nothing", "c0000000000000000000000000000000f", true, []string{cluster1, cluster2, cluster3}, []string{asmJ, asmK, "vsw-asmi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			current, facts := threeClusters(t)
			before := Encode(current, EncodeOptions{})
			if !tt.facts {
				facts = nil
			}
			got := Remove(current, tt.remove, facts)
			if !bytes.Equal(Encode(current, EncodeOptions{}), before) {
				t.Fatal("Remove changed its input")
			}
			if !reflect.DeepEqual(got.ClusterIDs(), tt.clusters) {
				t.Fatalf("clusters = %v, want %v", got.ClusterIDs(), tt.clusters)
			}
			for _, id := range tt.clusters {
				if !bytes.Equal(entryBytes(t, got, id), entryBytes(t, current, id)) {
					t.Errorf("entry of %s changed", id)
				}
			}
			var asm []string
			for _, v := range got.Spec.AsmVpcEndpoint.VSwitches {
				asm = append(asm, v.VSwitchID)
			}
			if !reflect.DeepEqual(asm, tt.asm) {
				t.Fatalf("ASM vSwitches = %v, want %v", asm, tt.asm)
			}
			// Without facts Remove keeps what it cannot prove unused, so
			// only the offline rules are sure to pass.
			var fs []Finding
			if tt.facts {
				fs = Validate(got, exampleFactsWith3())
			} else {
				fs = Validate(got, nil)
			}
			if HasErrors(fs) {
				t.Errorf("result is not valid: %v", fs)
			}
		})
	}
}

func exampleFactsWith3() *Facts {
	f := exampleFacts()
	f.ClusterVpcIDs["c00000000000000000000000000000003"] = "vpc-ack3"
	f.VSwitches["vsw-ack3i"] = VSwitchFact{"cn-hangzhou-i", "vpc-ack3"}
	f.VSwitches["vsw-asmi"] = VSwitchFact{"cn-hangzhou-i", "vpc-asm"}
	return f
}

func TestRemoveKeepsASMVSwitchesWhenInDoubt(t *testing.T) {
	current, facts := threeClusters(t)
	delete(facts.VSwitches, ack1J) // a remaining cluster's vSwitch the cloud did not list
	got := Remove(current, cluster2, facts)
	if n := len(got.Spec.AsmVpcEndpoint.VSwitches); n != 3 {
		t.Fatalf("with a remaining vSwitch unknown, every ASM vSwitch should stay; got %d", n)
	}
	// An ASM vSwitch the facts do not know also stays.
	current, facts = threeClusters(t)
	delete(facts.VSwitches, asmK)
	got = Remove(current, cluster2, facts)
	if !reflect.DeepEqual(got.Spec.AsmVpcEndpoint.VSwitches, []VSwitch{{asmJ, "cn-hangzhou-j"}, {asmK, "cn-hangzhou-k"}, {"vsw-asmi", "cn-hangzhou-i"}}) {
		t.Fatalf("unknown ASM vSwitch dropped: %v", got.Spec.AsmVpcEndpoint.VSwitches)
	}
}

func TestRemoveLastClusterDropsASMVSwitches(t *testing.T) {
	cfg := Merge(nil, AckVpcEndpoint{ClusterID: cluster1, VSwitches: []VSwitch{{ack1J, "cn-hangzhou-j"}}}, []VSwitch{{asmJ, "cn-hangzhou-j"}})
	got := Remove(cfg, cluster1, nil)
	if len(got.Spec.AckVpcEndpoint) != 0 || len(got.Spec.AsmVpcEndpoint.VSwitches) != 0 {
		t.Fatalf("got %+v", got.Spec)
	}
	if got.Metadata.Name != Name || got.Kind != Kind {
		t.Fatalf("identity lost: %+v", got)
	}
	if Remove(nil, cluster1, nil) != nil {
		t.Fatal("Remove(nil) should be nil")
	}
}

func TestDiff(t *testing.T) {
	current := example(t)
	if d := Diff(current, current.DeepCopy()); d != "" {
		t.Fatalf("equal objects differ:\n%s", d)
	}
	withStatus := current.DeepCopy()
	withStatus.Status = &Status{Status: StatusAvailable}
	if d := Diff(current, withStatus); d != "" {
		t.Fatalf("status is not part of the reviewed diff:\n%s", d)
	}
	proposed := Remove(current, cluster1, nil)
	d := Diff(current, proposed)
	for _, want := range []string{
		"--- current\n+++ proposed\n",
		"-  - clusterId: " + cluster1 + "\n",
		"-    - vSwitchId: " + ack1J + "\n",
		"   - clusterId: " + cluster2 + "\n",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	for _, line := range strings.Split(d, "\n") {
		if strings.HasPrefix(line, "+") && !strings.HasPrefix(line, "+++") {
			t.Errorf("removing a cluster should add no line, got %q in:\n%s", line, d)
		}
	}
	if d := Diff(nil, current); !strings.Contains(d, "+kind: ASMPvlConfig\n") {
		t.Errorf("diff from nothing should add every line:\n%s", d)
	}
}

func TestDeepCopyIsIndependent(t *testing.T) {
	seed := mustDecode(t, readTestdata(t, "testdata/exported.yaml"))
	seed.Status.Pilot = &PilotLink{Clusters: []ClusterLink{{ClusterID: "x", PvlEndpoint: &PvlEndpoint{ID: "ep"}}}, PvlEndpointService: &EndpointService{ID: "epsrv"}}
	before := Encode(seed, EncodeOptions{Status: true})
	c := seed.DeepCopy()
	if !reflect.DeepEqual(c, seed) {
		t.Fatal("copy differs")
	}
	c.Metadata.Labels["x"] = "y"
	c.Metadata.Annotations["x"] = "y"
	c.Status.Clusters[0].PvlEndpoint.ID = "z"
	c.Status.Pilot.Clusters[0].PvlEndpoint.ID = "z"
	c.Status.Pilot.PvlEndpointService.ID = "z"
	c.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID = "z"
	if !bytes.Equal(Encode(seed, EncodeOptions{Status: true}), before) {
		t.Fatal("changing the copy changed the original")
	}
	var nilCfg *ASMPvlConfig
	if nilCfg.DeepCopy() != nil {
		t.Fatal("DeepCopy of nil should be nil")
	}
}

func reflectValue(v any) reflect.Value { return reflect.ValueOf(v) }
