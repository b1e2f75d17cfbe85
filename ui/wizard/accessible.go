package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/prompt"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// RunAccessible runs the wizard as line-by-line questions with no redraws,
// for --accessible, ACCESSIBLE=1 and TERM=dumb. It drives the same root
// model and steps as the screen, with the same messages: where the screen
// draws a step, it says the step's Narration; where the screen waits for
// keys, it asks the step's Question with p, in huh's accessible mode, and
// hands the answer to the step as the message its keys would send. Ctrl-C
// or the end of input returns ErrCancelled.
func RunAccessible(ctx context.Context, d Deps, t *text.Catalog, p *prompt.Prompter, stdout io.Writer) error {
	m := New(ctx, d, styles.New(false), t)
	defer m.cancel()
	// Lines are not broken for the screen: the terminal or screen reader
	// wraps them, and long IDs stay whole for copying.
	m.setSize(accessibleWidth, accessibleHeight)
	a := &accessible{m: m, p: p, msgs: make(chan tea.Msg, 64), said: map[flow.Step]string{}}
	err := a.loop(m.s.Ctx, m.Init())
	if errors.Is(err, prompt.ErrCancelled) || errors.Is(err, context.Canceled) {
		return ErrCancelled
	}
	if err != nil {
		return err
	}
	if out := m.Output(); len(out) > 0 {
		_, err = stdout.Write(out)
	}
	return err
}

// The accessible screen is wide and tall enough that no step cuts a line
// or scrolls.
const accessibleWidth, accessibleHeight = 1000, 10000

// accessible is the accessible driver's state.
type accessible struct {
	m    *Model
	p    *prompt.Prompter
	msgs chan tea.Msg
	// said is what was last said of each step; header and loading what
	// was last said of those.
	said                    map[flow.Step]string
	header, loading, notice string
	quit                    bool
	// asked is the question last answered; it is not asked again until a
	// message has changed something (the answer's own result, typically).
	asked string
}

// run runs cmd as Bubble Tea would: in a goroutine, its message (or each
// of a batch's) back to the loop.
func (a *accessible) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				a.run(c)
			}
			return
		}
		if msg != nil {
			a.msgs <- msg
		}
	}()
}

// handle gives msg to the model.
func (a *accessible) handle(msg tea.Msg) {
	switch msg.(type) {
	case tea.QuitMsg:
		a.quit = true
		return
	case spinner.TickMsg:
		return // nothing animates
	}
	_, cmd := a.m.Update(msg)
	a.run(cmd)
}

func (a *accessible) loop(ctx context.Context, first tea.Cmd) error {
	a.run(first)
	for {
		a.narrate()
		if a.quit {
			return a.m.Err()
		}
		if a.m.w.Step() == flow.StepSummary {
			return nil
		}
		if q := a.question(); q != nil {
			msg, err := q.Ask(ctx, a.p)
			if err != nil {
				return err
			}
			a.handle(msg)
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case msg := <-a.msgs:
			a.asked = ""
			a.handle(msg)
		}
	}
}

// question is what to ask now: a failure's retry, or the current step's
// question; nil while the wizard waits for the cloud, or when the last
// answer has not had its effect yet. A question that only waits for the
// person to go on is answered here, as enter would.
func (a *accessible) question() *common.Question {
	m := a.m
	cur := m.current()
	var q *common.Question
	switch {
	case m.busy.Failure != nil:
		q = a.retryQuestion(m.busy.Failure, true)
	case m.busy.Waiting():
		return nil
	default:
		q = cur.Question()
		if st := cur.Status(); q == nil && st.Failure != nil {
			q = a.retryQuestion(st.Failure, st.CanRetry)
		}
	}
	if q == nil {
		return nil
	}
	id := fmt.Sprint(m.w.Step(), q.Kind, q.Title, len(q.Choices), q.Value)
	if id == a.asked {
		return nil
	}
	a.asked = id
	if q.Kind == common.AskContinue {
		a.handle(q.Answer(common.Answer{}))
		return a.question()
	}
	return q
}

// retryQuestion asks whether to try the failed f again, when it can be;
// no, or a failure that cannot be retried, ends the wizard with it.
func (a *accessible) retryQuestion(f *common.ErrorMsg, canRetry bool) *common.Question {
	t := a.m.s.Common.Text
	end := step.QuitMsg{Err: fmt.Errorf("%s failed: %w", f.Op, f.Err)}
	if !canRetry {
		return &common.Question{Kind: common.AskContinue, Answer: func(common.Answer) tea.Msg { return end }}
	}
	title := fmt.Sprintf(t.ErrorOpf, f.Op, spec.Printable(fmt.Sprint(f.Err))) + "\n" + t.Plain.Retry
	return &common.Question{Kind: common.AskConfirm, Title: title, Answer: func(ans common.Answer) tea.Msg {
		if ans.Yes {
			return retryMsg{}
		}
		return end
	}}
}

// retryMsg is the accessible answer that retries, as the r key does.
type retryMsg struct{}

// narrate says what changed: the header once the identity is known, what
// is loading, and the current step's narration.
func (a *accessible) narrate() {
	m := a.m
	if h := m.headerView(); m.identity.Region != "" && h != a.header {
		a.p.Say("%s", h)
		a.header = h
	}
	loading := m.busy.Loading
	if loading == "" {
		loading = m.current().Status().Loading
	}
	if loading != "" && loading != a.loading {
		a.p.Say(m.s.Common.Text.Loadingf, loading)
	}
	a.loading = loading
	if n := strings.TrimRight(m.current().Narration(), "\n"); n != "" && n != a.said[m.w.Step()] {
		a.p.Say("%s", n)
		a.said[m.w.Step()] = n
	}
	if notice := m.current().Status().Notice; notice != "" && notice != a.notice {
		a.p.Say("%s", notice)
	}
	a.notice = m.current().Status().Notice
}
