package wizard

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/flow/session"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/picker"
	"github.com/asmlink/asmlink/ui/render"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// View renders the whole screen: header, the current step, then the status
// line and help. The mouse is never captured, so text can be selected and
// copied.
func (m Model) View() tea.View {
	parts := []string{m.headerView(), m.bodyView(), m.footerView()}
	return tea.NewView(strings.Join(parts, "\n"))
}

// totalSteps is how many steps the step indicator counts.
const totalSteps = int(flow.StepSummary) + 1

func (m Model) headerView() string {
	st, t := m.c.Styles, m.c.Text
	var lines []string
	if m.deps.Demo {
		lines = append(lines, st.Banner.Render(t.DemoBanner))
	}
	lines = append(lines, st.Title.Render(t.AppTitle))
	id := fmt.Sprintf(t.Identityf, orDash(m.identity.Provider), orDash(m.region))
	if m.identity.Profile != "" {
		id = fmt.Sprintf(t.IdentityProfilef, m.identity.Provider, m.identity.Profile, orDash(m.region))
	}
	lines = append(lines, st.Subtle.Render(id))
	step := m.w.Step()
	title := fmt.Sprintf(t.StepOfTotalf, int(step)+1, totalSteps, t.StepTitles[step.String()])
	if m.w.MeshID() != "" && step > flow.StepMesh {
		title += st.Subtle.Render("   mesh " + m.w.MeshID())
	}
	if m.w.ClusterID() != "" && step > flow.StepCluster {
		title += st.Subtle.Render("   cluster " + m.w.ClusterID())
	}
	lines = append(lines, st.Header.Render(title))
	return strings.Join(lines, "\n")
}

// chromeHeight is the lines the header and footer take.
func (m Model) chromeHeight() int {
	h := 4 + 2
	if m.deps.Demo {
		h++
	}
	return h
}

func (m Model) footerView() string {
	st, t := m.c.Styles, m.c.Text
	var status string
	switch {
	case m.prompt != promptNone:
		status = m.promptView()
	case m.failure != nil:
		status = st.Fail.Render(fmt.Sprintf(t.ErrorOpf, m.failure.Op, spec.Printable(fmt.Sprint(m.failure.Err)))) + "\n" + st.Subtle.Render(t.RetryHint)
	case m.loading != "":
		status = m.spin.View() + " " + fmt.Sprintf(t.Loadingf, m.loading)
	}
	keys := stepKeys{km: m.keys, step: m.w.Step(), pick: m.meshPicker.Keys.ShortHelp(), focused: m.activePicker() != nil}
	h := m.help
	h.ShowAll = m.showHelp
	return wrap(status, m.c.Width) + "\n" + h.View(keys)
}

func (m Model) promptView() string {
	st, t := m.c.Styles, m.c.Text
	switch m.prompt {
	case promptQuit:
		return m.consentView(t.QuitInFlight)
	case promptFix:
		return m.consentView(fmt.Sprintf(t.FixConfirmf, m.pendingFix.Description))
	case promptApply:
		return m.consentView(fmt.Sprintf(t.ApplyConfirmf, m.w.MeshID()))
	case promptForce:
		return st.Warn.Render(fmt.Sprintf(t.ConflictForcef, m.conflict))
	case promptSAN:
		return m.consentView(fmt.Sprintf(t.SANConfirmf, spec.Value(m.san.Domain), m.w.ClusterID()))
	case promptFile:
		if m.failure != nil {
			return st.Fail.Render(fmt.Sprintf(t.ErrorOpf, m.failure.Op, spec.Printable(fmt.Sprint(m.failure.Err)))) + "\n" + st.Subtle.Render(t.FileRetry) + "\n" + m.input.View()
		}
		return m.input.View()
	case promptReplace:
		return st.Warn.Render(fmt.Sprintf(t.ReplaceFilef, m.file, m.replaceDiff))
	case promptRegion:
		return m.input.View()
	case promptIntent:
		// A huh select with the cursor on promptCursor.
		r, _ := m.clusterPicker.Selected()
		intents := m.selectedIntents()
		opts := make([]huh.Option[int], len(intents))
		for i, in := range intents {
			opts[i] = huh.NewOption(intentLabel(t, in), i)
		}
		cursor := m.promptCursor
		sel := huh.NewSelect[int]().Title(fmt.Sprintf(t.IntentQuestionf, r.ID)).Options(opts...).Value(&cursor)
		sel.WithTheme(formTheme(st))
		sel.WithWidth(m.c.Width)
		sel.Focus()
		return sel.View()
	}
	return ""
}

// consentView is a consent question as huh draws it: the question, then
// Yes and No with the answer promptYes on it.
func (m Model) consentView(question string) string {
	yes := m.promptYes
	c := huh.NewConfirm().Title(question).Affirmative(m.c.Text.Yes).Negative(m.c.Text.No).Value(&yes)
	c.WithTheme(formTheme(m.c.Styles))
	c.WithWidth(m.c.Width)
	c.Focus()
	return c.View()
}

// formTheme is huh's look for the wizard's styles: plain without colour.
func formTheme(st *styles.Styles) huh.Theme {
	if st.Color {
		return huh.ThemeFunc(huh.ThemeCharm)
	}
	return huh.ThemeFunc(huh.ThemeBase)
}

func (m Model) bodyView() string {
	st, t := m.c.Styles, m.c.Text
	// While a step loads, or its load failed, there is nothing true to show
	// yet: the status line says what is happening.
	if (m.loading != "" || m.failure != nil) && m.w.Step() <= flow.StepReview {
		return ""
	}
	switch m.w.Step() {
	case flow.StepMesh:
		return m.meshPicker.View()
	case flow.StepCluster:
		return m.clusterPicker.View()
	case flow.StepPairing:
		return zoneView(st, t, m.pairing, m.c.Width) + "\n" + m.pairPicker.View() + pairFeedback(st, t, m.pairing, m.pairPicker)
	case flow.StepAction:
		var b strings.Builder
		b.WriteString(st.Header.Render(t.ActionTitle))
		for i, a := range m.actions {
			b.WriteString("\n" + menuLine(st, i == m.actionCursor, a.label))
		}
		return b.String()
	}
	content, _ := m.longContent()
	vp := m.scroll
	vp.SetContent(content)
	return vp.View()
}

// longContent is the content of the steps that can be longer than the
// screen and scroll.
func (m Model) longContent() (string, bool) {
	switch m.w.Step() {
	case flow.StepPreflight:
		return m.preflightView(), true
	case flow.StepReview:
		if m.plan == nil {
			return "", true
		}
		return reviewContent(m.plan, m.c.Styles, m.c.Text), true
	case flow.StepDashboard:
		return m.dashboardView(), true
	case flow.StepSAN:
		return m.sanView(), true
	case flow.StepSummary:
		return m.summaryView(), true
	}
	return "", false
}

func (m Model) preflightView() string {
	results := m.w.Preflight()
	if results == nil {
		return ""
	}
	st, t := m.c.Styles, m.c.Text
	var b strings.Builder
	b.WriteString(render.Checks(st, m.c.Width, results, render.CheckOptions{}))
	if len(flow.Failed(results)) == 0 {
		// Warnings (a cross-zone pair, say) are not a pass: the screen
		// must not contradict what it shows above.
		if slices.ContainsFunc(results, func(r flow.Result) bool { return r.Status == flow.StatusWarn }) {
			b.WriteString("\n" + st.Warn.Render(wrap(t.PreflightWarnings, m.c.Width)))
			return b.String()
		}
		b.WriteString("\n" + st.Pass.Render(t.PreflightAllPass))
		return b.String()
	}
	b.WriteString("\n" + st.Warn.Render(t.PreflightFailures))
	for i, r := range results {
		if r.Status != flow.StatusFail {
			continue
		}
		label := string(r.Check.Code) + "  " + spec.Printable(r.Message)
		if r.Fix != nil && r.Fix.Apply != nil {
			label += "  [f: " + r.Fix.Description + "]"
		}
		b.WriteString("\n" + menuLine(st, i == m.checkCursor, ansi.Truncate(label, max(m.c.Width-2, 10), "…")))
	}
	return b.String()
}

func (m Model) dashboardView() string {
	st, t := m.c.Styles, m.c.Text
	var b strings.Builder
	elapsed := m.now.Sub(m.started).Truncate(time.Second)
	b.WriteString(st.Subtle.Render(fmt.Sprintf(t.DashElapsedf, elapsed)))
	if m.links.Settled() {
		b.WriteString("   " + st.Pass.Render(t.DashAvailable) + " " + st.Subtle.Render(t.DashSettledContinue))
	}
	b.WriteString("\n" + render.Links(st, m.c.Width, m.links))
	// What ASM is still provisioning is on the links already; the
	// diagnoses add only the causes that waiting will not fix.
	if problems := slices.DeleteFunc(slices.Clone(m.diagnoses), func(d flow.Diagnosis) bool { return d.Wait != "" }); len(problems) > 0 {
		b.WriteString("\n" + render.Diagnoses(st, m.c.Width, problems))
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m Model) sanView() string {
	st, t := m.c.Styles, m.c.Text
	var b strings.Builder
	b.WriteString(st.Header.Render(t.SANTitle) + "\n")
	if m.san.Domain != "" {
		b.WriteString(copyLine(st.Code, spec.Printable(m.san.Domain), "", m.c.Width) + "\n")
	}
	style := st.Warn
	switch m.san.State {
	case flow.SANDone:
		style = st.Pass
	case flow.SANFailed:
		style = st.Fail
	}
	b.WriteString(wrap(style.Render(spec.Printable(m.san.Message)), m.c.Width))
	for _, n := range m.san.Notes {
		b.WriteString("\n" + wrap("· "+n, m.c.Width))
	}
	switch m.san.State {
	case flow.SANAppend:
		b.WriteString("\n" + st.Subtle.Render(wrap("enter: "+m.san.Fix.Description, m.c.Width)))
	case flow.SANDone, flow.SANFailed:
		b.WriteString("\n" + st.Subtle.Render(t.DashSettledContinue))
	case flow.SANWaitDomain, flow.SANWaitCluster:
		b.WriteString("\n" + m.spin.View())
	}
	return b.String()
}

func (m Model) summaryView() string {
	st, t := m.c.Styles, m.c.Text
	var b strings.Builder
	b.WriteString(st.Title.Render(t.SummaryTitle) + "\n")
	done := m.summaryLines()
	if len(done) == 0 {
		done = []string{t.SummaryNothing}
	}
	for _, d := range done {
		b.WriteString(wrap("  • "+d, m.c.Width) + "\n")
	}
	b.WriteString("\n" + st.Header.Render(t.SummaryNextSteps) + "\n")
	for _, c := range m.nextSteps() {
		b.WriteString(copyLine(st.Code, c, "  ", m.c.Width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// summaryLines is what was done, in order.
func (m Model) summaryLines() []string {
	t := m.c.Text
	var out []string
	out = append(out, m.done...)
	if m.w.Applied() {
		if m.w.Intent() == flow.IntentRemove {
			out = append(out, fmt.Sprintf(t.SummaryRemovedf, m.w.ClusterID()))
		}
		out = append(out, fmt.Sprintf(t.SummaryAppliedf, m.w.MeshID(), orDash(m.links.Status)))
	}
	return out
}

// nextSteps are copyable commands for what comes after.
func (m Model) nextSteps() []string {
	mesh, cluster := m.w.MeshID(), m.w.ClusterID()
	steps := []string{fmt.Sprintf("asmlink status --mesh %s --cluster %s", mesh, cluster)}
	if !m.w.Applied() && m.written != "" {
		steps = append(steps, fmt.Sprintf("asmlink apply -f %s --mesh %s", m.written, mesh))
	}
	steps = append(steps,
		fmt.Sprintf("asmlink doctor --mesh %s --cluster %s", mesh, cluster),
		"kubectl get asmpvlconfig default -o yaml   # with the ASM instance's kubeconfig")
	if m.edgeRunning() {
		// Steps 3 and 4 of ASM's guide for ACK edge clusters.
		steps = append(steps,
			fmt.Sprintf("asmlink edge gateway --mesh %s --cluster %s --dry-run   # an ingress gateway", mesh, cluster),
			fmt.Sprintf("asmlink edge inject --mesh %s --cluster %s   # automatic sidecar injection", mesh, cluster))
	}
	return steps
}

// edgeRunning tells whether the chosen cluster is an ACK Edge cluster that
// runs in the mesh, which can go on to a gateway and sidecar injection.
func (m Model) edgeRunning() bool {
	i := slices.IndexFunc(m.cands, func(c flow.Candidate) bool { return c.Cluster.ID == m.w.ClusterID() })
	return i >= 0 && m.cands[i].Edge && m.san.State == flow.SANDone
}

// reviewContent is the diff against the server and the resulting object.
func reviewContent(r *session.Result, st *styles.Styles, t *text.Catalog) string {
	var b strings.Builder
	diff := r.Diff()
	b.WriteString(st.Header.Render(t.ReviewDiffTitle) + "\n")
	if diff == "" {
		b.WriteString(st.Subtle.Render(t.ReviewNoChange) + "\n")
	}
	if diff != "" {
		b.WriteString(render.Diff(st, strings.TrimRight(diff, "\n")) + "\n")
	}
	for _, n := range r.Notes {
		b.WriteString(st.Warn.Render(n) + "\n")
	}
	b.WriteString("\n" + st.Header.Render(t.ReviewYAMLTitle) + "\n")
	b.WriteString(string(spec.Encode(r.After, spec.EncodeOptions{})))
	b.WriteString("\n" + st.Subtle.Render(t.ReviewContinue))
	return b.String()
}

// columns turns catalogue headings into picker columns. Columns named in
// whole are never shortened, so IDs stay complete and copyable; optional
// ones are left out first when the terminal is narrow.
func columns(titles []string, whole, optional []int) []picker.Column {
	cols := make([]picker.Column, len(titles))
	for i, title := range titles {
		cols[i] = picker.Column{Title: title, Min: 4, Keep: slices.Contains(whole, i), Optional: slices.Contains(optional, i)}
	}
	return cols
}

// meshRows renders ASM instances for the mesh picker.
func meshRows(meshes []cloud.Mesh) []picker.Row {
	rows := make([]picker.Row, len(meshes))
	for i, ms := range meshes {
		rows[i] = picker.Row{
			ID:    ms.ID,
			Cells: []string{ms.Name, ms.ID, ms.State, ms.VpcID, ms.Version, strconv.Itoa(len(ms.ClusterIDs))},
		}
	}
	return rows
}

// clusterRows renders candidates for the cluster picker: eligible first (as
// flow orders them), the others disabled with the reason.
func clusterRows(cands []flow.Candidate, t *text.Catalog) []picker.Row {
	rows := make([]picker.Row, len(cands))
	for i, c := range cands {
		name := c.Cluster.Name
		if c.Edge {
			name += " [" + t.EdgeLabel + "]"
		}
		rows[i] = picker.Row{
			ID:       c.Cluster.ID,
			Cells:    []string{name, c.Cluster.ID, c.Cluster.VpcID, c.Cluster.State, c.Reason},
			Disabled: !c.Eligibility.Eligible(),
		}
	}
	return rows
}

// pairID names a pair in the pair picker.
func pairID(p flow.Pair) string { return p.ASM.ID + "+" + p.ACK.ID }

// pairRows renders the ranked pairs; refused ones are shown but cannot be
// chosen, and the recommended one is marked.
func pairRows(p flow.Pairing, t *text.Catalog) []picker.Row {
	rec, hasRec := p.Recommend()
	rows := make([]picker.Row, len(p.Options))
	for i, o := range p.Options {
		verdict := map[flow.Verdict]string{flow.VerdictOK: t.VerdictOK, flow.VerdictWarn: t.VerdictWarn, flow.VerdictRefused: t.VerdictRefused}[o.Verdict]
		if hasRec && o.Pair == rec {
			verdict += ", " + t.Recommended
		}
		rows[i] = picker.Row{
			ID: pairID(o.Pair),
			Cells: []string{o.ASM.ID, o.ASM.ZoneID, strconv.FormatInt(o.ASM.FreeIPs, 10),
				o.ACK.ID, o.ACK.ZoneID, strconv.FormatInt(o.ACK.FreeIPs, 10), verdict},
			Disabled: o.Verdict == flow.VerdictRefused,
		}
	}
	return rows
}

// zoneView is the zones of both VPCs: which has vSwitches where and whether
// PrivateLink works there; and, without a usable same-zone pair, what to
// create.
func zoneView(st *styles.Styles, t *text.Catalog, p flow.Pairing, width int) string {
	var b strings.Builder
	b.WriteString(st.Header.Render(t.ZoneViewTitle) + "\n")
	rows := [][]string{t.ZoneColumns}
	for _, z := range p.Zones {
		pl := "no"
		if z.PrivateLink {
			pl = "yes"
		}
		rows = append(rows, []string{z.ZoneID, pl, vswitchList(z.Mesh), vswitchList(z.Cluster)})
	}
	b.WriteString(table(rows, width))
	if _, ok := p.Recommend(); !ok {
		b.WriteString("\n" + st.Warn.Render(wrap(t.NoSharedZone, width)))
		for _, c := range p.Create {
			b.WriteString("\n" + indent(wrap(spec.Printable(c.Message), width-2), "  ") + "\n" + copyLine(st.Code, spec.Printable(c.Command), "    ", width))
		}
	}
	return b.String()
}

// pairFeedback is the immediate verdict on the pair under the cursor.
func pairFeedback(st *styles.Styles, t *text.Catalog, p flow.Pairing, pk picker.Model) string {
	r, ok := pk.Selected()
	if !ok {
		return ""
	}
	for _, o := range p.Options {
		if pairID(o.Pair) != r.ID || len(o.Findings) == 0 {
			continue
		}
		var b strings.Builder
		for _, f := range o.Findings {
			style := st.Warn
			if f.Severity == spec.Error {
				style = st.Fail
			}
			b.WriteString("\n" + style.Render(string(f.Code)+" "+spec.Printable(f.Message)))
		}
		return b.String()
	}
	return ""
}

func vswitchList(vs []cloud.VSwitch) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%s (%d free)", v.ID, v.FreeIPs)
	}
	return strings.Join(parts, ", ")
}

// table lays out rows in columns, the first row as heading.
func table(rows [][]string, width int) string {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	var b strings.Builder
	for ri, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = c + strings.Repeat(" ", widths[i]-ansi.StringWidth(c))
		}
		line := "  " + strings.TrimRight(strings.Join(cells, "  "), " ")
		if ri > 0 {
			b.WriteString("\n")
		}
		b.WriteString(ansi.Truncate(line, max(width, 20), "…"))
	}
	return b.String()
}

func menuLine(st *styles.Styles, selected bool, label string) string {
	if selected {
		return st.Selected.Render("> " + label)
	}
	return "  " + label
}

func intentLabel(t *text.Catalog, in flow.Intent) string {
	switch in {
	case flow.IntentChange:
		return t.IntentChange
	case flow.IntentRemove:
		return t.IntentRemove
	}
	return t.IntentConnect
}

// wrap breaks s into lines of at most width cells, at spaces where it can
// (never at the hyphens inside an ID such as vpc-bp1… or a domain), so
// nothing runs off the screen. ansi.Wrap always breaks at a hyphen, so
// hyphens are non-breaking (U+2011, as wide) while it wraps; escape
// sequences hold no hyphen.
func wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	return strings.ReplaceAll(ansi.Wrap(strings.ReplaceAll(s, "-", nbHyphen), width, ""), nbHyphen, "-")
}

// nbHyphen is the non-breaking hyphen, which wrap puts in place of "-".
const nbHyphen = "\u2011"

// copyLine is a value people copy (a command, a domain) in style on a
// line of its own, never broken at its spaces: after prefix when it fits
// in width, else from the first column, where a terminal's selection
// copies it in one piece; only a value wider than the screen is broken,
// at the screen's edge with nothing inserted, because Bubble Tea would
// cut it.
func copyLine(style lipgloss.Style, value, prefix string, width int) string {
	switch {
	case width <= 0 || ansi.StringWidth(prefix+value) <= width:
		return prefix + style.Render(value)
	case ansi.StringWidth(value) <= width:
		return style.Render(value)
	}
	return style.Render(ansi.Hardwrap(value, width, false))
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

var _ help.KeyMap = stepKeys{}
