package spec

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

// golden compares got with testdata/<name>.golden, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./spec -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./spec -update after checking the change):\n%s", path, Diff2(string(want), string(got)))
	}
}

// Diff2 shows a text difference in test failures.
func Diff2(want, got string) string {
	return "--- want\n" + want + "\n--- got\n" + got
}

func mustDecode(t testing.TB, data []byte) *ASMPvlConfig {
	t.Helper()
	cfg, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// exampleFacts are the cloud's facts behind testdata/examples/asmpvlconfig.yaml.
func exampleFacts() *Facts {
	return &Facts{
		Region:   "cn-hangzhou",
		AsmVpcID: "vpc-asm",
		ClusterVpcIDs: map[string]string{
			"ce661252dcedda52025a44aadd9b33787": "vpc-ack1",
			"cbdc568539b4f540f0c55bca40b7149b0": "vpc-ack2",
		},
		VSwitches: map[string]VSwitchFact{
			"vsw-bp1tc4nh7x34v64fmitvj": {"cn-hangzhou-j", "vpc-ack1"},
			"vsw-bp1lcoohhiy67rkf9otmg": {"cn-hangzhou-j", "vpc-ack2"},
			"vsw-bp1qbbq4a1k2aa8d2t2uh": {"cn-hangzhou-k", "vpc-ack2"},
			"vsw-bp1ezisqc7te0v0ky8tta": {"cn-hangzhou-j", "vpc-asm"},
			"vsw-bp1bstztolhyismokpjzu": {"cn-hangzhou-k", "vpc-asm"},
		},
		ListedAt: time.Date(2024, 5, 9, 8, 30, 0, 0, time.FixedZone("CST", 8*3600)),
	}
}

func TestEncodeGolden(t *testing.T) {
	seed := mustDecode(t, readTestdata(t, "testdata/seed-status.yaml"))
	example := mustDecode(t, readTestdata(t, "../testdata/examples/asmpvlconfig.yaml"))
	quoting := New()
	quoting.Metadata.Labels = map[string]string{"yes": "true", "n": "123", "empty": "", "app.kubernetes.io/name": "asmlink", "~": "null"}
	quoting.Metadata.Annotations = map[string]string{"note": "two\nlines ", "lead": " space", "colon": "a: b", "hash": "#x", "tab": "\tx", "bad-utf8": "a\xffb"}
	tests := []struct {
		name string
		cfg  *ASMPvlConfig
		opts EncodeOptions
	}{
		{"seed", seed, EncodeOptions{}},
		{"seed-status", seed, EncodeOptions{Status: true}},
		{"example-header", example, EncodeOptions{Header: &Header{Producer: "asmlink v0.1.0 connect", MeshID: "c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a", Facts: exampleFacts()}}},
		{"example-header-offline", example, EncodeOptions{Header: &Header{}}},
		{"new", New(), EncodeOptions{}},
		{"quoting", quoting, EncodeOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Encode(tt.cfg, tt.opts)
			golden(t, tt.name, out)
			if !bytes.Equal(out, Encode(tt.cfg, tt.opts)) {
				t.Error("Encode is not stable from call to call")
			}
		})
	}
}

func TestEncodeRoundTrips(t *testing.T) {
	for _, name := range []string{"testdata/seed-status.yaml", "testdata/exported.yaml", "../testdata/examples/asmpvlconfig.yaml", "../testdata/examples/asmpvlconfig-invalid.yaml"} {
		cfg := mustDecode(t, readTestdata(t, name))
		back, err := Decode(Encode(cfg, EncodeOptions{Status: true, Header: &Header{Facts: exampleFacts()}}))
		if err != nil {
			t.Fatalf("%s: re-decoding: %v", name, err)
		}
		if !reflect.DeepEqual(back, cfg) {
			t.Errorf("%s: round trip changed the object:\n got %+v\nwant %+v", name, back, cfg)
		}
	}
	q := New()
	q.Metadata.Annotations = map[string]string{"bad": "a\xffb"}
	back := mustDecode(t, Encode(q, EncodeOptions{}))
	if back.Metadata.Annotations["bad"] != "a\uFFFDb" {
		t.Errorf("invalid UTF-8 should be replaced by U+FFFD, got %q", back.Metadata.Annotations["bad"])
	}
}

func TestEncodeLeavesStatusOutUnlessAsked(t *testing.T) {
	seed := mustDecode(t, readTestdata(t, "testdata/seed-status.yaml"))
	if strings.Contains(string(Encode(seed, EncodeOptions{})), "status") {
		t.Error("status written without EncodeOptions.Status")
	}
	if seed.Status == nil {
		t.Error("Encode must not change its input")
	}
	if Encode(nil, EncodeOptions{}) != nil {
		t.Error("Encode(nil) should be empty")
	}
}

func TestEncodeHeaderIsOneCommentPerLine(t *testing.T) {
	out := Encode(New(), EncodeOptions{Header: &Header{Producer: "evil\nkind: Secret", MeshID: "m"}})
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasPrefix(line, "kind: Secret") {
			t.Fatalf("a newline in the header escaped the comment:\n%s", out)
		}
	}
	if cfg := mustDecode(t, out); cfg.Kind != Kind {
		t.Fatalf("header changed the object: %+v", cfg)
	}
}

// TestHeaderEscapesCloudFacts writes the review header with a zone and a
// VPC from the cloud that carry terminal controls: the comment shows them
// escaped, since the file is reviewed with cat or less.
func TestHeaderEscapesCloudFacts(t *testing.T) {
	cfg := &ASMPvlConfig{APIVersion: APIVersion, Kind: Kind, Metadata: ObjectMeta{Name: "default"}}
	cfg.Spec.AsmVpcEndpoint.VSwitches = []VSwitch{{VSwitchID: "vsw-a", ZoneID: "cn-hangzhou-j"}}
	facts := &Facts{Region: "cn-hangzhou", AsmVpcID: "vpc-\x1b]0;pwned\x07", VSwitches: map[string]VSwitchFact{"vsw-a": {ZoneID: "cn-\x1b[2J", VpcID: "vpc-a"}}}
	got := string(Encode(cfg, EncodeOptions{Header: &Header{MeshID: "m1", Facts: facts}}))
	if strings.ContainsAny(got, "\x1b\x07") {
		t.Fatalf("the header holds a raw control:\n%q", got)
	}
	for _, want := range []string{`# ASM instance: m1, region cn-hangzhou, VPC vpc-\x1b]0;pwned\a`, `zone cn-\x1b[2J`} {
		if !strings.Contains(got, want) {
			t.Errorf("the header lacks %q:\n%s", want, got)
		}
	}
}
