package validate_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmd/validate"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

const (
	validFile   = "../../../testdata/examples/asmpvlconfig.yaml"
	invalidFile = "../../../testdata/examples/asmpvlconfig-invalid.yaml"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// run executes `asmlink validate args...` through the root command, as the
// binary does, and returns the exit code and both streams.
func run(t *testing.T, tty bool, stdin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	io, in, out, errOut := cmdutil.TestStreams(tty)
	in.WriteString(stdin)
	io.Env = env
	code := root.Main(io, append([]string{"validate"}, args...))
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidFileExitsZero(t *testing.T) {
	for _, tty := range []bool{false, true} {
		code, out, errOut := run(t, tty, "", nil, validFile)
		if code != cmdutil.ExitOK {
			t.Fatalf("tty=%v: exit %d, stdout %q, stderr %q", tty, code, out, errOut)
		}
		want := validFile + ": valid (2 clusters, 2 ASM vSwitches)\n"
		if got := ansi.ReplaceAllString(out, ""); got != want {
			t.Errorf("tty=%v: stdout %q, want %q", tty, got, want)
		}
		if !strings.Contains(errOut, "zone rule") {
			t.Errorf("tty=%v: stderr should say the zone rule was not checked: %q", tty, errOut)
		}
	}
}

func TestInvalidFileTextNonTTY(t *testing.T) {
	code, out, _ := run(t, false, "", nil, invalidFile)
	if code != cmdutil.ExitChecks {
		t.Fatalf("exit %d, want %d", code, cmdutil.ExitChecks)
	}
	if ansi.MatchString(out) {
		t.Errorf("colour codes on a non-terminal:\n%s", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	first := invalidFile + `:7: error PVL010 metadata.name: metadata.name is "asm-pvl"; ASM reads only the ASMPvlConfig named default`
	if lines[0] != first {
		t.Errorf("first line:\n got %q\nwant %q", lines[0], first)
	}
	if !strings.HasPrefix(lines[1], "    hint: set metadata.name: default") {
		t.Errorf("hint should follow, indented: %q", lines[1])
	}
	if last := lines[len(lines)-1]; last != invalidFile+": invalid (9 errors)" {
		t.Errorf("summary: %q", last)
	}
	// Every code the example marks is reported on its line.
	data, _ := os.ReadFile(invalidFile)
	for i, l := range strings.Split(string(data), "\n") {
		if m := regexp.MustCompile(`# (PVL\d+)`).FindStringSubmatch(l); m != nil {
			prefix := invalidFile + ":" + strconv.Itoa(i+1) + ": error " + m[1] + " "
			if !strings.Contains(out, "\n"+prefix) && !strings.HasPrefix(out, prefix) {
				t.Errorf("no %q line in:\n%s", prefix, out)
			}
		}
	}
}

func TestInvalidFileTextTTYHasColourAndGlyphs(t *testing.T) {
	code, out, _ := run(t, true, "", nil, invalidFile)
	if code != cmdutil.ExitChecks {
		t.Fatalf("exit %d", code)
	}
	if !ansi.MatchString(out) {
		t.Fatalf("no colour on a terminal:\n%s", out)
	}
	plain := ansi.ReplaceAllString(out, "")
	if !strings.Contains(plain, invalidFile+":7: ✗ error PVL010 metadata.name: ") {
		t.Errorf("glyph and word missing:\n%s", plain)
	}
	for _, env := range [][]string{{"NO_COLOR=1"}, {"TERM=dumb"}} {
		_, out, _ := run(t, true, "", env, invalidFile)
		if ansi.MatchString(out) || strings.Contains(out, "✗") {
			t.Errorf("%v should turn colour and glyphs off:\n%s", env, out)
		}
	}
	_, out, _ = run(t, true, "", nil, "--no-color", invalidFile)
	if ansi.MatchString(out) {
		t.Errorf("--no-color should turn colour off:\n%s", out)
	}
}

func TestJSONReport(t *testing.T) {
	for _, tty := range []bool{false, true} {
		code, out, errOut := run(t, tty, "", nil, "-o", "json", validFile, invalidFile)
		if code != cmdutil.ExitChecks {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if ansi.MatchString(out) {
			t.Errorf("JSON must never be coloured")
		}
		var r struct {
			Valid *bool `json:"valid"`
			Files []struct {
				File     string         `json:"file"`
				Valid    *bool          `json:"valid"`
				Findings []spec.Finding `json:"findings"`
			} `json:"files"`
		}
		dec := json.NewDecoder(strings.NewReader(out))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("stdout is not the documented JSON: %v\n%s", err, out)
		}
		if r.Valid == nil || *r.Valid || len(r.Files) != 2 {
			t.Fatalf("report: %s", out)
		}
		if r.Files[0].File != validFile || !*r.Files[0].Valid || r.Files[0].Findings == nil || len(r.Files[0].Findings) != 0 {
			t.Errorf("valid file entry: %+v (findings must be [] not null)", r.Files[0])
		}
		f := r.Files[1]
		if f.File != invalidFile || *f.Valid || len(f.Findings) != 9 {
			t.Fatalf("invalid file entry: %+v", f)
		}
		first := f.Findings[0]
		if first.Code != spec.CodeName || first.Severity != spec.Error || first.Path != "metadata.name" || first.Line != 7 || first.Hint == "" {
			t.Errorf("first finding: %+v", first)
		}
		if !strings.Contains(out, `"severity": "error"`) {
			t.Errorf("severity should be a word:\n%s", out)
		}
	}
	code, out, _ := run(t, false, "", nil, "-o", "json", validFile)
	if code != cmdutil.ExitOK || !strings.Contains(out, `"valid": true`) {
		t.Errorf("valid JSON run: exit %d\n%s", code, out)
	}
}

func TestStdin(t *testing.T) {
	data, err := os.ReadFile(validFile)
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, false, string(data), nil, "-")
	if code != cmdutil.ExitOK || !strings.HasPrefix(out, "<stdin>: valid") {
		t.Fatalf("exit %d: %q", code, out)
	}
	code, _, errOut := run(t, false, string(data), nil, "-", "-")
	if code != cmdutil.ExitUsage || !strings.Contains(errOut, "read only once") {
		t.Fatalf("- twice: exit %d, %q", code, errOut)
	}
}

func TestWarningsAndNotesKeepExitZero(t *testing.T) {
	exported := strings.Replace(string(mustRead(t, validFile)), "metadata:\n", "metadata:\n  uid: 1234\n", 1) + "status:\n  status: Available\n  message: all good\n"
	code, out, _ := run(t, false, exported, nil, "-")
	if code != cmdutil.ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(out, ": info PVL009 status.message: ") || !strings.Contains(out, "<stdin>: valid (2 clusters, 2 ASM vSwitches; 1 note)") {
		t.Errorf("note not shown:\n%s", out)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSchemaErrorsExitThree(t *testing.T) {
	bad := writeFile(t, "bad.yaml", "apiVersion: istio.alibabacloud.com/v1beta1\nkind: ASMPvlConfig\nmetadata:\n  name: default\nspec:\n  asmVpcEndpoint:\n    vSwitches:\n    - vSwitchId: vsw-a\n      zone: cn-hangzhou-j\n")
	code, out, _ := run(t, false, "", nil, bad)
	if code != cmdutil.ExitChecks {
		t.Fatalf("exit %d", code)
	}
	want := bad + `:9: error PVL003 spec.asmVpcEndpoint.vSwitches[0].zone: unknown field "zone"`
	if !strings.HasPrefix(out, want) {
		t.Errorf("got\n%s\nwant a line starting %q", out, want)
	}
	if !strings.HasSuffix(out, bad+": invalid (1 error)\n") {
		t.Errorf("summary missing:\n%s", out)
	}
}

func TestUnreadableOrNotYAMLExitsTwoAndPrintsNothing(t *testing.T) {
	notYAML := writeFile(t, "broken.yaml", "apiVersion: [istio\n")
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	for _, args := range [][]string{
		{notYAML},
		{validFile, missing},
		{"-o", "json", validFile, notYAML},
	} {
		code, out, errOut := run(t, false, "", nil, args...)
		if code != cmdutil.ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, cmdutil.ExitUsage)
		}
		if out != "" {
			t.Errorf("%v: stdout should be empty, got %q", args, out)
		}
		name := args[len(args)-1]
		if !strings.Contains(errOut, name+":") {
			t.Errorf("%v: stderr should name the file: %q", args, errOut)
		}
	}
	_, _, errOut := run(t, false, "", nil, notYAML)
	if !strings.Contains(errOut, notYAML+":1: not YAML or JSON") {
		t.Errorf("syntax error should give the line: %q", errOut)
	}
	_, _, errOut = run(t, false, "", nil, missing)
	if !strings.Contains(errOut, "cannot read: no such file or directory") || strings.Count(errOut, missing) != 1 {
		t.Errorf("read error: %q", errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	code, out, errOut := run(t, false, "", nil)
	if code != cmdutil.ExitUsage || out != "" || !strings.Contains(errOut, "at least one FILE") {
		t.Errorf("no file: exit %d, %q, %q", code, out, errOut)
	}
	code, out, errOut = run(t, false, "", nil, "-o", "yaml", validFile)
	if code != cmdutil.ExitUsage || out != "" || !strings.Contains(errOut, `--output "yaml" is not supported here: use one of text, json`) {
		t.Errorf("-o yaml: exit %d, %q, %q", code, out, errOut)
	}
}

func TestFlagsReachOptions(t *testing.T) {
	io, _, _, _ := cmdutil.TestStreams(true)
	f := &cmdutil.Factory{IO: io, Options: &cmdutil.GlobalOptions{}}
	var got *validate.Options
	cmd := root.NewCmdRoot(f)
	for _, c := range cmd.Commands() {
		if c.Name() == "validate" {
			cmd.RemoveCommand(c)
		}
	}
	cmd.AddCommand(validate.NewCmdValidate(f, func(o *validate.Options) error { got = o; return errors.New("stop") }))
	cmd.SetArgs([]string{"validate", "-o", "json", "a.yaml", "-"})
	if err := cmd.Execute(); err == nil || err.Error() != "stop" {
		t.Fatalf("run function not called: %v", err)
	}
	if got.Output != "json" || strings.Join(got.Files, ",") != "a.yaml,-" || !got.Color || got.IO != io {
		t.Errorf("options: %+v", got)
	}
}
