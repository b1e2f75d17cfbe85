package spec

import (
	"reflect"
	"strings"
	"testing"
)

// The IDs of testdata/examples/asmpvlconfig.yaml.
const (
	cluster1 = "ce661252dcedda52025a44aadd9b33787"
	cluster2 = "cbdc568539b4f540f0c55bca40b7149b0"
	ack1J    = "vsw-bp1tc4nh7x34v64fmitvj"
	ack2J    = "vsw-bp1lcoohhiy67rkf9otmg"
	ack2K    = "vsw-bp1qbbq4a1k2aa8d2t2uh"
	asmJ     = "vsw-bp1ezisqc7te0v0ky8tta"
	asmK     = "vsw-bp1bstztolhyismokpjzu"
)

func example(t testing.TB) *ASMPvlConfig {
	return mustDecode(t, readTestdata(t, "../testdata/examples/asmpvlconfig.yaml"))
}

type at struct {
	code Code
	path string
}

func codesAt(fs []Finding) []at {
	var out []at
	for _, f := range fs {
		out = append(out, at{f.Code, f.Path})
	}
	return out
}

func TestValidateExamplesAreValid(t *testing.T) {
	cfg := example(t)
	if fs := Validate(cfg, nil); len(fs) != 0 {
		t.Errorf("offline findings on the valid example: %v", fs)
	}
	if fs := Validate(cfg, exampleFacts()); len(fs) != 0 {
		t.Errorf("findings with facts on the valid example: %v", fs)
	}
	if fs := Validate(New(), nil); len(fs) != 0 {
		t.Errorf("an empty ASMPvlConfig named default is valid, got %v", fs)
	}
}

func TestValidateRules(t *testing.T) {
	const (
		e0  = "spec.ackVpcEndpoint[0]"
		e1  = "spec.ackVpcEndpoint[1]"
		asm = "spec.asmVpcEndpoint.vSwitches"
	)
	tests := []struct {
		name   string
		change func(c *ASMPvlConfig, f *Facts)
		facts  bool
		want   []at
		// text, when set, must appear in the message or hint of the first finding.
		text string
	}{
		{"name default is valid", func(c *ASMPvlConfig, f *Facts) { c.Metadata.Name = "default" }, false, nil, ""},
		{"other name", func(c *ASMPvlConfig, f *Facts) { c.Metadata.Name = "asm" }, false, []at{{CodeName, "metadata.name"}}, "reads only"},
		{"missing name", func(c *ASMPvlConfig, f *Facts) { c.Metadata.Name = "" }, false, []at{{CodeName, "metadata.name"}}, "missing"},

		{"cluster ID with 32 hex digits is valid", func(c *ASMPvlConfig, f *Facts) {
			c.Spec.AckVpcEndpoint[0].ClusterID = "c0123456789abcdef0123456789abcdef"
		}, false, nil, ""},
		{"placeholder cluster ID", func(c *ASMPvlConfig, f *Facts) {
			c.Spec.AckVpcEndpoint[0].ClusterID = "cab9ace222210457a83f09fcd42e9****"
		}, false, []at{{CodeClusterID, e0 + ".clusterId"}}, "32 lower-case hex"},
		{"upper-case cluster ID", func(c *ASMPvlConfig, f *Facts) { c.Spec.AckVpcEndpoint[0].ClusterID = strings.ToUpper(cluster1) }, false, []at{{CodeClusterID, e0 + ".clusterId"}}, ""},
		{"missing cluster ID", func(c *ASMPvlConfig, f *Facts) { c.Spec.AckVpcEndpoint[0].ClusterID = "" }, false, []at{{CodeRequired, e0 + ".clusterId"}}, ""},

		{"vSwitch ID of letters and digits is valid", func(c *ASMPvlConfig, f *Facts) {
			c.Spec.AckVpcEndpoint[0].VSwitches[0].VSwitchID = "vsw-0abc9"
			f.VSwitches["vsw-0abc9"] = f.VSwitches[ack1J]
		}, true, nil, ""},
		{"vSwitch ID with upper case", func(c *ASMPvlConfig, f *Facts) { c.Spec.AckVpcEndpoint[0].VSwitches[0].VSwitchID = "vsw-BP1" }, false, []at{{CodeVSwitchID, e0 + ".vSwitches[0].vSwitchId"}}, ""},
		{"vSwitch ID without prefix", func(c *ASMPvlConfig, f *Facts) {
			c.Spec.AsmVpcEndpoint.VSwitches[1].VSwitchID = "bp1bstztolhyismokpjzu"
		}, false, []at{{CodeVSwitchID, asm + "[1].vSwitchId"}}, ""},
		{"missing vSwitch ID", func(c *ASMPvlConfig, f *Facts) { c.Spec.AsmVpcEndpoint.VSwitches[1].VSwitchID = "" }, false, []at{{CodeRequired, asm + "[1].vSwitchId"}}, ""},

		{"zone with a digit region is valid", func(c *ASMPvlConfig, f *Facts) {
			c.Spec = Spec{
				AckVpcEndpoint: []AckVpcEndpoint{{ClusterID: cluster1, VSwitches: []VSwitch{{ack1J, "ap-southeast-1a"}}}},
				AsmVpcEndpoint: AsmVpcEndpoint{VSwitches: []VSwitch{{asmJ, "ap-southeast-1a"}}},
			}
		}, false, nil, ""},
		{"a region is not a zone", func(c *ASMPvlConfig, f *Facts) { c.Spec.AckVpcEndpoint[1].VSwitches[1].ZoneID = "cn-hangzhou" }, false, []at{{CodeZoneID, e1 + ".vSwitches[1].zoneId"}}, "cn-hangzhou-j"},
		{"upper-case zone", func(c *ASMPvlConfig, f *Facts) { c.Spec.AckVpcEndpoint[1].VSwitches[1].ZoneID = "cn-hangzhou-K" }, false, []at{{CodeZoneID, e1 + ".vSwitches[1].zoneId"}}, ""},
		{"missing zone", func(c *ASMPvlConfig, f *Facts) { c.Spec.AsmVpcEndpoint.VSwitches[0].ZoneID = "" }, false, []at{{CodeRequired, asm + "[0].zoneId"}}, ""},

		{"zones of two regions", func(c *ASMPvlConfig, f *Facts) { c.Spec.AckVpcEndpoint[1].VSwitches[1].ZoneID = "cn-shanghai-k" }, false, []at{{CodeRegion, e1 + ".vSwitches[1].zoneId"}}, "other zones are in cn-hangzhou"},
		{"zones outside the ASM instance's region", func(c *ASMPvlConfig, f *Facts) { f.Region = "cn-beijing" }, true, []at{
			{CodeRegion, e0 + ".vSwitches[0].zoneId"}, {CodeRegion, e1 + ".vSwitches[0].zoneId"}, {CodeRegion, e1 + ".vSwitches[1].zoneId"},
			{CodeRegion, asm + "[0].zoneId"}, {CodeRegion, asm + "[1].zoneId"},
		}, "ASM instance is in cn-beijing"},

		{"the same cluster twice", func(c *ASMPvlConfig, f *Facts) { c.Spec.AckVpcEndpoint[1].ClusterID = cluster1 }, false, []at{{CodeClusterTwice, e1 + ".clusterId"}}, "first at spec.ackVpcEndpoint[0]"},
		{"two clusters sharing a vSwitch (one VPC) is valid", func(c *ASMPvlConfig, f *Facts) {
			c.Spec.AckVpcEndpoint[1].VSwitches[0].VSwitchID = ack1J
		}, false, nil, ""},
		{"a vSwitch twice in one list", func(c *ASMPvlConfig, f *Facts) { c.Spec.AckVpcEndpoint[1].VSwitches[1].VSwitchID = ack2J }, false, []at{{CodeVSwitchTwice, e1 + ".vSwitches[1].vSwitchId"}}, ""},
		{"an ASM vSwitch twice", func(c *ASMPvlConfig, f *Facts) {
			c.Spec.AsmVpcEndpoint.VSwitches[1] = c.Spec.AsmVpcEndpoint.VSwitches[0]
		}, false, []at{{CodeVSwitchTwice, asm + "[1].vSwitchId"}}, ""},
		{"an ASM vSwitch also a cluster's", func(c *ASMPvlConfig, f *Facts) { c.Spec.AsmVpcEndpoint.VSwitches[0].VSwitchID = ack2J }, false, []at{{CodeVSwitchBothSides, asm + "[0].vSwitchId"}}, "spec.ackVpcEndpoint[1].vSwitches[0]"},

		{"a cluster without vSwitches", func(c *ASMPvlConfig, f *Facts) { c.Spec.AckVpcEndpoint[0].VSwitches = nil }, false, []at{{CodeNoACKVSwitches, e0 + ".vSwitches"}}, ""},
		{"clusters without ASM vSwitches", func(c *ASMPvlConfig, f *Facts) { c.Spec.AsmVpcEndpoint.VSwitches = nil }, false, []at{{CodeNoASMVSwitches, asm}}, ""},
		{"no clusters and no ASM vSwitches is valid", func(c *ASMPvlConfig, f *Facts) { c.Spec = Spec{} }, true, nil, ""},

		{"unknown vSwitch", func(c *ASMPvlConfig, f *Facts) { delete(f.VSwitches, ack2K) }, true, []at{{CodeUnknownVSwitch, e1 + ".vSwitches[1].vSwitchId"}}, "region cn-hangzhou"},
		{"unknown ASM vSwitch leaves the ACK zone rule unchecked", func(c *ASMPvlConfig, f *Facts) {
			delete(f.VSwitches, asmK)
			c.Spec.AckVpcEndpoint[1].VSwitches[1].ZoneID = "cn-hangzhou-k"
		}, true, []at{{CodeUnknownVSwitch, asm + "[1].vSwitchId"}}, ""},
		{"misshapen vSwitch is not also reported unknown", func(c *ASMPvlConfig, f *Facts) { c.Spec.AckVpcEndpoint[1].VSwitches[1].VSwitchID = "vsw_x" }, true, []at{{CodeVSwitchID, e1 + ".vSwitches[1].vSwitchId"}}, ""},
		{"ACK vSwitch in another VPC", func(c *ASMPvlConfig, f *Facts) { f.VSwitches[ack2K] = VSwitchFact{"cn-hangzhou-k", "vpc-ack1"} }, true, []at{{CodeACKVSwitchVPC, e1 + ".vSwitches[1].vSwitchId"}}, `not in VPC "vpc-ack2"`},
		{"ASM vSwitch outside the ASM VPC", func(c *ASMPvlConfig, f *Facts) { f.VSwitches[asmK] = VSwitchFact{"cn-hangzhou-k", "vpc-ack2"} }, true, []at{{CodeASMVSwitchVPC, asm + "[1].vSwitchId"}}, `ASM instance's VPC "vpc-asm"`},
		{"cluster VPC unknown is a note", func(c *ASMPvlConfig, f *Facts) { delete(f.ClusterVpcIDs, cluster2) }, true, []at{{CodeClusterVPCUnknown, e1 + ".clusterId"}}, ""},
		{"cluster in the ASM VPC", func(c *ASMPvlConfig, f *Facts) {
			f.ClusterVpcIDs[cluster1] = "vpc-asm"
			f.VSwitches[ack1J] = VSwitchFact{"cn-hangzhou-j", "vpc-asm"}
		}, true, []at{{CodeSameVPC, e0 + ".clusterId"}}, "needs no PrivateLink"},

		{"zone rule: ACK zoneId where no ASM vSwitch resides", func(c *ASMPvlConfig, f *Facts) {
			c.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID = "cn-hangzhou-i"
			f.VSwitches[ack1J] = VSwitchFact{"cn-hangzhou-i", "vpc-ack1"}
		}, true, []at{{CodeACKZoneRule, e0 + ".vSwitches[0].zoneId"}}, "cn-hangzhou-j (vsw-bp1ezisqc7te0v0ky8tta), cn-hangzhou-k (vsw-bp1bstztolhyismokpjzu)"},
		{"zone rule: ASM zoneId where no cluster vSwitch resides", func(c *ASMPvlConfig, f *Facts) {
			c.Spec.AsmVpcEndpoint.VSwitches = append(c.Spec.AsmVpcEndpoint.VSwitches, VSwitch{"vsw-asmi", "cn-hangzhou-i"})
			f.VSwitches["vsw-asmi"] = VSwitchFact{"cn-hangzhou-i", "vpc-asm"}
		}, true, []at{{CodeASMZoneRule, asm + "[2].zoneId"}}, "cn-hangzhou-j (vsw-bp1tc4nh7x34v64fmitvj, vsw-bp1lcoohhiy67rkf9otmg), cn-hangzhou-k (vsw-bp1qbbq4a1k2aa8d2t2uh)"},
		{"zone rule: the documented cross-zone pair is a warning only", func(c *ASMPvlConfig, f *Facts) {
			// The guide's own example: the ACK vSwitch is in zone i and names
			// the ASM zone j; the ASM vSwitch is in zone j and names zone i.
			c.Spec = Spec{
				AckVpcEndpoint: []AckVpcEndpoint{{ClusterID: cluster1, VSwitches: []VSwitch{{ack1J, "cn-hangzhou-j"}}}},
				AsmVpcEndpoint: AsmVpcEndpoint{VSwitches: []VSwitch{{asmJ, "cn-hangzhou-i"}}},
			}
			f.VSwitches[ack1J] = VSwitchFact{"cn-hangzhou-i", "vpc-ack1"}
		}, true, []at{{CodeCrossZone, e0 + ".vSwitches[0].zoneId"}, {CodeCrossZone, asm + "[0].zoneId"}}, "same zone"},
		{"zone rule: a cross-zone pair that breaks the rule is an error too", func(c *ASMPvlConfig, f *Facts) {
			c.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID = "cn-hangzhou-i"
		}, true, []at{{CodeACKZoneRule, e0 + ".vSwitches[0].zoneId"}, {CodeCrossZone, e0 + ".vSwitches[0].zoneId"}}, ""},
		{"zone rule is not checked offline", func(c *ASMPvlConfig, f *Facts) {
			c.Spec.AckVpcEndpoint[0].VSwitches[0].ZoneID = "cn-hangzhou-i"
		}, false, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, facts := example(t), exampleFacts()
			tt.change(cfg, facts)
			var fs []Finding
			if tt.facts {
				fs = Validate(cfg, facts)
			} else {
				fs = Validate(cfg, nil)
			}
			if got := codesAt(fs); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("findings:\n got %v\nwant %v\n%v", got, tt.want, fs)
			}
			for _, f := range fs {
				info, _ := Describe(f.Code)
				if f.Severity != info.Severity || f.Message == "" || f.Hint == "" {
					t.Errorf("finding %+v needs the table's severity %v, a message and a hint", f, info.Severity)
				}
			}
			if len(fs) > 0 && !strings.Contains(fs[0].Message+" "+fs[0].Hint, tt.text) {
				t.Errorf("first finding %q / %q does not mention %q", fs[0].Message, fs[0].Hint, tt.text)
			}
			wantErr := false
			for _, w := range tt.want {
				info, _ := Describe(w.code)
				wantErr = wantErr || info.Severity == Error
			}
			if HasErrors(fs) != wantErr {
				t.Errorf("HasErrors = %v, want %v", HasErrors(fs), wantErr)
			}
		})
	}
}

func TestValidateInvalidExampleReportsEverything(t *testing.T) {
	doc, err := DecodeDocument(readTestdata(t, "../testdata/examples/asmpvlconfig-invalid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fs := doc.Locate(Validate(doc.Config, nil))
	// Each finding sits on the line the example marks with its code.
	lines := strings.Split(string(readTestdata(t, "../testdata/examples/asmpvlconfig-invalid.yaml")), "\n")
	marked := 0
	for _, l := range lines {
		if strings.Contains(l, "# PVL") {
			marked++
		}
	}
	if len(fs) != marked {
		t.Errorf("%d findings for %d marked lines: %v", len(fs), marked, fs)
	}
	for _, f := range fs {
		if f.Line == 0 || !strings.Contains(lines[f.Line-1], "# "+string(f.Code)) {
			t.Errorf("finding %v is not on a line marked %s", f, f.Code)
		}
	}
}

func TestValidateNil(t *testing.T) {
	if fs := Validate(nil, nil); !HasErrors(fs) || fs[0].Code != CodeEmpty {
		t.Fatalf("Validate(nil) = %v", fs)
	}
}

func TestZoneRegion(t *testing.T) {
	for zone, region := range map[string]string{
		"cn-hangzhou-j":          "cn-hangzhou",
		"ap-southeast-1a":        "ap-southeast-1",
		"cn-shanghai-finance-1z": "cn-shanghai-finance-1",
		"us-west-1b":             "us-west-1",
		"cn-hangzhou":            "",
		"cn-hangzhou-jj":         "",
		"hangzhou-j":             "",
		"":                       "",
	} {
		got, ok := ZoneRegion(zone)
		if got != region || ok != (region != "") {
			t.Errorf("ZoneRegion(%q) = %q, %v; want %q", zone, got, ok, region)
		}
	}
}
