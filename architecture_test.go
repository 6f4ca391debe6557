package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// module is the import path of this repository.
const module = "github.com/unodc-csu/agora"

// layerRules are the imports each folder must not make (by prefix), as
// docs/ARCHITECTURE.md draws them: the domain knows nothing of HTTP, the
// pages do not reach into the server or each other's insides, and the
// pieces they share depend on neither.
var layerRules = []struct {
	dir       string
	forbidden []string
}{
	{"forms", []string{module + "/api", module + "/analysis", module + "/exports", "github.com/gin-gonic/gin", "net/http/httptest"}},
	{"analysis", []string{module + "/api", module + "/exports", "github.com/gin-gonic/gin", "github.com/xuri/excelize"}},
	{"exports", []string{module + "/api", "github.com/gin-gonic/gin"}},
	{"api/httpkit", []string{module + "/api/staff", module + "/api/web", module + "/api/apitest", "gorm.io/gorm"}},
	{"api/web", []string{module + "/api/staff", module + "/api/apitest", "gorm.io/gorm"}},
	{"api/staff", []string{module + "/api/apitest", "gorm.io/gorm"}},
}

// TestLayering reads every non-test Go file and checks the imports of its
// folder against layerRules, that no package keeps a *gorm.DB in a
// package-level variable, and that no SQL is written under api/.
func TestLayering(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, rule := range layerRules {
				if dir != rule.dir && !strings.HasPrefix(dir, rule.dir+"/") {
					continue
				}
				for _, bad := range rule.forbidden {
					if p == bad || strings.HasPrefix(p, bad+"/") {
						t.Errorf("%s imports %s, which %s/ must not", path, p, rule.dir)
					}
				}
			}
		}
		return checkBody(t, fset, path, dir)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkBody looks inside a file for a package-level *gorm.DB and, under
// api/, for SQL.
func checkBody(t *testing.T, fset *token.FileSet, path, dir string) error {
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return err
	}
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.VAR {
			continue
		}
		for _, spec := range gen.Specs {
			if v, ok := spec.(*ast.ValueSpec); ok && v.Type != nil && strings.Contains(exprString(v.Type), "gorm.DB") {
				t.Errorf("%s: a package-level *gorm.DB (%s)", path, v.Names[0].Name)
			}
		}
	}
	if !strings.HasPrefix(dir, "api") {
		return nil
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "Raw", "Exec", "Where", "Joins", "Table":
					t.Errorf("%s: %s(...) at %s: SQL belongs in the domain packages", path, sel.Sel.Name, fset.Position(call.Pos()))
				}
			}
		}
		return true
	})
	return nil
}

// exprString writes a type expression such as *gorm.DB.
func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.Ident:
		return x.Name
	}
	return ""
}
