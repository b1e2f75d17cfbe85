package render

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// Verdict is the closing line of status and doctor: whether all is well,
// what was counted, and the command to run next.
type Verdict struct {
	OK bool `json:"ok"`
	// Summary is in English, since machines read the JSON; Said is the
	// same in the language of this run, which VerdictLine shows.
	Summary string `json:"summary"`
	Said    string `json:"-"`
	// Next is the command to run next, "" when there is none.
	Next string `json:"next,omitempty"`
}

// VerdictLine renders a verdict as one line, wrapped to width: "✔" or "✗"
// with colour (the words alone without), the summary and the next command.
func VerdictLine(st *styles.Styles, width int, v Verdict) string {
	width = normWidth(width)
	said := cmp.Or(v.Said, v.Summary)
	head := word(st, st.Fail, "✗", said)
	if v.OK {
		head = word(st, st.Pass, "✔", said)
	}
	var b strings.Builder
	block(&b, "", 0, width, head, nil)
	if v.Next != "" {
		block(&b, "  "+st.Subtle.Render(words().Next)+" ", 2+ansi.StringWidth(words().Next)+1, width, v.Next, &st.Code)
	}
	return b.String()
}

// LinkVerdict is the verdict of status on a state under target: how many
// clusters of the spec are up (and running, for flow.WaitRunning), and
// next the command that takes it further: doctor --fix for a cause
// asmlink can fix, the fix's own command for one it cannot, status --wait
// while things settle, nothing when all is well.
func LinkVerdict(s flow.LinkState, target flow.WaitTarget, meshID string) Verdict {
	v := linkVerdict(&text.English.Report, s, target, meshID)
	v.Said = linkVerdict(words(), s, target, meshID).Summary
	return v
}

// linkVerdict is LinkVerdict with its summary in the words w.
func linkVerdict(w *text.ReportWords, s flow.LinkState, target flow.WaitTarget, meshID string) Verdict {
	var total, good int
	for _, c := range s.View.Clusters {
		if !c.InSpec {
			continue
		}
		total++
		if c.Healthy() && (target.Mode != flow.WaitRunning || c.MeshState == "running") {
			good++
		}
	}
	scope := "--mesh " + meshID
	if target.ClusterID != "" {
		scope += " --cluster " + target.ClusterID
	}
	if total == 0 {
		return Verdict{Summary: w.VerdictNoCluster, Next: "asmlink apply " + scope + " --cluster CLUSTER"}
	}
	summary := fmt.Sprintf(w.VerdictRunningf, good, total)
	if target.Mode == flow.WaitAvailable {
		summary = fmt.Sprintf(w.VerdictAvailablef, good, total)
	}
	if s.Reached(target) {
		return Verdict{OK: true, Summary: summary}
	}
	v := Verdict{Summary: fmt.Sprintf(w.VerdictNotRunningf, total-good, total)}
	blocking, why := s.Blocking(target)
	if why != "" {
		v.Summary += ": " + why
	}
	for _, d := range blocking {
		switch {
		case d.Fix != nil && d.Fix.Apply != nil:
			v.Next = "asmlink doctor " + scope + " --fix"
		case d.Fix != nil && d.Fix.Command != "" && v.Next == "":
			v.Next = d.Fix.Command
		}
	}
	if v.Next == "" && len(blocking) == 0 {
		v.Next = "asmlink status " + scope + " --wait"
	} else if v.Next == "" {
		v.Next = "asmlink doctor " + scope
	}
	return v
}

// CheckVerdict is doctor's verdict on its report: the checks that failed
// out of those that ran, and next doctor --fix when a failed check has a
// fix asmlink can run, the first failed check's fix command otherwise, or
// status --wait once everything passes.
func CheckVerdict(rep CheckReport, results []flow.Result, meshID, clusterID string) Verdict {
	v := checkVerdict(&text.English.Report, rep, results, meshID, clusterID)
	v.Said = checkVerdict(words(), rep, results, meshID, clusterID).Summary
	return v
}

// checkVerdict is CheckVerdict with its summary in the words w.
func checkVerdict(w *text.ReportWords, rep CheckReport, results []flow.Result, meshID, clusterID string) Verdict {
	scope := "--mesh " + meshID
	if clusterID != "" {
		scope += " --cluster " + clusterID
	}
	ran := rep.Counts.Pass + rep.Counts.Warn + rep.Counts.Fail
	if rep.Counts.Fail == 0 {
		return Verdict{OK: true, Summary: fmt.Sprintf(w.VerdictChecksf, rep.Counts.Pass+rep.Counts.Warn), Next: "asmlink status " + scope + " --wait"}
	}
	v := Verdict{Summary: fmt.Sprintf(w.VerdictChecksFailedf, rep.Counts.Fail, ran)}
	var codes []string
	for _, r := range flow.Failed(results) {
		codes = append(codes, string(r.Check.Code))
		switch {
		case r.Fix != nil && r.Fix.Apply != nil:
			v.Next = "asmlink doctor " + scope + " --fix"
		case r.Fix != nil && r.Fix.Command != "" && v.Next == "":
			v.Next = r.Fix.Command
		}
	}
	v.Summary += " (" + strings.Join(codes, ", ") + ")"
	return v
}

// WaitLine renders one attempt of a wait as a progress line for stderr,
// like `cilium clustermesh status --wait`: the time spent, then what it
// waits for, the error it retries after, or the cause only a person can
// fix and how long until the wait gives up on it. With colour a glyph
// leads (⌛, ✗, ✔).
func WaitLine(st *styles.Styles, a flow.Attempt) string {
	w := words()
	elapsed := a.Elapsed.Round(time.Second).String()
	switch {
	case a.Done:
		return word(st, st.Pass, "✔", fmt.Sprintf(w.WaitDonef, elapsed, spec.Printable(a.What)))
	case a.Terminal != nil:
		left := max(a.Grace-a.Held, 0).Round(time.Second).String()
		return word(st, st.Fail, "✗", fmt.Sprintf(w.WaitTerminalf, elapsed, spec.Printable(a.Terminal.Error()), left))
	case a.Err != nil:
		return word(st, st.Warn, "!", fmt.Sprintf(w.WaitRetryingf, elapsed, spec.Printable(a.Err.Error())))
	}
	return word(st, st.Subtle, "⌛", fmt.Sprintf(w.WaitWaitingf, elapsed, spec.Printable(a.State)))
}
