package text

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// uiMessages are the keys of every text.Sprintf and text.T call with a
// constant key in ui/ outside this package, read from the source.
func uiMessages(t *testing.T) []string {
	t.Helper()
	var out []string
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || filepath.Dir(path) == "../text" {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Sprintf" && sel.Sel.Name != "T") {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "text" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, s)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestEveryCommandMessageHasAChineseTranslation fails when ui/ says a
// constant message through the catalogue that has no Chinese, and when a
// translation in zhCommands is said nowhere.
func TestEveryCommandMessageHasAChineseTranslation(t *testing.T) {
	msgs := uiMessages(t)
	for _, m := range msgs {
		if !Translated(m) {
			t.Errorf("no Chinese for %q (add it to zhCommands)", m)
		}
	}
	for en := range zhCommands {
		if !slices.Contains(msgs, en) {
			t.Errorf("zhCommands translates %q, which ui/ never says", en)
		}
	}
}
