// Package text is the catalogue of every word the terminal UI shows a
// person. Views take their words from here and never spell them out
// themselves, so a translation is one new Catalog value.
package text

// Catalog holds the UI's words. Fields ending in "f" are format strings.
type Catalog struct {
	KeyBack  string
	KeyHelp  string
	KeyQuit  string
	KeyRetry string
}

// English is the catalogue in English.
var English = Catalog{
	KeyBack:  "back",
	KeyHelp:  "keys",
	KeyQuit:  "quit",
	KeyRetry: "retry",
}
