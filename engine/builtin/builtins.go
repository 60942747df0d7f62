package builtin

import (
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/clearance-dev/clearance/engine/builtin/iam"
)

// The iam.* built-ins are the only Go code the Rego decision logic calls.
// They do primitive matching only: one value against a list of patterns.
// Registered process-wide (cheaper per call than rego.FunctionN options).
var builtinDecls = []*ast.Builtin{
	{
		Name: "iam.glob_any", // any action pattern matches (IAM * and ?)
		Decl: types.NewFunction(types.Args(types.NewArray(nil, types.A), types.S), types.B),
	},
	{
		Name: "iam.resource_any", // any Resource pattern matches the ARN
		Decl: types.NewFunction(types.Args(types.NewArray(nil, types.A), types.S), types.B),
	},
	{
		Name: "iam.expand", // substitute policy variables into a template
		Decl: types.NewFunction(types.Args(types.A, types.A, types.B), types.S),
	},
	{
		Name: "iam.cond_count", // how many request values match some policy value under a base operator
		Decl: types.NewFunction(types.Args(types.S, types.NewArray(nil, types.A), types.NewArray(nil, types.A)), types.N),
	},
}

func init() {
	impls := map[string]topdown.BuiltinFunc{
		"iam.glob_any":     builtinGlobAny,
		"iam.resource_any": builtinResourceAny,
		"iam.expand":       builtinExpand,
		"iam.cond_count":   builtinCondCount,
	}
	for _, b := range builtinDecls {
		ast.RegisterBuiltin(b)
		topdown.RegisterBuiltinFunc(b.Name, impls[b.Name])
	}
}

var (
	termTrue  = ast.BooleanTerm(true)
	termFalse = ast.BooleanTerm(false)
)

func boolTerm(b bool) *ast.Term {
	if b {
		return termTrue
	}
	return termFalse
}

// astValues reads an OPA array as the primitives' list of values.
type astValues struct{ a *ast.Array }

func (v astValues) Len() int {
	if v.a == nil {
		return 0
	}
	return v.a.Len()
}

func (v astValues) Kind(i int) iam.Kind {
	switch v.a.Elem(i).Value.(type) {
	case ast.String:
		return iam.String
	case ast.Number:
		return iam.Number
	case ast.Boolean:
		return iam.Boolean
	}
	return iam.Other
}

func (v astValues) Text(i int) (string, bool) { return scalarString(v.a.Elem(i)) }

func (v astValues) Float(i int) (float64, bool) {
	if n, ok := v.a.Elem(i).Value.(ast.Number); ok {
		return n.Float64()
	}
	return 0, false
}

func (v astValues) Int(i int) (int64, bool) {
	if n, ok := v.a.Elem(i).Value.(ast.Number); ok {
		return n.Int64()
	}
	return 0, false
}

func (v astValues) Bool(i int) (bool, bool) {
	b, ok := v.a.Elem(i).Value.(ast.Boolean)
	return bool(b), ok
}

func arrayOf(t *ast.Term) astValues {
	a, _ := t.Value.(*ast.Array)
	return astValues{a}
}

func builtinGlobAny(_ topdown.BuiltinContext, ops []*ast.Term, iter func(*ast.Term) error) error {
	v, ok := ops[1].Value.(ast.String)
	if !ok {
		return iter(termFalse)
	}
	return iter(boolTerm(iam.GlobAny(arrayOf(ops[0]), string(v))))
}

func builtinResourceAny(_ topdown.BuiltinContext, ops []*ast.Term, iter func(*ast.Term) error) error {
	v, ok := ops[1].Value.(ast.String)
	if !ok {
		return iter(termFalse)
	}
	return iter(boolTerm(iam.ResourceAny(arrayOf(ops[0]), string(v))))
}

// builtinExpand substitutes policy variables. It is undefined when a
// variable has no value in the context and no default, or when the value is
// multivalued (only single-valued keys may be used as variables).
func builtinExpand(_ topdown.BuiltinContext, ops []*ast.Term, iter func(*ast.Term) error) error {
	parts, ok := ops[0].Value.(*ast.Array)
	ctx, ok2 := ops[1].Value.(ast.Object)
	glob, ok3 := ops[2].Value.(ast.Boolean)
	if !ok || !ok2 || !ok3 {
		return nil
	}
	var sb strings.Builder
	for i := range parts.Len() {
		part, ok := parts.Elem(i).Value.(ast.Object)
		if !ok {
			return nil
		}
		s, ok := expandPart(part, ctx, bool(glob))
		if !ok {
			return nil
		}
		sb.WriteString(s)
	}
	return iter(ast.StringTerm(sb.String()))
}

var (
	keyLit        = ast.StringTerm("lit")
	keyVar        = ast.StringTerm("var")
	keyDefault    = ast.StringTerm("default")
	keyHasDefault = ast.StringTerm("has_default")
)

func expandPart(part ast.Object, ctx ast.Object, glob bool) (string, bool) {
	var name ast.String
	if t := part.Get(keyVar); t != nil {
		name, _ = t.Value.(ast.String)
	}
	if name == "" {
		lit, _ := stringOf(part.Get(keyLit))
		return lit, true
	}
	if v := ctx.Get(ast.StringTerm(string(name))); v != nil {
		// Only single-valued keys may be variables: a one-element list.
		if arr, ok := v.Value.(*ast.Array); ok && arr.Len() == 1 {
			v = arr.Elem(0)
		}
		if s, ok := scalarString(v); ok {
			return iam.Substitute(s, glob), true
		}
		return "", false
	}
	if hd := part.Get(keyHasDefault); hd != nil && hd.Equal(termTrue) {
		d, _ := stringOf(part.Get(keyDefault))
		return iam.Substitute(d, glob), true
	}
	return "", false
}

func stringOf(t *ast.Term) (string, bool) {
	if t == nil {
		return "", false
	}
	s, ok := t.Value.(ast.String)
	return string(s), ok
}

// scalarString renders a single-valued context value as IAM compares it:
// strings as they are, numbers in their literal form, booleans as
// "true"/"false".
func scalarString(t *ast.Term) (string, bool) {
	switch v := t.Value.(type) {
	case ast.String:
		return string(v), true
	case ast.Number:
		return string(v), true
	case ast.Boolean:
		if v {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// builtinCondCount counts the request values that match at least one
// policy value under a positive base operator.
func builtinCondCount(_ topdown.BuiltinContext, ops []*ast.Term, iter func(*ast.Term) error) error {
	op, ok := ops[0].Value.(ast.String)
	if !ok {
		return fmt.Errorf("iam.cond_count: unknown condition operator %v", ops[0])
	}
	rs, ok1 := ops[1].Value.(*ast.Array)
	vals, ok2 := ops[2].Value.(*ast.Array)
	if !ok1 || !ok2 {
		if _, err := iam.CondCount(string(op), astValues{}, astValues{}); err != nil {
			return err
		}
		return iter(countTerm(0))
	}
	n, err := iam.CondCount(string(op), astValues{rs}, astValues{vals})
	if err != nil {
		return err
	}
	return iter(countTerm(n))
}

var smallCounts = func() []*ast.Term {
	out := make([]*ast.Term, 64)
	for i := range out {
		out[i] = ast.IntNumberTerm(i)
	}
	return out
}()

func countTerm(n int) *ast.Term {
	if n < len(smallCounts) {
		return smallCounts[n]
	}
	return ast.IntNumberTerm(n)
}
