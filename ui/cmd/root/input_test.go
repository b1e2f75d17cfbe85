package root_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// endless is a standard input that never ends, as `yes | asmlink validate -`.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// runInput runs asmlink with stdin and fails when it has not ended after
// limit; it reports the exit code and stderr.
func runInput(t *testing.T, ctx context.Context, stdin io.Reader, args ...string) (int, string) {
	t.Helper()
	ios, _, out, errOut := cmdutil.TestStreams(false)
	ios.In = stdin
	done := make(chan int, 1)
	go func() { done <- root.Execute(ctx, ios, args) }()
	select {
	case code := <-done:
		if out.Len() > 0 && code != 0 {
			t.Errorf("asmlink %s printed on stdout although it failed:\n%s", strings.Join(args, " "), out)
		}
		return code, strings.Join(strings.Fields(errOut.String()), " ")
	case <-time.After(20 * time.Second):
		t.Fatalf("asmlink %s still runs after 20s", strings.Join(args, " "))
		return 0, ""
	}
}

// TestInputIsBounded feeds validate and apply -f inputs without an end
// (/dev/zero, an endless stdin): each is refused with exit 2 and a message
// naming the limit or the kind of file, after reading at most the limit.
func TestInputIsBounded(t *testing.T) {
	// plan and apply reach the simulated cloud only after the input checks.
	simEnv(t)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, tc := range []struct {
		name  string
		stdin io.Reader
		args  []string
		says  string
	}{
		{name: "validate /dev/zero", args: []string{"validate", "/dev/zero"}, says: "/dev/zero: cannot read: not a regular file (a device)"},
		{name: "validate a directory", args: []string{"validate", t.TempDir()}, says: "not a regular file (a directory)"},
		{name: "validate endless stdin", stdin: endless{}, args: []string{"validate", "-"}, says: "more than 16777216 bytes (16 MiB)"},
		{name: "apply -f /dev/zero", args: []string{"apply", "-f", "/dev/zero", "--mesh", meshProd, "--dry-run"}, says: "-f /dev/zero: cannot read: not a regular file (a device)"},
		{name: "apply -f endless stdin", stdin: endless{}, args: []string{"apply", "-f", "-", "--mesh", meshProd, "--dry-run"}, says: "more than 16777216 bytes"},
		{name: "plan --out /dev/full", args: []string{"plan", "--mesh", meshProd, "--cluster", shopProd, "--offline", "--out", "/dev/full"}, says: "/dev/full exists and is not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, errOut := runInput(t, context.Background(), tc.stdin, tc.args...)
			if code != cmdutil.ExitUsage || !strings.Contains(errOut, tc.says) {
				t.Errorf("exit %d, want 2 saying %q; stderr: %s", code, tc.says, errOut)
			}
		})
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 200<<20 {
		t.Errorf("reading the inputs allocated %d MB; the limit is 16 MiB per input", grew>>20)
	}
}

// TestInterruptWhileReadingStdin cancels validate while stdin stays open
// and silent: it ends at once with exit 130.
func TestInterruptWhileReadingStdin(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	code, errOut := runInput(t, ctx, r, "validate", "-")
	if code != cmdutil.ExitCancelled {
		t.Errorf("exit %d, want 130; stderr: %s", code, errOut)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("validate took %s to end after the interrupt", d)
	}
}

// TestValidateAcceptsTwentyThousandClusters checks a valid file of 20,000
// clusters through the command, from a file and from stdin, for a server
// whose etcd stores objects of 4 MiB (at the default 1.5 MiB the object,
// about 2.6 MiB of JSON, is refused: TestCheckSizeOfTwentyThousandClusters).
func TestValidateAcceptsTwentyThousandClusters(t *testing.T) {
	cfg := spec.New()
	cfg.Spec.AsmVpcEndpoint.VSwitches = []spec.VSwitch{{VSwitchID: "vsw-bp1asm0000000000000000", ZoneID: "cn-hangzhou-j"}}
	for i := range 20000 {
		cfg.Spec.AckVpcEndpoint = append(cfg.Spec.AckVpcEndpoint, spec.AckVpcEndpoint{
			ClusterID: fmt.Sprintf("c%032x", i+1),
			VSwitches: []spec.VSwitch{{VSwitchID: fmt.Sprintf("vsw-bp1%022x", i+1), ZoneID: "cn-hangzhou-j"}},
		})
	}
	data := spec.Encode(cfg, spec.EncodeOptions{})
	path := filepath.Join(t.TempDir(), "many.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, errOut := runInput(t, context.Background(), nil, "validate", "--max-object-size", "4Mi", path); code != 0 {
		t.Errorf("validate of 20,000 clusters (%d bytes): exit %d; stderr: %s", len(data), code, errOut)
	}
	if code, errOut := runInput(t, context.Background(), bytes.NewReader(data), "validate", "--max-object-size", "4Mi", "-"); code != 0 {
		t.Errorf("validate - of 20,000 clusters: exit %d; stderr: %s", code, errOut)
	}
}

// TestPlanRefusesARepeatedPair: a pair given twice would list the
// cluster's vSwitch twice, a file validate refuses (PVL017), so plan
// refuses it as a usage error before writing anything.
func TestPlanRefusesARepeatedPair(t *testing.T) {
	env := simEnv(t)
	out := filepath.Join(t.TempDir(), "pvl.yaml")
	ios, _, stdout, errOut := cmdutil.TestStreams(false)
	ios.Env = env
	code := root.Execute(context.Background(), ios, []string{"plan", "--mesh", meshProd, "--cluster", shopProd, "--offline", "--out", out,
		"--asm-vswitch", "vsw-bp13uea3ge8n6qiwepxsk", "--ack-vswitch", "vsw-bp128t7a9tgiqhg9jrsnv",
		"--asm-vswitch", "vsw-bp13uea3ge8n6qiwepxsk", "--ack-vswitch", "vsw-bp128t7a9tgiqhg9jrsnv"})
	if code != cmdutil.ExitUsage || !strings.Contains(errOut.String(), "--ack-vswitch vsw-bp128t7a9tgiqhg9jrsnv is given twice") {
		t.Errorf("exit %d, want 2 naming the repeated --ack-vswitch\nstdout:\n%s\nstderr:\n%s", code, stdout, errOut)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("plan wrote a file for a repeated pair")
	}
}
