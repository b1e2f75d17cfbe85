package main

import (
	"debug/buildinfo"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// maxBinaryBytes is the most the asmlink binary may weigh as the README's
// install command builds it (go build / go install, no strip flags): 40 MB,
// about the size of aliyun-cli, which carries every Alibaba Cloud product.
const maxBinaryBytes = 40 << 20

// heavyPackages are packages the product must not link: the Kubernetes API
// server stack and the scheme of every built-in kind (client-go's
// kubernetes/scheme, pulled in by discovery and controller-runtime's
// client). Tests may use them; the binary has no need of them.
var heavyPackages = []string{
	"k8s.io/apiserver",
	"k8s.io/apiextensions-apiserver/pkg/controller",
	"k8s.io/client-go/kubernetes/scheme",
	"k8s.io/client-go/discovery",
	"sigs.k8s.io/controller-runtime",
}

// buildBinary builds asmlink as `go install .` does, into dir.
func buildBinary(tb testing.TB, dir string) string {
	tb.Helper()
	bin := filepath.Join(dir, "asmlink")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestBinarySize: the binary stays within maxBinaryBytes, and neither it
// nor its build lists the heavy packages (go version -m names modules;
// go list -deps names packages).
func TestBinarySize(t *testing.T) {
	bin := buildBinary(t, t.TempDir())
	st, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("asmlink is %.1f MB (limit %d MB)", float64(st.Size())/(1<<20), maxBinaryBytes>>20)
	if st.Size() > maxBinaryBytes {
		t.Errorf("asmlink is %d bytes, over the %d MB limit: see what grew with go tool nm -size -sort size", st.Size(), maxBinaryBytes>>20)
	}
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range info.Deps {
		if m.Path == "k8s.io/apiserver" || m.Path == "sigs.k8s.io/controller-runtime" {
			t.Errorf("the binary links the module %s", m.Path)
		}
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	deps := strings.Fields(string(out))
	for _, heavy := range heavyPackages {
		if i := slices.IndexFunc(deps, func(p string) bool { return p == heavy || strings.HasPrefix(p, heavy+"/") }); i >= 0 {
			t.Errorf("asmlink imports %s; keep it to tests", deps[i])
		}
	}
}

// BenchmarkStart runs the built binary's quickest commands, whose wall time
// is asmlink's start-up (package init, command tree): the goal is under
// 30 ms each.
//
//	go test -run '^$' -bench Start -benchtime 20x .
func BenchmarkStart(b *testing.B) {
	bin := buildBinary(b, b.TempDir())
	for _, args := range [][]string{{"--help"}, {"version"}} {
		b.Run(strings.Join(args, " "), func(b *testing.B) {
			for b.Loop() {
				if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
					b.Fatalf("%v: %v\n%s", args, err, out)
				}
			}
		})
	}
}
