package text

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Language is a language asmlink speaks to people. What machines read
// (finding codes, JSON, YAML, exit codes) never depends on it.
type Language string

// The languages asmlink speaks, by the value --lang and ASMLINK_LANG take.
const (
	EN Language = "en"
	ZH Language = "zh"
)

// Languages are the values --lang takes, in the order help lists them.
var Languages = []Language{EN, ZH}

// Tag is the language's BCP 47 tag, as the message catalogue knows it.
func (l Language) Tag() language.Tag {
	if l == ZH {
		return language.SimplifiedChinese
	}
	return language.English
}

// matcher picks the language asmlink speaks closest to a locale's.
var matcher = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})

// ParseLanguage reads a language as --lang and ASMLINK_LANG spell it (en,
// zh), or as a locale does (zh_CN.UTF-8, zh-Hans, en_US). A locale asmlink
// does not speak, or C and POSIX, is English; ok is false only for a value
// that names no language at all.
func ParseLanguage(s string) (l Language, ok bool) {
	s, _, _ = strings.Cut(s, ".") // zh_CN.UTF-8: the codeset
	s, _, _ = strings.Cut(s, "@") // sr_RS@latin: the modifier
	switch s {
	case "":
		return "", false
	case "C", "POSIX":
		return EN, true
	}
	tag, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return "", false
	}
	if _, i, conf := matcher.Match(tag); i == 1 && conf != language.No {
		return ZH, true
	}
	return EN, true
}

// Choice is what the language is chosen from, most specific first.
type Choice struct {
	// Flag is --lang as given ("" when it was not).
	Flag string
	// Getenv reads the process environment (ASMLINK_LANG and the locale).
	Getenv func(string) string
	// Profile reads the language of the aliyun CLI profile in use
	// (`aliyun configure --language zh` writes it), "" when unset; it is
	// called only when neither --lang nor ASMLINK_LANG decides.
	Profile func() string
}

// Choose picks the language people already set, in this order: --lang,
// ASMLINK_LANG, the aliyun CLI profile's language, then the locale
// (LC_ALL, LC_MESSAGES, LANG, as POSIX ranks them); English when none is
// set. A --lang or ASMLINK_LANG value that is not en or zh is an error
// naming it, since someone chose it on purpose; a profile or locale value
// asmlink does not speak is passed over.
func Choose(c Choice) (Language, error) {
	getenv := c.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if c.Flag != "" {
		return exact("--lang", c.Flag)
	}
	if v := getenv("ASMLINK_LANG"); v != "" {
		return exact("ASMLINK_LANG", v)
	}
	if c.Profile != nil {
		if l, ok := ParseLanguage(c.Profile()); ok {
			return l, nil
		}
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if l, ok := ParseLanguage(v); ok {
				return l, nil
			}
			// POSIX: the first variable set decides, even if its value
			// names no locale asmlink can read.
			return EN, nil
		}
	}
	return EN, nil
}

// exact accepts only a language asmlink speaks, by its short name.
func exact(from, v string) (Language, error) {
	for _, l := range Languages {
		if Language(v) == l {
			return l, nil
		}
	}
	return "", fmt.Errorf("%s %q is not a language asmlink speaks: use %s or %s", from, v, EN, ZH)
}

// lang is the language of this run.
var lang = EN

// printer formats the catalogue's messages in the language of this run.
var printer = message.NewPrinter(language.English, message.Catalog(messages))

// UseLanguage makes l the language of this run: the catalogue the screens
// read (Active) and the printer of Sprintf.
func UseLanguage(l Language) {
	lang = l
	printer = message.NewPrinter(l.Tag(), message.Catalog(messages))
	if l == ZH {
		Use(&Chinese)
		return
	}
	Use(&English)
}

// Current is the language of this run.
func Current() Language { return lang }

// Sprintf formats the message whose English text is key in the language of
// this run, through the message catalogue: its translation, with plural
// forms chosen by the library from the arguments. A key without a
// translation is formatted as it is, in English.
func Sprintf(key string, args ...any) string { return printer.Sprintf(key, args...) }

// Translated says whether the catalogue translates key into Chinese (a
// command to run is its own translation).
func Translated(key string) bool {
	_, ok := zh[key]
	return ok
}

// T is the translation of a message without arguments into the language
// of this run, or key itself when it has none. It is not formatted, so a
// key may hold a literal %.
func T(key string) string {
	if lang == ZH {
		if t, ok := zh[key]; ok {
			return t
		}
	}
	return key
}
