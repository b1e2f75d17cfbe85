package plain

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestChooseRepromptsUntilAValidEnabledNumber(t *testing.T) {
	var out bytes.Buffer
	p := New(strings.NewReader("x\n9\n2\n3\n"), &out)
	got, err := p.Choose("Pick", []Choice{{Label: "a"}, {Label: "b", Disabled: true}, {Label: "c"}}, -1)
	if err != nil || got != 2 {
		t.Fatalf("Choose = %d, %v; want 2, nil", got, err)
	}
	for _, want := range []string{"1. a", "2. b (cannot be chosen)", `"x" is not a number`, `"9" is not a number`, "2 cannot be chosen"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestChooseEmptyAnswerTakesTheDefault(t *testing.T) {
	p := New(strings.NewReader("\n"), &bytes.Buffer{})
	if got, err := p.Choose("Pick", []Choice{{Label: "a"}, {Label: "b"}}, 1); err != nil || got != 1 {
		t.Fatalf("Choose = %d, %v; want the default 1", got, err)
	}
}

func TestEndOfInputCancelsInsteadOfGuessing(t *testing.T) {
	p := New(strings.NewReader(""), &bytes.Buffer{})
	if _, err := p.Choose("Pick", []Choice{{Label: "a"}}, 0); !errors.Is(err, ErrEndOfInput) {
		t.Errorf("Choose at EOF: %v, want ErrEndOfInput", err)
	}
	if ok, err := p.Confirm("Apply?"); ok || !errors.Is(err, ErrEndOfInput) {
		t.Errorf("Confirm at EOF = %v, %v; want false, ErrEndOfInput", ok, err)
	}
	if _, err := p.Input("File", "x.yaml"); !errors.Is(err, ErrEndOfInput) {
		t.Errorf("Input at EOF: %v, want ErrEndOfInput", err)
	}
}

func TestConfirmIsNoUnlessYes(t *testing.T) {
	for in, want := range map[string]bool{"y\n": true, "YES\n": true, "\n": false, "n\n": false, "sure\n": false} {
		p := New(strings.NewReader(in), &bytes.Buffer{})
		if got, err := p.Confirm("Apply?"); err != nil || got != want {
			t.Errorf("Confirm(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestInputDefaultAndValue(t *testing.T) {
	p := New(strings.NewReader("\nother.yaml\n"), &bytes.Buffer{})
	if got, _ := p.Input("File", "x.yaml"); got != "x.yaml" {
		t.Errorf("empty answer gave %q, want the default", got)
	}
	if got, _ := p.Input("File", "x.yaml"); got != "other.yaml" {
		t.Errorf("answer gave %q, want other.yaml", got)
	}
}
