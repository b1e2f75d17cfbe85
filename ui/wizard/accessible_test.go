package wizard_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asmlink/asmlink/cloud/sim/demoenv"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/prompt"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard"
)

// lockedBuffer is the accessible wizard's output, read while it is written.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// plainSession answers the accessible wizard's questions as a person at a
// screen reader would: after reading the question.
type plainSession struct {
	t   *testing.T
	out *lockedBuffer
	in  *io.PipeWriter
}

// await waits until the output holds the nth occurrence of s.
func (p *plainSession) await(s string, n int) string {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out := p.out.String()
		if strings.Count(out, s) >= n {
			return out
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("never saw %q %d times; output:\n%s", s, n, out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (p *plainSession) answer(line string) {
	if _, err := io.WriteString(p.in, line+"\n"); err != nil {
		p.t.Fatal(err)
	}
}

// numberOf finds the number the last listing gives the choice labelled
// label.
func numberOf(t *testing.T, out, label string) string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^\s*(\d+)\. ` + regexp.QuoteMeta(label))
	m := re.FindAllStringSubmatch(out, -1)
	if len(m) == 0 {
		t.Fatalf("no choice %q in:\n%s", label, out)
	}
	return m[len(m)-1][1]
}

func startPlain(t *testing.T) (*plainSession, *bytes.Buffer, chan error) {
	return startPlainContext(t, context.Background())
}

// startPlainContext runs the accessible wizard until ctx ends; cancelling
// ctx is what Ctrl-C (SIGINT) does in accessible mode.
func startPlainContext(t *testing.T, ctx context.Context) (*plainSession, *bytes.Buffer, chan error) {
	s, stdout, done, _ := startPlainEnv(t, ctx)
	return s, stdout, done
}

// startPlainEnv is startPlainContext that also returns the simulated world.
func startPlainEnv(t *testing.T, ctx context.Context) (*plainSession, *bytes.Buffer, chan error, *demoenv.Env) {
	env := startEnv(t, demoenv.Options{Delay: 300 * time.Millisecond, ControllerInterval: 50 * time.Millisecond})
	deps := wizard.Deps{Cloud: env.Cloud, Server: cmdutil.KubeConnect(env.Kube), WriteFile: cmdutil.WriteConfigFile, Demo: true, DefaultFile: t.TempDir() + "/x.yaml", Refresh: 100 * time.Millisecond}
	pr, pw := io.Pipe()
	s := &plainSession{t: t, out: &lockedBuffer{}, in: pw}
	stdout := &bytes.Buffer{}
	done := make(chan error, 1)
	p := prompt.New(pr, s.out, prompt.Options{Accessible: true})
	go func() { done <- wizard.RunAccessible(ctx, deps, &text.English, p, stdout) }()
	return s, stdout, done, env
}

func TestAccessibleWizardRunsTheSameStepsAsLinePrompts(t *testing.T) {
	s, _, done := startPlain(t)
	const ask = "Enter a number between"
	s.answer(numberOf(t, s.await(ask, 1), "mesh-prod ("))
	s.answer(numberOf(t, s.await(ask, 2), "shop-prod ("))
	out := s.await(ask, 3)
	if !strings.Contains(out, "same zone, recommended") {
		t.Fatalf("the recommended pair is not offered:\n%s", out)
	}
	s.answer("") // the recommended pair is the default
	out = s.await(ask, 4)
	for _, want := range []string{"All checks passed", "+  - clusterId: cbfbdabe898736a3566f893697b590487"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q before the action:\n%s", want, out)
		}
	}
	s.answer(numberOf(t, out, "apply it to the ASM instance"))
	s.await("[y/N]", 1)
	s.answer("y")
	s.await("[y/N]", 2) // the SAN step, once both links are up
	s.answer("y")
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("RunAccessible: %v\n%s", err, s.out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the accessible wizard did not finish:\n%s", s.out.String())
	}
	out = s.out.String()
	for _, want := range []string{"Both links", "is running in the mesh", "status Available", "appended ep-"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("the accessible wizard wrote escape codes")
	}
}

func TestAccessibleWizardEndOfInputCancels(t *testing.T) {
	s, stdout, done := startPlain(t)
	s.await("Enter a number between", 1)
	_ = s.in.Close()
	select {
	case err := <-done:
		if !errors.Is(err, wizard.ErrCancelled) {
			t.Fatalf("RunAccessible at end of input: %v, want ErrCancelled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the accessible wizard did not stop at the end of input")
	}
	if stdout.Len() != 0 {
		t.Errorf("a cancelled wizard printed %q on stdout", stdout)
	}
}

func TestAccessibleWizardCtrlCCancelsAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s, _, done := startPlainContext(t, ctx)
	s.await("Enter a number between", 1)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, wizard.ErrCancelled) {
			t.Fatalf("RunAccessible after Ctrl-C: %v, want ErrCancelled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the accessible wizard did not stop on Ctrl-C")
	}
}
