package root_test

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/asmlink/asmlink/ui/cmd/root"
	"github.com/asmlink/asmlink/ui/cmdutil"
)

// TestEveryHelpExampleNamesRealCommandsAndFlags reads the Example of every
// command's --help and checks each asmlink command in it (each part of a
// pipe or && list): the words name an existing command, exactly, and its
// flags parse, so no example names a command or flag asmlink lacks. What
// the examples do when run is not checked here.
func TestEveryHelpExampleNamesRealCommandsAndFlags(t *testing.T) {
	ios, _, _, _ := cmdutil.TestStreams(false)
	cmd := root.NewCmdRoot(&cmdutil.Factory{IO: ios, Options: &cmdutil.GlobalOptions{}})
	n := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, line := range strings.Split(c.Example, "\n") {
			for _, part := range strings.Split(line, "&&") {
				for _, seg := range strings.Split(part, "|") {
					words := strings.Fields(seg)
					if len(words) == 0 || words[0] != "asmlink" {
						continue
					}
					n++
					if i := indexOf(words, ">"); i >= 0 {
						words = words[:i]
					}
					words = words[1:]
					found, rest, err := cmd.Find(words)
					if err != nil {
						t.Errorf("%s: example %q: %v", c.CommandPath(), seg, err)
						continue
					}
					fresh := *found.Flags()
					if err := fresh.Parse(rest); err != nil {
						t.Errorf("%s: example %q: %v", c.CommandPath(), seg, err)
						continue
					}
					if args := fresh.Args(); len(args) > 0 && found.Args != nil && found.Args(found, args) != nil {
						t.Errorf("%s: example %q: %s does not take %v", c.CommandPath(), seg, found.CommandPath(), args)
					}
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd)
	if n < 20 {
		t.Fatalf("found only %d asmlink commands in the examples", n)
	}
}

func indexOf(words []string, w string) int {
	for i, x := range words {
		if x == w {
			return i
		}
	}
	return -1
}
