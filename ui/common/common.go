// Package common is what every part of the terminal UI shares: size, styles,
// the words of the catalogue, the global keys, and errors as messages. Every
// component takes SetSize and exposes a key map, so resize and help are
// uniform across the wizard.
package common

import (
	"charm.land/bubbles/v2/key"

	"github.com/asmlink/asmlink/ui/styles"
	"github.com/asmlink/asmlink/ui/text"
)

// Common is embedded by every component.
type Common struct {
	Width  int
	Height int
	Styles *styles.Styles
	Text   *text.Catalog
}

// SetSize records the room a component has.
func (c *Common) SetSize(width, height int) { c.Width, c.Height = width, height }

// ErrorMsg carries a failed operation to the component that shows it.
type ErrorMsg struct {
	Op  string // what was being done, in the catalogue's words
	Err error
}

// GlobalKeys are the keys that work on every screen.
type GlobalKeys struct {
	Back  key.Binding
	Help  key.Binding
	Quit  key.Binding
	Retry key.Binding
}

// NewFocusedKeys builds the global keys while a filter has the keyboard:
// none is printable, so every letter, "q", "r" and "?" included, filters.
func NewFocusedKeys(t *text.Catalog) GlobalKeys {
	return GlobalKeys{
		Back:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyBack)),
		Help:  key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", t.KeyHelp)),
		Quit:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", t.KeyQuit)),
		Retry: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", t.KeyRetry)),
	}
}

// NewGlobalKeys builds the global keys with help text from the catalogue.
func NewGlobalKeys(t *text.Catalog) GlobalKeys {
	return GlobalKeys{
		Back:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyBack)),
		Help:  key.NewBinding(key.WithKeys("?"), key.WithHelp("?", t.KeyHelp)),
		Quit:  key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", t.KeyQuit)),
		Retry: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.KeyRetry)),
	}
}
