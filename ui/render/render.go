// Package render turns flow's values — check results, diagnoses and the
// link view — into text for a terminal and into JSON-ready reports. Every
// function is pure: it takes the styles (colour or plain) and the width, so
// the wizard's screens and the scriptable commands (doctor, status) show
// exactly the same words, and golden tests pin them down.
package render

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/styles"
)

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
// and screen readers get words only.
type mark struct {
	glyph string
	word  string
	style func(*styles.Styles) lipgloss.Style
}

// markWidth is the width of the widest word, so that columns line up.
const markWidth = 4

func (m mark) render(st *styles.Styles) string {
	word := m.word + strings.Repeat(" ", max(0, markWidth-len(m.word)))
	if !st.Color {
		return word
	}
	return m.style(st).Render(m.glyph + " " + word)
}

// width is the number of cells render(st) takes.
func (m mark) width(st *styles.Styles) int {
	if !st.Color {
		return markWidth
	}
	return markWidth + 2
}

var statusMarks = map[flow.Status]mark{
	flow.StatusPass: {"✓", "pass", func(s *styles.Styles) lipgloss.Style { return s.Pass }},
	flow.StatusWarn: {"!", "warn", func(s *styles.Styles) lipgloss.Style { return s.Warn }},
	flow.StatusFail: {"✗", "fail", func(s *styles.Styles) lipgloss.Style { return s.Fail }},
	flow.StatusSkip: {"-", "skip", func(s *styles.Styles) lipgloss.Style { return s.Subtle }},
}

var severityMarks = map[spec.Severity]mark{
	spec.Error:   {"✗", "error", func(s *styles.Styles) lipgloss.Style { return s.Fail }},
	spec.Warning: {"!", "warning", func(s *styles.Styles) lipgloss.Style { return s.Warn }},
	spec.Info:    {"i", "info", func(s *styles.Styles) lipgloss.Style { return s.Info }},
}

// StatusMark renders a check status as the glyph and word the reports use,
// e.g. "✓ pass" in green, or "pass" without colour.
func StatusMark(st *styles.Styles, s flow.Status) string {
	m, ok := statusMarks[s]
	if !ok {
		m = mark{glyph: "?", word: string(s), style: func(s *styles.Styles) lipgloss.Style { return s.Subtle }}
	}
	return m.render(st)
}

// SeverityMark renders a severity as a glyph and word, e.g. "✗ error".
func SeverityMark(st *styles.Styles, s spec.Severity) string {
	return severityMarks[s].render(st)
}

// wrap breaks text into lines of at most limit cells at spaces. A word
// longer than limit (an ID, a URL, a command) stays whole on its own line,
// so it can still be copied.
func wrap(text string, limit int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			switch {
			case line == "":
				line = w
			case lipgloss.Width(line)+1+lipgloss.Width(w) <= limit:
				line += " " + w
			default:
				lines = append(lines, line)
				line = w
			}
		}
		lines = append(lines, line)
	}
	return lines
}

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
	block(b, head, indent+len(label)+2, width, text, style)
}

// plural returns "" for one and "s" otherwise.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
