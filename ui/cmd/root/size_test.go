package root_test

import (
	"strings"
	"testing"

	"github.com/asmlink/asmlink/ui/cmdutil"
)

// TestPlanRefusesAnObjectOverTheSizeLimit: plan measures the object it
// would write against --max-object-size and, over it, exits 3 with
// PVL023 and what to do, writing nothing; at the default limit the same
// plan is written.
func TestPlanRefusesAnObjectOverTheSizeLimit(t *testing.T) {
	env := simEnv(t)
	args := []string{"plan", "--offline", "--mesh", "mesh-prod", "--cluster", "shop-prod"}
	code, out, errOut := run(env, append(args, "--max-object-size", "200")...)
	if code != cmdutil.ExitChecks || out != "" || !strings.Contains(errOut, "PVL023") || !strings.Contains(errOut, "over the limit of 200 bytes") ||
		!strings.Contains(errOut, "hint: remove clusters") {
		t.Fatalf("--max-object-size 200: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	code, out, errOut = run(env, args...)
	if code != 0 || !strings.Contains(out, "kind: ASMPvlConfig") || strings.Contains(errOut, "PVL02") {
		t.Fatalf("default limit: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
}
