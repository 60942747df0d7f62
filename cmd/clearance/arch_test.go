package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/clearance-dev/clearance"

// TestDependencyRules enforces the layering of DEVELOPERS.md:
// cmd → server → engine → {loader, rego}; loader, rego and corpus import
// nothing of ours; only engine imports OPA, only loader go-memdb, only
// server gorilla/websocket. Test files are exempt.
func TestDependencyRules(t *testing.T) {
	imports := packageImports(t, "../..")
	ours := func(p string) bool { return strings.HasPrefix(p, module+"/") }
	only := map[string]string{
		"github.com/open-policy-agent/opa": "engine",
		"github.com/hashicorp/go-memdb":    "loader",
		"github.com/gorilla/websocket":     "server",
	}
	for pkg, imps := range imports {
		top := strings.SplitN(pkg, "/", 2)[0]
		for _, imp := range imps {
			if ours(imp) && (top == "loader" || top == "rego" || top == "corpus") {
				t.Errorf("%s imports %s: loader, rego and corpus import nothing of ours", pkg, imp)
			}
			for prefix, owner := range only {
				if strings.HasPrefix(imp, prefix) && top != owner {
					t.Errorf("%s imports %s: only %s may", pkg, imp, owner)
				}
			}
			if ours(imp) && top == "engine" && strings.HasPrefix(imp, module+"/server") {
				t.Errorf("%s imports %s: engine must not depend on server", pkg, imp)
			}
		}
	}
	if len(imports) < 6 {
		t.Fatalf("found only %d packages", len(imports))
	}
}

// packageImports maps each package directory (relative to root) to the
// imports of its non-test Go files.
func packageImports(t *testing.T, root string) map[string][]string {
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[filepath.ToSlash(rel)] = append(out[filepath.ToSlash(rel)], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
