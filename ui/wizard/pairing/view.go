package pairing

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/cloud"
	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/common"
	"github.com/asmlink/asmlink/ui/picker"
	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// View is the zone view, the pair list and the selected pair's detail.
func (m *Model) View() string {
	if m.busy.Waiting() {
		return ""
	}
	st, t := m.s.Common.Styles, m.s.Common.Text
	return zoneView(st, t, m.pairing, m.width) + "\n" + m.list.View() + m.detail()
}

// Narration is the zone view; the accessible question lists the pairs.
func (m *Model) Narration() string {
	if m.busy.Waiting() {
		return ""
	}
	return zoneView(m.s.Common.Styles, m.s.Common.Text, m.pairing, 0)
}

// sameZones tells whether every pair has both vSwitches in one zone: then
// one ZONE column says it.
func sameZones(p flow.Pairing) bool {
	return !slices.ContainsFunc(p.Options, func(o flow.PairOption) bool { return !o.SameZone() })
}

// columns are the list's columns. Zones and the verdict are never
// shortened; vSwitch IDs are shortened in the middle (the selected row's
// detail line has them whole) and free IPs are left out first.
func columns(t *text.Catalog, p flow.Pairing) []picker.Column {
	id := func(title string) picker.Column { return picker.Column{Title: title, Min: 10, Middle: true} }
	zone := func(title string) picker.Column { return picker.Column{Title: title, Min: 4, Keep: true} }
	free := picker.Column{Title: t.PairFree, Min: 4, Optional: true}
	verdict := picker.Column{Title: t.PairVerdict, Min: 4, Keep: true}
	if sameZones(p) {
		return []picker.Column{zone(t.PairZone), id(t.PairASM), free, id(t.PairACK), free, verdict}
	}
	return []picker.Column{id(t.PairASM), zone(t.PairZone), free, id(t.PairACK), zone(t.PairZone), free, verdict}
}

// rows renders the ranked pairs; refused ones are shown with why and
// cannot be chosen, and the recommended one is marked.
func rows(t *text.Catalog, p flow.Pairing) []picker.Row {
	rec, hasRec := p.Recommend()
	one := sameZones(p)
	rows := make([]picker.Row, len(p.Options))
	for i, o := range p.Options {
		asmFree, ackFree := strconv.FormatInt(o.ASM.FreeIPs, 10), strconv.FormatInt(o.ACK.FreeIPs, 10)
		cells := []string{o.ASM.ID, o.ASM.ZoneID, asmFree, o.ACK.ID, o.ACK.ZoneID, ackFree}
		if one {
			cells = []string{o.ASM.ZoneID, o.ASM.ID, asmFree, o.ACK.ID, ackFree}
		}
		rows[i] = picker.Row{
			ID:       ID(o.Pair),
			Cells:    append(cells, verdict(t, o, hasRec && o.Pair == rec)),
			Disabled: o.Verdict == flow.VerdictRefused,
		}
	}
	return rows
}

// verdict is the VERDICT cell: same zone (recommended), a warning and its
// cause, or refused and why, in a few words.
func verdict(t *text.Catalog, o flow.PairOption, recommended bool) string {
	switch o.Verdict {
	case flow.VerdictOK:
		if recommended {
			return t.VerdictOK + ", " + t.Recommended
		}
		return t.VerdictOK
	case flow.VerdictWarn:
		return t.VerdictWarn + ": " + reason(t, o)
	}
	return t.VerdictRefused + ": " + reason(t, o)
}

// reason is the first finding of o in a few words: the catalogue's words
// for its code, or the code.
func reason(t *text.Catalog, o flow.PairOption) string {
	if len(o.Findings) == 0 {
		return t.PairReasons["cross-zone"]
	}
	f := o.Findings[0]
	for _, g := range o.Findings {
		if g.Severity == spec.Error {
			f = g
			break
		}
	}
	if w, ok := t.PairReasons[string(f.Code)]; ok {
		return w
	}
	return string(f.Code)
}

// refusal is what enter on a refused pair says: every error, in full.
func refusal(t *text.Catalog, o flow.PairOption) string {
	var msgs []string
	for _, f := range o.Findings {
		if f.Severity == spec.Error {
			msgs = append(msgs, string(f.Code)+" "+spec.Printable(f.Message))
		}
	}
	return fmt.Sprintf(t.PairRefusedf, strings.Join(msgs, "; "))
}

// choiceLabel is a pair as the accessible question offers it.
func choiceLabel(t *text.Catalog, o flow.PairOption, recommended bool) string {
	label := fmt.Sprintf(t.PairChoicef, o.ASM.ID, o.ASM.ZoneID, o.ASM.FreeIPs, o.ACK.ID, o.ACK.ZoneID, o.ACK.FreeIPs) + ": " + verdict(t, o, recommended)
	for _, f := range o.Findings {
		label += "; " + string(f.Code) + " " + f.Message
	}
	return label
}

// detail is the selected pair whole: both IDs, zones and free IPs, and
// every finding about it.
func (m *Model) detail() string {
	st, t := m.s.Common.Styles, m.s.Common.Text
	r, ok := m.list.Selected()
	if !ok {
		return ""
	}
	o, ok := m.option(r.ID)
	if !ok {
		return ""
	}
	var b strings.Builder
	line := fmt.Sprintf(t.PairChoicef, o.ASM.ID, o.ASM.ZoneID, o.ASM.FreeIPs, o.ACK.ID, o.ACK.ZoneID, o.ACK.FreeIPs)
	b.WriteString("\n" + st.Subtle.Render(common.Wrap(line, m.width)))
	for _, f := range o.Findings {
		style := st.Warn
		if f.Severity == spec.Error {
			style = st.Fail
		}
		b.WriteString("\n" + style.Render(ansi.Truncate(string(f.Code)+" "+spec.Printable(f.Message), max(m.width, 20), "…")))
	}
	return b.String()
}

// zoneView is the zones of both VPCs: which has vSwitches where and
// whether PrivateLink works there; and, without a usable same-zone pair,
// what to create. A width of 0 leaves lines whole.
func zoneView(st *styles.Styles, t *text.Catalog, p flow.Pairing, width int) string {
	var b strings.Builder
	b.WriteString(st.Header.Render(t.ZoneViewTitle) + "\n")
	rows := func(idWidth int) [][]string {
		rows := [][]string{t.ZoneColumns}
		for _, z := range p.Zones {
			pl := t.ZoneNo
			if z.PrivateLink {
				pl = t.ZoneYes
			}
			rows = append(rows, []string{z.ZoneID, pl, vswitchList(t, z.Mesh, idWidth), vswitchList(t, z.Cluster, idWidth)})
		}
		return rows
	}
	// On a narrow screen the vSwitch IDs are shortened in the middle (the
	// pair list's detail line has them whole) before a line is cut.
	zones := table(rows(0), 0)
	if width > 0 && ansi.StringWidth(zones) > 0 && widest(zones) > width {
		zones = table(rows(11), width)
	}
	b.WriteString(zones)
	if _, ok := p.Recommend(); !ok {
		b.WriteString("\n" + st.Warn.Render(common.Wrap(t.NoSharedZone, width)))
		for _, c := range p.Create {
			b.WriteString("\n" + common.Indent(common.Wrap(spec.Printable(c.Message), width-2), "  ") + "\n" + common.CopyLine(st.Code, spec.Printable(c.Command), "    ", width))
		}
	}
	return b.String()
}

// vswitchList is a zone's vSwitches of one VPC, with their free IPs; IDs
// are shortened in the middle to idWidth when it is not 0.
func vswitchList(t *text.Catalog, vs []cloud.VSwitch, idWidth int) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		id := v.ID
		if idWidth > 0 {
			id = picker.Middle(id, idWidth)
		}
		parts[i] = fmt.Sprintf(t.ZoneVSwitchf, id, v.FreeIPs)
	}
	return strings.Join(parts, ", ")
}

// widest is the width of the widest line of s.
func widest(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// table lays out rows in columns, the first row as heading; each line is
// cut at width (0: never). The zone view stays hand-written: bubbles'
// table draws a fixed-height, focusable grid, and this is four plain
// lines under a heading.
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
		if width > 0 {
			line = ansi.Truncate(line, max(width, 20), "…")
		}
		b.WriteString(line)
	}
	return b.String()
}
