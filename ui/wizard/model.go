package wizard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/picker"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// question is a question that takes the keyboard until it is answered.
type question int

const (
	promptNone    question = iota
	promptQuit             // a change is in flight: quit anyway?
	promptIntent           // an already connected cluster: change or remove?
	promptFix              // run a fix that changes the account?
	promptApply            // apply to the mesh?
	promptForce            // take over fields another manager owns?
	promptSAN              // append the domain to the certificate SANs?
	promptRegion           // which region?
	promptFile             // which file?
	promptReplace          // replace a file that holds another ASMPvlConfig?
)

// action is what the person does with the reviewed ASMPvlConfig.
type action struct {
	label string
	apply bool
	write bool
	print bool
}

// Model is the wizard. It is a Bubble Tea model; all its I/O runs in the
// commands of msgs.go.
type Model struct {
	c      common.Common
	deps   Deps
	keys   keyMap
	ctx    context.Context
	cancel context.CancelFunc

	w flow.Wizard

	api      cloud.API
	region   string
	identity cloud.Identity

	spin      spinner.Model
	help      help.Model
	showHelp  bool
	loading   string
	failure   *common.ErrorMsg
	retry     tea.Cmd
	retryWhat string

	prompt       question
	promptCursor int
	// promptYes is the answer a consent question's Yes/No buttons show;
	// every question starts at No.
	promptYes bool
	// input is the huh field of the region or file question, nil when
	// neither is asked.
	input *huh.Input
	// file is the file the person chose to write, "" before the choice.
	file string

	meshes     []cloud.Mesh
	meshPicker picker.Model

	sess          *session.Session
	cands         []flow.Candidate
	clusterPicker picker.Model

	pairing    flow.Pairing
	pairPicker picker.Model

	checkCursor int
	pendingFix  *flow.Fix
	// writeFailure is the write of the file that failed and has not
	// succeeded since, kept after esc leaves the name prompt so that
	// quitting reports it (and its exit code) instead of a plain cancel.
	writeFailure *common.ErrorMsg

	plan *session.Result
	// scroll is the window onto the long screens: preflight, review,
	// links, SAN and summary.
	scroll viewport.Model

	actions      []action
	actionCursor int
	chosen       action
	conflict     *session.ConflictError
	force        bool

	cfg       *spec.ASMPvlConfig
	links     flow.LinkView
	diagnoses []flow.Diagnosis
	obs       flow.Observation
	updates   <-chan session.Update
	started   time.Time
	now       time.Time

	san flow.SANDecision

	done []string
	// written is the file the reviewed ASMPvlConfig was written to, once
	// it was; replaceDiff is what replacing the chosen file would change.
	written, replaceDiff string
	output               []byte
}

// New returns the wizard. ctx bounds every call it makes.
func New(ctx context.Context, d Deps, st *styles.Styles, t *text.Catalog) Model {
	ctx, cancel := context.WithCancel(ctx)
	m := Model{
		c:      common.Common{Width: 80, Height: 24, Styles: st, Text: t},
		deps:   d,
		keys:   newKeyMap(t),
		ctx:    ctx,
		cancel: cancel,
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		help:   help.New(),
		scroll: viewport.New(),
	}
	// A line longer than the screen (a copyable command or domain on a
	// line of its own) goes on at the start of the next line, with no
	// character inserted, instead of being cut.
	m.scroll.SoftWrap = true
	if !st.Color {
		m.help.Styles = help.Styles{}
	}
	pk := picker.DefaultKeyMap(t.KeyMove, t.KeyChoose, t.KeyClearFilter)
	// Names and IDs stay whole; VPC, version, state and free IPs give way
	// first on a narrow terminal.
	m.meshPicker = picker.New(st, pk, columns(t.MeshColumns, []int{0, 1}, []int{3, 4}), nil, t.NoMeshes)
	clusterCols := columns(t.ClusterColumns, []int{0, 1}, []int{2, 3})
	clusterCols[4].Min = 30 // the reason gives up some room before VPC and state go
	m.clusterPicker = picker.New(st, pk, clusterCols, nil, t.NoClusters)
	pairCols := columns(t.PairColumns, []int{0, 1, 3, 4}, []int{2, 5})
	pairCols[6].Min = 9 // the verdict gives way after free IPs do, not before
	m.pairPicker = picker.New(st, pk, pairCols, nil, t.NoSharedZone)
	m.actions = []action{
		{label: t.ActionApply, apply: true},
		{label: t.ActionApplyWrite, apply: true, write: true},
		{label: t.ActionWrite, write: true},
		{label: t.ActionPrint, print: true},
	}
	m.startLoad(t.LoadingMeshes, loadCloud(ctx, d, ""))
	return m
}

// Output is what the wizard prints on stdout after it has exited: the
// ASMPvlConfig when the person asked for it.
func (m Model) Output() []byte { return m.output }

// Init starts the spinner and the first load New prepared.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.spin.Tick, m.retry)
}

// startLoad shows the spinner with what is being loaded and remembers the
// command so that a failure can be retried with r.
func (m *Model) startLoad(what string, cmd tea.Cmd) tea.Cmd {
	m.loading, m.failure, m.retry, m.retryWhat = what, nil, cmd, what
	return cmd
}

// startChange shows the spinner for a command that changes the account or
// the mesh. It is never retried with r as it stands: a failure asks for
// consent again (askAgain), and a success leaves nothing to retry.
func (m *Model) startChange(what string, cmd tea.Cmd) tea.Cmd {
	m.loading, m.failure, m.retry, m.retryWhat = what, nil, nil, what
	return cmd
}

// fail shows err inline; r runs the last command again.
func (m *Model) fail(op string, err error) {
	m.loading = ""
	m.failure = &common.ErrorMsg{Op: op, Err: err}
}

func (m *Model) setSize(w, h int) {
	m.c.SetSize(w, h)
	m.help.SetWidth(w)
	body := max(h-m.chromeHeight(), 3)
	m.meshPicker.SetSize(w, body)
	m.clusterPicker.SetSize(w, body)
	// The pair list gets what the zone view above it and the findings of
	// the chosen pair under it (two lines at most) leave.
	zones := strings.Count(zoneView(m.c.Styles, m.c.Text, m.pairing, w), "\n") + 1
	m.pairPicker.SetSize(w, max(body-zones-1-2, 3))
	m.scroll.SetWidth(w)
	m.scroll.SetHeight(body)
	if m.input != nil {
		m.input.WithWidth(w)
	}
}

// Update handles one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.setSize(msg.Width, msg.Height)
		return m, nil
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return m.handleResult(msg)
}

// Err is how the wizard ended: nil on the summary; when it was quit on a
// failure, or after a write that failed and was never retried, that
// failure, so its exit code (write, credentials, permission) tells scripts
// and people what went wrong; else ErrCancelled.
func (m Model) Err() error {
	if m.w.Step() == flow.StepSummary {
		return nil
	}
	f := m.failure
	if f == nil {
		f = m.writeFailure
	}
	if f != nil {
		return fmt.Errorf("%s failed: %w", f.Op, f.Err)
	}
	return ErrCancelled
}

func (m Model) quit() (tea.Model, tea.Cmd) {
	m.cancel()
	return m, tea.Quit
}

func (m Model) handleKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if k.String() == "ctrl+c" && m.prompt != promptQuit {
		if m.w.InFlight() {
			m.prompt = promptQuit
			return m, nil
		}
		return m.quit()
	}
	if m.prompt != promptNone {
		return m.handlePrompt(k)
	}
	// On a step with a list, its filter has the keyboard: every printable
	// key filters, and the global keys are the focused ones.
	focused := m.activePicker() != nil
	g := m.keys.globals(focused)
	switch {
	case key.Matches(k, g.Quit):
		if m.w.InFlight() {
			m.prompt = promptQuit
			return m, nil
		}
		return m.quit()
	case key.Matches(k, g.Help):
		m.showHelp = !m.showHelp
		return m, nil
	case key.Matches(k, g.Retry) && m.loading == "" && m.retry != nil:
		return m, m.startLoad(m.retryWhat, m.retry)
	case key.Matches(k, g.Back) && !(focused && m.activePicker().Filtering()):
		// From the action step, before anything is applied, back is the
		// review again (with its consent asked again).
		if m.w.Back() || m.w.ReviewAgain() {
			m.failure, m.loading = nil, ""
			m.setSize(m.c.Width, m.c.Height)
		}
		return m, nil
	}
	// While loading, or while a failure is shown, keys other than the
	// global ones wait: r retries, esc goes back.
	if m.loading != "" || m.failure != nil {
		return m, nil
	}
	if content, ok := m.longContent(); ok && m.isScrollKey(k) {
		var cmd tea.Cmd
		m.scroll.SetContent(content)
		m.scroll, cmd = m.scroll.Update(k)
		return m, cmd
	}
	switch m.w.Step() {
	case flow.StepMesh:
		if key.Matches(k, m.keys.Region) {
			m.prompt = promptRegion
			return m, m.ask(m.c.Text.RegionPrompt, m.region)
		}
		return m.updatePicker(&m.meshPicker, k)
	case flow.StepCluster:
		return m.updatePicker(&m.clusterPicker, k)
	case flow.StepPairing:
		return m.updatePicker(&m.pairPicker, k)
	case flow.StepPreflight:
		return m.preflightKey(k)
	case flow.StepReview:
		if key.Matches(k, m.keys.Continue) {
			m.w.Confirm()
			if err := m.w.Advance(); err == nil {
				m.actionCursor = 0
			}
			return m, nil
		}
	case flow.StepAction:
		return m.actionKey(k)
	case flow.StepDashboard:
		if key.Matches(k, m.keys.Continue) {
			if err := m.w.Advance(); err == nil {
				return m, m.enterStep()
			}
		}
	case flow.StepSAN:
		if key.Matches(k, m.keys.Continue) && m.san.State == flow.SANAppend {
			m.prompt = promptSAN
			return m, nil
		}
		if key.Matches(k, m.keys.Continue) && (m.san.State == flow.SANDone || m.san.State == flow.SANFailed) {
			if err := m.w.Advance(); err == nil {
				return m, m.enterStep()
			}
		}
	}
	return m, nil
}

func (m *Model) activePicker() *picker.Model {
	if m.loading != "" || m.failure != nil {
		return nil
	}
	switch m.w.Step() {
	case flow.StepMesh:
		return &m.meshPicker
	case flow.StepCluster:
		return &m.clusterPicker
	case flow.StepPairing:
		return &m.pairPicker
	}
	return nil
}

// updatePicker passes a key to one of m's pickers, p, and acts on a choice.
func (m *Model) updatePicker(p *picker.Model, k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	*p, cmd = p.Update(k)
	if cmd == nil {
		return *m, nil
	}
	chosen, ok := cmd().(picker.ChosenMsg)
	if !ok {
		return *m, nil
	}
	return m.choose(chosen.Row.ID)
}

// choose records a choice made in a picker and moves on.
func (m Model) choose(id string) (tea.Model, tea.Cmd) {
	switch m.w.Step() {
	case flow.StepMesh:
		m.w.ChooseMesh(id)
		return m, m.startLoad(m.c.Text.LoadingMesh, loadSession(m.ctx, m.deps, m.api, id))
	case flow.StepCluster:
		i := slices.IndexFunc(m.cands, func(c flow.Candidate) bool { return c.Cluster.ID == id })
		if i < 0 {
			return m, nil
		}
		if len(m.cands[i].Intents) > 1 {
			m.prompt, m.promptCursor = promptIntent, 0
			return m, nil
		}
		return m.chooseCluster(id, m.cands[i].Intents[0])
	case flow.StepPairing:
		o, ok := m.pairOption(id)
		if !ok || o.Verdict == flow.VerdictRefused {
			return m, nil
		}
		m.w.ChoosePair(o.Pair)
		if err := m.w.Advance(); err != nil {
			return m, nil
		}
		return m, m.enterStep()
	}
	return m, nil
}

func (m Model) chooseCluster(id string, intent flow.Intent) (tea.Model, tea.Cmd) {
	m.w.ChooseCluster(id, intent)
	if err := m.w.Advance(); err != nil {
		return m, nil
	}
	return m, m.enterStep()
}

// enterStep prepares the step the wizard just moved to.
func (m *Model) enterStep() tea.Cmd {
	t := m.c.Text
	m.scroll.GotoTop()
	switch m.w.Step() {
	case flow.StepCluster:
		m.cands = flow.Candidates(m.sess.Env)
		m.clusterPicker.SetRows(clusterRows(m.cands, t))
		m.clusterPicker.SelectID(m.w.ClusterID())
	case flow.StepPairing:
		return m.startLoad(t.LoadingPairs, pairVSwitches(m.sess, m.w.ClusterID()))
	case flow.StepPreflight:
		m.checkCursor = 0
		return m.startLoad(t.LoadingChecks, runChecks(m.ctx, m.deps, m.sess, &m.w, false))
	case flow.StepReview:
		// Consent to take over another manager's fields is given for one
		// reviewed change only.
		m.force = false
		return m.startLoad(t.LoadingPlan, reviewChange(m.ctx, m.sess, change(m.sess, &m.w)))
	case flow.StepDashboard:
		m.startWatching()
		return tea.Batch(nextUpdate(m.updates), observe(m.ctx, m.sess, m.cfg, m.w.ClusterID()))
	case flow.StepSAN:
		return m.decideSAN()
	}
	return nil
}

// startWatching begins the links screen: the clock, the object as applied,
// and the watch of its status. Both the screen and the plain wizard use it.
func (m *Model) startWatching() {
	m.started, m.now, m.loading = m.deps.now(), m.deps.now(), ""
	m.cfg = m.plan.After
	m.refreshDashboard()
	m.updates = m.sess.Server.Watch(m.ctx)
}

func (m *Model) decideSAN() tea.Cmd {
	m.san = flow.DecideSAN(m.observedCluster(), m.meshCluster(), m.inMesh(), m.cfg, m.sess.API)
	switch m.san.State {
	case flow.SANDone:
		m.w.SANDone(nil)
	case flow.SANFailed:
		m.w.SANDone(errors.New(m.san.Message))
	}
	return nil
}

func (m Model) meshCluster() cloud.MeshCluster {
	i := slices.IndexFunc(m.obs.MeshClusters, func(c cloud.MeshCluster) bool { return c.ClusterID == m.w.ClusterID() })
	if i < 0 {
		return cloud.MeshCluster{}
	}
	return m.obs.MeshClusters[i]
}

func (m Model) inMesh() bool {
	return slices.ContainsFunc(m.obs.MeshClusters, func(c cloud.MeshCluster) bool { return c.ClusterID == m.w.ClusterID() })
}

// observedCluster is the chosen cluster's detail as last observed; its ID
// is "" before the first look at the cloud.
func (m Model) observedCluster() cloud.Cluster {
	i := slices.IndexFunc(m.obs.Clusters, func(c cloud.Cluster) bool { return c.ID == m.w.ClusterID() })
	if i < 0 {
		return cloud.Cluster{}
	}
	return m.obs.Clusters[i]
}

func (m Model) pairOption(id string) (flow.PairOption, bool) {
	i := slices.IndexFunc(m.pairing.Options, func(o flow.PairOption) bool { return pairID(o.Pair) == id })
	if i < 0 {
		return flow.PairOption{}, false
	}
	return m.pairing.Options[i], true
}

func (m Model) preflightKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	results := m.w.Preflight()
	switch {
	case key.Matches(k, m.keys.Up):
		m.checkCursor = max(m.checkCursor-1, 0)
	case key.Matches(k, m.keys.Down):
		m.checkCursor = min(m.checkCursor+1, max(len(results)-1, 0))
	case key.Matches(k, m.keys.Fix):
		if m.checkCursor < len(results) {
			if f := results[m.checkCursor].Fix; f != nil && f.Apply != nil && results[m.checkCursor].Status == flow.StatusFail {
				m.pendingFix, m.prompt = f, promptFix
			}
		}
	case key.Matches(k, m.keys.Continue):
		if err := m.w.Advance(); err == nil {
			return m, m.enterStep()
		}
	}
	return m, nil
}

func (m Model) actionKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Up):
		m.actionCursor = max(m.actionCursor-1, 0)
	case key.Matches(k, m.keys.Down):
		m.actionCursor = min(m.actionCursor+1, len(m.actions)-1)
	case key.Matches(k, m.keys.Continue):
		m.chosen = m.actions[m.actionCursor]
		if m.chosen.write {
			m.prompt = promptFile
			return m, m.ask(m.c.Text.FilePrompt, cmp.Or(m.file, m.deps.DefaultFile))
		}
		return m.afterFileChosen()
	}
	return m, nil
}

// afterFileChosen goes on once the file, if any, is known: ask before
// replacing a file that holds another ASMPvlConfig, ask before an apply,
// else finish with the export.
func (m Model) afterFileChosen() (tea.Model, tea.Cmd) {
	if m.chosen.write && m.prompt != promptReplace {
		if d := m.replacing(m.file); d != "" {
			m.prompt, m.replaceDiff = promptReplace, d
			return m, nil
		}
	}
	m.prompt = promptNone
	if m.chosen.apply {
		m.prompt = promptApply
		return m, nil
	}
	return m.export()
}

// replacing is the diff between the ASMPvlConfig the file at path holds
// and the reviewed one, when they differ; "" when the file is absent, the
// same, or not an ASMPvlConfig (WriteFile refuses that one).
func (m Model) replacing(path string) string {
	data, err := os.ReadFile(path)
	if err != nil || m.plan == nil {
		return ""
	}
	old, err := spec.Decode(data)
	if err != nil {
		return ""
	}
	return spec.Diff(old, m.plan.After)
}

// export finishes without applying: the file is written and/or the object
// printed on exit. With a file, the wizard stays at the action until the
// write succeeded.
func (m Model) export() (tea.Model, tea.Cmd) {
	data := m.exportYAML()
	if m.chosen.print {
		m.output = data
		m.done = append(m.done, m.c.Text.SummaryPrintOnExit)
	}
	if m.chosen.write {
		return m, m.startLoad(m.c.Text.Writing, writeFile(m.deps, m.file, data))
	}
	m.w.Export()
	return m, nil
}

// exportYAML is the reviewed object as a file to apply, with the header that
// names the cloud facts it was built from.
func (m Model) exportYAML() []byte {
	if m.plan == nil {
		return nil
	}
	return spec.Encode(spec.ForFile(m.plan.After, m.plan.Before), spec.EncodeOptions{Header: &spec.Header{
		Producer: "asmlink setup", MeshID: m.w.MeshID(), Facts: m.sess.Env.Facts(),
	}})
}

func (m Model) handlePrompt(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	p := m.prompt
	yes := k.String() == "y" || k.String() == "Y"
	switch p {
	case promptRegion, promptFile:
		switch k.String() {
		case "esc":
			m.prompt, m.input = promptNone, nil
			if p == promptFile {
				// Back to the actions: a failed write is not retried.
				m.failure, m.retry = nil, nil
			}
			return m, nil
		case "enter":
			value := strings.TrimSpace(m.input.GetValue().(string))
			m.prompt, m.input = promptNone, nil
			if value == "" {
				return m, nil
			}
			if p == promptRegion {
				m.region = value
				return m, m.startLoad(m.c.Text.LoadingMeshes, loadCloud(m.ctx, m.deps, value))
			}
			m.file = value
			return m.afterFileChosen()
		}
		f, cmd := m.input.Update(k)
		m.input = f.(*huh.Input)
		return m, cmd
	case promptIntent:
		intents := m.selectedIntents()
		switch k.String() {
		case "up":
			m.promptCursor = max(m.promptCursor-1, 0)
		case "down":
			m.promptCursor = min(m.promptCursor+1, len(intents)-1)
		case "enter":
			m.prompt = promptNone
			r, _ := m.clusterPicker.Selected()
			return m.chooseCluster(r.ID, intents[m.promptCursor])
		case "esc":
			m.prompt = promptNone
		}
		return m, nil
	}
	if p == promptForce {
		// The screen says "Press F": f gives the consent, esc or n goes
		// back, and any other key leaves the question up.
		switch k.String() {
		case "f", "F", "shift+f":
			yes = true
		case "esc", "n", "N":
			m.prompt, m.conflict = promptNone, nil
			return m, nil
		default:
			return m, nil
		}
	}
	if p != promptForce {
		// A consent question: y or n answers, enter takes the button
		// shown, the arrows move between Yes and No, and any other key
		// leaves the question up.
		switch k.String() {
		case "y", "Y":
			yes = true
		case "n", "N", "esc":
			yes = false
		case "enter":
			yes = m.promptYes
		case "left", "right", "h", "l", "tab", "shift+tab":
			m.promptYes = !m.promptYes
			return m, nil
		default:
			return m, nil
		}
		m.promptYes = false
	}
	m.prompt = promptNone
	if !yes {
		return m, nil
	}
	switch p {
	case promptQuit:
		return m.quit()
	case promptFix:
		return m, m.startChange(m.c.Text.FixRunning, runFix(m.ctx, m.pendingFix))
	case promptForce:
		// The consent changes what the server would store: review the
		// forced dry run again before anything is written.
		m.force = true
		m.w.ReviewAgain()
		return m, m.startLoad(m.c.Text.LoadingPlan, reviewChange(m.ctx, m.sess, change(m.sess, &m.w)))
	case promptApply:
		m.w.StartApply()
		return m, m.startChange(m.c.Text.Applying, applyChange(m.ctx, m.sess, change(m.sess, &m.w), m.force))
	case promptReplace:
		m.prompt = promptReplace
		return m.afterFileChosen()
	case promptSAN:
		m.w.StartSAN()
		return m, m.startChange(m.c.Text.AppendingSAN, appendSAN(m.ctx, m.san.Fix))
	}
	return m, nil
}

// ask puts a huh input with title and value on the status line; the
// region and file questions are asked with it.
func (m *Model) ask(title, value string) tea.Cmd {
	m.input = huh.NewInput().Title(title).Inline(true).Value(&value)
	m.input.WithTheme(formTheme(m.c.Styles))
	m.input.WithWidth(m.c.Width)
	return m.input.Focus()
}

func (m Model) selectedIntents() []flow.Intent {
	r, _ := m.clusterPicker.Selected()
	i := slices.IndexFunc(m.cands, func(c flow.Candidate) bool { return c.Cluster.ID == r.ID })
	if i < 0 {
		return nil
	}
	return m.cands[i].Intents
}

// handleResult records the result of a command.
func (m Model) handleResult(msg tea.Msg) (tea.Model, tea.Cmd) {
	t := m.c.Text
	switch msg := msg.(type) {
	case cloudMsg:
		if msg.err != nil {
			m.fail(t.LoadingMeshes, msg.err)
			return m, nil
		}
		m.api, m.identity = msg.api, msg.api.Identity()
		m.region = m.identity.Region
		return m, m.startLoad(t.LoadingMeshes, loadMeshes(m.ctx, m.api))
	case meshesMsg:
		if msg.err != nil {
			m.fail(t.LoadingMeshes, msg.err)
			return m, nil
		}
		m.loading, m.meshes = "", msg.meshes
		m.meshPicker.SetRows(meshRows(msg.meshes))
		m.meshPicker.SelectID(m.w.MeshID())
	case sessionMsg:
		if msg.err != nil {
			m.fail(t.LoadingMesh, msg.err)
			return m, nil
		}
		m.loading, m.sess = "", msg.sess
		if m.w.Step() == flow.StepMesh {
			if err := m.w.Advance(); err != nil {
				return m, nil
			}
		}
		return m, m.enterStep()
	case pairingMsg:
		if msg.err != nil {
			m.fail(t.LoadingPairs, msg.err)
			return m, nil
		}
		m.loading, m.pairing = "", msg.pairing
		m.pairPicker.SetRows(pairRows(msg.pairing, t))
		if prev := m.w.Pair(); prev != nil {
			m.pairPicker.SelectID(pairID(*prev))
		} else if rec, ok := msg.pairing.Recommend(); ok {
			m.pairPicker.SelectID(pairID(rec))
		}
		// After creating a vSwitch by hand, r lists the cloud again.
		m.retry, m.retryWhat = loadSession(m.ctx, m.deps, m.api, m.w.MeshID()), t.LoadingMesh
		m.setSize(m.c.Width, m.c.Height)
	case checksMsg:
		m.loading, m.sess = "", msg.sess
		m.retry, m.retryWhat = runChecks(m.ctx, m.deps, m.sess, &m.w, true), t.LoadingChecks
		m.w.SetPreflight(msg.results)
		m.checkCursor = firstFixable(msg.results)
	case fixMsg:
		if msg.err != nil {
			m.fail(t.FixRunning, msg.err)
			// A change is retried only with consent again.
			m.retry = askAgain(promptFix)
			return m, nil
		}
		m.done = append(m.done, m.pendingFix.Description)
		return m, m.startLoad(t.LoadingChecks, runChecks(m.ctx, m.deps, m.sess, &m.w, true))
	case reviewMsg:
		if msg.err != nil {
			m.fail(t.LoadingPlan, msg.err)
			return m, nil
		}
		// The review shown after the consent is the forced dry run.
		if msg.review.Conflict != nil && !m.force {
			m.loading, m.conflict, m.prompt = "", msg.review.Conflict, promptForce
			return m, nil
		}
		m.loading, m.plan = "", msg.review.Result
	case appliedMsg:
		m.w.ApplyDone(msg.err)
		var conflict *session.ConflictError
		if errors.As(msg.err, &conflict) && !m.force {
			m.loading, m.conflict, m.prompt = "", conflict, promptForce
			return m, nil
		}
		if msg.err != nil {
			m.fail(t.Applying, msg.err)
			// A change is retried only with consent again.
			m.retry = askAgain(promptApply)
			return m, nil
		}
		m.loading, m.plan = "", msg.result
		var cmds []tea.Cmd
		if m.chosen.write {
			cmds = append(cmds, writeFile(m.deps, m.file, m.exportYAML()))
		}
		if err := m.w.Advance(); err == nil {
			cmds = append(cmds, m.enterStep())
		}
		return m, tea.Batch(cmds...)
	case writtenMsg:
		if msg.err != nil {
			m.fail(t.Writing, msg.err)
			m.writeFailure = m.failure
			// Writing the file again changes nothing else: r retries it.
			m.retry = writeFile(m.deps, msg.path, m.exportYAML())
			if m.w.Step() == flow.StepAction {
				// Not written, so not done: choose another name, or esc.
				m.prompt = promptFile
				return m, m.ask(t.FilePrompt, m.file)
			}
			return m, nil
		}
		m.failure, m.writeFailure = nil, nil
		if m.w.Step() == flow.StepAction {
			m.w.Export()
		}
		if m.w.Step() == flow.StepSummary {
			m.loading = ""
		}
		m.written = msg.path
		m.done = append(m.done, fmt.Sprintf(t.SummaryWrotef, msg.path))
	case updateMsg:
		if msg.update.Config != nil {
			m.cfg = msg.update.Config
		}
		m.refreshDashboard()
		return m, nextUpdate(m.updates)
	case observedMsg:
		if msg.err == nil {
			m.obs = msg.obs
			m.refreshDashboard()
		}
		m.now = m.deps.now()
		if m.w.Step() == flow.StepSAN && m.loading == "" {
			m.decideSAN()
		}
		if m.w.Step() >= flow.StepSummary {
			return m, nil
		}
		return m, tick(m.deps.refresh())
	case tickMsg:
		return m, observe(m.ctx, m.sess, m.cfg, m.w.ClusterID())
	case askMsg:
		m.loading, m.prompt = "", msg.prompt
	case sanAppendedMsg:
		m.loading = ""
		if msg.err != nil {
			m.w.SANDone(msg.err)
			m.fail(t.AppendingSAN, msg.err)
			// A change is retried only with consent again.
			m.retry = askAgain(promptSAN)
			return m, nil
		}
		m.done = append(m.done, fmt.Sprintf(t.SummarySANf, m.san.Domain, m.w.ClusterID()))
		m.san.State = flow.SANWaitCluster
	}
	return m, nil
}

// refreshDashboard recomputes the link view and the diagnoses from the last
// status and the last look at the cloud, and tells the wizard when the links
// have settled.
func (m *Model) refreshDashboard() {
	if m.sess == nil {
		return
	}
	m.links = flow.Links(m.cfg, m.obs.EndpointServices, m.obs.Endpoints, m.obs.MeshClusters)
	// The diagnosis is of the newest status, with the last look at the
	// cloud beside it.
	o := m.obs
	o.Config, o.Facts, o.MeshID, o.API = m.cfg, m.sess.Env.Facts(), m.w.MeshID(), m.sess.API
	m.diagnoses = flow.Diagnose(o)
	if c := m.observedCluster(); m.w.Step() == flow.StepDashboard && m.links.Settled() && c.ID != "" {
		_, needed := flow.SANNeeded(c, m.cfg)
		m.w.LinkAvailable(needed)
	}
}

// firstFixable is the first failed result with a fix, where the cursor
// starts so that f runs it; 0 when there is none.
func firstFixable(results []flow.Result) int {
	for i, r := range results {
		if r.Status == flow.StatusFail && r.Fix != nil && r.Fix.Apply != nil {
			return i
		}
	}
	for i, r := range results {
		if r.Status == flow.StatusFail {
			return i
		}
	}
	return 0
}

// isScrollKey tells whether k scrolls the long screen: page keys always,
// arrows where they select nothing.
func (m Model) isScrollKey(k tea.KeyPressMsg) bool {
	switch k.String() {
	case "pgup", "pgdown", "home", "end":
		return true
	case "up", "down":
		return m.w.Step() != flow.StepPreflight
	}
	return false
}
