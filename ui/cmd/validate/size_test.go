package validate_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// clustersFile is a valid file of n clusters.
func clustersFile(t *testing.T, n int) (string, int) {
	t.Helper()
	entries := make([]spec.AckVpcEndpoint, n)
	for i := range entries {
		entries[i] = spec.AckVpcEndpoint{ClusterID: fmt.Sprintf("c%032x", i+1),
			VSwitches: []spec.VSwitch{{VSwitchID: fmt.Sprintf("vsw-bp1%022x", i+1), ZoneID: "cn-hangzhou-j"}}}
	}
	cfg := spec.MergeAll(nil, entries, []spec.VSwitch{{VSwitchID: "vsw-bp1asm", ZoneID: "cn-hangzhou-j"}})
	return writeFile(t, "big.yaml", string(spec.Encode(cfg, spec.EncodeOptions{}))), spec.EncodedSize(cfg)
}

// TestValidateSizeGuard: a file whose object is over etcd's default request
// limit is invalid (PVL023, exit 3) with what to do; --max-object-size at
// exactly its size makes it valid with the 1 MiB warning (PVL022); one byte
// less refuses it again; a bad size is a usage error naming the flag.
func TestValidateSizeGuard(t *testing.T) {
	path, size := clustersFile(t, 12000)
	if size <= spec.DefaultMaxBytes {
		t.Fatalf("12,000 clusters are %d bytes, not over the default limit", size)
	}
	code, out, _ := run(t, false, "", nil, path)
	if code != cmdutil.ExitChecks || !strings.Contains(out, "error PVL023") || !strings.Contains(out, "hint: remove clusters") {
		t.Fatalf("default limit: exit %d, stdout:\n%s", code, out)
	}
	code, out, _ = run(t, false, "", nil, "--max-object-size", fmt.Sprint(size), path)
	if code != cmdutil.ExitOK || !strings.Contains(out, "warning PVL022") || strings.Contains(out, "PVL023") {
		t.Fatalf("--max-object-size %d (the size): exit %d, stdout:\n%s", size, code, out)
	}
	code, out, _ = run(t, false, "", nil, "--max-object-size", fmt.Sprint(size-1), path)
	if code != cmdutil.ExitChecks || !strings.Contains(out, "error PVL023") {
		t.Fatalf("--max-object-size %d (a byte less): exit %d, stdout:\n%s", size-1, code, out)
	}
	code, _, _ = run(t, false, "", nil, "--max-object-size", "4Mi", path)
	if code != cmdutil.ExitOK {
		t.Fatalf("--max-object-size 4Mi: exit %d", code)
	}
	code, out, errOut := run(t, false, "", nil, "--max-object-size", "lots", path)
	if code != cmdutil.ExitUsage || out != "" || !strings.Contains(errOut, "--max-object-size") {
		t.Fatalf("--max-object-size lots: exit %d, %q, %q", code, out, errOut)
	}
}
