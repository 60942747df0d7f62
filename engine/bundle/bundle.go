// Package bundle compiles the embedded Rego decision logic (package rego)
// for the engine's two evaluators: OPA's topdown (Compile) and the plan
// evaluator (Plan: OPA's intermediate representation, planned once per
// process from whatever rules the bundle holds). It also converts values
// between OPA's AST and the plan evaluator's form, for the differential
// tests and for the values the engine caches per statement.
package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	opabundle "github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/compile"
	"github.com/open-policy-agent/opa/v1/ir"
	"github.com/open-policy-agent/opa/v1/rego"

	// The iam.* built-ins register themselves with OPA: the compiler's
	// capabilities must know them.
	_ "github.com/clearance-dev/clearance/engine/builtin"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/plan"
	policies "github.com/clearance-dev/clearance/rego"
)

// Modules parses the embedded Rego files; with tests it includes the
// _test.rego files.
func Modules(tests bool) (map[string]*ast.Module, error) {
	mods := map[string]*ast.Module{}
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fault.Internal(err) // the embedded file system
		}
		if d.IsDir() || !strings.HasSuffix(path, ".rego") || (!tests && strings.HasSuffix(path, "_test.rego")) {
			return nil
		}
		src, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return fault.Wrap(fault.CodeInternal, err, "read %s", path)
		}
		m, err := ast.ParseModuleWithOpts(path, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		if err != nil {
			return fault.Wrap(fault.CodeInternal, err, "parse %s", path)
		}
		mods[path] = m
		return nil
	})
	return mods, err
}

// Compile compiles the embedded Rego in strict mode.
func Compile(tests bool) (*ast.Compiler, error) {
	mods, err := Modules(tests)
	if err != nil {
		return nil, err
	}
	c := ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(false)
	if c.Compile(mods); c.Failed() {
		return nil, fault.Wrap(fault.CodeInternal, c.Errors, "compile rego")
	}
	return c, nil
}

// EntryPackage is the package whose public rules are the plan's entry
// points.
const EntryPackage = "clearance.authz"

// EntryPoint names the plan of a rule of EntryPackage, as Program.Eval
// takes it: "clearance/authz/decision" for data.clearance.authz.decision.
func EntryPoint(rule string) string {
	return strings.ReplaceAll(EntryPackage, ".", "/") + "/" + rule
}

var planned struct {
	once sync.Once
	prog *plan.Program
	ir   *ir.Policy
	err  error
}

// Program returns the loaded plan of the bundle, planned once per process.
func Program() (*plan.Program, error) {
	planned.once.Do(func() {
		planned.ir, planned.err = Plan(context.Background())
		if planned.err == nil {
			planned.prog, planned.err = plan.Load(planned.ir)
		}
		if planned.err != nil {
			planned.err = fault.Wrap(fault.CodeInternal, planned.err, "plan the decision logic")
		}
	})
	return planned.prog, planned.err
}

// Plan compiles the embedded Rego (without tests) to OPA's intermediate
// representation, with one plan for each public rule (a name without a
// leading underscore) of EntryPackage: a rule added there is an entry
// point without a change here.
func Plan(ctx context.Context) (*ir.Policy, error) {
	mods, err := Modules(false)
	if err != nil {
		return nil, err
	}
	b := &opabundle.Bundle{Data: map[string]any{}}
	names := make([]string, 0, len(mods))
	for name := range mods {
		names = append(names, name)
	}
	sort.Strings(names)
	entries := map[string]bool{}
	for _, name := range names {
		m := mods[name]
		b.Modules = append(b.Modules, opabundle.ModuleFile{Path: name, URL: name, Parsed: m, Raw: []byte(m.String())})
		if strings.TrimPrefix(m.Package.Path.String(), "data.") != EntryPackage {
			continue
		}
		for _, r := range m.Rules {
			if n := r.Head.Ref().String(); len(r.Head.Args) == 0 && !strings.HasPrefix(n, "_") && !strings.Contains(n, ".") {
				entries[EntryPoint(n)] = true
			}
		}
	}
	eps := make([]string, 0, len(entries))
	for e := range entries {
		eps = append(eps, e)
	}
	sort.Strings(eps)
	var out bytes.Buffer
	c := compile.New().WithTarget(compile.TargetPlan).WithBundle(b).WithEntrypoints(eps...).
		WithRegoVersion(ast.RegoV1).WithPruneUnused(true).WithOutput(&out)
	if err := c.Build(ctx); err != nil {
		return nil, fmt.Errorf("plan %v: %w", eps, err)
	}
	built := c.Bundle()
	if built == nil || len(built.PlanModules) != 1 {
		return nil, fmt.Errorf("plan %v: no plan module", eps)
	}
	var p ir.Policy
	if err := json.Unmarshal(built.PlanModules[0].Raw, &p); err != nil {
		return nil, fmt.Errorf("plan %v: read the plan: %w", eps, err)
	}
	return &p, nil
}

// EntryOf names the plan of a query: "data.clearance.authz.decision" is
// "clearance/authz/decision".
func EntryOf(query string) string {
	return strings.ReplaceAll(strings.TrimPrefix(query, "data."), ".", "/")
}

// PolicyFree reads from the logic the actions it may allow without an
// Allow statement (the engine's allow index sends them to the logic).
func PolicyFree(ctx context.Context, compiler *ast.Compiler) (map[string]bool, error) {
	rs, err := rego.New(rego.Query(policies.PolicyFreeQuery), rego.Compiler(compiler)).Eval(ctx)
	if err != nil {
		return nil, fault.Wrap(fault.CodeInternal, err, "read %s", policies.PolicyFreeQuery)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fault.Errorf(fault.CodeInternal, "read %s: undefined", policies.PolicyFreeQuery)
	}
	list, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		return nil, fault.Errorf(fault.CodeInternal, "read %s: a set of actions expected, got %T", policies.PolicyFreeQuery, rs[0].Expressions[0].Value)
	}
	out := map[string]bool{}
	for _, a := range list {
		s, ok := a.(string)
		if !ok {
			return nil, fault.Errorf(fault.CodeInternal, "read %s: an action string expected, got %T", policies.PolicyFreeQuery, a)
		}
		out[s] = true
	}
	return out, nil
}
