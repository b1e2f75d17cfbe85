package wizard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/cloud/sim/demoenv"
	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
	"github.com/asmlink/asmlink/ui/wizard"
)

// driver runs the wizard the way Bubble Tea does (commands in goroutines,
// their messages back into Update) without a terminal, so a test can wait
// for what the screen says and press keys.
type driver struct {
	t    *testing.T
	m    tea.Model
	msgs chan tea.Msg
	quit bool
}

// start runs a wizard on world with the simulated cloud and in-memory API
// servers of demoenv.
func start(t *testing.T, world string, color bool, width, height int) (*driver, *demoenv.Env) {
	t.Helper()
	env := startEnv(t, demoenv.Options{World: world, Delay: 300 * time.Millisecond, ControllerInterval: 50 * time.Millisecond})
	deps := wizard.Deps{
		Cloud: env.Cloud, Server: cmdutil.KubeConnect(env.Kube), WriteFile: cmdutil.WriteConfigFile, Demo: true, DefaultFile: t.TempDir() + "/asmpvlconfig.yaml",
		Refresh: 100 * time.Millisecond,
	}
	return drive(t, wizard.New(context.Background(), deps, styles.New(color), &text.English), width, height), env
}

// startEnv starts a simulated world for one test and stops it after.
func startEnv(t *testing.T, opts demoenv.Options) *demoenv.Env {
	t.Helper()
	env, err := demoenv.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Close() })
	return env
}

// drive starts driving the wizard m on a screen of width × height.
func drive(t *testing.T, m *wizard.Model, width, height int) *driver {
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 64)}
	d.send(tea.WindowSizeMsg{Width: width, Height: height})
	d.run(m.Init())
	return d
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		if msg := cmd(); msg != nil {
			d.msgs <- msg
		}
	}()
}

func (d *driver) send(msg tea.Msg) {
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
		return
	case spinner.TickMsg:
		return // the spinner only animates; keep it still
	case tea.QuitMsg:
		d.quit = true
		return
	}
	var cmd tea.Cmd
	d.m, cmd = d.m.Update(msg)
	d.run(cmd)
}

// screen is the current view without escape codes.
func (d *driver) screen() string { return ansi.Strip(d.m.View().Content) }

// waitFor feeds messages to the wizard until the screen contains every one
// of wants, failing the test after a timeout with the last screen.
func (d *driver) waitFor(wants ...string) {
	d.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		s := d.screen()
		ok := true
		for _, w := range wants {
			if !strings.Contains(s, w) {
				ok = false
			}
		}
		if ok {
			return
		}
		select {
		case msg := <-d.msgs:
			d.send(msg)
		case <-deadline:
			d.t.Fatalf("screen never showed %q; last screen:\n%s", wants, s)
		}
	}
}

// key presses one key: "enter", "esc", "up", "down", "backspace", "f1",
// "ctrl+" and a letter, or a character.
func (d *driver) key(k string) {
	var msg tea.KeyPressMsg
	switch k {
	case "enter":
		msg = tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		msg = tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		msg = tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		msg = tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		msg = tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "f1":
		msg = tea.KeyPressMsg{Code: tea.KeyF1}
	default:
		if letter, ok := strings.CutPrefix(k, "ctrl+"); ok {
			msg = tea.KeyPressMsg{Code: []rune(letter)[0], Mod: tea.ModCtrl}
			break
		}
		r := []rune(k)[0]
		msg = tea.KeyPressMsg{Code: r, Text: k}
	}
	d.send(msg)
}

// typeText presses each character of s.
func (d *driver) typeText(s string) {
	for _, r := range s {
		d.key(string(r))
	}
}

// drain handles the messages already waiting.
func (d *driver) drain() {
	for {
		select {
		case msg := <-d.msgs:
			d.send(msg)
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}
