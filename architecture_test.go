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
