package render

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// ClusterLinks is one cluster's links as reports carry them: flow's view
// with whether both links are healthy and what they still wait for.
type ClusterLinks struct {
	flow.ClusterLinks
	// Health is up, settling, pending or failed: the status and PrivateLink
	// together; Healthy is Health == up.
	Health  flow.Health `json:"health"`
	Healthy bool        `json:"healthy"`
	// Running tells whether the mesh sees the cluster running.
	Running bool     `json:"running"`
	Pending []string `json:"pending"`
}

// LinkReport is the link view as reports carry it: the ASMPvlConfig's
// status, whether every link is healthy under Available, and each
// cluster's links.
type LinkReport struct {
	Status    string   `json:"status"`
	Available bool     `json:"available"`
	Settled   bool     `json:"settled"`
	Pending   []string `json:"pending"`
	// Failures lists the failed states, which are never waited for.
	Failures []string       `json:"failures"`
	Clusters []ClusterLinks `json:"clusters"`
}

// NewLinkReport turns a link view into its report form.
func NewLinkReport(v flow.LinkView) LinkReport {
	rep := LinkReport{Status: v.Status, Available: v.Available(), Settled: v.Settled(), Pending: nonNil(v.Pending()), Failures: nonNil(v.Failures()), Clusters: []ClusterLinks{}}
	for _, c := range v.Clusters {
		rep.Clusters = append(rep.Clusters, ClusterLinks{ClusterLinks: c, Health: c.Health(), Healthy: c.Healthy(), Running: c.MeshState == "running", Pending: nonNil(clusterPending(v, c.ClusterID))})
	}
	return rep
}

// clusterPending keeps the entries of the view's Pending about one cluster.
func clusterPending(v flow.LinkView, id string) []string {
	c, _ := v.Cluster(id)
	one := flow.LinkView{Status: v.Status, Clusters: []flow.ClusterLinks{c}}
	var out []string
	for _, p := range one.Pending() {
		if strings.HasPrefix(p, "cluster "+id) {
			out = append(out, p)
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// OverallStatus renders the ASMPvlConfig's status with its verdict, e.g.
// "✓ Available", "! Available (PrivateLink does not agree yet)", "…
// Provisioning" or "✗ Failed".
func OverallStatus(st *styles.Styles, v flow.LinkView) string {
	status := v.Status
	if status == "" {
		status = words().NotReportedYet
	}
	switch {
	case v.Available():
		return word(st, st.Pass, "✓", status)
	case v.Status == spec.StatusAvailable && slices.ContainsFunc(v.Clusters, func(c flow.ClusterLinks) bool { return c.InSpec && c.Health() == flow.HealthSettling }):
		return word(st, st.Warn, "!", status) + words().NotEveryLinkAgrees
	case v.Status == spec.StatusAvailable:
		return word(st, st.Warn, "!", status) + words().NotEveryLinkHealthy
	case len(v.Failures()) > 0:
		return word(st, st.Fail, "✗", status)
	}
	return word(st, st.Warn, "…", status)
}

// word renders a state with a glyph in colour, or bare without colour.
func word(st *styles.Styles, style lipgloss.Style, glyph, text string) string {
	if !st.Color {
		return text
	}
	return style.Render(glyph + " " + text)
}

// Links renders the link view: the overall status, then per cluster its
// state in the mesh and both links — link A (ASM control plane to the ACK
// API server) and link B (ACK data plane to ASM Pilot), each with its
// endpoint and endpoint service, their states (and PrivateLink's when it
// disagrees or does not list them), the domain, and what the link still
// waits for. Long values are wrapped to width.
func Links(st *styles.Styles, width int, v flow.LinkView) string {
	width = normWidth(width)
	var b strings.Builder
	b.WriteString(st.Header.Render(words().StatusHeader) + " " + OverallStatus(st, v) + "\n")
	if len(v.Clusters) == 0 {
		b.WriteString(st.Subtle.Render(words().NoClusterConnected) + "\n")
		return b.String()
	}
	for _, c := range v.Clusters {
		b.WriteString("\n")
		clusterBlock(&b, st, width, v, c)
	}
	return b.String()
}

func clusterBlock(b *strings.Builder, st *styles.Styles, width int, v flow.LinkView, c flow.ClusterLinks) {
	w := words()
	head := st.Title.Render(fmt.Sprintf(w.Clusterf, c.ClusterID))
	var verdict string
	switch {
	case !c.InSpec:
		verdict = word(st, st.Warn, "…", w.BeingRemoved)
	case c.Health() == flow.HealthUp:
		verdict = word(st, st.Pass, "✓", w.LinksHealthy)
	case c.Health() == flow.HealthFailed:
		verdict = word(st, st.Fail, "✗", w.LinksFailed)
	case c.Health() == flow.HealthSettling:
		verdict = word(st, st.Warn, "…", w.LinksSettling)
	default:
		verdict = word(st, st.Warn, "…", w.LinksNotHealthy)
	}
	b.WriteString(head + "  " + verdict + "\n")
	mesh := c.MeshState
	if mesh == "" {
		mesh = w.MeshNotHolding
	}
	meshStyle := st.Warn
	if c.MeshState == "running" {
		meshStyle = st.Pass
	}
	labelled(b, st, 2, width, w.MeshState, mesh, &meshStyle)
	if c.MeshError != "" {
		labelled(b, st, 2, width, w.MeshError, spec.Printable(c.MeshError), &st.Fail)
	}
	linkBlock(b, st, width, w.LinkA, w.LinkAWhat, c.A)
	linkBlock(b, st, width, w.LinkB, w.LinkBWhat, c.B)
	for _, f := range v.Failures() {
		if p, ok := strings.CutPrefix(f, "cluster "+c.ClusterID+" "); ok {
			labelled(b, st, 2, width, w.FailedLabel, spec.Printable(p), &st.Fail)
		}
	}
	for _, p := range clusterPending(v, c.ClusterID) {
		// Under the cluster's heading its ID would only repeat. flow's
		// pending lines name the cluster as "cluster <id>".
		p = strings.TrimPrefix(strings.TrimPrefix(p, "cluster "+c.ClusterID), ": ")
		labelled(b, st, 2, width, w.WaitingFor, strings.TrimSpace(p), nil)
	}
}

// linkRow is one line of a link: a label and its value, which is whole
// when people copy it (the service name, the domain).
type linkRow struct {
	label, value string
	whole        bool
}

func linkBlock(b *strings.Builder, st *styles.Styles, width int, name, what string, l flow.LinkEnd) {
	w := words()
	b.WriteString("  " + st.Header.Render(name) + "  " + st.Subtle.Render(what) + "\n")
	if !l.Reported() {
		b.WriteString("    " + st.Subtle.Render(w.NotReportedByASM) + "\n")
		return
	}
	// The values come from the object's status: escaped before styling.
	for _, f := range []*string{&l.EndpointID, &l.EndpointStatus, &l.ConnectionStatus, &l.APIEndpointStatus, &l.APIConnectionStatus,
		&l.ServiceID, &l.ServiceStatus, &l.APIServiceStatus, &l.ServiceName, &l.Domain} {
		*f = spec.Printable(*f)
	}
	rows := []linkRow{
		{label: w.Endpoint, value: join(l.EndpointID, state(st, l.EndpointStatus, spec.StateActive), state(st, l.ConnectionStatus, spec.ConnectionHealthy), crossNote(st, apiEndpointDiffers(l), l.APIEndpointStatus+" "+l.APIConnectionStatus))},
		{label: w.EndpointService, value: join(l.ServiceID, state(st, l.ServiceStatus, spec.StateActive), crossNote(st, l.ServiceListed && l.APIServiceStatus != l.ServiceStatus, l.APIServiceStatus))},
		{w.ServiceName, l.ServiceName, true},
		{w.Domain, l.Domain, true},
	}
	labelWidth := 0
	for _, r := range rows {
		labelWidth = max(labelWidth, ansi.StringWidth(r.label))
	}
	for _, r := range rows {
		if strings.TrimSpace(r.value) == "" {
			continue
		}
		label := st.Subtle.Render(r.label) + strings.Repeat(" ", labelWidth-ansi.StringWidth(r.label))
		if r.whole && 4+labelWidth+2+ansi.StringWidth(r.value) > width {
			// The domain goes into the certificate's SANs: copied, so
			// never broken, on a line of its own when it does not fit.
			b.WriteString("    " + st.Subtle.Render(r.label) + "\n" + r.value + "\n")
			continue
		}
		block(b, "    "+label+"  ", 4+labelWidth+2, width, r.value, nil)
	}
}

// state renders a resource state, in the pass colour when it is the good
// one, as failed (✗, fail colour) when it is neither good nor on its way
// there, and in the warn colour otherwise; "" is shown as not reported.
func state(st *styles.Styles, s, good string) string {
	switch {
	case s == "":
		return st.Subtle.Render(words().NotReported)
	case s == good:
		return st.Pass.Render(s)
	case flow.FailedState(s, good):
		return word(st, st.Fail, "✗", s)
	}
	return st.Warn.Render(s)
}

// apiEndpointDiffers tells whether PrivateLink lists the endpoint in other
// states than the status reports.
func apiEndpointDiffers(l flow.LinkEnd) bool {
	return l.EndpointListed && (l.APIEndpointStatus != l.EndpointStatus || l.APIConnectionStatus != l.ConnectionStatus)
}

// crossNote says what PrivateLink reports when it lists the resource in
// another state than the status; nothing otherwise (a resource PrivateLink
// does not list is a diagnosis, PVL206).
func crossNote(st *styles.Styles, differs bool, api string) string {
	if !differs {
		return ""
	}
	return st.Warn.Render(fmt.Sprintf(words().PrivateLinkSaysf, strings.TrimSpace(api)))
}

// join joins the non-empty parts with a space.
func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// LinkLine says the link view in one line without colour, for logs and
// `status --watch` without a terminal: the status, then what is still
// waited for, or how many clusters are healthy, and any cluster the mesh
// does not see running.
func LinkLine(v flow.LinkView) string {
	w := words()
	status := v.Status
	if status == "" {
		status = w.NotReported
	}
	parts := []string{fmt.Sprintf(w.LineStatusf, status)}
	// flow's pending list starts with "status …" when only the overall
	// status is missing, which the first part already says.
	if pending := v.Pending(); len(pending) > 0 && !(len(pending) == 1 && strings.HasPrefix(pending[0], "status ")) {
		parts = append(parts, fmt.Sprintf(w.LineWaitingForf, strings.Join(pending, "; ")))
	} else if v.Available() {
		parts = append(parts, text.Sprintf(w.LineHealthyf, len(v.Clusters)))
	}
	for _, c := range v.Clusters {
		if c.InSpec && c.MeshState != "running" {
			state := c.MeshState
			if state == "" {
				state = w.LineNotInMesh
			}
			parts = append(parts, fmt.Sprintf(w.LineClusterInMeshf, c.ClusterID, state))
		}
	}
	return strings.Join(parts, "; ")
}
