package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxSession is the real asmlink binary running in a tmux pane, driven
// with send-keys and read with capture-pane, as a person would use it.
type tmuxSession struct {
	t    *testing.T
	name string
}

// tmux runs a tmux command on the test's own server (its own socket), so
// no other tmux session on the machine can disturb it.
func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.name}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", s.name) }

func (s *tmuxSession) keys(keys ...string) {
	s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...)
}

// waitFor polls the screen until it shows every one of wants.
func (s *tmuxSession) waitFor(wants ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		screen := s.screen()
		ok := true
		for _, w := range wants {
			ok = ok && strings.Contains(screen, w)
		}
		if ok {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q; last screen:\n%s", wants, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDemoInTmux builds asmlink, runs `asmlink demo` in tmux and drives it
// with keys from the mesh picker to a cluster running in the mesh.
func TestDemoInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed for the end-to-end test: install it (apt-get install tmux); .ci/run does")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "asmlink")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	s := &tmuxSession{t: t, name: "asmlink-e2e-" + filepath.Base(dir)}
	done := filepath.Join(dir, "exit-code")
	// The pane's shell records the exit code, so the test sees how asmlink ended.
	script := bin + " demo --delay 1s; echo $? > " + done + "; sleep 600"
	s.tmux("new-session", "-d", "-s", s.name, "-x", "140", "-y", "50", "-c", dir, "sh", "-c", script)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.name, "kill-server").Run() })

	s.waitFor("DEMO", "step 1 of 9", "mesh-prod")
	s.keys("Enter")
	s.waitFor("step 2 of 9", "shop-prod")
	s.keys("shop-p")
	s.waitFor("/ shop-p")
	s.keys("Enter")
	s.waitFor("step 3 of 9", "same zone, recommended")
	s.keys("Enter")
	s.waitFor("step 4 of 9", "Every check passed")
	s.keys("Enter")
	s.waitFor("step 5 of 9", "+  - clusterId: cbfbdabe898736a3566f893697b590487")
	s.keys("Enter")
	s.waitFor("step 6 of 9", "apply it to the ASM instance")
	s.keys("Enter")
	s.waitFor("(y/N)")
	s.keys("y")
	s.waitFor("step 7 of 9", "Both links are up")
	s.keys("Enter")
	s.waitFor("step 8 of 9", "is not in the API server certificate")
	s.keys("Enter")
	s.waitFor("Append ep-")
	s.keys("y")
	s.waitFor("is running in the mesh")
	s.keys("Enter")
	screen := s.waitFor("step 9 of 9", "status Available", "asmlink status --mesh d564b858f9a3e247cb2c083eb8cb37f0")
	if os.Getenv("ASMLINK_SCREENSHOT") != "" {
		if err := os.WriteFile(os.Getenv("ASMLINK_SCREENSHOT"), []byte(screen), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s.keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, err := os.ReadFile(done)
		if err == nil {
			if strings.TrimSpace(string(code)) != "0" {
				t.Fatalf("asmlink demo exited with %s after the summary, want 0", code)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("asmlink did not exit after q; screen:\n%s", s.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The terminal is restored: the shell's output follows on a normal screen.
	if strings.Contains(s.screen(), "step 9 of 9") && strings.Contains(s.tmux("display", "-p", "-t", s.name, "#{alternate_on}"), "1") {
		t.Error("the alternate screen is still on after asmlink exited")
	}
}
