package render

import (
	"cmp"
	"slices"
	"strings"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// CategoryTitle is the heading of a check category in reports, from the
// catalogue; a category without a title of its own is shown by its name.
func CategoryTitle(c flow.Category) string { return categoryTitle(words(), c) }

// categoryTitle is the heading of a category in the words w: the JSON
// report's are always English, since machines read it.
func categoryTitle(w *text.ReportWords, c flow.Category) string {
	if t, ok := w.Categories[string(c)]; ok {
		return t
	}
	return string(c)
}

// CheckResult is one check's result as reports carry it: the check's code,
// category, severity, what it verifies, hint and documentation, and what
// the run found, with the fix (its command, and whether it changes the
// cloud) when there is one.
type CheckResult struct {
	Code        spec.Code     `json:"code"`
	Category    flow.Category `json:"category"`
	Status      flow.Status   `json:"status"`
	Severity    spec.Severity `json:"severity"`
	Description string        `json:"description"`
	Message     string        `json:"message"`
	Details     []string      `json:"details,omitempty"`
	Hint        string        `json:"hint"`
	Fix         *flow.Fix     `json:"fix,omitempty"`
	DocURL      string        `json:"docURL"`
	// Said is Message as its format and arguments, for saying it in the
	// language of this run; JSON keeps the English Message.
	Said flow.Said `json:"-"`
}

// CheckGroup is the results of one category, in run order.
type CheckGroup struct {
	Category flow.Category `json:"category"`
	Title    string        `json:"title"`
	Checks   []CheckResult `json:"checks"`
}

// CheckCounts counts results by status.
type CheckCounts struct {
	Pass int `json:"pass"`
	Warn int `json:"warn"`
	Fail int `json:"fail"`
	Skip int `json:"skip"`
}

// CheckReport is a run of checks, grouped by category in the order the
// categories first appear, with the counts; Passed is false when any check
// failed.
type CheckReport struct {
	Passed bool         `json:"passed"`
	Counts CheckCounts  `json:"counts"`
	Groups []CheckGroup `json:"groups"`
}

// NewCheckResult turns a flow result into its report form. A result
// without a check (which the runner never returns) has only its status and
// message.
func NewCheckResult(r flow.Result) CheckResult {
	out := CheckResult{Status: r.Status, Message: r.Message, Details: r.Details, Fix: r.Fix, Severity: r.Finding().Severity, Said: r.Said}
	if c := r.Check; c != nil {
		out.Code, out.Category, out.Description, out.Hint, out.DocURL = c.Code, c.Category, c.Description, c.Hint, c.DocURL
	}
	return out
}

// NewCheckReport groups results by category, keeping the run order within
// and across categories, and counts them.
func NewCheckReport(results []flow.Result) CheckReport {
	rep := CheckReport{Groups: []CheckGroup{}}
	for _, r := range results {
		cr := NewCheckResult(r)
		i := slices.IndexFunc(rep.Groups, func(g CheckGroup) bool { return g.Category == cr.Category })
		if i < 0 {
			rep.Groups = append(rep.Groups, CheckGroup{Category: cr.Category, Title: categoryTitle(&text.English.Report, cr.Category)})
			i = len(rep.Groups) - 1
		}
		rep.Groups[i].Checks = append(rep.Groups[i].Checks, cr)
		switch r.Status {
		case flow.StatusPass:
			rep.Counts.Pass++
		case flow.StatusWarn:
			rep.Counts.Warn++
		case flow.StatusFail:
			rep.Counts.Fail++
		case flow.StatusSkip:
			rep.Counts.Skip++
		}
	}
	rep.Passed = rep.Counts.Fail == 0
	return rep
}

// Summary is the one-line count of a report, e.g. "12 passed, 1 warning,
// 2 failed, 3 skipped".
func (c CheckCounts) Summary() string {
	var parts []string
	w := words()
	for _, p := range []struct {
		n      int
		format string
	}{{c.Pass, w.CountPassedf}, {c.Warn, w.CountWarningsf}, {c.Fail, w.CountFailedf}, {c.Skip, w.CountSkippedf}} {
		if p.n > 0 {
			parts = append(parts, text.Sprintf(p.format, p.n))
		}
	}
	if len(parts) == 0 {
		return w.NoChecks
	}
	return strings.Join(parts, w.CountSep)
}

// CheckOptions choose how much of each result Checks shows.
type CheckOptions struct {
	// Verbose shows the details, hint, fix and documentation link of
	// passed and skipped checks too; otherwise only problems get them.
	Verbose bool
}

// Checks renders results grouped by category: one line per check (status,
// code, message) wrapped to width, and under each warning or failure its
// details, hint, fixing command and documentation link; then the counts.
func Checks(st *styles.Styles, width int, results []flow.Result, opts CheckOptions) string {
	width = normWidth(width)
	rep := NewCheckReport(results)
	var b strings.Builder
	for gi, g := range rep.Groups {
		if gi > 0 {
			b.WriteString("\n")
		}
		b.WriteString(st.Header.Render(CategoryTitle(g.Category)) + "\n")
		for _, c := range g.Checks {
			checkLine(&b, st, width, c, opts)
		}
	}
	if len(rep.Groups) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(summaryLine(st, rep) + "\n")
	return b.String()
}

// checkLine writes one check: "  ✓ pass  PVL100  message", then the
// evidence and the way out, indented under the message.
func checkLine(b *strings.Builder, st *styles.Styles, width int, c CheckResult, opts CheckOptions) {
	head := "  " + StatusMark(st, c.Status) + "  " + st.Code.Render(string(c.Code)) + "  "
	indent := 2 + statusMarkWidth(st) + 2 + len(c.Code) + 2
	msg, evidence := said(c.Said, c.Message, c.Description)
	block(b, head, indent, width, spec.Printable(msg), nil)
	problem := c.Status == flow.StatusFail || c.Status == flow.StatusWarn
	for _, d := range append(evidence, c.Details...) {
		block(b, strings.Repeat(" ", indent)+"· ", indent+2, width, spec.Printable(d), &st.Subtle)
	}
	if !problem && !opts.Verbose {
		return
	}
	wayOut(b, st, indent, width, c.Hint, c.Fix, c.DocURL)
}

// said is the line a finding leads with and the evidence under it, in the
// language of this run: its message, translated through the catalogue
// from its format and arguments (s) or as a constant; otherwise, for a
// message the catalogue does not have, what its code means in this
// language, with the English message as the evidence beneath.
func said(s flow.Said, message, meaning string) (head string, evidence []string) {
	if message == "" {
		return text.T(meaning), nil
	}
	if t, ok := say(s, message); ok {
		return t, nil
	}
	return text.T(meaning), []string{message}
}

// Say is a message in the language of this run, from its format and
// arguments (s) or as a constant; in English when the catalogue lacks it.
func Say(s flow.Said, message string) string {
	t, _ := say(s, message)
	return t
}

// say is a message in the language of this run, from its format and
// arguments (s) or as a constant, and whether it could be said so; the
// English message itself otherwise.
func say(s flow.Said, message string) (string, bool) {
	switch {
	case text.Current() == text.EN:
		return message, true
	case s.Format != "" && text.Translated(s.Format):
		return text.Sprintf(s.Format, sayArgs(s.Args)...), true
	case s.Format == "" && text.Translated(message):
		return text.T(message), true
	}
	return message, false
}

// sayArgs are a message's arguments in the language of this run: a
// resource it names (flow.Ref) with its kind's word from the catalogue,
// the rest (IDs, names, states, counts) as they are.
func sayArgs(args []any) []any {
	w := words()
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
		if r, ok := a.(flow.Ref); ok {
			kind := cmp.Or(w.RefKinds[r.Kind], r.Kind)
			ref := text.Sprintf(w.Reff, kind, r.ID)
			if r.Name != "" && r.Name != r.ID {
				ref = text.Sprintf(w.RefNamedf, kind, r.ID, r.Name)
			}
			if r.Link != "" {
				ref = text.Sprintf(w.RefLinkf, ref, r.Link)
			}
			out[i] = ref
		}
	}
	return out
}

// summaryLine is the verdict and the counts.
func summaryLine(st *styles.Styles, rep CheckReport) string {
	w := words()
	switch {
	case rep.Counts.Fail > 0:
		return st.Fail.Render(w.ChecksFailed) + " " + rep.Counts.Summary()
	case rep.Counts.Warn > 0:
		return st.Warn.Render(w.ChecksWarned) + " " + rep.Counts.Summary()
	}
	return st.Pass.Render(w.ChecksPassed) + " " + rep.Counts.Summary()
}
