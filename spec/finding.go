package spec

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Severity says how much a finding matters. Only errors make a configuration
// invalid; warnings and infos are shown but do not fail a check.
type Severity int

// The severities, most serious first.
const (
	Error Severity = iota
	Warning
	Info
)

var severityNames = [...]string{Error: "error", Warning: "warning", Info: "info"}

// String returns "error", "warning" or "info".
func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return "severity(" + strconv.Itoa(int(s)) + ")"
	}
	return severityNames[s]
}

// MarshalText writes the severity as its lower-case name, so JSON and YAML
// reports carry "error", "warning" or "info".
func (s Severity) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(severityNames) {
		return nil, fmt.Errorf("unknown severity %d", int(s))
	}
	return []byte(severityNames[s]), nil
}

// UnmarshalText reads a severity written by MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if string(b) == n {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("unknown severity %q: use error, warning or info", b)
}

// Code is a stable finding code such as "PVL012". Scripts and documentation
// refer to codes, so a code never changes meaning once released.
type Code string

// Finding is one problem or remark about a configuration: what (Code,
// Message), how bad (Severity), where (Path, and Line when the source is
// known) and how to fix it (Hint). Other packages (flow, for example) report
// their own checks with the same type and codes from PVL100 upward.
type Finding struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	// Path is the field path, for example spec.ackVpcEndpoint[1].vSwitches[0].zoneId;
	// empty when the finding is about the whole document.
	Path    string `json:"path"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
	// Line is the 1-based line in the source file, 0 when not known.
	Line int `json:"line,omitempty"`
}

// String renders the finding on one line, for logs and error messages.
func (f Finding) String() string {
	var b strings.Builder
	if f.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", f.Line)
	}
	fmt.Fprintf(&b, "%s %s", f.Code, f.Severity)
	if f.Path != "" {
		fmt.Fprintf(&b, " %s", f.Path)
	}
	fmt.Fprintf(&b, ": %s", f.Message)
	return b.String()
}

// HasErrors tells whether any finding is an error, that is whether the
// configuration must not be applied.
func HasErrors(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns how many findings have each severity.
func Count(findings []Finding) (errors, warnings, infos int) {
	for _, f := range findings {
		switch f.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		default:
			infos++
		}
	}
	return errors, warnings, infos
}

// SortFindings orders findings as they appear in the document (by field
// path, with list indexes compared as numbers), then by code and message, so
// that output is stable from run to run.
func SortFindings(findings []Finding) {
	sort.SliceStable(findings, func(i, j int) bool {
		a, b := findings[i], findings[j]
		if c := comparePaths(a.Path, b.Path); c != 0 {
			return c < 0
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
}

// fieldOrder ranks the field names of ASMPvlConfig in the order they are
// written, so that findings sort in document order rather than alphabetically.
var fieldOrder = map[string]int{
	"apiVersion": 1, "kind": 2, "metadata": 3, "spec": 4, "status": 5,
	"name": 10, "resourceVersion": 11, "labels": 12, "annotations": 13,
	"ackVpcEndpoint": 20, "asmVpcEndpoint": 21,
	"clusterId": 30, "vSwitches": 31, "vSwitchId": 32, "zoneId": 33,
	"clusters": 40, "pilot": 41, "pvlEndpoint": 42, "pvlEndpointService": 43,
}

// comparePaths compares two field paths segment by segment: list indexes as
// numbers, known field names in document order, other names alphabetically.
// A path sorts before the paths below it.
func comparePaths(a, b string) int {
	as, bs := splitPath(a), splitPath(b)
	for i := 0; i < len(as) && i < len(bs); i++ {
		if c := compareSegments(as[i], bs[i]); c != 0 {
			return c
		}
	}
	return len(as) - len(bs)
}

func compareSegments(a, b string) int {
	ai, aIsIndex := pathIndex(a)
	bi, bIsIndex := pathIndex(b)
	switch {
	case aIsIndex && bIsIndex:
		return ai - bi
	case aIsIndex:
		return -1
	case bIsIndex:
		return 1
	}
	ao, bo := fieldOrder[a], fieldOrder[b]
	if ao != bo {
		if ao == 0 {
			return 1
		}
		if bo == 0 {
			return -1
		}
		return ao - bo
	}
	return strings.Compare(a, b)
}

// splitPath cuts "spec.ackVpcEndpoint[1].clusterId" into
// ["spec", "ackVpcEndpoint", "[1]", "clusterId"]. Quoted names in brackets,
// such as labels["app.kubernetes.io/name"], stay one segment.
func splitPath(p string) []string {
	var out []string
	start := 0
	flush := func(end int) {
		if end > start {
			out = append(out, p[start:end])
		}
	}
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '.':
			flush(i)
			start = i + 1
		case '[':
			flush(i)
			end := strings.IndexByte(p[i:], ']')
			if strings.HasPrefix(p[i:], "[\"") {
				if q := strings.Index(p[i+2:], "\"]"); q >= 0 {
					end = q + 3
				}
			}
			if end < 0 {
				start = i
				i = len(p)
				break
			}
			out = append(out, p[i:i+end+1])
			i += end
			start = i + 1
		}
	}
	flush(len(p))
	return out
}

func pathIndex(seg string) (int, bool) {
	if len(seg) < 3 || seg[0] != '[' || seg[len(seg)-1] != ']' {
		return 0, false
	}
	n, err := strconv.Atoi(seg[1 : len(seg)-1])
	return n, err == nil
}

// maxQuoted is the longest value a message shows whole, in bytes.
const maxQuoted = 200

// Quote renders a value that came from a file or from the cloud for a
// message, and every message asmlink prints uses it for such values: in
// double quotes, with control characters, escape sequences and invalid
// UTF-8 escaped as Go writes them (strconv.Quote), so that no value can
// set the terminal's title, clear the screen or move the cursor, on a
// terminal or in a CI log. A value longer than 200 bytes is cut, with an
// ellipsis and its length, so a 10 MB field is not echoed.
func Quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(cutAt(s, maxQuoted)) + fmt.Sprintf("… (%d bytes)", len(s))
}

// cutAt is s cut to at most n bytes, on a character boundary, so that the
// cut does not look like bad input.
func cutAt(s string, n int) string {
	cut := s[:n]
	for i := 0; i < utf8.UTFMax && !utf8.ValidString(cut); i++ {
		cut = cut[:len(cut)-1]
	}
	return cut
}

// Value renders a name or ID from the cloud within a sentence: as it is
// when it is printable and at most 200 bytes, as most are, else as Quote
// renders it, so that a crafted cluster or mesh name is escaped and cut.
func Value(s string) string {
	if len(s) <= maxQuoted && isPrintable(s) {
		return s
	}
	return Quote(s)
}

// maxPrinted is the longest message Printable shows whole, in bytes: a
// screenful, far above any message asmlink writes itself, so only a
// message carrying a huge value from the cloud is cut.
const maxPrinted = 4096

// Printable is text for a terminal: s as it is when every character is
// printable, else s with each control character, escape sequence and
// invalid byte escaped as Quote escapes it, but without the quotes, and
// whole up to 4096 bytes; a longer message is cut, with an ellipsis and
// its length. Renderers and the commands pass every message through it,
// since a message may carry a value from the cloud (a cluster's name, a
// mesh's error).
func Printable(s string) string {
	if len(s) > maxPrinted {
		return Printable(cutAt(s, maxPrinted)) + fmt.Sprintf("… (%d bytes)", len(s))
	}
	if isPrintable(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				fmt.Fprintf(&b, `\x%02x`, s[i])
				continue
			}
			b.WriteRune(r)
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}

// PrintableLines is text of several lines for a terminal: each line made
// printable by Printable, the line breaks kept. Commands write reports and
// errors built with values from the cloud through it.
func PrintableLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Printable(l)
	}
	return strings.Join(lines, "\n")
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || (r != ' ' && !unicode.IsPrint(r)) {
			return false
		}
	}
	return true
}
