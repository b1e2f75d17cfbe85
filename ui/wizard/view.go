package wizard

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
)

// View renders the whole screen: header, the current step, then the status
// line and help. The mouse is never captured, so text can be selected and
// copied.
func (m *Model) View() tea.View {
	parts := []string{m.headerView(), m.bodyView(), m.footerView()}
	return tea.NewView(strings.Join(parts, "\n"))
}

// totalSteps is how many steps the step indicator counts.
const totalSteps = int(flow.StepSummary) + 1

func (m *Model) headerView() string {
	st, t := m.s.Common.Styles, m.s.Common.Text
	var lines []string
	if m.s.Deps.Demo {
		lines = append(lines, st.Banner.Render(t.DemoBanner))
	}
	lines = append(lines, st.Title.Render(t.AppTitle))
	region := common.OrDash(m.identity.Region)
	id := fmt.Sprintf(t.Identityf, common.OrDash(m.identity.Provider), region)
	if m.identity.Profile != "" {
		id = fmt.Sprintf(t.IdentityProfilef, m.identity.Provider, m.identity.Profile, region)
	}
	if m.identity.Endpoint != "" {
		id += fmt.Sprintf(t.IdentityEndpointf, m.identity.Endpoint)
	}
	lines = append(lines, st.Subtle.Render(common.Wrap(id, m.s.Common.Width)))
	s := m.w.Step()
	title := fmt.Sprintf(t.StepOfTotalf, int(s)+1, totalSteps, t.StepTitles[s.String()])
	if m.w.MeshID() != "" && s > flow.StepMesh {
		title += st.Subtle.Render(fmt.Sprintf(t.HeaderMeshf, m.w.MeshID()))
	}
	if m.w.ClusterID() != "" && s > flow.StepCluster {
		title += st.Subtle.Render(fmt.Sprintf(t.HeaderClusterf, m.w.ClusterID()))
	}
	lines = append(lines, common.Wrap(st.Header.Render(title), m.s.Common.Width))
	return strings.Join(lines, "\n")
}

// chromeHeight is the lines the header and footer take.
func (m *Model) chromeHeight() int {
	return strings.Count(m.headerView(), "\n") + 1 + 2
}

func (m *Model) bodyView() string {
	// While the root loads what the first steps show, or that load
	// failed, there is nothing true to show yet: the status line says what
	// is happening.
	if m.busy.Waiting() && m.w.Step() <= flow.StepReview {
		return ""
	}
	return m.current().View()
}

// footerView is the status line (a question, a failure, what is loading,
// or a notice) and the help line.
func (m *Model) footerView() string {
	st, t := m.s.Common.Styles, m.s.Common.Text
	cur := m.status()
	failure := func(op string, err error) string {
		return st.Fail.Render(fmt.Sprintf(t.ErrorOpf, op, spec.Printable(fmt.Sprint(err)))) + "\n" + st.Subtle.Render(t.RetryHint)
	}
	var status string
	switch {
	case m.quitting != nil:
		status = m.quitting.View(st, t, m.s.Common.Width)
	case cur.Prompt != "":
		status = cur.Prompt
	case m.busy.Failure != nil:
		status = failure(m.busy.Failure.Op, m.busy.Failure.Err)
	case cur.Failure != nil:
		status = failure(cur.Failure.Op, cur.Failure.Err)
	case m.busy.Loading != "":
		status = m.spin.View() + " " + fmt.Sprintf(t.Loadingf, m.busy.Loading)
	case cur.Loading != "":
		status = m.spin.View() + " " + fmt.Sprintf(t.Loadingf, cur.Loading)
	case cur.Notice != "":
		status = st.Warn.Render(cur.Notice)
	}
	keys := stepKeys{km: m.keys, step: m.w.Step(), own: m.current().Keys(), focused: cur.Focused, typing: cur.Typing}
	h := m.help
	h.ShowAll = m.showHelp
	// bubbles' help still adds the last key when even its ellipsis does
	// not fit, so the line is cut here too.
	return common.Wrap(status, m.s.Common.Width) + "\n" + ansi.Truncate(h.View(keys), m.s.Common.Width, "…")
}
