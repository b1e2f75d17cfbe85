package wizard_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const wizardPkg = "github.com/asmlink/asmlink/ui/wizard"

// maxLines is the size above which a file of ui/wizard is split: a step,
// or a part of the root, is read in one sitting.
const maxLines = 400

// goFiles are the Go files of ui/wizard and its step packages, tests
// included; it fails the test when the walk finds too few to be true.
func goFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(path string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("found %d Go files: the walk missed ui/wizard", len(files))
	}
	return files
}

// TestStepsAreIndependent holds the wizard's shape (issue 22): each step
// package under ui/wizard imports the contract (ui/wizard/step) and the
// shared UI packages, never another step nor the root, so a step can be
// read, tested and changed alone; the contract imports no step; and no part
// of the wizard (its tests aside) reaches the mesh's API server through
// cloud/kube, which flow/session hides behind its Server interface.
func TestStepsAreIndependent(t *testing.T) {
	fset := token.NewFileSet()
	steps := 0
	for _, path := range goFiles(t) {
		dir := filepath.ToSlash(filepath.Dir(path))
		test := strings.HasSuffix(path, "_test.go")
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		if dir != "." && !test && f.Name.Name != "step" {
			steps++
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "github.com/asmlink/asmlink/cloud/kube" && !test {
				t.Errorf("%s imports cloud/kube: the wizard reaches the API server through flow/session", path)
			}
			if dir != "." && strings.HasPrefix(p, wizardPkg) && (p != wizardPkg+"/step" || dir == "step") {
				t.Errorf("%s imports %s: a step imports only %s/step and the shared ui packages, and the contract imports no step", path, p, wizardPkg)
			}
		}
	}
	if steps < 10 {
		t.Fatalf("found %d step files under ui/wizard: the walk missed the step packages", steps)
	}
}

// TestNoFileIsOverLong keeps every file of ui/wizard, tests included, to
// about 400 lines.
func TestNoFileIsOverLong(t *testing.T) {
	for _, path := range goFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if lines := bytes.Count(data, []byte("\n")); lines > maxLines {
			t.Errorf("%s has %d lines, over %d: split it", path, lines, maxLines)
		}
	}
}
