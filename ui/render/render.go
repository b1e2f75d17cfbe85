// Package render turns flow's values — check results, diagnoses and the
// link view — into text for a terminal and into JSON-ready reports. Every
// function is pure: it takes the styles (colour or plain) and the width, so
// the wizard's screens and the scriptable commands (doctor, status) show
// exactly the same words, and golden tests pin them down.
package render

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// words are the reports' words in the catalogue of this run.
func words() *text.ReportWords { return &text.Active().Report }

// DefaultWidth is used when the width is unknown (zero or negative), as
// when output goes to a pipe.
const DefaultWidth = 80

// minWidth is the narrowest width text is wrapped to; below it wrapping
// would make every word a line.
const minWidth = 40

// normWidth returns the width to wrap to.
func normWidth(width int) int {
	if width <= 0 {
		return DefaultWidth
	}
	return max(width, minWidth)
}

// mark is how one status or severity is shown: a glyph and a word in the
// status's colour with colour on, the bare word without, so plain output
// and screen readers get words only. The word comes from the catalogue.
type mark struct {
	glyph string
	say   func(*text.ReportWords) string
	style func(*styles.Styles) lipgloss.Style
}

func (m mark) word() string { return m.say(words()) }

// styled is word after the glyph, in the mark's colour.
func (m mark) styled(st *styles.Styles, word string) string {
	return m.style(st).Render(m.glyph + " " + word)
}

// widest is the width of the longest word among marks, so columns line up.
func widest[K comparable](marks map[K]mark) int {
	w := 0
	for _, m := range marks {
		w = max(w, ansi.StringWidth(m.word()))
	}
	return w
}

var statusMarks = map[flow.Status]mark{
	flow.StatusPass: {"✓", func(w *text.ReportWords) string { return w.Pass }, func(s *styles.Styles) lipgloss.Style { return s.Pass }},
	flow.StatusWarn: {"!", func(w *text.ReportWords) string { return w.Warn }, func(s *styles.Styles) lipgloss.Style { return s.Warn }},
	flow.StatusFail: {"✗", func(w *text.ReportWords) string { return w.Fail }, func(s *styles.Styles) lipgloss.Style { return s.Fail }},
	flow.StatusSkip: {"-", func(w *text.ReportWords) string { return w.Skip }, func(s *styles.Styles) lipgloss.Style { return s.Subtle }},
}

var severityMarks = map[spec.Severity]mark{
	spec.Error:   {"✗", func(w *text.ReportWords) string { return w.Error }, func(s *styles.Styles) lipgloss.Style { return s.Fail }},
	spec.Warning: {"!", func(w *text.ReportWords) string { return w.Warning }, func(s *styles.Styles) lipgloss.Style { return s.Warn }},
	spec.Info:    {"i", func(w *text.ReportWords) string { return w.Info }, func(s *styles.Styles) lipgloss.Style { return s.Info }},
}

// statusMarkWidth is the number of cells StatusMark takes.
func statusMarkWidth(st *styles.Styles) int {
	if !st.Color {
		return widest(statusMarks)
	}
	return widest(statusMarks) + 2
}

// StatusMark renders a check status as the glyph and word the reports use,
// e.g. "✓ pass" in green, or "pass" without colour, padded so that columns
// line up.
func StatusMark(st *styles.Styles, s flow.Status) string {
	m, ok := statusMarks[s]
	if !ok {
		m = mark{glyph: "?", say: func(*text.ReportWords) string { return string(s) }, style: func(s *styles.Styles) lipgloss.Style { return s.Subtle }}
	}
	word := m.word()
	word += strings.Repeat(" ", max(0, widest(statusMarks)-ansi.StringWidth(word)))
	if !st.Color {
		return word
	}
	return m.styled(st, word)
}

// wrap breaks text into lines of at most limit cells (text.Wrap: at
// spaces, and between wide characters). A word longer than limit (an ID, a
// URL, a command) stays whole on its own line, so it can still be copied.
func wrap(s string, limit int) []string { return text.Wrap(s, limit) }

// block writes text wrapped to width, the first line after first (already
// indent cells wide) and the rest indented by indent spaces. style, when
// not nil, colours each line of text.
func block(b *strings.Builder, first string, indent, width int, text string, style *lipgloss.Style) {
	pad := strings.Repeat(" ", indent)
	for i, line := range wrap(text, max(width-indent, minWidth/2)) {
		if style != nil {
			line = style.Render(line)
		}
		if i == 0 {
			b.WriteString(first + line + "\n")
		} else {
			b.WriteString(pad + line + "\n")
		}
	}
}

// labelled writes "label: text" under indent, wrapped so that continuation
// lines line up with the text. The label is in the subtle style.
func labelled(b *strings.Builder, st *styles.Styles, indent, width int, label, text string, style *lipgloss.Style) {
	if text == "" {
		return
	}
	head := strings.Repeat(" ", indent) + st.Subtle.Render(label+":") + " "
	block(b, head, indent+ansi.StringWidth(label)+2, width, text, style)
}

// wayOut writes what resolves a problem: the hint, the fix (noting when it
// changes the cloud) and its command, and the documentation link.
func wayOut(b *strings.Builder, st *styles.Styles, indent, width int, hint string, fix *flow.Fix, docURL string) {
	w := words()
	labelled(b, st, indent, width, w.Hint, spec.Printable(text.T(hint)), nil)
	if fix != nil {
		desc, _ := say(fix.Said, fix.Description)
		if fix.Mutating {
			desc += w.ChangesCloud
		}
		labelled(b, st, indent, width, w.Fix, spec.Printable(desc), nil)
		copyable(b, st, indent, width, w.Run, spec.Printable(fix.Command), &st.Code)
	}
	copyable(b, st, indent, width, w.Docs, docURL, &st.Subtle)
}

// copyable writes "label: value" for a value people copy (a command, a
// URL, a domain), which is never broken: after the label when it fits in
// width, else on a line of its own under the label, indented by two more
// cells when that fits and from the first column otherwise, so that a
// terminal's selection (a triple click) copies it in one piece and a
// terminal that wraps it wraps it without inserted characters.
func copyable(b *strings.Builder, st *styles.Styles, indent, width int, label, value string, style *lipgloss.Style) {
	if value == "" {
		return
	}
	head := strings.Repeat(" ", indent) + st.Subtle.Render(label+":")
	shown := value
	if style != nil {
		shown = style.Render(value)
	}
	vw := ansi.StringWidth(value)
	switch {
	case indent+ansi.StringWidth(label)+2+vw <= width:
		b.WriteString(head + " " + shown + "\n")
	case indent+2+vw <= width:
		b.WriteString(head + "\n" + strings.Repeat(" ", indent+2) + shown + "\n")
	default:
		b.WriteString(head + "\n" + shown + "\n")
	}
}
