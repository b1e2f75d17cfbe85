package spec

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestSeverityMarshalsAsWord(t *testing.T) {
	f := Finding{Code: CodeZoneID, Severity: Warning, Path: "spec.x", Message: "m", Hint: "h", Line: 3}
	got, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"code":"PVL014","severity":"warning","path":"spec.x","message":"m","hint":"h","line":3}`
	if string(got) != want {
		t.Fatalf("JSON of a finding:\n got %s\nwant %s", got, want)
	}
	var back Finding
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if back != f {
		t.Fatalf("round trip: got %+v, want %+v", back, f)
	}
	for s, word := range map[Severity]string{Error: "error", Warning: "warning", Info: "info"} {
		if s.String() != word {
			t.Errorf("Severity(%d).String() = %q, want %q", int(s), s.String(), word)
		}
	}
	if err := json.Unmarshal([]byte(`"fatal"`), new(Severity)); err == nil || !strings.Contains(err.Error(), "error, warning or info") {
		t.Errorf("unknown severity: got %v, want an error listing the severities", err)
	}
	if _, err := json.Marshal(Severity(7)); err == nil {
		t.Error("marshalling an out-of-range severity should fail")
	}
}

func TestCodesTableIsOrderedUniqueAndInRange(t *testing.T) {
	prev := ""
	for _, c := range Codes {
		var n int
		if _, err := fmt.Sscanf(string(c.Code), "PVL%03d", &n); err != nil || n < 1 || n > 49 {
			t.Errorf("code %q is outside PVL001-PVL049", c.Code)
		}
		if string(c.Code) <= prev {
			t.Errorf("code %s is out of order or repeated after %s", c.Code, prev)
		}
		prev = string(c.Code)
		if c.Summary == "" {
			t.Errorf("code %s has no summary", c.Code)
		}
		if info, ok := Describe(c.Code); !ok || info != c {
			t.Errorf("Describe(%s) = %+v, %v", c.Code, info, ok)
		}
	}
	if _, ok := Describe("PVL999"); ok {
		t.Error("Describe of an unknown code should report false")
	}
}

func TestHasErrorsAndCount(t *testing.T) {
	warn := Finding{Severity: Warning}
	info := Finding{Severity: Info}
	bad := Finding{Severity: Error}
	if HasErrors([]Finding{warn, info}) {
		t.Error("warnings and infos alone are not errors")
	}
	if !HasErrors([]Finding{warn, bad}) {
		t.Error("an error finding makes HasErrors true")
	}
	if e, w, i := Count([]Finding{bad, warn, warn, info}); e != 1 || w != 2 || i != 1 {
		t.Errorf("Count = %d, %d, %d; want 1, 2, 1", e, w, i)
	}
}

func TestSortFindingsFollowsTheDocument(t *testing.T) {
	paths := []string{
		"spec.asmVpcEndpoint.vSwitches[0].zoneId",
		"spec.ackVpcEndpoint[10].clusterId",
		"spec.ackVpcEndpoint[2].vSwitches[0].zoneId",
		"spec.ackVpcEndpoint[2].vSwitches[0].vSwitchId",
		"spec.ackVpcEndpoint[2].clusterId",
		`metadata.labels["app.kubernetes.io/name"]`,
		"metadata.name",
		"kind",
		"",
	}
	var fs []Finding
	for _, p := range paths {
		fs = append(fs, Finding{Code: CodeRequired, Path: p})
	}
	SortFindings(fs)
	want := []string{
		"",
		"kind",
		"metadata.name",
		`metadata.labels["app.kubernetes.io/name"]`,
		"spec.ackVpcEndpoint[2].clusterId",
		"spec.ackVpcEndpoint[2].vSwitches[0].vSwitchId",
		"spec.ackVpcEndpoint[2].vSwitches[0].zoneId",
		"spec.ackVpcEndpoint[10].clusterId",
		"spec.asmVpcEndpoint.vSwitches[0].zoneId",
	}
	for i, f := range fs {
		if f.Path != want[i] {
			t.Errorf("position %d: got %q, want %q", i, f.Path, want[i])
		}
	}
}

func TestSplitPathKeepsQuotedNames(t *testing.T) {
	got := splitPath(`metadata.labels["a.b/c[1]"].x[3]`)
	want := []string{"metadata", "labels", `["a.b/c[1]"]`, "x", "[3]"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("splitPath = %q, want %q", got, want)
	}
}

// TestValueAndPrintableEscapeAndCut shows a plain name as it is, a crafted
// one quoted with its escapes, a long one cut with its length, and a huge
// message cut at a screenful.
func TestValueAndPrintableEscapeAndCut(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"mesh-prod", "mesh-prod"},
		{"shop\x1b]0;pwned\x07", `"shop\x1b]0;pwned\a"`},
		{strings.Repeat("a", 300), `"` + strings.Repeat("a", 200) + `"… (300 bytes)`},
	} {
		if got := Value(tc.in); got != tc.want {
			t.Errorf("Value(%.20q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	huge := "x509: \x1b[2J" + strings.Repeat("E", 1<<20)
	got := Printable(huge)
	if !strings.HasPrefix(got, `x509: \x1b[2JEEE`) || !strings.HasSuffix(got, "E… (1048586 bytes)") || len(got) > 4200 {
		t.Errorf("Printable of a 1 MB message = %.60q…%q (%d bytes)", got, got[max(0, len(got)-30):], len(got))
	}
}

// TestPrintableLinesKeepsLineBreaks escapes each line of a report and
// keeps the lines.
func TestPrintableLinesKeepsLineBreaks(t *testing.T) {
	got := PrintableLines("Endpoints of cluster shop\x1b[2J:\n  zone cn-\x07j\n")
	if want := "Endpoints of cluster shop\\x1b[2J:\n  zone cn-\\aj\n"; got != want {
		t.Errorf("PrintableLines = %q, want %q", got, want)
	}
}
