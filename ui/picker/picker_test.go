package picker

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/asmlink/asmlink/ui/styles"
)

var testColumns = []Column{{Title: "NAME", Min: 8}, {Title: "ID", Min: 10}, {Title: "STATE", Min: 5}}

func testRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{
			ID:    fmt.Sprintf("c%032x", i),
			Cells: []string{fmt.Sprintf("cluster-%04d", i), fmt.Sprintf("c%032x", i), "running"},
		}
	}
	return rows
}

func press(m Model, keys ...string) Model {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "backspace":
			msg = tea.KeyPressMsg{Code: tea.KeyBackspace}
		default:
			msg = tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
		}
		m, _ = m.Update(msg)
	}
	return m
}

func newTestPicker(rows []Row, color bool) Model {
	return New(styles.New(color), DefaultKeyMap("move", "choose", "clear filter"), testColumns, rows, "nothing matches")
}

func TestViewGolden(t *testing.T) {
	rows := testRows(12)
	rows[3].Disabled = true
	rows[3].Note = "other region (cn-beijing)"
	for _, width := range []int{80, 120, 160} {
		for _, color := range []bool{false, true} {
			t.Run(fmt.Sprintf("width_%d_color_%v", width, color), func(t *testing.T) {
				m := newTestPicker(rows, color)
				m.SetSize(width, 8)
				m = press(m, "down", "down")
				golden.RequireEqual(t, []byte(m.View()))
			})
		}
	}
}

func TestFilterNarrowsAndEscClears(t *testing.T) {
	m := newTestPicker(testRows(50), false)
	m = press(m, "0", "0", "4", "2")
	if m.Len() != 1 {
		t.Fatalf("filter 0042 matched %d rows, want 1", m.Len())
	}
	if r, _ := m.Selected(); r.Cells[0] != "cluster-0042" {
		t.Fatalf("selected %q, want cluster-0042", r.Cells[0])
	}
	m = press(m, "backspace")
	if m.Filter() != "004" || m.Len() != 11 { // cluster-0040…0049, and cluster-0004 by its ID
		t.Fatalf("after backspace filter=%q len=%d, want 004 and 11", m.Filter(), m.Len())
	}
	m = press(m, "esc")
	if m.Filter() != "" || m.Len() != 50 {
		t.Fatalf("after esc filter=%q len=%d, want empty and 50", m.Filter(), m.Len())
	}
}

// TestEnterOnDisabledRowChoosesNothing: enter on a disabled row is no
// choice; it says which row was refused, so the caller can say why.
func TestEnterOnDisabledRowChoosesNothing(t *testing.T) {
	rows := testRows(3)
	rows[0].Disabled = true
	m := newTestPicker(rows, false)
	if r, _ := m.Selected(); r.ID != rows[1].ID {
		t.Fatalf("cursor starts on %s, want the first enabled row %s", r.ID, rows[1].ID)
	}
	m = press(m, "up")
	if _, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}); cmd == nil {
		t.Fatal("enter on a disabled row said nothing")
	} else if r, ok := cmd().(RefusedMsg); !ok || r.Row.ID != rows[0].ID {
		t.Fatalf("enter on a disabled row sent %#v, want RefusedMsg for %s", cmd(), rows[0].ID)
	}
	m = press(m, "down")
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if cmd == nil {
		t.Fatal("enter on an enabled row produced no choice")
	}
	if got := cmd().(ChosenMsg).Row.ID; got != rows[1].ID {
		t.Fatalf("chose %s, want %s", got, rows[1].ID)
	}
}

func TestSetRowsKeepsSelection(t *testing.T) {
	rows := testRows(20)
	m := newTestPicker(rows, false)
	m.SetSize(80, 6)
	m = press(m, "down", "down", "down", "down", "down", "down", "down")
	want, _ := m.Selected()
	m.SetRows(append([]Row{{ID: "new", Cells: []string{"new", "x", "y"}}}, rows...))
	if got, _ := m.Selected(); got.ID != want.ID {
		t.Fatalf("selection moved from %s to %s after SetRows", want.ID, got.ID)
	}
}

func TestScrollKeepsCursorOnScreen(t *testing.T) {
	m := newTestPicker(testRows(100), false)
	m.SetSize(80, 7) // 5 rows on screen
	for range 30 {
		m = press(m, "down")
	}
	if m.offset > m.cursor || m.cursor >= m.offset+5 {
		t.Fatalf("cursor %d not within screen [%d,%d)", m.cursor, m.offset, m.offset+5)
	}
}

// BenchmarkRender2000 renders one screen of a 2,000-row list (target ≤ 5 ms).
func BenchmarkRender2000(b *testing.B) {
	m := newTestPicker(testRows(2000), true)
	m.SetSize(160, 40)
	m = press(m, "down")
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkFilterKeystroke2000 measures one typed character on a 2,000-row
// list, filter and redraw included (target ≤ 16 ms).
func BenchmarkFilterKeystroke2000(b *testing.B) {
	m := newTestPicker(testRows(2000), true)
	m.SetSize(160, 40)
	b.ReportAllocs()
	for b.Loop() {
		n, _ := m.Update(tea.KeyPressMsg{Code: '7', Text: "7"})
		_ = n.View()
	}
}

func TestKeepColumnIsNeverShortened(t *testing.T) {
	cols := []Column{{Title: "NAME", Min: 4}, {Title: "ID", Min: 4, Keep: true}, {Title: "STATE", Min: 4}}
	m := New(styles.New(false), DefaultKeyMap("move", "choose", "clear filter"), cols, testRows(3), "none")
	m.SetSize(50, 6)
	id := testRows(3)[1].Cells[1]
	if !strings.Contains(m.View(), id) {
		t.Fatalf("the ID column was shortened at width 50:\n%s", m.View())
	}
}

func TestOptionalColumnsGiveWayFirst(t *testing.T) {
	// NAME may shrink to 8 cells before the optional STATE column goes.
	cols := []Column{{Title: "NAME", Min: 8}, {Title: "ID", Min: 4, Keep: true}, {Title: "STATE", Min: 4, Optional: true}}
	m := New(styles.New(false), DefaultKeyMap("move", "choose", "clear filter"), cols, testRows(3), "none")
	m.SetSize(56, 6)
	if view := m.View(); !strings.Contains(view, "STATE") || !strings.Contains(view, "cluster-0…") {
		t.Fatalf("at width 56 NAME should shrink towards its minimum and STATE stay:\n%s", view)
	}
	m.SetSize(52, 6)
	view := m.View()
	if strings.Contains(view, "STATE") || !strings.Contains(view, "cluster-0001") {
		t.Fatalf("at width 52 the optional STATE column should go before NAME is shortened below its minimum:\n%s", view)
	}
	m.SetSize(120, 6)
	if !strings.Contains(m.View(), "STATE") {
		t.Fatalf("at width 120 every column fits:\n%s", m.View())
	}
}

// TestRowsFromTheCloudAreEscaped lists a row whose cells and note carry
// terminal controls, as a crafted cluster name would: the view shows them
// escaped, and the row is still found by its ID.
func TestRowsFromTheCloudAreEscaped(t *testing.T) {
	bad := "shop\x1b]0;pwned\x07\x1b[2J"
	rows := []Row{{ID: "c1", Cells: []string{bad, "vpc-1", "x"}, Note: bad}}
	m := newTestPicker(rows, false)
	m.SetSize(200, 6)
	got := m.View()
	if strings.ContainsAny(got, "\x1b\x07") || !strings.Contains(got, `shop\x1b]0;pwned\a\x1b[2J`) {
		t.Fatalf("the view does not show the name escaped:\n%q", got)
	}
	if r, ok := m.Selected(); !ok || r.ID != "c1" || rows[0].Cells[0] != bad {
		t.Errorf("selected %+v, %v; the caller's rows must stay as given", r, ok)
	}
}

// TestMiddleKeepsBothEndsOfAnID: a shortened ID keeps its start and its
// end, where IDs of one kind differ, and is exactly as wide as asked.
func TestMiddleKeepsBothEndsOfAnID(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  string
	}{
		{"vsw-bp128t7a9tgiqhg9jrsnv", 11, "vsw-b…jrsnv"},
		{"vsw-bp128t7a9tgiqhg9jrsnv", 14, "vsw-bp1…9jrsnv"},
		{"vsw-bp128t7a9tgiqhg9jrsnv", 25, "vsw-bp128t7a9tgiqhg9jrsnv"},
		{"short", 10, "short"},
	} {
		if got := Middle(c.in, c.width); got != c.want {
			t.Errorf("Middle(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}
