package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalsRestoreTheTerminalInTmux runs the demo in tmux, sends it
// SIGHUP, SIGTERM or SIGQUIT while the wizard has the terminal in raw mode
// with the cursor hidden, and checks what the pane's shell finds after
// asmlink ended: the exit code naming the signal, line mode and echo back
// on (stty -a), the cursor shown, the normal screen, and no goroutine dump.
func TestSignalsRestoreTheTerminalInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed for the end-to-end test: install it (apt-get install tmux); .ci/run does")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "asmlink")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGHUP, 129}, {syscall.SIGTERM, 143}, {syscall.SIGQUIT, 131}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			s := &tmuxSession{t: t, name: "asmlink-sig-" + strconv.Itoa(int(tc.sig)) + "-" + filepath.Base(dir)}
			done, stty := filepath.Join(dir, "exit-"+strconv.Itoa(int(tc.sig))), filepath.Join(dir, "stty-"+strconv.Itoa(int(tc.sig)))
			script := "echo $$ > " + done + ".pid; " + bin + " demo; echo $? > " + done + "; stty -a > " + stty + "; sleep 600"
			s.tmux("new-session", "-d", "-s", s.name, "-x", "120", "-y", "40", "-c", dir, "sh", "-c", script)
			t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.name, "kill-server").Run() })
			s.waitFor("DEMO", "step 1 of 9", "mesh-prod")
			shell, err := os.ReadFile(done + ".pid")
			if err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pgrep", "-P", strings.TrimSpace(string(shell))).Output()
			if err != nil {
				t.Fatalf("finding asmlink under the pane's shell %s: %v", shell, err)
			}
			pid, err := strconv.Atoi(strings.Fields(string(out))[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := syscall.Kill(pid, tc.sig); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			var code []byte
			for {
				if code, err = os.ReadFile(done); err == nil && len(code) > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("asmlink did not end within 10s of %v; screen:\n%s", tc.sig, s.screen())
				}
				time.Sleep(100 * time.Millisecond)
			}
			if got := strings.TrimSpace(string(code)); got != strconv.Itoa(tc.code) {
				t.Errorf("exit code %s after %v, want %d", got, tc.sig, tc.code)
			}
			var modes string
			for time.Now().Before(deadline) {
				if data, _ := os.ReadFile(stty); len(data) > 0 {
					modes = " " + strings.Join(strings.Fields(string(data)), " ") + " "
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			for _, want := range []string{" icanon ", " echo ", " isig ", " icrnl "} {
				if !strings.Contains(modes, want) {
					t.Errorf("the terminal is not restored after %v: stty -a lacks%q:\n%s", tc.sig, want, modes)
				}
			}
			if got := strings.TrimSpace(s.tmux("display", "-p", "-t", s.name, "#{cursor_flag} #{alternate_on}")); got != "1 0" {
				t.Errorf("after %v the cursor flag and alternate screen are %q, want \"1 0\" (cursor shown, normal screen)", tc.sig, got)
			}
			if screen := s.screen(); strings.Contains(screen, "goroutine ") || strings.Contains(screen, "SIGQUIT: quit") {
				t.Errorf("a goroutine dump is on the screen after %v:\n%s", tc.sig, screen)
			}
		})
	}
}
