package cmdutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const config = "apiVersion: istio.alibabacloud.com/v1beta1\nkind: ASMPvlConfig\nmetadata:\n  name: default\nspec:\n  asmVpcEndpoint:\n    vSwitches: []\n"

// TestOnlyAnASMPvlConfigIsReplaced tries the kinds of file a mistyped --out
// may name: none is replaced, and each keeps its content.
func TestOnlyAnASMPvlConfigIsReplaced(t *testing.T) {
	dir := t.TempDir()
	foreign := map[string]string{
		"deploy.sh":       "#!/bin/sh\nset -e\nkubectl apply -f asmpvlconfig.yaml\n",
		"README.md":       "# Clusters\n\nThis folder holds the mesh's files.\n",
		"playbook.yaml":   "- hosts: all\n  tasks:\n  - name: apply\n    command: kubectl apply -f x.yaml\n",
		"deploy.yaml":     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
		"list.json":       "[1, 2, 3]\n",
		"notes.txt":       "remember the zone rule\n",
		"two.yaml":        config + "---\napiVersion: v1\nkind: ConfigMap\n",
		"kustomize.yaml":  "resources:\n- asmpvlconfig.yaml\n",
		"binary.bin":      "\x7fELF\x02\x01\x01\x00\x00",
		"other-kind.yaml": strings.Replace(config, "kind: ASMPvlConfig", "kind: ASMPvlConfigList", 1),
	}
	for name, content := range foreign {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := CheckOverwrite(path); err == nil || !strings.Contains(err.Error(), "not an ASMPvlConfig") {
			t.Errorf("%s: CheckOverwrite = %v, want a refusal", name, err)
		}
		if data, _ := os.ReadFile(path); string(data) != content {
			t.Errorf("%s changed", name)
		}
	}
	if err := CheckOverwrite(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a directory: %v, want a refusal", err)
	}
	if err := CheckOverwrite("/dev/null"); err == nil {
		t.Error("a device may be overwritten")
	}
	target := filepath.Join(dir, "real.yaml")
	if err := os.WriteFile(target, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := CheckOverwrite(link); err == nil || !strings.Contains(err.Error(), "symbolic link to "+target) {
		t.Errorf("a link: %v, want a refusal naming its target", err)
	}
	if err := WriteFileAtomic(link, []byte(config)); err == nil {
		t.Error("WriteFileAtomic replaced a symbolic link")
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link is gone")
	}
	for _, ok := range []string{filepath.Join(dir, "missing.yaml"), target} {
		if err := CheckOverwrite(ok); err != nil {
			t.Errorf("%s: %v, want it writable", ok, err)
		}
	}
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, []byte("\n"), 0o644)
	if err := CheckOverwrite(empty); err != nil {
		t.Errorf("an empty file: %v", err)
	}
}

// TestReplacedFileKeepsItsMode: a replaced ASMPvlConfig keeps 0600 or 0755;
// a new one is 0644.
func TestReplacedFileKeepsItsMode(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []os.FileMode{0o600, 0o755} {
		path := filepath.Join(dir, mode.String()+".yaml")
		if err := os.WriteFile(path, []byte(config), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, mode)
		if err := WriteConfigFile(path, []byte(config+"# new\n")); err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(path)
		if fi.Mode().Perm() != mode {
			t.Errorf("replaced file has mode %v, want %v", fi.Mode().Perm(), mode)
		}
		if data, _ := os.ReadFile(path); !strings.HasSuffix(string(data), "# new\n") {
			t.Errorf("not replaced: %s", data)
		}
	}
	fresh := filepath.Join(dir, "fresh.yaml")
	if err := WriteConfigFile(fresh, []byte(config)); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o644 {
		t.Errorf("new file has mode %v, want 0644", fi.Mode().Perm())
	}
}
