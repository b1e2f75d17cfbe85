package wizard

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/wizard/inject"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// record handles the root's own results and the messages the steps send
// it: it records each in Shared and flow.Wizard and moves. ok is false for
// a message that belongs to the current step.
func (m *Model) record(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	t := m.s.Common.Text
	switch msg := msg.(type) {
	case cloudMsg:
		if msg.err != nil {
			m.busy.Fail(t.LoadingMeshes, msg.err)
			return nil, true
		}
		m.busy.Done()
		m.s.API, m.identity = msg.api, msg.api.Identity()
		return m.enter(), true
	case step.RegionMsg:
		return m.busy.Start(t.LoadingMeshes, m.loadCloud(msg.Region)), true
	case step.MeshMsg:
		m.w.ChooseMesh(msg.ID)
		return m.loadSession(), true
	case step.ReloadMsg:
		return m.loadSession(), true
	case sessionMsg:
		if msg.err != nil {
			m.busy.Fail(t.LoadingMesh, msg.err)
			return nil, true
		}
		m.busy.Done()
		m.s.Sess = msg.sess
		if m.w.Step() == flow.StepMesh {
			return m.advance(), true
		}
		return m.enter(), true
	case step.ClusterMsg:
		m.w.ChooseCluster(msg.ID, msg.Intent)
		m.s.Edge = msg.Edge
		return m.advance(), true
	case step.PairMsg:
		m.w.ChoosePair(msg.Pair)
		return m.advance(), true
	case step.PreflightMsg:
		m.s.Sess = msg.Sess
		m.w.SetPreflight(msg.Results)
	case step.DidMsg:
		m.s.Done = append(m.s.Done, msg.Line)
	case step.NextMsg:
		return m.advance(), true
	case step.ReviewedMsg:
		m.s.Plan = msg.Result
		m.w.Confirm()
		return m.advance(), true
	case step.ReviewAgainMsg:
		m.s.Force = msg.Force
		if m.w.ReviewAgain() {
			return m.enter(), true
		}
	case step.ApplyMsg:
		m.w.StartApply()
		return msg.Run, true
	case step.AppliedMsg:
		m.w.ApplyDone(msg.Err)
		if msg.Err != nil {
			return nil, true
		}
		m.s.Plan = msg.Result
		return m.advance(), true
	case step.ExportMsg:
		if msg.Output != nil {
			m.s.Output = msg.Output
			m.s.Done = append(m.s.Done, t.SummaryPrintOnExit)
		}
		m.w.Export()
		return m.enter(), true
	case step.WrittenMsg:
		return m.written(msg), true
	case step.SettledMsg:
		m.w.LinkAvailable(msg.SANNeeded)
		m.s.Live = msg.Live
		if msg.Continue {
			return m.advance(), true
		}
	case step.SANMsg:
		m.w.StartSAN()
		return msg.Run, true
	case step.SANDoneMsg:
		m.w.SANDone(msg.Err)
		m.s.Running = msg.Err == nil
		if msg.Continue {
			return m.advance(), true
		}
	case step.InjectMsg:
		m.extra = inject.New(m.s)
		return m.enter(), true
	case step.CloseMsg:
		m.extra = nil
		return m.enter(), true
	case retryMsg:
		return m.retry(), true
	case step.QuitMsg:
		m.quitErr = msg.Err
		return m.quit(), true
	default:
		return nil, false
	}
	return nil, true
}

// written records a write of the ASMPvlConfig. On the action step the
// step handles it too (it stays there until the write succeeded); a write
// after the apply that failed is shown by the root, and r writes again.
func (m *Model) written(msg step.WrittenMsg) tea.Cmd {
	t := m.s.Common.Text
	if msg.Err == nil {
		m.s.Written = msg.Path
		m.s.Done = append(m.s.Done, fmt.Sprintf(t.SummaryWrotef, msg.Path))
		if m.busy.Loading == t.Writing || (m.busy.Failure != nil && m.busy.Failure.Op == t.Writing) {
			m.busy = step.Busy{}
		}
	} else if m.w.Step() != flow.StepAction {
		m.busy.Fail(t.Writing, msg.Err)
		m.busy.SetRetry(t.Writing, step.Write(m.s.Deps, msg.Path, m.s.ExportYAML(m.s.Plan)))
		return nil
	}
	return m.toStep(msg)
}
