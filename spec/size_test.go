package spec

import (
	"fmt"
	"strings"
	"testing"
)

// sized is a one-cluster object padded with an annotation to exactly n
// bytes of JSON.
func sized(t *testing.T, n int) *ASMPvlConfig {
	t.Helper()
	cfg := Merge(nil, AckVpcEndpoint{ClusterID: fmt.Sprintf("c%032x", 1), VSwitches: []VSwitch{{VSwitchID: "vsw-bp1ack", ZoneID: "cn-hangzhou-j"}}},
		[]VSwitch{{VSwitchID: "vsw-bp1asm", ZoneID: "cn-hangzhou-j"}})
	cfg.Metadata.Annotations = map[string]string{"example.com/pad": ""}
	pad := n - EncodedSize(cfg)
	if pad < 0 {
		t.Fatalf("cannot make an object of %d bytes: the smallest is %d", n, EncodedSize(cfg))
	}
	cfg.Metadata.Annotations["example.com/pad"] = strings.Repeat("x", pad)
	if got := EncodedSize(cfg); got != n {
		t.Fatalf("padded object is %d bytes, want %d", got, n)
	}
	return cfg
}

func codesOf(fs []Finding) []Code {
	var out []Code
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

// TestCheckSizeAtTheLimit: an object of exactly the limit is stored (etcd
// refuses only a request larger than --max-request-bytes), one byte more is
// refused; the warning starts at exactly 1 MiB.
func TestCheckSizeAtTheLimit(t *testing.T) {
	for _, c := range []struct {
		name  string
		size  int
		limit int64
		want  []Code
	}{
		{"small", 2000, 0, nil},
		{"just under 1 MiB", WarnBytes - 1, 0, nil},
		{"1 MiB", WarnBytes, 0, []Code{CodeLarge}},
		{"at the default limit", DefaultMaxBytes, 0, []Code{CodeLarge}},
		{"one byte over the default limit", DefaultMaxBytes + 1, 0, []Code{CodeTooLarge}},
		{"at a larger limit", 3 << 20, 3 << 20, []Code{CodeLarge}},
		{"one byte over a larger limit", 3<<20 + 1, 3 << 20, []Code{CodeTooLarge}},
		{"at a smaller limit", 4096, 4096, nil},
		{"one byte over a smaller limit", 4097, 4096, []Code{CodeTooLarge}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := CheckSize(sized(t, c.size), c.limit)
			if got := codesOf(fs); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Fatalf("%d bytes, limit %d: codes %v, want %v (%v)", c.size, c.limit, got, c.want, fs)
			}
			for _, f := range fs {
				if f.Hint == "" || f.Path != "" {
					t.Errorf("%s: hint %q, path %q: want a hint and the whole object", f.Code, f.Hint, f.Path)
				}
			}
		})
	}
}

// TestCheckSizeOfTwentyThousandClusters: the object the issue measured
// (20,000 clusters, about 2.8 MB) passes Validate but is refused here, with
// the size, the limit and what to do.
func TestCheckSizeOfTwentyThousandClusters(t *testing.T) {
	cfg, err := Decode(manyClusters(20000))
	if err != nil {
		t.Fatal(err)
	}
	fs := CheckSize(cfg, 0)
	if len(fs) != 1 || fs[0].Code != CodeTooLarge || fs[0].Severity != Error {
		t.Fatalf("20,000 clusters: %v, want one %s error", fs, CodeTooLarge)
	}
	for _, want := range []string{"20000 cluster(s)", "1.5 MiB (1572864 bytes)", "MiB ("} {
		if !strings.Contains(fs[0].Message, want) {
			t.Errorf("message %q lacks %q", fs[0].Message, want)
		}
	}
	if !strings.Contains(fs[0].Hint, "asmlink remove") || !strings.Contains(fs[0].Hint, "--max-object-size") {
		t.Errorf("hint %q does not say what to do", fs[0].Hint)
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{
		512:             "512 bytes",
		2048:            "2 KiB (2048 bytes)",
		DefaultMaxBytes: "1.5 MiB (1572864 bytes)",
		WarnBytes:       "1 MiB (1048576 bytes)",
	} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
