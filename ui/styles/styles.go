// Package styles holds every lipgloss style the terminal UI uses, built once
// for colour or for plain output, so views never decide about colour.
package styles

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles are the looks of the UI. A view reads them; it never builds its own.
type Styles struct {
	Color bool

	Banner   lipgloss.Style
	Title    lipgloss.Style
	Header   lipgloss.Style
	Subtle   lipgloss.Style
	Selected lipgloss.Style
	Disabled lipgloss.Style
	Key      lipgloss.Style
	Pass     lipgloss.Style
	Warn     lipgloss.Style
	Fail     lipgloss.Style
	Info     lipgloss.Style
	Code     lipgloss.Style
	DiffAdd  lipgloss.Style
	DiffDel  lipgloss.Style
	Box      lipgloss.Style
}

var (
	accent  = lipgloss.Color("#FF6A00") // Alibaba Cloud orange
	subtle  = lipgloss.Color("#8A8A8A")
	green   = lipgloss.Color("#3FB950")
	yellow  = lipgloss.Color("#D29922")
	red     = lipgloss.Color("#F85149")
	blue    = lipgloss.Color("#58A6FF")
	inverse = lipgloss.Color("#1F2328")
)

// New returns the styles for a terminal with colour, or plain styles that
// emit no escape codes at all (NO_COLOR, --no-color, TERM=dumb, not a TTY).
func New(useColor bool) *Styles {
	if !useColor {
		plain := lipgloss.NewStyle()
		return &Styles{
			Banner: plain.Bold(false), Title: plain, Header: plain, Subtle: plain,
			Selected: plain, Disabled: plain, Key: plain, Pass: plain, Warn: plain,
			Fail: plain, Info: plain, Code: plain, DiffAdd: plain, DiffDel: plain,
			Box: plain.Border(lipgloss.NormalBorder()).Padding(0, 1),
		}
	}
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	return &Styles{
		Color:    true,
		Banner:   lipgloss.NewStyle().Bold(true).Foreground(inverse).Background(yellow).Padding(0, 1),
		Title:    fg(accent).Bold(true),
		Header:   lipgloss.NewStyle().Bold(true),
		Subtle:   fg(subtle),
		Selected: fg(accent).Bold(true),
		Disabled: fg(subtle),
		Key:      fg(blue),
		Pass:     fg(green),
		Warn:     fg(yellow),
		Fail:     fg(red),
		Info:     fg(blue),
		Code:     fg(blue),
		DiffAdd:  fg(green),
		DiffDel:  fg(red),
		Box:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(subtle).Padding(0, 1),
	}
}
