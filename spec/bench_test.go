package spec

import (
	"fmt"
	"testing"
)

// BenchmarkDecodeValidateEncode measures the work `asmlink validate` and the
// wizard do per file: strict decode, offline and fact-based validation, and
// encoding, on the two-cluster example.
func BenchmarkDecodeValidateEncode(b *testing.B) {
	data := readTestdata(b, "../testdata/examples/asmpvlconfig.yaml")
	facts := exampleFacts()
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if fs := Validate(cfg, facts); len(fs) != 0 {
			b.Fatal(fs)
		}
		Encode(cfg, EncodeOptions{})
	}
}

// BenchmarkApplyFile measures what `apply -f` does on asmlink's side for a
// file of n clusters merged into a live object of n other clusters: strict
// decode, validation, the merge (spec.MergeAll) and the review's diff.
// Each step is linear (the diff in the size of the change), so 20,000
// clusters cost about twenty times 1,000.
func BenchmarkApplyFile(b *testing.B) {
	for _, n := range []int{1000, 10000, 20000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			data := manyClusters(n)
			live := New()
			for i := range n {
				live.Spec.AckVpcEndpoint = append(live.Spec.AckVpcEndpoint, AckVpcEndpoint{
					ClusterID: fmt.Sprintf("d%032x", i+1),
					VSwitches: []VSwitch{{VSwitchID: fmt.Sprintf("vsw-bp2%022x", i+1), ZoneID: "cn-hangzhou-j"}},
				})
			}
			b.ReportAllocs()
			for b.Loop() {
				file, err := Decode(data)
				if err != nil {
					b.Fatal(err)
				}
				if fs := Validate(file, nil); HasErrors(fs) {
					b.Fatal(fs[0])
				}
				merged := MergeAll(live, file.Spec.AckVpcEndpoint, file.Spec.AsmVpcEndpoint.VSwitches)
				if Diff(live, merged) == "" {
					b.Fatal("no diff")
				}
			}
		})
	}
}
