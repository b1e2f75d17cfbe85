package text

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks text into lines of at most limit cells at spaces, and
// between East Asian wide characters, which Chinese writes without spaces
// (Unicode line breaking, UAX #14: a break is allowed between ideographs).
// A word longer than limit (an ID, a URL, a command) stays whole on its own
// line, so it can still be copied.
func Wrap(text string, limit int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, field := range strings.Fields(para) {
			for i, w := range breakable(field) {
				sep := " "
				if i > 0 {
					sep = ""
				}
				switch {
				case line == "":
					line = w
				case ansi.StringWidth(line)+len(sep)+ansi.StringWidth(w) <= limit:
					line += sep + w
				default:
					lines = append(lines, line)
					line = w
				}
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// breakable splits a word where a line may break inside it: before and
// after each wide character, but never before closing punctuation (，。)
// nor after opening punctuation (（「), which stay with their neighbour.
// A word without wide characters is one piece.
func breakable(word string) []string {
	var parts []string
	cur := ""
	prevWide := false
	for _, r := range word {
		wide := ansi.StringWidth(string(r)) == 2
		switch {
		case cur == "":
		case strings.ContainsRune(closing, r), strings.ContainsRune(opening, lastRune(cur)):
		case wide || prevWide:
			parts = append(parts, cur)
			cur = ""
		}
		cur += string(r)
		prevWide = wide
	}
	return append(parts, cur)
}

// closing and opening are the punctuation a line never starts or ends
// with (JIS X 4051 line-start and line-end prohibitions, as CJK text
// layout follows them).
const (
	closing = "，。、；：！？）」』】》”’…,.;:!?)]}"
	opening = "（「『【《“‘([{"
)

// lastRune is the last character of s.
func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}
