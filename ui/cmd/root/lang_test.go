package root_test

import (
	"strings"
	"testing"

	"github.com/asmlink/asmlink/ui/cmdutil"
	"github.com/asmlink/asmlink/ui/text"
)

// TestJSONIsTheSameInEveryLanguage: what machines read never changes with
// the language: doctor's and status's JSON, and their exit codes, are byte
// for byte the same with --lang zh, with LANG=zh_CN.UTF-8 and in English,
// while their text speaks Chinese.
func TestJSONIsTheSameInEveryLanguage(t *testing.T) {
	t.Cleanup(func() { text.UseLanguage(text.EN) })
	env := simEnv(t)
	for _, args := range [][]string{
		{"doctor", "--mesh", "mesh-prod", "--cluster", "shop-prod", "-o", "json"},
		{"status", "--mesh", "mesh-prod", "-o", "json"},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, en, errOut := run(env, args...)
			if !strings.HasPrefix(en, "{") {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, en, errOut)
			}
			for name, zh := range map[string]func() (int, string, string){
				"--lang zh": func() (int, string, string) { return run(env, append([]string{"--lang", "zh"}, args...)...) },
				"LANG":      func() (int, string, string) { return run(append([]string{"LANG=zh_CN.UTF-8"}, env...), args...) },
			} {
				zcode, zout, _ := zh()
				if zcode != code || zout != en {
					t.Errorf("%s: exit %d and JSON\n%s\nin English exit %d and\n%s", name, zcode, zout, code, en)
				}
			}
			textArgs := args[:len(args)-2]
			_, zout, zerr := run(env, append([]string{"--lang", "zh"}, textArgs...)...)
			if !strings.Contains(zout, "下一步") {
				t.Errorf("%s in Chinese does not speak Chinese:\n%s", args[0], zout)
			}
			for _, want := range []string{"--mesh mesh-prod 即 mesh-prod", "使用凭据来自 environment，地域 cn-hangzhou（来自 ALIBABA_CLOUD_REGION_ID）"} {
				if !strings.Contains(zerr, want) {
					t.Errorf("%s in Chinese: stderr lacks %q:\n%s", args[0], want, zerr)
				}
			}
		})
	}
}

// TestErrorsSayErrorInChinese: an error is headed in the language of the
// run, its exit code the same.
func TestErrorsSayErrorInChinese(t *testing.T) {
	t.Cleanup(func() { text.UseLanguage(text.EN) })
	env := simEnv(t)
	code, _, errOut := run(env, "--lang", "zh", "status", "--mesh", "mesh-prd")
	enCode, _, enErr := run(env, "status", "--mesh", "mesh-prd")
	if code != cmdutil.ExitUsage || enCode != code || !strings.HasPrefix(errOut, "错误：--mesh") || !strings.HasPrefix(enErr, "Error: --mesh") {
		t.Errorf("exit %d and %q in Chinese, %d and %q in English", code, errOut, enCode, enErr)
	}
}

// TestLangRefusesAnUnknownLanguage: --lang fr, or ASMLINK_LANG=fr, exits 2
// naming where it came from, before anything runs.
func TestLangRefusesAnUnknownLanguage(t *testing.T) {
	t.Cleanup(func() { text.UseLanguage(text.EN) })
	for _, tc := range []struct {
		env  []string
		args []string
		says string
	}{
		{nil, []string{"--lang", "fr", "version"}, `--lang "fr"`},
		{nil, []string{"version", "--lang=jp"}, `--lang "jp"`},
		{[]string{"ASMLINK_LANG=fr"}, []string{"version"}, `ASMLINK_LANG "fr"`},
	} {
		code, out, errOut := run(tc.env, tc.args...)
		if code != cmdutil.ExitUsage || out != "" || !strings.Contains(errOut, tc.says) || !strings.Contains(errOut, "en or zh") {
			t.Errorf("%v %v: exit %d, stdout %q, stderr %q; want exit 2 naming %s", tc.env, tc.args, code, out, errOut, tc.says)
		}
	}
}
