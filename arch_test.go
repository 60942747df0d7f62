// Package clearance_test holds the architecture test: which package may
// import which. It has no code of its own.
package clearance_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/clearance-dev/clearance/"

// allowed lists, for every package of the module, the packages of ours it
// may import (non-test files). A package missing from the table fails the
// test, so a new package must be placed in the layering on purpose:
//
//	cmd → server → engine/render → engine/{audit,checks,query} → engine/sts → engine/explain → engine
//	engine → {engine/bundle, engine/plan, engine/builtin, engine/clock, engine/fault, engine/index, engine/parallel, loader/..., rego}
//	engine/bundle → engine/plan → engine/builtin/iam ← engine/builtin
//	loader/... → loader/... below it → loader/pattern (the leaf)
var allowed = map[string][]string{
	"loader/pattern":         {},
	"loader/tree":            {},
	"loader/files":           {},
	"loader/catalog":         {"loader/pattern"},
	"loader/catalog/gen":     {"loader/catalog"},
	"loader/policy":          {"loader/pattern", "loader/tree"},
	"loader/world":           {"loader/pattern", "loader/tree", "loader/policy", "loader/catalog"},
	"loader/store":           {"loader/pattern", "loader/tree", "loader/policy", "loader/world"},
	"loader/export":          {"loader/pattern", "loader/tree", "loader/files", "loader/policy", "loader/world"},
	"loader/change":          {"loader/pattern", "loader/tree", "loader/files", "loader/policy", "loader/world"},
	"loader/exclusion":       {"loader/pattern", "loader/tree"},
	"loader/assertion":       {"loader/pattern", "loader/tree", "loader/files", "loader/policy", "loader/world", "loader/scenario"},
	"loader/cfn":             {"loader/pattern", "loader/tree", "loader/files", "loader/policy", "loader/world", "loader/change"},
	"loader/tfplan":          {"loader/pattern", "loader/tree", "loader/files", "loader/policy", "loader/world", "loader/change"},
	"loader/scenario":        {"loader/pattern", "loader/tree", "loader/files", "loader/policy", "loader/world", "loader/export"},
	"rego":                   {},
	"internal/sharedtest":    {},
	"engine/privesc":         {},
	"engine/privesc/gen":     {"engine/privesc"},
	"engine/builtin":         {"loader/...", "engine/builtin/iam"},
	"engine/builtin/iam":     {"loader/..."},
	"engine/plan":            {"engine/builtin/iam"},
	"engine/bundle":          {"rego", "engine/builtin", "engine/fault", "engine/plan"},
	"engine/fault":           {"loader/tree"},
	"engine/parallel":        {"engine/fault"},
	"engine/clock":           {"loader/policy"},
	"engine/index":           {"loader/pattern", "loader/policy", "loader/world"},
	"engine":                 {"loader/...", "rego", "engine/builtin", "engine/bundle", "engine/plan", "engine/clock", "engine/fault", "engine/index", "engine/parallel"},
	"engine/enginetest":      {"engine", "loader/..."},
	"engine/explain":         {"engine", "loader/..."},
	"engine/sts":             core("engine/clock", "engine/explain"),
	"engine/query":           core("engine/sts"),
	"engine/query/querytest": core("engine/enginetest", "engine/query"),
	"engine/baseline":        {"loader/tree"},
	"engine/audit":           core("engine/explain", "engine/sts", "engine/privesc", "engine/baseline"),
	"engine/checks":          core("engine/clock", "engine/sts"),
	"engine/review":          core("engine/explain", "engine/sts", "engine/query", "engine/audit", "engine/checks", "engine/privesc", "engine/baseline"),
	"engine/render":          core("engine/explain", "engine/sts", "engine/query", "engine/audit", "engine/checks", "engine/review", "engine/baseline"),
	"engine/shard":           core("engine/sts", "engine/audit"),
	"engine/shard/storage":   {"engine/fault"},
	"engine/temporal":        core("engine/audit", "engine/shard", "engine/shard/storage"),
	"server":                 {"engine...", "loader/..."},
	"server/browsertest":     {"server", "engine...", "loader/..."},
	"cmd/clearance":          {"server", "engine...", "loader/..."},
	"benchmarks":             {"engine...", "loader/..."},
}

// core is what every package above the engine core may import, plus more.
func core(more ...string) []string {
	return append([]string{"engine", "engine/fault", "engine/parallel", "loader/..."}, more...)
}

// owners: only these packages may import the module (prefix match).
// engine/plan, the plan evaluator, reads OPA's IR types only (opaOnly):
// it must not lean on OPA's evaluator or AST.
var owners = map[string][]string{
	"github.com/open-policy-agent/opa": {"engine", "engine/builtin", "engine/bundle", "engine/plan"},
	"github.com/hashicorp/go-memdb":    {"loader/store"},
	"github.com/gorilla/websocket":     {"server"},
	"go.temporal.io":                   {"engine/temporal"},
	"github.com/aws/":                  {"engine/shard/storage"},
}

// opaOnly limits what of OPA a package listed in owners may import.
var opaOnly = map[string][]string{
	"engine/plan": {"github.com/open-policy-agent/opa/v1/ir"},
}

func TestDependencyRules(t *testing.T) {
	imports := packageImports(t, ".")
	if len(imports) < len(allowed)/2 {
		t.Fatalf("found only %d packages", len(imports))
	}
	for pkg, imps := range imports {
		rules, ok := allowed[pkg]
		if !ok {
			t.Errorf("%s: not in the architecture table (arch_test.go); place it in the layering", pkg)
			continue
		}
		for _, imp := range imps {
			if rest, ours := strings.CutPrefix(imp, module); ours && !permitted(rest, rules) {
				t.Errorf("%s imports %s: it may import only %v", pkg, rest, rules)
			}
			if only, ok := opaOnly[pkg]; ok && strings.HasPrefix(imp, "github.com/open-policy-agent/opa") && !contains(only, imp) {
				t.Errorf("%s imports %s: of OPA it may import only %v", pkg, imp, only)
			}
			for lib, who := range owners {
				if strings.HasPrefix(imp, lib) && !contains(who, pkg) {
					t.Errorf("%s imports %s: only %v may", pkg, imp, who)
				}
			}
		}
	}
	for pkg := range allowed {
		if _, ok := imports[pkg]; !ok {
			t.Errorf("%s is in the architecture table but has no Go files", pkg)
		}
	}
}

// permitted matches an import against rules: "a/..." is every package
// below a, "a..." is a and every package below it, anything else exact.
func permitted(imp string, rules []string) bool {
	for _, r := range rules {
		switch {
		case strings.HasSuffix(r, "/..."):
			if strings.HasPrefix(imp, strings.TrimSuffix(r, "...")) {
				return true
			}
		case strings.HasSuffix(r, "..."):
			base := strings.TrimSuffix(r, "...")
			if imp == base || strings.HasPrefix(imp, base+"/") {
				return true
			}
		case imp == r:
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// packageImports maps each package directory (relative to root) to the
// sorted imports of its non-test Go files.
func packageImports(t *testing.T, root string) map[string][]string {
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(filepath.Dir(path))
		if _, ok := out[rel]; !ok {
			out[rel] = nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[rel] = append(out[rel], p)
		}
		sort.Strings(out[rel])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
