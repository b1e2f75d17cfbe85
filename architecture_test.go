package main

import (
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/asmlink/asmlink/"

// imports returns the module's own packages that the package in dir
// imports, tests left out.
func imports(t *testing.T, dir string) []string {
	t.Helper()
	pkg, err := build.ImportDir(dir, 0)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	var own []string
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, module) {
			own = append(own, strings.TrimPrefix(imp, module))
		}
	}
	return own
}

// TestNoCommandImportsAnother: what several commands share lives in
// ui/cmdutil and flow/session; only the command tree (ui/cmd/root)
// assembles the commands.
func TestNoCommandImportsAnother(t *testing.T) {
	dirs, err := filepath.Glob("ui/cmd/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || dir == filepath.Join("ui", "cmd", "root") {
			continue
		}
		for _, imp := range imports(t, dir) {
			if strings.HasPrefix(imp, "ui/cmd/") {
				t.Errorf("%s imports %s", dir, imp)
			}
		}
	}
}

// TestWizardNeedsNoKube: the wizard reaches the mesh's API server only
// through flow/session's Server, so it never depends on cloud/kube.
func TestWizardNeedsNoKube(t *testing.T) {
	seen := map[string]bool{}
	var walk func(pkg string)
	walk = func(pkg string) {
		if seen[pkg] {
			return
		}
		seen[pkg] = true
		for _, imp := range imports(t, filepath.FromSlash(pkg)) {
			walk(imp)
		}
	}
	walk("ui/wizard")
	for pkg := range seen {
		if pkg == "cloud/kube" || strings.HasPrefix(pkg, "cloud/kube/") || pkg == "ui/cmdutil" {
			t.Errorf("ui/wizard depends on %s", pkg)
		}
	}
	if !seen["flow/session"] {
		t.Error("ui/wizard does not use flow/session")
	}
}

// TestNoWizardStepImportsAnother: each step of the wizard is its own
// package under ui/wizard, on the contract of ui/wizard/step and the parts
// in ui/common, so a step can be read, tested and changed without opening
// another; only the root (ui/wizard) puts them together.
func TestNoWizardStepImportsAnother(t *testing.T) {
	dirs, err := filepath.Glob("ui/wizard/*")
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || dir == filepath.Join("ui", "wizard", "step") || dir == filepath.Join("ui", "wizard", "testdata") {
			continue
		}
		steps++
		for _, imp := range imports(t, dir) {
			if strings.HasPrefix(imp, "ui/wizard") && imp != "ui/wizard/step" {
				t.Errorf("%s imports %s", dir, imp)
			}
		}
	}
	if steps < 9 {
		t.Errorf("ui/wizard has %d step packages, want one per step (9)", steps)
	}
	for _, imp := range imports(t, filepath.Join("ui", "wizard", "step")) {
		if strings.HasPrefix(imp, "ui/wizard") {
			t.Errorf("the step contract imports %s", imp)
		}
	}
}

// TestWizardFilesStaySmall: no Go file of the wizard is over about 400
// lines, so each can be read at once.
func TestWizardFilesStaySmall(t *testing.T) {
	err := filepath.WalkDir("ui/wizard", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if n := strings.Count(string(data), "\n"); n > 440 {
			t.Errorf("%s has %d lines; split it (a step per package, a concern per file)", path, n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
