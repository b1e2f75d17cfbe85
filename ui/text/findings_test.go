package text

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// checkMessages are the messages flow's checks and diagnoses report: the
// format (or constant message) of every call of their helpers, read from
// flow's source, so a new message cannot ship without its Chinese.
func checkMessages(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../flow/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("flow's source: %v", err)
	}
	// The argument that holds the message, by helper.
	helpers := map[string]int{"pass": 0, "problem": 0, "skip": 0, "passf": 0, "problemf": 0, "skipf": 0, "say": 1, "sayDiagnosis": 3, "fixf": 0}
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := fixDescription(n); ok {
				out = append(out, s)
			}
			if s, ok := saidLiteral(n); ok {
				out = append(out, s)
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			id, ok := call.Fun.(*ast.Ident)
			if !ok {
				return true
			}
			i, ok := helpers[id.Name]
			if !ok || len(call.Args) <= i {
				return true
			}
			if lit, ok := call.Args[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, s)
			}
			return true
		})
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// saidLiteral is the format of a Said literal.
func saidLiteral(n ast.Node) (string, bool) {
	lit, ok := n.(*ast.CompositeLit)
	if !ok || len(lit.Elts) == 0 {
		return "", false
	}
	if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "Said" {
		return "", false
	}
	first := lit.Elts[0]
	if kv, ok := first.(*ast.KeyValueExpr); ok {
		first = kv.Value
	}
	if v, ok := first.(*ast.BasicLit); ok && v.Kind == token.STRING {
		s, err := strconv.Unquote(v.Value)
		return s, err == nil
	}
	return "", false
}

// fixDescription is the constant Description of a Fix literal.
func fixDescription(n ast.Node) (string, bool) {
	lit, ok := n.(*ast.CompositeLit)
	if !ok {
		return "", false
	}
	if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "Fix" {
		return "", false
	}
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if key, isIdent := kv.Key.(*ast.Ident); !ok || !isIdent || key.Name != "Description" {
			continue
		}
		if v, ok := kv.Value.(*ast.BasicLit); ok && v.Kind == token.STRING {
			s, err := strconv.Unquote(v.Value)
			return s, err == nil
		}
	}
	return "", false
}

// TestEveryCheckMessageHasAChineseTranslation fails when a message a check
// reports lacks a Chinese translation (add it to zhFindings), and when a
// translation in zhFindings is no check's message any more.
func TestEveryCheckMessageHasAChineseTranslation(t *testing.T) {
	msgs := checkMessages(t)
	if len(msgs) < 50 {
		t.Fatalf("found only %d check messages in flow: %q", len(msgs), msgs)
	}
	for _, m := range msgs {
		if _, ok := zhFindings[m]; !ok {
			t.Errorf("no Chinese for %q (add it to zhFindings)", m)
		}
	}
	for en := range zhFindings {
		if !slices.Contains(msgs, en) {
			t.Errorf("zhFindings translates %q, which no check says", en)
		}
	}
}
