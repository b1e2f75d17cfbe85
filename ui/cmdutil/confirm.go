package cmdutil

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
)

// Confirm asks for consent to a change described by question. yes (the
// --yes flag) gives it without asking. Without a terminal nobody can be
// asked, so it fails with a usage error naming --yes. On a terminal it asks
// on stderr and reads one line; anything but y or yes cancels (exit 130).
func (f *Factory) Confirm(question string, yes bool) error {
	if yes {
		return nil
	}
	if !f.IO.CanPrompt() {
		return UsageErrorf("`--yes` is required when not running interactively: %s", question)
	}
	fmt.Fprintf(f.IO.ErrOut, "%s [y/N] ", question)
	line, err := bufio.NewReader(f.IO.In).ReadString('\n')
	if err != nil && line == "" {
		return WithCode(ExitCancelled, errors.New("cancelled: no answer"))
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return WithCode(ExitCancelled, errors.New("cancelled: nothing was changed"))
}
