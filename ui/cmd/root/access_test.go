package root_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// TestApplyOnEveryAnswerToTheAccessReview runs apply on the simulator with
// each answer an ASM API server may give to the SelfSubjectAccessReview,
// for an identity that may write and one that may only read: a verdict
// decides before the write (a denial exits 4 naming the roles, with no
// write tried); any other answer warns in one line and lets the write
// answer, whose 403 exits 4 with the same hint.
func TestApplyOnEveryAnswerToTheAccessReview(t *testing.T) {
	const warning = "could not check permissions first: "
	for _, tc := range []struct {
		answer   string
		readOnly bool
		code     int
		says     string
		warns    bool
	}{
		{answer: sim.ReviewServed, code: cmdutil.ExitOK, says: "Applied: ASMPvlConfig/default now connects 1 cluster(s)."},
		{answer: sim.ReviewServed, readOnly: true, code: cmdutil.ExitCredentials, says: "may not patch or create asmpvlconfigs"},
		{answer: sim.ReviewForbidden, code: cmdutil.ExitOK, says: "Applied:", warns: true},
		{answer: sim.ReviewForbidden, readOnly: true, code: cmdutil.ExitCredentials, says: "may not write asmpvlconfigs", warns: true},
		{answer: sim.ReviewNotFound, code: cmdutil.ExitOK, says: "Applied:", warns: true},
		{answer: sim.ReviewNotFound, readOnly: true, code: cmdutil.ExitCredentials, says: "may not write asmpvlconfigs", warns: true},
		{answer: sim.ReviewMethodNotAllowed, code: cmdutil.ExitOK, says: "Applied:", warns: true},
		{answer: sim.ReviewMethodNotAllowed, readOnly: true, code: cmdutil.ExitCredentials, says: "may not write asmpvlconfigs", warns: true},
	} {
		t.Run(reviewName(tc.answer, tc.readOnly), func(t *testing.T) {
			env := reviewEnv(t, tc.answer, tc.readOnly)
			code, _, errOut := runWithin(t, context.Background(), 30*time.Second, env, "apply", "--mesh", meshProd, "--cluster", shopProd, "--yes")
			if code != tc.code || !strings.Contains(errOut, tc.says) {
				t.Fatalf("exit %d, want %d saying %q\nstderr:\n%s", code, tc.code, tc.says, errOut)
			}
			if got := strings.Count(errOut, warning); got != map[bool]int{true: 1}[tc.warns] {
				t.Errorf("%d warning(s) %q, want %v\nstderr:\n%s", got, warning, tc.warns, errOut)
			}
			if tc.code == cmdutil.ExitCredentials && !strings.Contains(errOut, "istio-admin or istio-ops role") {
				t.Errorf("the refusal does not name the roles to grant:\n%s", errOut)
			}
			_, out, _ := runWithin(t, context.Background(), 30*time.Second, env, "status", "--mesh", meshProd, "-o", "json")
			if written := strings.Contains(out, shopProd); written != (tc.code == cmdutil.ExitOK) {
				t.Errorf("after apply exit %d the cluster's entry is written: %v\nstatus:\n%s", code, written, out)
			}
		})
	}
}

// reviewName names a test case of an answer to the access review.
func reviewName(answer string, readOnly bool) string {
	name := answer
	if name == "" {
		name = "served"
	}
	if readOnly {
		name += "/read-only"
	}
	return name
}

// reviewEnv is simEnv on a world whose mesh API server gives answer to an
// access review, for an identity that may write or, readOnly, only read.
func reviewEnv(t *testing.T, answer string, readOnly bool) []string {
	t.Helper()
	return simEnvWith(t, func(w *sim.World) func(*sim.Server) {
		w.MeshAPI.AccessReview, w.MeshAPI.ReadOnly = answer, readOnly
		return nil
	})
}
