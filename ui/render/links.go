package render

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/styles"
)

// ClusterLinks is one cluster's links as reports carry them: flow's view
// with whether both links are healthy and what they still wait for.
type ClusterLinks struct {
	flow.ClusterLinks
	Healthy bool `json:"healthy"`
	// Running tells whether the mesh sees the cluster running.
	Running bool     `json:"running"`
	Pending []string `json:"pending"`
}

// LinkReport is the link view as reports carry it: the ASMPvlConfig's
// status, whether every link is healthy under Available, and each
// cluster's links.
type LinkReport struct {
	Status    string         `json:"status"`
	Available bool           `json:"available"`
	Settled   bool           `json:"settled"`
	Pending   []string       `json:"pending"`
	Clusters  []ClusterLinks `json:"clusters"`
}

// NewLinkReport turns a link view into its report form.
func NewLinkReport(v flow.LinkView) LinkReport {
	rep := LinkReport{Status: v.Status, Available: v.Available(), Settled: v.Settled(), Pending: nonNil(v.Pending()), Clusters: []ClusterLinks{}}
	for _, c := range v.Clusters {
		rep.Clusters = append(rep.Clusters, ClusterLinks{ClusterLinks: c, Healthy: c.Healthy(), Running: c.MeshState == "running", Pending: nonNil(clusterPending(v, c.ClusterID))})
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
// "✓ Available" or "… Provisioning (not every link is healthy yet)".
func OverallStatus(st *styles.Styles, v flow.LinkView) string {
	status := v.Status
	if status == "" {
		status = "(not reported yet)"
	}
	switch {
	case v.Available():
		return word(st, st.Pass, "✓", status)
	case v.Status == spec.StatusAvailable:
		return word(st, st.Warn, "!", status) + " (not every link is healthy)"
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
	b.WriteString(st.Header.Render("ASMPvlConfig status:") + " " + OverallStatus(st, v) + "\n")
	if len(v.Clusters) == 0 {
		b.WriteString(st.Subtle.Render("No cluster is connected over PrivateLink.") + "\n")
		return b.String()
	}
	for _, c := range v.Clusters {
		b.WriteString("\n")
		clusterBlock(&b, st, width, v, c)
	}
	return b.String()
}

func clusterBlock(b *strings.Builder, st *styles.Styles, width int, v flow.LinkView, c flow.ClusterLinks) {
	head := st.Title.Render("cluster " + c.ClusterID)
	var verdict string
	switch {
	case !c.InSpec:
		verdict = word(st, st.Warn, "…", "being removed")
	case c.Healthy():
		verdict = word(st, st.Pass, "✓", "links healthy")
	default:
		verdict = word(st, st.Warn, "…", "links not healthy yet")
	}
	b.WriteString(head + "  " + verdict + "\n")
	mesh := c.MeshState
	if mesh == "" {
		mesh = "(the mesh does not hold the cluster)"
	}
	meshStyle := st.Warn
	if c.MeshState == "running" {
		meshStyle = st.Pass
	}
	labelled(b, st, 2, width, "mesh state", mesh, &meshStyle)
	if c.MeshError != "" {
		labelled(b, st, 2, width, "mesh error", c.MeshError, &st.Fail)
	}
	linkBlock(b, st, width, "link A", "ASM control plane → ACK API server", c.A)
	linkBlock(b, st, width, "link B", "ACK data plane → ASM Pilot", c.B)
	for _, p := range clusterPending(v, c.ClusterID) {
		// Under the cluster's heading its ID would only repeat.
		p = strings.TrimPrefix(strings.TrimPrefix(p, "cluster "+c.ClusterID), ": ")
		labelled(b, st, 2, width, "waiting for", strings.TrimSpace(p), nil)
	}
}

// linkRow is one line of a link: a label and its value.
type linkRow struct{ label, value string }

func linkBlock(b *strings.Builder, st *styles.Styles, width int, name, what string, l flow.LinkEnd) {
	b.WriteString("  " + st.Header.Render(name) + "  " + st.Subtle.Render(what) + "\n")
	if !l.Reported() {
		b.WriteString("    " + st.Subtle.Render("not reported by ASM yet") + "\n")
		return
	}
	rows := []linkRow{
		{"endpoint", join(l.EndpointID, state(st, l.EndpointStatus, spec.StateActive), state(st, l.ConnectionStatus, spec.ConnectionHealthy), crossNote(st, apiEndpointDiffers(l), l.APIEndpointStatus+" "+l.APIConnectionStatus))},
		{"endpoint service", join(l.ServiceID, state(st, l.ServiceStatus, spec.StateActive), crossNote(st, l.ServiceListed && l.APIServiceStatus != l.ServiceStatus, l.APIServiceStatus))},
		{"service name", l.ServiceName},
		{"domain", l.Domain},
	}
	const labelWidth = len("endpoint service")
	for _, r := range rows {
		if strings.TrimSpace(r.value) == "" {
			continue
		}
		label := st.Subtle.Render(r.label) + strings.Repeat(" ", labelWidth-len(r.label))
		block(b, "    "+label+"  ", 4+labelWidth+2, width, r.value, nil)
	}
}

// state renders a resource state, in the pass colour when it is the good
// one and the warn colour otherwise; "" is shown as not reported.
func state(st *styles.Styles, s, good string) string {
	if s == "" {
		return st.Subtle.Render("(not reported)")
	}
	if s == good {
		return st.Pass.Render(s)
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
	return st.Warn.Render(fmt.Sprintf("(PrivateLink: %s)", strings.TrimSpace(api)))
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
	status := v.Status
	if status == "" {
		status = "(not reported)"
	}
	parts := []string{"status " + status}
	if pending := v.Pending(); len(pending) > 0 && !(len(pending) == 1 && strings.HasPrefix(pending[0], "status ")) {
		parts = append(parts, "waiting for "+strings.Join(pending, "; "))
	} else if v.Available() {
		parts = append(parts, fmt.Sprintf("both links healthy for %d cluster%s", len(v.Clusters), plural(len(v.Clusters))))
	}
	for _, c := range v.Clusters {
		if c.InSpec && c.MeshState != "running" {
			state := c.MeshState
			if state == "" {
				state = "not in the mesh"
			}
			parts = append(parts, "cluster "+c.ClusterID+" "+state+" in the mesh")
		}
	}
	return strings.Join(parts, "; ")
}
