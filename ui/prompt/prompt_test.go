package prompt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/asmlink/asmlink/ui/prompt"
)

// ask is one of the three kinds of question, asked on p.
type ask func(ctx context.Context, p *prompt.Prompter) error

var kinds = map[string]ask{
	"select": func(ctx context.Context, p *prompt.Prompter) error {
		_, err := p.Select(ctx, "Which?", []prompt.Choice{{Label: "one"}, {Label: "two"}}, 0)
		return err
	},
	"confirm": func(ctx context.Context, p *prompt.Prompter) error {
		_, err := p.Confirm(ctx, "Apply?")
		return err
	},
	"input": func(ctx context.Context, p *prompt.Prompter) error {
		_, err := p.Input(ctx, "File", "x.yaml", nil)
		return err
	},
}

func TestAccessibleAnswersComeFromOneReaderInOrder(t *testing.T) {
	var out bytes.Buffer
	p := prompt.New(strings.NewReader("3\n2\n\ny\nnew.yaml\n"), &out, prompt.Options{Accessible: true})
	ctx := context.Background()
	choices := []prompt.Choice{{Label: "alpha"}, {Label: "beta", Reason: "in the mesh's own VPC"}, {Label: "gamma"}}
	i, err := p.Select(ctx, "Which cluster?", choices, 0)
	if err != nil || i != 2 {
		t.Fatalf("select = %d, %v; want 2", i, err)
	}
	// 2 cannot be chosen: the question is asked again, and an empty line
	// takes the proposed choice.
	if i, err = p.Select(ctx, "Which cluster?", choices, 0); err != nil || i != 0 {
		t.Fatalf("select after a refused choice = %d, %v; want 0", i, err)
	}
	yes, err := p.Confirm(ctx, "Apply?")
	if err != nil || !yes {
		t.Fatalf("confirm = %v, %v", yes, err)
	}
	name, err := p.Input(ctx, "File", "asmpvlconfig.yaml", nil)
	if err != nil || name != "new.yaml" {
		t.Fatalf("input = %q, %v", name, err)
	}
	got := out.String()
	for _, want := range []string{"1. alpha", "2. beta (cannot be chosen: in the mesh's own VPC)", "3. gamma", "2 cannot be chosen", "Apply? [y/N]"} {
		if !strings.Contains(got, want) {
			t.Errorf("accessible output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b[") {
		t.Errorf("accessible output has escape codes:\n%q", got)
	}
}

func TestAccessibleConfirmIsNoUnlessYes(t *testing.T) {
	p := prompt.New(strings.NewReader("\nmaybe\nno\n"), io.Discard, prompt.Options{Accessible: true})
	for range 2 {
		yes, err := p.Confirm(context.Background(), "Apply?")
		if err != nil || yes {
			t.Fatalf("confirm = %v, %v; want no", yes, err)
		}
	}
}

func TestEndOfInputCancelsEveryKindOfQuestion(t *testing.T) {
	for name, q := range kinds {
		t.Run(name, func(t *testing.T) {
			p := prompt.New(strings.NewReader(""), io.Discard, prompt.Options{Accessible: true})
			if err := q(context.Background(), p); !errors.Is(err, prompt.ErrCancelled) || !errors.Is(err, context.Canceled) {
				t.Fatalf("end of input: %v, want ErrCancelled", err)
			}
		})
	}
}

// TestCtrlCCancelsAnAccessibleQuestionAtOnce: in accessible mode Ctrl-C
// is SIGINT, which cancels the run's context; the question waiting for a
// line ends at once, and the next Enter is never taken as the default.
func TestCtrlCCancelsAnAccessibleQuestionAtOnce(t *testing.T) {
	for name, q := range kinds {
		t.Run(name, func(t *testing.T) {
			in, w := io.Pipe()
			defer w.Close()
			p := prompt.New(in, io.Discard, prompt.Options{Accessible: true})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- q(ctx, p) }()
			time.Sleep(20 * time.Millisecond)
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, prompt.ErrCancelled) {
					t.Fatalf("after Ctrl-C: %v, want ErrCancelled", err)
				}
			case <-time.After(2 * time.Second):
				t.Fatal("the question did not end on Ctrl-C")
			}
		})
	}
}

// TestCtrlCOrTheEndOfInputCancelsATerminalQuestion types Ctrl-C into each
// terminal form, and ends a piped input under it: both cancel at once.
func TestCtrlCOrTheEndOfInputCancelsATerminalQuestion(t *testing.T) {
	for _, input := range []string{"\x03", ""} {
		for name, q := range kinds {
			t.Run(fmt.Sprintf("%s %q", name, input), func(t *testing.T) {
				p := prompt.New(strings.NewReader(input), io.Discard, prompt.Options{})
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if err := q(ctx, p); !errors.Is(err, prompt.ErrCancelled) || ctx.Err() != nil {
					t.Fatalf("%v (test timeout: %v), want ErrCancelled at once", err, ctx.Err())
				}
			})
		}
	}
}

func TestTerminalConfirmTakesYesAndLeavesTheAnswerOnScreen(t *testing.T) {
	var out bytes.Buffer
	p := prompt.New(strings.NewReader("y"), &out, prompt.Options{})
	yes, err := p.Confirm(context.Background(), "Apply?")
	if err != nil || !yes {
		t.Fatalf("confirm with y = %v, %v", yes, err)
	}
	if !strings.HasSuffix(out.String(), "Apply? Yes\n") {
		t.Fatalf("the answered question is not left on screen:\n%q", out.String())
	}
}

// TestAccessibleQuestionsEscapeCloudNames asks a select, a confirm and an
// input whose titles and labels carry a mesh name with terminal controls:
// the questions show the name escaped, never raw.
func TestAccessibleQuestionsEscapeCloudNames(t *testing.T) {
	bad := "mesh\x1b]0;pwned\x07\x1b[2J"
	var out bytes.Buffer
	p := prompt.New(strings.NewReader("1\ny\nx\n"), &out, prompt.Options{Accessible: true})
	ctx := context.Background()
	if _, err := p.Select(ctx, "Which ASM instance of "+bad+"?", []prompt.Choice{{Label: bad}, {Label: "b", Reason: bad}}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Confirm(ctx, "Apply to "+bad+"?"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Input(ctx, "File for "+bad, "", nil); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.ContainsAny(got, "\x1b\x07") {
		t.Fatalf("a question holds a raw control:\n%q", got)
	}
	if n := strings.Count(got, `mesh\x1b]0;pwned\a\x1b[2J`); n < 5 {
		t.Errorf("the name is shown escaped %d times, want 5 (two titles, a label, a reason, a title):\n%s", n, got)
	}
}
