// Package summary is the wizard's last step: what was done, and the
// commands to copy for what comes next.
package summary

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/wizard/step"
)

// Model is the summary step.
type Model struct {
	s      *step.Shared
	scroll common.Scroll
	inject key.Binding
}

// New returns the summary step.
func New(s *step.Shared) *Model {
	return &Model{s: s, scroll: common.NewScroll(s.Common.Text, true), inject: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", s.Common.Text.Inject.KeyOpen))}
}

// edgeRunning tells whether the cluster is an ACK Edge cluster running in
// the mesh, which can go on to a gateway and sidecar injection.
func (m *Model) edgeRunning() bool { return m.s.Edge && m.s.Running }

// Enter shows the summary from its top.
func (m *Model) Enter() tea.Cmd {
	m.scroll.Top()
	return nil
}

// Update scrolls, and opens the sidecar injection screen for a running
// edge cluster.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	if m.edgeRunning() && key.Matches(k, m.inject) {
		return m.s.Tell(step.InjectMsg{})
	}
	_, cmd := m.scroll.Key(k, m.content())
	return cmd
}

// View is what was done and the next steps.
func (m *Model) View() string { return m.scroll.View(m.content()) }

func (m *Model) content() string {
	st, t, width := m.s.Common.Styles, m.s.Common.Text, m.s.Common.Width
	var b strings.Builder
	b.WriteString(st.Title.Render(t.SummaryTitle) + "\n")
	done := m.Lines()
	if len(done) == 0 {
		done = []string{t.SummaryNothing}
	}
	for _, d := range done {
		b.WriteString(common.Wrap("  • "+d, width) + "\n")
	}
	b.WriteString("\n" + st.Header.Render(t.SummaryNextSteps) + "\n")
	for _, c := range m.NextSteps() {
		b.WriteString(common.CopyLine(st.Code, c, "  ", width) + "\n")
	}
	if m.edgeRunning() {
		b.WriteString("\n" + st.Info.Render(common.Wrap(t.Inject.Offer, width)) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// Narration is the summary as on screen.
func (m *Model) Narration() string { return m.content() }

// Lines are what was done, in order, then what the change connects: the
// mesh and the cluster, each with its VPC and vSwitch, names beside IDs.
func (m *Model) Lines() []string {
	t, w := m.s.Common.Text, m.s.W
	mesh, cluster := m.names()
	out := append([]string{}, m.s.Done...)
	if w.Applied() {
		if w.Intent() == flow.IntentRemove {
			out = append(out, fmt.Sprintf(t.SummaryRemovedf, cluster))
		}
		out = append(out, fmt.Sprintf(t.SummaryAppliedf, mesh, common.OrDash(m.s.Live.Status)))
	}
	if p := w.Pair(); p != nil && w.Intent() != flow.IntentRemove && len(out) > 0 {
		env := m.s.Sess.Env
		clusterVPC := ""
		if i := slices.IndexFunc(env.Clusters, func(c cloud.Cluster) bool { return c.ID == w.ClusterID() }); i >= 0 {
			clusterVPC = env.Clusters[i].VpcID
		}
		out = append(out,
			fmt.Sprintf(t.SummarySidef, mesh, m.vpc(env.Mesh.VpcID), named(p.ASM.ID, p.ASM.Name), p.ASM.ZoneID),
			fmt.Sprintf(t.SummarySidef, cluster, m.vpc(clusterVPC), named(p.ACK.ID, p.ACK.Name), p.ACK.ZoneID))
	}
	return out
}

// names are the chosen mesh and cluster as "name (ID)".
func (m *Model) names() (mesh, cluster string) {
	w := m.s.W
	mesh, cluster = w.MeshID(), w.ClusterID()
	if m.s.Sess == nil {
		return mesh, cluster
	}
	env := m.s.Sess.Env
	mesh = named(mesh, env.Mesh.Name)
	if i := slices.IndexFunc(env.Clusters, func(c cloud.Cluster) bool { return c.ID == cluster }); i >= 0 {
		cluster = named(cluster, env.Clusters[i].Name)
	}
	return mesh, cluster
}

// vpc is the VPC id as "name (ID)".
func (m *Model) vpc(id string) string {
	vpcs := m.s.Sess.Env.VPCs
	if i := slices.IndexFunc(vpcs, func(v cloud.VPC) bool { return v.ID == id }); i >= 0 {
		return named(id, vpcs[i].Name)
	}
	return common.OrDash(id)
}

func named(id, name string) string { return flow.Named{ID: id, Name: name}.String() }

// NextSteps are copyable commands for what comes after.
func (m *Model) NextSteps() []string {
	t := m.s.Common.Text
	mesh, cluster := m.s.W.MeshID(), m.s.W.ClusterID()
	steps := []string{fmt.Sprintf("asmlink status --mesh %s --cluster %s", mesh, cluster)}
	if !m.s.W.Applied() && m.s.Written != "" {
		steps = append(steps, fmt.Sprintf("asmlink apply -f %s --mesh %s", m.s.Written, mesh))
	}
	steps = append(steps,
		fmt.Sprintf("asmlink doctor --mesh %s --cluster %s", mesh, cluster),
		"kubectl get asmpvlconfig default -o yaml   # "+t.SummaryKubectlNote)
	if m.edgeRunning() {
		// Steps 3 and 4 of ASM's guide for ACK edge clusters.
		steps = append(steps,
			fmt.Sprintf("asmlink edge gateway --mesh %s --cluster %s --dry-run   # %s", mesh, cluster, t.SummaryGatewayNote),
			fmt.Sprintf("asmlink edge inject --mesh %s --cluster %s   # %s", mesh, cluster, t.SummaryInjectNote))
	}
	return steps
}

// SetSize gives the summary the body's room.
func (m *Model) SetSize(width, height int) { m.scroll.SetSize(width, height) }

// Keys are scrolling, and the injection screen when it is offered.
func (m *Model) Keys() []key.Binding {
	if m.edgeRunning() {
		return []key.Binding{m.scroll.Binding(), m.inject}
	}
	return []key.Binding{m.scroll.Binding()}
}

// Status is empty: the wizard is done.
func (m *Model) Status() step.Status { return step.Status{} }

// Question is nil: there is nothing left to ask.
func (m *Model) Question() *common.Question { return nil }
