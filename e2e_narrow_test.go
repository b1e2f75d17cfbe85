package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/spec"
)

// TestDemoAt80x24WithYAMLOnStdout runs `asmlink demo -o yaml > out.yaml`
// in an 80x24 tmux pane: the wizard draws on the terminal although stdout
// is a file; the pair list shows both zones and the VERDICT of every row;
// enter on a cluster that cannot be chosen says why; and once the wizard
// ends at its summary, the file holds only the reviewed ASMPvlConfig while
// the summary stays on the terminal.
func TestDemoAt80x24WithYAMLOnStdout(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed for the end-to-end test: install it (apt-get install tmux); .ci/run does")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "asmlink")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	s := &tmuxSession{t: t, name: "asmlink-e2e80-" + filepath.Base(dir)}
	done, yaml := filepath.Join(dir, "exit-code"), filepath.Join(dir, "out.yaml")
	script := bin + " demo --delay 1s -o yaml > " + yaml + "; echo $? > " + done + "; sleep 600"
	s.tmux("new-session", "-d", "-s", s.name, "-x", "80", "-y", "24", "-c", dir, "sh", "-c", script)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.name, "kill-server").Run() })

	s.waitFor("DEMO", "step 1 of 9", "mesh-prod")
	s.keys("Enter")
	s.waitFor("step 2 of 9", "asm-prod-local")
	s.keys("asm-prod")
	s.waitFor("/ asm-prod")
	s.keys("Enter")
	s.waitFor("cannot be chosen", "no PrivateLink needed")
	s.keys("BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
	s.keys("shop-p")
	s.waitFor("/ shop-p")
	s.keys("Enter")
	screen := s.waitFor("step 3 of 9", "VERDICT", "same zone, recommended")
	rows := 0
	for _, l := range strings.Split(screen, "\n") {
		if !strings.Contains(l, "vsw-") || !strings.Contains(l, "cn-hangzhou-") || strings.Contains(l, "free)") {
			continue
		}
		rows++
		if strings.Count(l, "cn-hangzhou-") != 2 || !(strings.Contains(l, "same zone") || strings.Contains(l, "warning:") || strings.Contains(l, "refused:")) {
			t.Errorf("a pair row lacks both zones or its verdict at 80 columns: %q", l)
		}
		if len([]rune(l)) > 80 {
			t.Errorf("a pair row is wider than the screen: %q", l)
		}
	}
	if rows == 0 {
		t.Fatalf("no pair rows on screen:\n%s", screen)
	}
	s.keys("Enter")
	s.waitFor("step 4 of 9", "Every check passed")
	s.keys("Enter")
	s.waitFor("step 5 of 9", "Change to the ASMPvlConfig")
	s.keys("Enter")
	s.waitFor("step 6 of 9", "write it to a file only")
	s.keys("Down", "Down", "Enter")
	s.waitFor("file:")
	s.keys("Enter")
	s.waitFor("step 9 of 9", "asmlink apply -f asmpvlconfig.yaml")
	s.keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, err := os.ReadFile(done)
		if err == nil {
			if strings.TrimSpace(string(code)) != "0" {
				t.Fatalf("asmlink demo -o yaml exited with %s after the summary, want 0", code)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("asmlink did not exit after q; screen:\n%s", s.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
	data, err := os.ReadFile(yaml)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := spec.Decode(data)
	if err != nil {
		t.Fatalf("stdout is not only the ASMPvlConfig: %v\n%s", err, data)
	}
	if ids := cfg.ClusterIDs(); len(ids) != 1 || ids[0] != "cbfbdabe898736a3566f893697b590487" {
		t.Errorf("stdout's ASMPvlConfig names %v, want shop-prod", ids)
	}
	if strings.Contains(string(data), "\x1b[") || strings.Contains(string(data), "step ") {
		t.Errorf("stdout carries the screen:\n%s", data)
	}
	if !strings.Contains(s.screen(), "asmlink status --mesh d564b858f9a3e247cb2c083eb8cb37f0") {
		t.Errorf("the summary's next commands are not on the terminal after exit:\n%s", s.screen())
	}
}
