package root_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// TestDoctorRunsThePermissionReviewOfApply runs doctor on the simulator
// with each answer an ASM API server may give to apply's
// SelfSubjectAccessReview, for an identity that may write and one that may
// only read: PVL149 passes on an allowed verdict, fails on a denial with
// the server's reason and the roles to grant (doctor exits 3), and only
// warns when the server gives no verdict, as apply does.
func TestDoctorRunsThePermissionReviewOfApply(t *testing.T) {
	for _, tc := range []struct {
		answer   string
		readOnly bool
		status   string
		says     string
	}{
		{answer: sim.ReviewServed, status: "pass", says: "may patch and create"},
		{answer: sim.ReviewServed, readOnly: true, status: "fail", says: "may not patch or create asmpvlconfigs"},
		{answer: sim.ReviewForbidden, status: "warn", says: "403 Forbidden"},
		{answer: sim.ReviewForbidden, readOnly: true, status: "warn", says: "403 Forbidden"},
		{answer: sim.ReviewNotFound, status: "warn", says: "404 Not Found"},
		{answer: sim.ReviewMethodNotAllowed, status: "warn", says: "405 Method Not Allowed"},
		{answer: sim.ReviewMethodNotAllowed, readOnly: true, status: "warn", says: "405 Method Not Allowed"},
	} {
		t.Run(reviewName(tc.answer, tc.readOnly), func(t *testing.T) {
			env := reviewEnv(t, tc.answer, tc.readOnly)
			code, out, errOut := runWithin(t, context.Background(), 30*time.Second, env, "doctor", "--mesh", meshProd, "-o", "json")
			var rep struct {
				Groups []struct {
					Checks []struct {
						Code, Status, Severity, Message, Hint string
						Details                               []string
					}
				}
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("doctor -o json: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
			}
			found := false
			for _, g := range rep.Groups {
				for _, c := range g.Checks {
					if c.Code != "PVL149" {
						continue
					}
					found = true
					if c.Status != tc.status || !strings.Contains(c.Message, tc.says) {
						t.Errorf("PVL149 is %s: %q, want %s saying %q", c.Status, c.Message, tc.status, tc.says)
					}
					if !strings.Contains(c.Hint, "istio-admin or istio-ops role") {
						t.Errorf("PVL149's hint does not name the roles to grant: %q", c.Hint)
					}
					if tc.status == "fail" && !strings.Contains(strings.Join(c.Details, " "), "istio-readonly") {
						t.Errorf("the denial does not give the server's reason: %v", c.Details)
					}
				}
			}
			if !found {
				t.Fatalf("doctor -o json has no PVL149:\n%s", out)
			}
			if tc.status == "fail" && code != cmdutil.ExitChecks {
				t.Errorf("doctor exits %d with a refused identity, want 3", code)
			}
		})
	}
}
