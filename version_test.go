package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestVersionOfABuiltBinary builds asmlink as a person does in a git
// checkout of it, and as a release does with -ldflags stamps: `asmlink
// version` names the commit Go recorded (or the stamped one), never only
// "(devel)". The checkout is a copy of this tree committed afresh, since
// Go records nothing in a `git worktree` (its .git is a file); and
// -buildvcs=auto is go build's default, which GOFLAGS may have turned off.
func TestVersionOfABuiltBinary(t *testing.T) {
	src := t.TempDir()
	files, err := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v (the test runs in a git checkout)", err)
	}
	for _, f := range strings.Split(strings.TrimRight(string(files), "\x00"), "\x00") {
		body, err := os.ReadFile(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the tree, not yet in the index
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(src, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, f), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = src
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "build")
	head := git("rev-parse", "HEAD")
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		ldflags string
		version string
		commit  string
	}{
		{name: "go build", commit: head},
		{name: "release", version: "v9.8.7", commit: "0123abcd",
			ldflags: "-X github.com/asmlink/asmlink/ui/cmd/root.version=v9.8.7 -X github.com/asmlink/asmlink/ui/cmd/root.commit=0123abcd -X github.com/asmlink/asmlink/ui/cmd/root.date=2026-12-01T00:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			build := exec.Command("go", "build", "-buildvcs=auto", "-ldflags", tc.ldflags, "-o", bin, ".")
			build.Dir = src
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			out, err := exec.Command(bin, "version", "-o", "json").Output()
			var v struct{ Version, Commit, CommitTime string }
			if err != nil || json.Unmarshal(out, &v) != nil {
				t.Fatalf("version -o json: %v\n%s", err, out)
			}
			if v.Commit != tc.commit || v.CommitTime == "" || (tc.version != "" && v.Version != tc.version) {
				t.Errorf("version -o json says %+v; want commit %s, a commit time, version %q", v, tc.commit, tc.version)
			}
			line, _ := exec.Command(bin, "--version").Output()
			if !regexp.MustCompile(`^asmlink \S+ \(commit ` + tc.commit).Match(line) {
				t.Errorf("--version says %q", line)
			}
		})
	}
}
