package spec

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// FuzzDecodeValidate feeds arbitrary bytes through the whole package. For any
// input: Decode never panics and either returns an object or a *DecodeError
// with findings; a decoded object re-encodes to bytes that decode to an equal
// object (and encode to the same bytes again); Validate, Merge and Remove
// never panic and never change their input.
func FuzzDecodeValidate(f *testing.F) {
	for _, name := range []string{"testdata/seed-status.yaml", "testdata/exported.yaml", "../testdata/examples/asmpvlconfig.yaml", "../testdata/examples/asmpvlconfig-invalid.yaml"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte(`{"apiVersion":"istio.alibabacloud.com/v1beta1","kind":"ASMPvlConfig","metadata":{"name":"default","labels":{"a":"yes"}},"spec":{"asmVpcEndpoint":{"vSwitches":[]}}}`))
	f.Add([]byte(header + "spec:\n  ackVpcEndpoint:\n  - &e {clusterId: c1, vSwitches: [{vSwitchId: vsw-a, zoneId: cn-hangzhou-j}]}\n  - *e\n"))
	f.Add([]byte(header + "  annotations:\n    a: |\n      two\n       lines \n    b: \"\\t\\u00e9\"\n"))
	f.Add([]byte("a: [\n"))
	f.Add([]byte(""))

	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := DecodeDocument(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || len(de.Findings) == 0 {
				t.Fatalf("error %v is not a *DecodeError with findings", err)
			}
			for _, fd := range de.Findings {
				if _, ok := Describe(fd.Code); !ok || fd.Severity != Error {
					t.Fatalf("decode finding %+v has an unknown code or is not an error", fd)
				}
			}
			_ = err.Error()
			return
		}
		cfg := doc.Config
		enc := Encode(cfg, EncodeOptions{Status: true, Header: &Header{Producer: "fuzz", Facts: factsFor(cfg)}})
		back, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-decoding the encoded object failed: %v\n%s", err, enc)
		}
		if !reflect.DeepEqual(back, cfg) {
			t.Fatalf("round trip changed the object:\n got %#v\nwant %#v\n%s", back, cfg, enc)
		}
		if again := Encode(back, EncodeOptions{Status: true, Header: &Header{Producer: "fuzz", Facts: factsFor(back)}}); !bytes.Equal(again, enc) {
			t.Fatalf("encoding is not stable:\n%s\n%s", enc, again)
		}

		before := Encode(cfg, EncodeOptions{Status: true})
		for _, fs := range [][]Finding{Validate(cfg, nil), Validate(cfg, factsFor(cfg))} {
			sorted := append([]Finding(nil), fs...)
			SortFindings(sorted)
			if !reflect.DeepEqual(sorted, fs) {
				t.Fatalf("findings are not sorted: %v", fs)
			}
		}
		_ = doc.Locate(Validate(cfg, nil))
		if len(cfg.Spec.AckVpcEndpoint) > 0 {
			first := cfg.Spec.AckVpcEndpoint[0]
			Merge(cfg, first, cfg.Spec.AsmVpcEndpoint.VSwitches)
			Remove(cfg, first.ClusterID, factsFor(cfg))
			Remove(cfg, first.ClusterID, nil)
		}
		_ = Diff(cfg, back)
		if !bytes.Equal(Encode(cfg, EncodeOptions{Status: true}), before) {
			t.Fatal("Validate, Merge, Remove or Diff changed their input")
		}
	})
}

// factsFor invents cloud facts in which every vSwitch of cfg exists in the
// zone its entry names, so that the fact-based rules run on fuzzed input.
func factsFor(cfg *ASMPvlConfig) *Facts {
	f := &Facts{AsmVpcID: "vpc-asm", ClusterVpcIDs: map[string]string{}, VSwitches: map[string]VSwitchFact{}}
	for i, e := range cfg.Spec.AckVpcEndpoint {
		vpc := "vpc-ack" + string(rune('a'+i%26))
		f.ClusterVpcIDs[e.ClusterID] = vpc
		for _, v := range e.VSwitches {
			f.VSwitches[v.VSwitchID] = VSwitchFact{ZoneID: v.ZoneID, VpcID: vpc}
		}
	}
	for _, v := range cfg.Spec.AsmVpcEndpoint.VSwitches {
		f.VSwitches[v.VSwitchID] = VSwitchFact{ZoneID: v.ZoneID, VpcID: "vpc-asm"}
	}
	return f
}
