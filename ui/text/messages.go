package text

import (
	"maps"
	"reflect"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// zhDictionaries are every Chinese translation, each keyed by its English
// text: the screens', the finding codes' and the help's.
var zhDictionaries = []map[string]string{zhScreens, zhCodes, zhHelp, zhFindings, zhCommands}

// zh is the union of zhDictionaries.
var zh = func() map[string]string {
	out := map[string]string{}
	for _, d := range zhDictionaries {
		maps.Copy(out, d)
	}
	return out
}()

// pluralEN are the English messages whose words follow a number, keyed by
// the message; the library picks the form from the number (CLDR plural
// rules), so no caller tests for one. Chinese has one form.
var pluralEN = map[string][]any{
	"%d warnings":                        {1, "%d", "=1", "%d warning", "other", "%d warnings"},
	"both links healthy for %d clusters": {1, "%d", "=1", "both links healthy for %d cluster", "other", "both links healthy for %d clusters"},
}

// messages is the message catalogue of x/text: the translations into
// Chinese and the English plural forms, with English as the fallback.
var messages = func() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for en, args := range pluralEN {
		if err := b.Set(language.English, en, plural.Selectf(args[0].(int), args[1].(string), args[2:]...)); err != nil {
			panic(err)
		}
	}
	for en, t := range zh {
		if t == en {
			continue // a command to run, which reads the same in both
		}
		if err := b.SetString(language.SimplifiedChinese, en, t); err != nil {
			panic(err)
		}
	}
	return b
}()

// translate returns a copy of v (a catalogue struct) with every string in
// it, including those of its lists, maps and nested structs, replaced by
// its translation in dict; a string without one stays as it is (the
// missing-translation test finds those).
func translate[T any](v T, dict map[string]string) T {
	out := reflect.New(reflect.TypeOf(v)).Elem()
	out.Set(translateValue(reflect.ValueOf(v), dict))
	return out.Interface().(T)
}

func translateValue(v reflect.Value, dict map[string]string) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		if t, ok := dict[v.String()]; ok {
			return reflect.ValueOf(t).Convert(v.Type())
		}
		return v
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		for i := range v.NumField() {
			out.Field(i).Set(translateValue(v.Field(i), dict))
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(translateValue(v.Index(i), dict))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), translateValue(it.Value(), dict))
		}
		return out
	}
	return v
}

// strings lists every string in v (a catalogue struct), for the tests that
// check each one has a translation.
func catalogueStrings(v any) []string {
	var out []string
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			if v.String() != "" {
				out = append(out, v.String())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(v))
	return out
}

// Chinese is the catalogue in Chinese: English with every word translated.
var Chinese = translate(English, zhScreens)

// printerFor is the catalogue's printer of l.
func printerFor(l Language) *message.Printer {
	return message.NewPrinter(l.Tag(), message.Catalog(messages))
}
