package common

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/ui/prompt"
)

// AskKind is how a Question is asked.
type AskKind int

// The kinds of question.
const (
	// AskContinue only waits for the person to go on (enter on the
	// screen); the accessible driver goes on at once.
	AskContinue AskKind = iota
	// AskSelect asks which of Choices.
	AskSelect
	// AskConfirm asks yes or no; the answer is no unless the person says
	// yes.
	AskConfirm
	// AskInput asks for a line of text, proposing Value.
	AskInput
)

// Question is what a step waits for the person to answer, as data that
// both drivers ask: the screen draws it with the step's own component (a
// list, huh's Confirm or Input) and its keys, and the accessible driver asks
// it through ui/prompt, which builds the same huh field and runs it in huh's
// accessible mode. Either way the answer becomes the same message, Answer's.
type Question struct {
	Kind    AskKind
	Title   string
	Choices []prompt.Choice
	// Default is the choice proposed first.
	Default int
	// Value is the text an input proposes.
	Value string
	// Answer turns the answer into the message the step handles.
	Answer func(Answer) tea.Msg
}

// Answer is the person's answer to a Question: the index of the choice,
// yes or no, or the text typed, by Kind.
type Answer struct {
	Choice int
	Yes    bool
	Text   string
}

// Ask asks q with p and returns the message its answer becomes.
func (q *Question) Ask(ctx context.Context, p *prompt.Prompter) (tea.Msg, error) {
	var a Answer
	var err error
	switch q.Kind {
	case AskSelect:
		a.Choice, err = p.Select(ctx, q.Title, q.Choices, q.Default)
	case AskConfirm:
		a.Yes, err = p.Confirm(ctx, strings.TrimSuffix(q.Title, " (y/N)"))
	case AskInput:
		a.Text, err = p.Input(ctx, strings.TrimSuffix(strings.TrimSpace(q.Title), ":"), q.Value, nil)
	}
	if err != nil {
		return nil, err
	}
	return q.Answer(a), nil
}
