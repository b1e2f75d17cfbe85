package root

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/asmlink/asmlink/ui/text"
)

// helpWidth is the width translated help paragraphs are wrapped to, that
// of the English ones.
const helpWidth = 78

// translateHelp puts the help of cmd and every command under it (what
// each is, its long description paragraph by paragraph, every flag's
// description, cobra's own help and completion commands and help flags)
// into the language of this run, and has the usage headings say it too.
// Examples are commands and stay as they are. A paragraph without a
// translation stays in English (TestHelpIsTranslated finds those).
func translateHelp(cmd *cobra.Command) {
	if text.Current() == text.EN {
		return
	}
	cmd.InitDefaultHelpCmd()
	cmd.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		c.Short = text.T(c.Short)
		c.Long = translateLong(c.Long)
		if fl := c.Flags().Lookup("help"); fl != nil {
			fl.Usage = text.Sprintf("help for %s", c.Name())
		}
		translateFlags(c.LocalFlags())
		translateFlags(c.PersistentFlags())
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd)
	cmd.SetUsageFunc(usage)
}

// translateFlags translates each flag's description once: a persistent
// flag is visited from every command that inherits it.
func translateFlags(fs *pflag.FlagSet) {
	fs.VisitAll(func(fl *pflag.Flag) {
		if fl.Annotations == nil {
			fl.Annotations = map[string][]string{}
		}
		if _, done := fl.Annotations[translatedFlag]; !done {
			fl.Usage = text.T(fl.Usage)
			fl.Annotations[translatedFlag] = nil
		}
	})
}

// translatedFlag marks a flag whose description is translated.
const translatedFlag = "asmlink-translated"

// HelpKeys are the messages of a long description as the catalogue keys
// them: each paragraph, its lines joined by single spaces, except a block
// whose lines are indented (a JSON shape, a list), which is kept as it is.
func HelpKeys(long string) []string {
	var keys []string
	for _, p := range strings.Split(strings.TrimSpace(long), "\n\n") {
		keys = append(keys, helpKey(p))
	}
	return keys
}

// helpKey is the catalogue key of one paragraph.
func helpKey(p string) string {
	for _, line := range strings.Split(p, "\n") {
		if strings.HasPrefix(line, " ") {
			return p
		}
	}
	return strings.Join(strings.Fields(p), " ")
}

// translateLong translates a long description paragraph by paragraph,
// wrapping each translated prose paragraph to helpWidth.
func translateLong(long string) string {
	if long == "" {
		return ""
	}
	paras := strings.Split(strings.TrimSpace(long), "\n\n")
	for i, p := range paras {
		key := helpKey(p)
		t := text.T(key)
		switch {
		case t == key:
		case key == p && strings.Contains(p, "\n  "):
			paras[i] = t
		default:
			paras[i] = strings.Join(text.Wrap(t, helpWidth), "\n")
		}
	}
	return strings.Join(paras, "\n\n")
}

// defaultNote is pflag's " (default X)" at the end of a flag's line.
var defaultNote = regexp.MustCompile(` \(default (.*)\)$`)

// usage is cobra's usage layout with its headings and pflag's default
// notes from the catalogue, written without text/template (which would
// keep the linker from dropping unused methods and double the binary).
func usage(c *cobra.Command) error {
	var b strings.Builder
	b.WriteString(text.T("Usage:"))
	if c.Runnable() {
		b.WriteString("\n  " + c.UseLine())
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n  " + c.CommandPath() + " [command]")
	}
	if c.HasExample() {
		b.WriteString("\n\n" + text.T("Examples:") + "\n" + c.Example)
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n" + text.T("Available Commands:"))
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() || sub.Name() == "help" {
				fmt.Fprintf(&b, "\n  %-*s %s", c.NamePadding(), sub.Name(), sub.Short)
			}
		}
	}
	flags := func(heading string, fs *pflag.FlagSet) {
		if !fs.HasAvailableFlags() {
			return
		}
		b.WriteString("\n\n" + text.T(heading) + "\n")
		lines := strings.Split(strings.TrimRight(fs.FlagUsages(), " \n"), "\n")
		for i, l := range lines {
			lines[i] = defaultNote.ReplaceAllString(strings.TrimRight(l, " "), text.Sprintf(" (default %s)", "$1"))
		}
		b.WriteString(strings.Join(lines, "\n"))
	}
	flags("Flags:", c.LocalFlags())
	flags("Global Flags:", c.InheritedFlags())
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n" + text.Sprintf(`Use "%s [command] --help" for more information about a command.`, c.CommandPath()))
	}
	b.WriteString("\n")
	_, err := fmt.Fprint(c.OutOrStderr(), b.String())
	return err
}
