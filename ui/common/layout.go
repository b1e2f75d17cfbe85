package common

import (
	"strings"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/ui/styles"
)

// Wrap breaks s into lines of at most width cells, at spaces where it can
// (never at the hyphens inside an ID such as vpc-bp1… or a domain), so
// nothing runs off the screen. ansi.Wrap always breaks at a hyphen, so
// hyphens are non-breaking (U+2011, as wide) while it wraps; escape
// sequences hold no hyphen.
func Wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	return strings.ReplaceAll(ansi.Wrap(strings.ReplaceAll(s, "-", nbHyphen), width, ""), nbHyphen, "-")
}

// nbHyphen is the non-breaking hyphen, which Wrap puts in place of "-".
const nbHyphen = "\u2011"

// CopyLine is a value people copy (a command, a domain) in style on a
// line of its own, never broken at its spaces: after prefix when it fits
// in width, else from the first column, where a terminal's selection
// copies it in one piece; only a value wider than the screen is broken,
// at the screen's edge with nothing inserted, because Bubble Tea would
// cut it.
func CopyLine(style lipgloss.Style, value, prefix string, width int) string {
	switch {
	case width <= 0 || ansi.StringWidth(prefix+value) <= width:
		return prefix + style.Render(value)
	case ansi.StringWidth(value) <= width:
		return style.Render(value)
	}
	return style.Render(ansi.Hardwrap(value, width, false))
}

// Indent puts prefix before every line of s.
func Indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// MenuLine is one line of a menu: the selected one marked and in style.
func MenuLine(st *styles.Styles, selected bool, label string) string {
	if selected {
		return st.Selected.Render("> " + label)
	}
	return "  " + label
}

// OrDash is s, or "-" when it is empty.
func OrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// FormTheme is huh's look for the UI's styles: plain without colour.
func FormTheme(st *styles.Styles) huh.Theme {
	if st.Color {
		return huh.ThemeFunc(huh.ThemeCharm)
	}
	return huh.ThemeFunc(huh.ThemeBase)
}
