package spec

import "testing"

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
