package root

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/text"
)

// tree builds the command tree with cobra's own help and completion
// commands, as a run has them.
func tree() *cobra.Command {
	ios, _, _, _ := cmdutil.TestStreams(false)
	cmd := NewCmdRoot(&cmdutil.Factory{IO: ios, Options: &cmdutil.GlobalOptions{}})
	cmd.InitDefaultHelpCmd()
	cmd.InitDefaultCompletionCmd()
	return cmd
}

// walk calls fn on cmd and every command under it.
func walk(cmd *cobra.Command, fn func(*cobra.Command)) {
	fn(cmd)
	for _, sub := range cmd.Commands() {
		walk(sub, fn)
	}
}

// TestHelpIsTranslated fails when a command's one-line description, a
// paragraph of its long description or a flag's description lacks a
// Chinese translation: add it to ui/text/zh_help.go, keyed as HelpKeys
// keys it.
func TestHelpIsTranslated(t *testing.T) {
	walk(tree(), func(c *cobra.Command) {
		keys := append([]string{c.Short}, HelpKeys(c.Long)...)
		c.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			if fl.Name != "help" {
				keys = append(keys, fl.Usage)
			}
		})
		for _, k := range keys {
			if k != "" && !text.Translated(k) {
				t.Errorf("%s: no Chinese for %q (add it to ui/text/zh_help.go)", c.CommandPath(), k)
			}
		}
	})
}

// TestHelpInChinese: asmlink --lang zh --help, and every command's, has
// the usage headings, each command's description and each flag's in
// Chinese, with the examples as they are; English help is unchanged.
func TestHelpInChinese(t *testing.T) {
	t.Cleanup(func() { text.UseLanguage(text.EN) })
	var paths [][]string
	walk(tree(), func(c *cobra.Command) {
		paths = append(paths, strings.Fields(c.CommandPath())[1:])
	})
	for _, path := range paths {
		ios, _, out, errOut := cmdutil.TestStreams(false)
		code := Execute(t.Context(), ios, append(append([]string{"--lang", "zh"}, path...), "--help"))
		help := out.String() + errOut.String()
		if code != 0 {
			t.Fatalf("%v --help: exit %d\n%s", path, code, help)
		}
		for _, want := range []string{"用法：", "全局参数：", "的帮助"} {
			if len(path) == 0 && want == "全局参数：" {
				want = "参数："
			}
			if !strings.Contains(help, want) {
				t.Errorf("asmlink %v --help lacks %q:\n%s", path, want, help)
			}
		}
		for _, english := range []string{"Usage:", "Flags:", "Available Commands:", "(default ", "for more information"} {
			if strings.Contains(help, english) {
				t.Errorf("asmlink %v --help still says %q:\n%s", path, english, help)
			}
		}
	}
	text.UseLanguage(text.EN)
	ios, _, out, _ := cmdutil.TestStreams(false)
	if Execute(t.Context(), ios, []string{"--help"}); !strings.Contains(out.String(), "Usage:") || !strings.Contains(out.String(), "asmlink connects an Alibaba Cloud Service Mesh") {
		t.Errorf("English help changed:\n%s", out.String())
	}
}

// TestFlagValue reads --name VALUE and --name=VALUE, the last one given,
// and nothing after "--".
func TestFlagValue(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"status", "--lang", "zh"}, "zh"},
		{[]string{"--lang=zh", "doctor"}, "zh"},
		{[]string{"--lang", "en", "--lang=zh"}, "zh"},
		{[]string{"--language", "zh"}, ""},
		{[]string{"validate", "--", "--lang", "zh"}, ""},
		{[]string{"--lang"}, ""},
	} {
		if got := flagValue(tc.args, "lang"); got != tc.want {
			t.Errorf("flagValue(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}
