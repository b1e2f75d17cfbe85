package render

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/styles"
)

// Diagnosis is one diagnosis as reports carry it: flow's diagnosis with
// its documentation link.
type Diagnosis struct {
	flow.Diagnosis
	DocURL string `json:"docURL"`
}

// NewDiagnoses turns flow's diagnoses into their report form; never nil,
// so JSON shows an empty list rather than null.
func NewDiagnoses(ds []flow.Diagnosis) []Diagnosis {
	out := make([]Diagnosis, 0, len(ds))
	for _, d := range ds {
		out = append(out, Diagnosis{Diagnosis: d, DocURL: flow.DocURL(d.Code)})
	}
	return out
}

// Diagnoses renders each diagnosis: severity, code and message wrapped to
// width, then its evidence, what is being waited for, the hint, the fixing
// command and the documentation link. With none it says nothing was found.
func Diagnoses(st *styles.Styles, width int, ds []flow.Diagnosis) string {
	width = normWidth(width)
	if len(ds) == 0 {
		return st.Pass.Render(words().NoProblem) + "\n"
	}
	var b strings.Builder
	for _, d := range NewDiagnoses(ds) {
		head, indent := severityColumn(st, d.Severity)
		head += st.Code.Render(string(d.Code)) + "  "
		indent += len(d.Code) + 2
		msg, evidence := said(d.Said, d.Message, meanings[d.Code])
		block(&b, head, indent, width, spec.Printable(msg), nil)
		for _, det := range append(evidence, d.Details...) {
			block(&b, strings.Repeat(" ", indent)+"· ", indent+2, width, spec.Printable(det), &st.Subtle)
		}
		labelled(&b, st, indent, width, words().WaitingFor, d.Wait, nil)
		wayOut(&b, st, indent, width, d.Hint, d.Fix, d.DocURL)
	}
	return b.String()
}

// meanings are what each diagnosis code means (its symptom and cause), by
// code, from flow's table of codes.
var meanings = func() map[spec.Code]string {
	m := map[spec.Code]string{}
	for _, c := range flow.Codes() {
		m[c.Code] = c.Summary
	}
	return m
}()

// severityColumn renders a severity padded to the longest one plus two
// spaces, and returns the cells it takes.
func severityColumn(st *styles.Styles, sev spec.Severity) (string, int) {
	longest := widest(severityMarks)
	word := severityMarks[sev].word()
	pad := strings.Repeat(" ", longest-ansi.StringWidth(word)+2)
	if !st.Color {
		return word + pad, longest + 2
	}
	return severityMarks[sev].styled(st, word) + pad, 2 + longest + 2
}
