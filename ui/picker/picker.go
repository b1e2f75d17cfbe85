// Package picker is the filterable list the wizard uses to choose an ASM
// instance, an ACK cluster or a vSwitch pair. Typing filters the rows; the
// rows themselves are plain strings made by the caller's pure render
// functions, so the picker knows nothing of the domain.
//
// It stays hand-written, on bubbles' key bindings, because bubbles' list
// and table lack what the wizard's lists need: rows that are shown but
// cannot be chosen (and say why on enter), columns that are never
// shortened (IDs a person copies) or left out first on a narrow terminal,
// IDs shortened in the middle, and a filter that always has the keyboard;
// bubbles' table also draws a fixed-height focusable grid of truncated
// cells, and its list one item per block.
package picker

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/asmlink/asmlink/spec"
	"github.com/asmlink/asmlink/ui/styles"
)

// Column is a heading and the least width its cells are given. A Keep
// column is never shortened to fit (for IDs a person copies); an Optional
// one is left out, last first, before any other column is shortened. A
// Middle column is shortened in the middle, keeping both ends of an ID
// (where IDs differ), instead of at its end.
type Column struct {
	Title    string
	Min      int
	Keep     bool
	Optional bool
	Middle   bool
}

// Columns turns headings into columns. Columns named in whole are never
// shortened, so IDs stay complete and copyable; optional ones are left out
// first when the terminal is narrow.
func Columns(titles []string, whole, optional []int) []Column {
	cols := make([]Column, len(titles))
	for i, title := range titles {
		cols[i] = Column{Title: title, Min: 4, Keep: slices.Contains(whole, i), Optional: slices.Contains(optional, i)}
	}
	return cols
}

// Row is one choice. Disabled rows are shown (with their Note saying why)
// but cannot be chosen.
type Row struct {
	ID       string
	Cells    []string
	Note     string
	Disabled bool
}

// KeyMap is the picker's keys; it is also what the help view shows.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Home, End, Choose, ClearFilter key.Binding
}

// DefaultKeyMap returns the picker's keys, with help text from the caller's
// catalogue.
func DefaultKeyMap(moveHelp, chooseHelp, clearHelp string) KeyMap {
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑/↓", moveHelp)),
		Down:        key.NewBinding(key.WithKeys("down", "ctrl+n")),
		PageUp:      key.NewBinding(key.WithKeys("pgup")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown")),
		Home:        key.NewBinding(key.WithKeys("home")),
		End:         key.NewBinding(key.WithKeys("end")),
		Choose:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", chooseHelp)),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", clearHelp)),
	}
}

// ShortHelp lists the keys worth showing in the one-line help.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Choose, k.ClearFilter} }

// FullHelp lists every key, for the ? help view.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Model is a filterable list of rows.
type Model struct {
	Keys    KeyMap
	styles  *styles.Styles
	columns []Column
	rows    []Row
	search  []string // lower-cased text of each row, computed once per SetRows
	widths  []int    // widest cell of each column over all rows
	visible []int    // indices of rows that match the filter
	filter  string
	cursor  int // index into visible
	offset  int // first visible row on screen
	width   int
	height  int
	empty   string
}

// New returns a picker over rows. empty is shown when no row matches.
func New(st *styles.Styles, keys KeyMap, columns []Column, rows []Row, empty string) Model {
	m := Model{Keys: keys, styles: st, columns: columns, empty: empty, width: 80, height: 10}
	m.SetRows(rows)
	return m
}

// SetRows replaces the rows and keeps the filter. The cursor stays on the same
// row ID when that row is still there. Cells and notes carry names from the
// cloud, so they are kept escaped (spec.Printable): ansi.Truncate would keep
// an escape sequence in a name whole.
func (m *Model) SetRows(rows []Row) {
	prev, hadPrev := m.Selected()
	m.rows = make([]Row, len(rows))
	for i, r := range rows {
		r.Cells = slices.Clone(r.Cells)
		for j := range r.Cells {
			r.Cells[j] = spec.Printable(r.Cells[j])
		}
		r.Note = spec.Printable(r.Note)
		m.rows[i] = r
	}
	rows = m.rows
	m.search = make([]string, len(rows))
	m.widths = make([]int, len(m.columns))
	for i, c := range m.columns {
		m.widths[i] = max(c.Min, ansi.StringWidth(c.Title))
	}
	for i, r := range rows {
		m.search[i] = strings.ToLower(strings.Join(r.Cells, " ") + " " + r.Note + " " + r.ID)
		for j, cell := range r.Cells {
			if j < len(m.widths) {
				m.widths[j] = max(m.widths[j], ansi.StringWidth(cell))
			}
		}
	}
	m.applyFilter()
	if hadPrev {
		m.SelectID(prev.ID)
	}
}

// SetColumns replaces the columns, for rows whose shape depends on the
// data; it takes effect with the next SetRows.
func (m *Model) SetColumns(cols []Column) { m.columns = cols }

// SelectID moves the cursor to the row with id, if it is visible.
func (m *Model) SelectID(id string) {
	for i, idx := range m.visible {
		if m.rows[idx].ID == id {
			m.cursor = i
			m.scroll()
			return
		}
	}
}

// SetSize tells the picker how much room it has.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 20), max(height, 3)
	m.scroll()
}

// HelpKeys are the keys that do something now, for a help line: moving
// and choosing, and esc while a filter is typed.
func (m Model) HelpKeys() []key.Binding {
	if m.Filtering() {
		return m.Keys.ShortHelp()
	}
	return []key.Binding{m.Keys.Up, m.Keys.Choose}
}

// Filter is the text typed so far.
func (m Model) Filter() string { return m.filter }

// SetFilter replaces the filter text.
func (m *Model) SetFilter(s string) {
	m.filter = s
	m.applyFilter()
}

// Len is the number of rows that match the filter.
func (m Model) Len() int { return len(m.visible) }

// Selected returns the row under the cursor.
func (m Model) Selected() (Row, bool) {
	if m.cursor < 0 || m.cursor >= len(m.visible) {
		return Row{}, false
	}
	return m.rows[m.visible[m.cursor]], true
}

// Filtering tells whether a filter is being typed; while it is, printable
// keys belong to the filter (so "q" does not quit).
func (m Model) Filtering() bool { return m.filter != "" }

// ChosenMsg is sent when the person presses enter on an enabled row.
type ChosenMsg struct{ Row Row }

// RefusedMsg is sent when the person presses enter on a disabled row, so
// the caller can say why it cannot be chosen (its Note) instead of doing
// nothing.
type RefusedMsg struct{ Row Row }

// Key hands k to the picker and returns what it chose: a ChosenMsg, a
// RefusedMsg, or nil when the key only moved or filtered.
func (m *Model) Key(k tea.KeyPressMsg) tea.Msg {
	var cmd tea.Cmd
	*m, cmd = m.Update(k)
	if cmd == nil {
		return nil
	}
	return cmd()
}

// Update moves the cursor, edits the filter, and reports a choice.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	switch {
	case key.Matches(k, m.Keys.Up):
		m.move(-1)
	case key.Matches(k, m.Keys.Down):
		m.move(1)
	case key.Matches(k, m.Keys.PageUp):
		m.move(-m.pageSize())
	case key.Matches(k, m.Keys.PageDown):
		m.move(m.pageSize())
	case key.Matches(k, m.Keys.Home):
		m.move(-len(m.visible))
	case key.Matches(k, m.Keys.End):
		m.move(len(m.visible))
	case key.Matches(k, m.Keys.Choose):
		if r, ok := m.Selected(); ok && !r.Disabled {
			return m, func() tea.Msg { return ChosenMsg{Row: r} }
		} else if ok {
			return m, func() tea.Msg { return RefusedMsg{Row: r} }
		}
	case key.Matches(k, m.Keys.ClearFilter) && m.filter != "":
		m.SetFilter("")
	case k.String() == "backspace" && m.filter != "":
		r := []rune(m.filter)
		m.SetFilter(string(r[:len(r)-1]))
	case k.Text != "" && k.Mod == 0:
		m.SetFilter(m.filter + k.Text)
	}
	return m, nil
}

func (m *Model) applyFilter() {
	// A fresh slice, never the old one's backing array: models are values,
	// and an earlier copy must keep its own rows.
	m.visible = make([]int, 0, len(m.search))
	needle := strings.ToLower(strings.TrimSpace(m.filter))
	for i, s := range m.search {
		if needle == "" || strings.Contains(s, needle) {
			m.visible = append(m.visible, i)
		}
	}
	m.cursor = 0
	for i, idx := range m.visible {
		if !m.rows[idx].Disabled {
			m.cursor = i
			break
		}
	}
	m.offset = 0
	m.scroll()
}

func (m *Model) move(delta int) {
	if len(m.visible) == 0 {
		return
	}
	m.cursor = min(max(m.cursor+delta, 0), len(m.visible)-1)
	m.scroll()
}

// pageSize is the number of rows on screen: the height less the heading and
// the filter line.
func (m Model) pageSize() int { return max(m.height-2, 1) }

func (m *Model) scroll() {
	page := m.pageSize()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+page {
		m.offset = m.cursor - page + 1
	}
	m.offset = max(min(m.offset, len(m.visible)-page), 0)
}

// View renders the filter line, the heading and the rows on screen.
func (m Model) View() string {
	return Render(m.styles, Frame{
		Columns: m.columns, Widths: m.widths, Rows: m.rows, Visible: m.visible,
		Cursor: m.cursor, Offset: m.offset, Width: m.width, Height: m.height,
		Filter: m.filter, Empty: m.empty,
	})
}

// Frame is everything Render needs: a snapshot of a picker's state.
type Frame struct {
	Columns []Column
	Widths  []int
	Rows    []Row
	Visible []int
	Cursor  int
	Offset  int
	Width   int
	Height  int
	Filter  string
	Empty   string
}

// Render draws a frame. It is a pure function of its input and touches only
// the rows on screen, so a list of thousands renders as fast as a short one.
func Render(st *styles.Styles, f Frame) string {
	var b strings.Builder
	widths := fit(f.Columns, f.Widths, f.Width-2)
	b.WriteString(st.Subtle.Render("/ " + f.Filter))
	b.WriteByte('\n')
	b.WriteString("  " + st.Header.Render(line(titles(f.Columns), widths, nil)))
	page := max(f.Height-2, 1)
	if len(f.Visible) == 0 {
		b.WriteString("\n  " + st.Subtle.Render(f.Empty))
		return b.String()
	}
	end := min(f.Offset+page, len(f.Visible))
	for i := f.Offset; i < end; i++ {
		r := f.Rows[f.Visible[i]]
		text := line(r.Cells, widths, f.Columns)
		if r.Note != "" {
			text += "  " + r.Note
		}
		text = ansi.Truncate(text, max(f.Width-2, 1), "…")
		b.WriteByte('\n')
		switch {
		case i == f.Cursor:
			b.WriteString(st.Selected.Render("> " + text))
		case r.Disabled:
			b.WriteString(st.Disabled.Render("  " + text))
		default:
			b.WriteString("  " + text)
		}
	}
	return b.String()
}

// Middle shortens s to width cells by putting "…" in place of its middle,
// so both the start and the end of an ID stay readable.
func Middle(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	if width < 3 {
		return ansi.Truncate(s, width, "")
	}
	tail := (width - 1) / 2
	head := width - 1 - tail
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, ansi.StringWidth(s)-tail, "")
}

func titles(cols []Column) []string {
	t := make([]string, len(cols))
	for i, c := range cols {
		t[i] = c.Title
	}
	return t
}

// line lays cells out in columns of the given widths, two spaces apart;
// the cells of Middle columns are shortened in the middle.
func line(cells []string, widths []int, cols []Column) string {
	parts := make([]string, 0, len(widths))
	for i, w := range widths {
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		if w <= 0 {
			continue
		}
		if i < len(cols) && cols[i].Middle {
			cell = Middle(cell, w)
		} else {
			cell = ansi.Truncate(cell, w, "…")
		}
		if i < len(widths)-1 {
			cell += strings.Repeat(" ", w-ansi.StringWidth(cell))
		}
		parts = append(parts, cell)
	}
	return strings.TrimRight(strings.Join(parts, "  "), " ")
}

// fit makes a row fit in total cells (gaps included). Optional columns,
// last first, are left out while the row could not fit with the others at
// their Min; then the widest columns are shortened, first down to their
// Min, then down to four cells. Keep columns are never shortened and
// optional ones are left out rather than cut. A left-out column has width 0.
func fit(cols []Column, widths []int, total int) []int {
	out := append([]int(nil), widths...)
	col := func(i int) Column {
		if i < len(cols) {
			return cols[i]
		}
		return Column{}
	}
	gaps := func() int {
		n := 0
		for _, w := range out {
			if w > 0 {
				n++
			}
		}
		return 2 * max(n-1, 0)
	}
	least := func() int {
		n := 0
		for i, w := range out {
			if c := col(i); c.Keep || c.Optional {
				n += w
			} else {
				n += min(w, max(c.Min, 4))
			}
		}
		return n + gaps()
	}
	for i := len(out) - 1; i >= 0 && least() > total; i-- {
		if col(i).Optional {
			out[i] = 0
		}
	}
	// shrink shortens the widest column above floor(i), one cell at a time,
	// until the row fits or none may shrink.
	shrink := func(floor func(i int) int) {
		for sum(out)+gaps() > total {
			widest := -1
			for i := range out {
				if col(i).Keep || out[i] == 0 || out[i] <= floor(i) {
					continue
				}
				if widest < 0 || out[i] > out[widest] {
					widest = i
				}
			}
			if widest < 0 {
				return
			}
			out[widest]--
		}
	}
	shrink(func(i int) int { return max(col(i).Min, 4) })
	shrink(func(int) int { return 4 })
	return out
}

func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}
