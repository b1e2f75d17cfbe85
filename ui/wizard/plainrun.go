package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/prompt"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// RunPlain runs the same wizard as line-by-line questions with no redraws,
// for --accessible, ACCESSIBLE=1 and TERM=dumb: every question is asked by
// p, in huh's accessible mode. It calls the same commands as the screen
// wizard, one after another, and the same flow decisions. Ctrl-C or the end
// of input returns ErrCancelled.
func RunPlain(ctx context.Context, d Deps, t *text.Catalog, p *prompt.Prompter, stdout io.Writer) error {
	m := New(ctx, d, styles.New(false), t)
	defer m.cancel()
	err := m.runPlain(p, stdout)
	if errors.Is(err, prompt.ErrCancelled) {
		return ErrCancelled
	}
	return err
}

func (m *Model) runPlain(p *prompt.Prompter, stdout io.Writer) error {
	t := m.c.Text
	// Lines are not broken for the screen: the terminal or screen reader
	// wraps them, and long IDs stay whole for copying.
	m.c.Width = 200
	cm := loadCloud(m.ctx, m.deps, "")().(cloudMsg)
	if cm.err != nil {
		return cm.err
	}
	m.api, m.identity, m.region = cm.api, cm.api.Identity(), cm.api.Identity().Region
	p.Say("%s", m.headerView())

	mm := loadMeshes(m.ctx, m.api)().(meshesMsg)
	if mm.err != nil {
		return mm.err
	}
	if len(mm.meshes) == 0 {
		return errors.New(t.NoMeshes)
	}
	choices := make([]prompt.Choice, len(mm.meshes))
	for i, ms := range mm.meshes {
		choices[i] = prompt.Choice{Label: fmt.Sprintf("%s (%s) %s, VPC %s, %d clusters", ms.Name, ms.ID, ms.State, ms.VpcID, len(ms.ClusterIDs))}
	}
	i, err := p.Select(m.ctx, t.Plain.ChooseMesh, choices, 0)
	if err != nil {
		return err
	}
	m.w.ChooseMesh(mm.meshes[i].ID)
	p.Say("%s…", t.LoadingMesh)
	sm := loadSession(m.ctx, m.deps, m.api, m.w.MeshID())().(sessionMsg)
	if sm.err != nil {
		return sm.err
	}
	m.sess = sm.sess
	if err := m.w.Advance(); err != nil {
		return err
	}
	if err := m.plainCluster(p); err != nil {
		return err
	}
	if m.w.Step() == flow.StepPairing {
		if err := m.plainPairing(p); err != nil {
			return err
		}
		if err := m.plainPreflight(p); err != nil {
			return err
		}
	}
	if err := m.plainReview(p); err != nil {
		return err
	}
	m.w.Confirm()
	if err := m.w.Advance(); err != nil {
		return err
	}
	return m.plainAction(p, stdout)
}

// plainReview shows the server's dry run of the change. When another
// field manager owns fields the change needs, it asks for the consent the
// screen's F gives and shows the forced dry run instead.
func (m *Model) plainReview(p *prompt.Prompter) error {
	m.force = false
	rm := reviewChange(m.ctx, m.sess, change(m.sess, &m.w))().(reviewMsg)
	if rm.err != nil {
		return rm.err
	}
	if c := rm.review.Conflict; c != nil {
		ok, err := p.Confirm(m.ctx, fmt.Sprintf(m.c.Text.Plain.Forcef, c))
		if err != nil || !ok {
			return errors.Join(err, c)
		}
		m.force = true
	}
	m.plan = rm.review.Result
	p.Say("%s", reviewContent(m.plan, m.c.Styles, m.c.Text))
	return nil
}

func (m *Model) plainCluster(p *prompt.Prompter) error {
	t := m.c.Text
	m.cands = flow.Candidates(m.sess.Env)
	choices := make([]prompt.Choice, len(m.cands))
	def := -1
	for i, c := range m.cands {
		label := fmt.Sprintf("%s (%s), VPC %s: %s", c.Cluster.Name, c.Cluster.ID, c.Cluster.VpcID, c.Reason)
		if c.Edge {
			label += " [" + t.EdgeLabel + "]"
		}
		choices[i] = prompt.Choice{Label: label}
		if !c.Eligibility.Eligible() {
			choices[i].Reason = t.Plain.NotEligible
		}
		if def < 0 && c.Eligibility.Eligible() {
			def = i
		}
	}
	i, err := p.Select(m.ctx, t.Plain.ChooseCluster, choices, def)
	if err != nil {
		return err
	}
	c := m.cands[i]
	intent := c.Intents[0]
	if len(c.Intents) > 1 {
		ic := make([]prompt.Choice, len(c.Intents))
		for j, in := range c.Intents {
			ic[j] = prompt.Choice{Label: intentLabel(t, in)}
		}
		j, err := p.Select(m.ctx, fmt.Sprintf(t.IntentQuestionf, c.Cluster.ID), ic, 0)
		if err != nil {
			return err
		}
		intent = c.Intents[j]
	}
	m.w.ChooseCluster(c.Cluster.ID, intent)
	return m.w.Advance()
}

func (m *Model) plainPairing(p *prompt.Prompter) error {
	t := m.c.Text
	pairing, err := m.sess.Pairing(m.w.ClusterID())
	if err != nil {
		return err
	}
	m.pairing = pairing
	p.Say("%s", zoneView(m.c.Styles, t, pairing, m.c.Width))
	rec, hasRec := pairing.Recommend()
	if !hasRec && !slices.ContainsFunc(pairing.Options, func(o flow.PairOption) bool { return o.Verdict != flow.VerdictRefused }) {
		return errors.New(t.NoSharedZone)
	}
	choices := make([]prompt.Choice, len(pairing.Options))
	def := -1
	for i, o := range pairing.Options {
		row := pairRows(flow.Pairing{Options: []flow.PairOption{o}}, t)[0]
		label := strings.Join(row.Cells, "  ")
		if hasRec && o.Pair == rec {
			label += ", " + t.Recommended
			def = i
		}
		for _, f := range o.Findings {
			label += "; " + string(f.Code) + " " + f.Message
		}
		choices[i] = prompt.Choice{Label: label}
		if o.Verdict == flow.VerdictRefused {
			choices[i].Reason = t.Plain.Refused
		}
	}
	i, err := p.Select(m.ctx, t.Plain.ChoosePair, choices, def)
	if err != nil {
		return err
	}
	m.w.ChoosePair(pairing.Options[i].Pair)
	return m.w.Advance()
}

// plainPreflight runs the checks, offers each failed check's fix with
// consent, and runs the checks again after a fix.
func (m *Model) plainPreflight(p *prompt.Prompter) error {
	t := m.c.Text
	reload := false
	for {
		cm := runChecks(m.ctx, m.deps, m.sess, &m.w, reload)().(checksMsg)
		m.sess = cm.sess
		m.w.SetPreflight(cm.results)
		p.Say("%s", render.Checks(m.c.Styles, m.c.Width, cm.results, render.CheckOptions{}))
		failed := flow.Failed(cm.results)
		if len(failed) == 0 {
			return m.w.Advance()
		}
		i := slices.IndexFunc(failed, func(r flow.Result) bool { return r.Fix != nil && r.Fix.Apply != nil })
		if i < 0 {
			return fmt.Errorf("preflight check %s failed: %s", failed[0].Check.Code, failed[0].Message)
		}
		ok, err := p.Confirm(m.ctx, fmt.Sprintf(t.Plain.RunFixf, failed[i].Fix.Description))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("preflight check %s failed: %s", failed[i].Check.Code, failed[i].Message)
		}
		if err := failed[i].Fix.Apply(m.ctx); err != nil {
			return err
		}
		m.done = append(m.done, failed[i].Fix.Description)
		reload = true
	}
}

func (m *Model) plainAction(p *prompt.Prompter, stdout io.Writer) error {
	t := m.c.Text
	choices := make([]prompt.Choice, len(m.actions))
	for i, a := range m.actions {
		choices[i] = prompt.Choice{Label: a.label}
	}
	i, err := p.Select(m.ctx, t.Plain.ChooseAction, choices, 0)
	if err != nil {
		return err
	}
	m.chosen = m.actions[i]
	if m.chosen.write {
		path, err := p.Input(m.ctx, strings.TrimSuffix(t.FilePrompt, ": "), m.deps.DefaultFile, nil)
		if err != nil {
			return err
		}
		m.file = path
		if wm := writeFile(m.deps, path, m.exportYAML())().(writtenMsg); wm.err != nil {
			return wm.err
		}
		m.done = append(m.done, fmt.Sprintf(t.SummaryWrotef, path))
	}
	if m.chosen.print {
		m.output = m.exportYAML()
	}
	if !m.chosen.apply {
		m.w.Export()
		return m.plainSummary(p, stdout)
	}
	ok, err := p.Confirm(m.ctx, strings.TrimSuffix(fmt.Sprintf(t.ApplyConfirmf, m.w.MeshID()), " (y/N)"))
	if err != nil || !ok {
		return errors.Join(err, ErrCancelled)
	}
	m.w.StartApply()
	am := applyChange(m.ctx, m.sess, change(m.sess, &m.w), m.force)().(appliedMsg)
	m.w.ApplyDone(am.err)
	if am.err != nil {
		return am.err
	}
	m.plan = am.result
	if err := m.w.Advance(); err != nil {
		return err
	}
	if err := m.plainDashboard(p); err != nil {
		return err
	}
	if m.w.Step() == flow.StepSAN {
		if err := m.plainSAN(p); err != nil {
			return err
		}
	}
	return m.plainSummary(p, stdout)
}

// plainDashboard prints one line per change of the links until they settle.
func (m *Model) plainDashboard(p *prompt.Prompter) error {
	t := m.c.Text
	m.startWatching()
	m.observePlain()
	last := ""
	for m.w.Step() == flow.StepDashboard {
		line := fmt.Sprintf(t.DashboardTitlef, m.w.MeshID(), orDash(m.links.Status))
		if pending := m.links.Pending(); len(pending) > 0 {
			line += "; " + fmt.Sprintf(t.DashWaitingf, strings.Join(pending, "; "))
		}
		if line != last {
			p.Say("%s", line)
			last = line
		}
		if m.links.Settled() && m.observedCluster().ID != "" {
			p.Say("%s", render.Links(m.c.Styles, m.c.Width, m.links))
			p.Say("%s", t.DashAvailable)
			return m.w.Advance()
		}
		if err := m.plainWait(); err != nil {
			return err
		}
	}
	return nil
}

func (m *Model) observePlain() {
	if om := observe(m.ctx, m.sess, m.cfg, m.w.ClusterID())().(observedMsg); om.err == nil {
		m.obs = om.obs
	}
	m.refreshDashboard()
}

// plainWait waits for the next status update or the next look at the cloud.
func (m *Model) plainWait() error {
	select {
	case <-m.ctx.Done():
		return m.ctx.Err()
	case u, ok := <-m.updates:
		if ok && u.Config != nil {
			m.cfg = u.Config
		}
		m.refreshDashboard()
	case <-time.After(m.deps.refresh()):
		m.observePlain()
	}
	return nil
}

func (m *Model) plainSAN(p *prompt.Prompter) error {
	t := m.c.Text
	p.Say("%s", t.SANTitle)
	last := ""
	for m.w.Step() == flow.StepSAN {
		m.decideSAN()
		if m.san.Message != last {
			p.Say("%s", spec.Printable(m.san.Message))
			for _, n := range m.san.Notes {
				p.Say("  %s", n)
			}
			last = m.san.Message
		}
		switch m.san.State {
		case flow.SANAppend:
			ok, err := p.Confirm(m.ctx, strings.TrimSuffix(fmt.Sprintf(t.SANConfirmf, m.san.Domain, m.w.ClusterID()), " (y/N)"))
			if err != nil || !ok {
				return errors.Join(err, ErrCancelled)
			}
			m.w.StartSAN()
			if sm := appendSAN(m.ctx, m.san.Fix)().(sanAppendedMsg); sm.err != nil {
				m.w.SANDone(sm.err)
				return sm.err
			}
			m.done = append(m.done, fmt.Sprintf(t.SummarySANf, m.san.Domain, m.w.ClusterID()))
		case flow.SANDone, flow.SANFailed:
			return m.w.Advance()
		}
		select {
		case <-m.ctx.Done():
			return m.ctx.Err()
		case <-time.After(m.deps.refresh()):
		}
		m.observePlain()
	}
	return nil
}

func (m *Model) plainSummary(p *prompt.Prompter, stdout io.Writer) error {
	p.Say("%s", m.summaryView())
	if len(m.output) > 0 {
		_, err := stdout.Write(m.output)
		return err
	}
	return nil
}
