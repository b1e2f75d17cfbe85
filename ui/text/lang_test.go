package text

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/asmlink/asmlink/flow"
	"github.com/asmlink/asmlink/spec"
)

// TestChooseFollowsWhatPeopleSet: --lang wins over ASMLINK_LANG, which
// wins over the aliyun CLI profile's language, which wins over the locale
// (LC_ALL, then LC_MESSAGES, then LANG); English when nothing is set.
func TestChooseFollowsWhatPeopleSet(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, tc := range []struct {
		name string
		c    Choice
		want Language
	}{
		{"nothing set", Choice{}, EN},
		{"--lang zh over everything", Choice{Flag: "zh", Getenv: env("ASMLINK_LANG", "en", "LANG", "en_US.UTF-8"), Profile: profile("en")}, ZH},
		{"--lang en over a Chinese locale", Choice{Flag: "en", Getenv: env("LC_ALL", "zh_CN.UTF-8"), Profile: profile("zh")}, EN},
		{"ASMLINK_LANG over the profile", Choice{Getenv: env("ASMLINK_LANG", "zh", "LANG", "en_US.UTF-8"), Profile: profile("en")}, ZH},
		{"the profile over the locale", Choice{Getenv: env("LANG", "en_US.UTF-8"), Profile: profile("zh")}, ZH},
		{"an English profile over a Chinese locale", Choice{Getenv: env("LC_ALL", "zh_CN.UTF-8"), Profile: profile("en")}, EN},
		{"LANG", Choice{Getenv: env("LANG", "zh_CN.UTF-8")}, ZH},
		{"LC_MESSAGES over LANG", Choice{Getenv: env("LC_MESSAGES", "en_GB.UTF-8", "LANG", "zh_CN.UTF-8")}, EN},
		{"LC_ALL over LC_MESSAGES", Choice{Getenv: env("LC_ALL", "zh_TW.UTF-8", "LC_MESSAGES", "en_US")}, ZH},
		{"C locale", Choice{Getenv: env("LANG", "C.UTF-8")}, EN},
		{"a locale asmlink does not speak", Choice{Getenv: env("LANG", "fr_FR.UTF-8")}, EN},
		{"the first locale variable decides", Choice{Getenv: env("LC_ALL", "!!", "LANG", "zh_CN.UTF-8")}, EN},
		{"a profile language asmlink does not speak is passed over", Choice{Getenv: env("LANG", "zh_CN.UTF-8"), Profile: profile("??")}, ZH},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Choose(tc.c)
			if err != nil || got != tc.want {
				t.Fatalf("Choose = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// profile is a profile whose language is l.
func profile(l string) func() string { return func() string { return l } }

// TestChooseRefusesAnUnknownLanguage: a --lang or ASMLINK_LANG value that
// is not en or zh is an error naming where it came from and the choices.
func TestChooseRefusesAnUnknownLanguage(t *testing.T) {
	for _, c := range []Choice{{Flag: "fr"}, {Flag: "zh_CN"}, {Getenv: func(k string) string {
		if k == "ASMLINK_LANG" {
			return "de"
		}
		return ""
	}}} {
		_, err := Choose(c)
		from := "--lang"
		if c.Flag == "" {
			from = "ASMLINK_LANG"
		}
		if err == nil || !strings.Contains(err.Error(), from) || !strings.Contains(err.Error(), "en or zh") {
			t.Errorf("Choose(%+v) = %v; want an error naming %s and en or zh", c, err, from)
		}
	}
}

// verb matches one fmt verb: its explicit argument index, flags, width,
// precision and letter.
var verb = regexp.MustCompile(`%(\[(\d+)\])?[-+# 0]*\d*(\.\d+)?([a-zA-Z%])`)

// verbs lists a format's verbs as "argument:letter", sorted, so two formats
// that take the same arguments in a different order compare equal.
func verbs(format string) []string {
	var out []string
	next := 1
	for _, m := range verb.FindAllStringSubmatch(format, -1) {
		if m[4] == "%" {
			continue
		}
		arg := next
		if m[2] != "" {
			arg = int(m[2][0] - '0')
			for _, d := range m[2][1:] {
				arg = arg*10 + int(d-'0')
			}
		}
		next = arg + 1
		out = append(out, string(rune('0'+arg))+":"+m[4])
	}
	sort.Strings(out)
	return out
}

// TestEveryScreenWordHasAChineseTranslation fails when a word of the
// screens' catalogue (English) lacks a Chinese translation, so a new word
// cannot ship in English only.
func TestEveryScreenWordHasAChineseTranslation(t *testing.T) {
	for _, s := range catalogueStrings(English) {
		if _, ok := zhScreens[s]; !ok {
			t.Errorf("no Chinese for %q (add it to zhScreens)", s)
		}
	}
}

// TestEveryCodeHasAChineseTranslation fails when what a finding code means,
// or its hint, lacks a Chinese translation.
func TestEveryCodeHasAChineseTranslation(t *testing.T) {
	var texts []string
	for _, c := range spec.Codes {
		texts = append(texts, c.Summary)
	}
	for _, c := range flow.Codes() {
		texts = append(texts, c.Summary, c.Hint)
	}
	for _, s := range texts {
		if _, ok := zhCodes[s]; s != "" && !ok {
			t.Errorf("no Chinese for %q (add it to zhCodes)", s)
		}
	}
}

// TestTranslationsTakeTheEnglishParameters fails when a translation's
// verbs differ from its English text's in number, argument or kind, and
// when a translation is left unused (its English text is gone).
func TestTranslationsTakeTheEnglishParameters(t *testing.T) {
	for en, t2 := range zh {
		if !slices.Equal(verbs(en), verbs(t2)) {
			t.Errorf("%q takes %v, its Chinese %q takes %v", en, verbs(en), t2, verbs(t2))
		}
	}
	used := map[string]bool{}
	for _, s := range catalogueStrings(English) {
		used[s] = true
	}
	for _, c := range spec.Codes {
		used[c.Summary] = true
	}
	for _, c := range flow.Codes() {
		used[c.Summary], used[c.Hint] = true, true
	}
	for en := range zhScreens {
		if !used[en] {
			t.Errorf("zhScreens translates %q, which no catalogue has", en)
		}
	}
	for en := range zhCodes {
		if !used[en] {
			t.Errorf("zhCodes translates %q, which no code has", en)
		}
	}
}

// TestVerbsSeesOrderAndKind: the parameter test's own reading of verbs.
func TestVerbsSeesOrderAndKind(t *testing.T) {
	if !slices.Equal(verbs("turn %s for %s"), verbs("为 %[2]s 设为 %[1]s")) {
		t.Error("reordered arguments should match")
	}
	if slices.Equal(verbs("%d of %d"), verbs("%d/%s")) || slices.Equal(verbs("%s %s"), verbs("%s")) {
		t.Error("a different kind or count should not match")
	}
	if len(verbs("100%% done")) != 0 {
		t.Error("%% is not a verb")
	}
}

// TestSprintfTranslatesAndPicksPluralForms: the printer of each language
// formats through the catalogue, with English plural forms chosen by the
// library.
func TestSprintfTranslatesAndPicksPluralForms(t *testing.T) {
	t.Cleanup(func() { UseLanguage(EN) })
	UseLanguage(EN)
	if got := Sprintf(English.Report.CountWarningsf, 1); got != "1 warning" {
		t.Errorf("one warning: %q", got)
	}
	if got := Sprintf(English.Report.CountWarningsf, 3); got != "3 warnings" {
		t.Errorf("three warnings: %q", got)
	}
	if Active() != &English {
		t.Error("English is not the active catalogue")
	}
	UseLanguage(ZH)
	if got := Sprintf(English.Report.CountWarningsf, 3); got != "3 项警告" {
		t.Errorf("Chinese three warnings: %q", got)
	}
	if got := Sprintf(Active().Report.CountWarningsf, 1); got != "1 项警告" {
		t.Errorf("Chinese format through the printer: %q", got)
	}
	if Active() != &Chinese || Active().StepTitles["mesh"] != "ASM 实例" || Active().Report.Categories["mesh"] != "网格状态" {
		t.Errorf("the Chinese catalogue is not active or not translated: %q", Active().StepTitles["mesh"])
	}
	if got := T("PrivateLink is activated"); got != "已开通 PrivateLink" {
		t.Errorf("T: %q", got)
	}
}
