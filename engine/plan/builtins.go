package plan

import (
	"strconv"
	"strings"

	"github.com/clearance-dev/clearance/engine/builtin/iam"
)

// builtin is a built-in function: nil is undefined, as OPA's topdown
// (without strict built-in errors) answers a call it cannot make.
type builtin struct {
	arity int
	fn    func(args []Value) Value
}

// builtins are the built-ins the evaluator implements: those the
// decision plan uses.
var builtins = map[string]builtin{
	"internal.member_2": {2, member},
	"neq":               {2, func(a []Value) Value { return BoolOf(!Equal(a[0], a[1])) }},
	"equal":             {2, func(a []Value) Value { return BoolOf(Equal(a[0], a[1])) }},
	"gt":                {2, func(a []Value) Value { return BoolOf(Compare(a[0], a[1]) > 0) }},
	"gte":               {2, func(a []Value) Value { return BoolOf(Compare(a[0], a[1]) >= 0) }},
	"lt":                {2, func(a []Value) Value { return BoolOf(Compare(a[0], a[1]) < 0) }},
	"lte":               {2, func(a []Value) Value { return BoolOf(Compare(a[0], a[1]) <= 0) }},
	"count":             {1, countOf},
	"is_object":         {1, func(a []Value) Value { _, ok := a[0].(*Object); return BoolOf(ok) }},
	"is_string":         {1, func(a []Value) Value { _, ok := a[0].(String); return BoolOf(ok) }},
	"object.union":      {2, objectUnion},
	"split":             {2, split},
	"startswith":        {2, startsWith},
	"concat":            {2, concat},
	"array.slice":       {3, arraySlice},
	"iam.glob_any":      {2, func(a []Value) Value { return matchAny(a, iam.GlobAny) }},
	"iam.resource_any":  {2, func(a []Value) Value { return matchAny(a, iam.ResourceAny) }},
	"iam.cond_count":    {3, condCount},
	"iam.expand":        {3, expand},
}

// Builtins names the built-ins the evaluator implements.
func Builtins() []string {
	out := make([]string, 0, len(builtins))
	for k := range builtins {
		out = append(out, k)
	}
	return out
}

func member(a []Value) Value {
	switch c := a[1].(type) {
	case *Array:
		for _, e := range c.elems {
			if Equal(e, a[0]) {
				return True
			}
		}
	case *Set:
		return BoolOf(c.Contains(a[0]))
	case *Object:
		for _, v := range c.vals {
			if Equal(v, a[0]) {
				return True
			}
		}
	}
	return False
}

func countOf(a []Value) Value {
	n, ok := length(a[0])
	if !ok {
		return nil
	}
	return intValue(n)
}

// objectUnion merges b into a: b's values win, objects merge recursively.
func objectUnion(a []Value) Value {
	x, ok1 := a[0].(*Object)
	y, ok2 := a[1].(*Object)
	if !ok1 || !ok2 {
		return nil
	}
	return union(x, y)
}

func union(x, y *Object) *Object {
	out := &Object{keys: append([]Value(nil), x.keys...), vals: append([]Value(nil), x.vals...)}
	for i, k := range y.keys {
		v := y.vals[i]
		if old, ok := out.Get(k).(*Object); ok {
			if nv, ok := v.(*Object); ok {
				v = union(old, nv)
			}
		}
		out.Insert(k, v)
	}
	return out
}

func split(a []Value) Value {
	s, ok1 := a[0].(String)
	sep, ok2 := a[1].(String)
	if !ok1 || !ok2 {
		return nil
	}
	parts := strings.Split(string(s), string(sep))
	out := &Array{elems: make([]Value, len(parts))}
	for i, p := range parts {
		out.elems[i] = String(p)
	}
	return out
}

func startsWith(a []Value) Value {
	s, ok1 := a[0].(String)
	p, ok2 := a[1].(String)
	if !ok1 || !ok2 {
		return nil
	}
	return BoolOf(strings.HasPrefix(string(s), string(p)))
}

func concat(a []Value) Value {
	sep, ok := a[0].(String)
	if !ok {
		return nil
	}
	var elems []Value
	switch c := a[1].(type) {
	case *Array:
		elems = c.elems
	case *Set:
		elems = c.elems
	default:
		return nil
	}
	var sb strings.Builder
	for i, e := range elems {
		s, ok := e.(String)
		if !ok {
			return nil
		}
		if i > 0 {
			sb.WriteString(string(sep))
		}
		sb.WriteString(string(s))
	}
	return String(sb.String())
}

// arraySlice clamps as OPA does: stop to [0, len], start to [0, stop].
func arraySlice(a []Value) Value {
	arr, ok := a[0].(*Array)
	start, ok1 := a[1].(Int)
	stop, ok2 := a[2].(Int)
	if !ok || !ok1 || !ok2 {
		return nil
	}
	n := Int(len(arr.elems))
	stop = max(0, min(stop, n))
	start = max(0, min(start, stop))
	return &Array{elems: arr.elems[start:stop:stop]}
}

func matchAny(a []Value, f func(iam.Values, string) bool) Value {
	v, ok := a[1].(String)
	if !ok {
		return False
	}
	arr, _ := a[0].(*Array)
	return BoolOf(f(arrayValues{arr}, string(v)))
}

func condCount(a []Value) Value {
	op, ok := a[0].(String)
	if !ok {
		return nil
	}
	rs, ok1 := a[1].(*Array)
	vals, ok2 := a[2].(*Array)
	if !ok1 || !ok2 {
		rs, vals = nil, nil
	}
	n, err := iam.CondCount(string(op), arrayValues{rs}, arrayValues{vals})
	if err != nil {
		return nil
	}
	return intValue(n)
}

// expand substitutes policy variables into a template (a list of parts,
// each a literal or a variable with its default): undefined when a
// variable has no value and no default, or a value that is not single.
func expand(a []Value) Value {
	parts, ok1 := a[0].(*Array)
	ctx, ok2 := a[1].(*Object)
	glob, ok3 := a[2].(Bool)
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	var sb strings.Builder
	for _, p := range parts.elems {
		part, ok := p.(*Object)
		if !ok {
			return nil
		}
		s, ok := expandPart(part, ctx, bool(glob))
		if !ok {
			return nil
		}
		sb.WriteString(s)
	}
	return String(sb.String())
}

func expandPart(part, ctx *Object, glob bool) (string, bool) {
	name, _ := part.Get(String("var")).(String)
	if name == "" {
		lit, _ := part.Get(String("lit")).(String)
		return string(lit), true
	}
	if v := ctx.Get(name); v != nil {
		// Only single-valued keys may be variables: a one-element list.
		if arr, ok := v.(*Array); ok && len(arr.elems) == 1 {
			v = arr.elems[0]
		}
		if s, ok := text(v); ok {
			return iam.Substitute(s, glob), true
		}
		return "", false
	}
	if hd := part.Get(String("has_default")); hd != nil && Equal(hd, True) {
		d, _ := part.Get(String("default")).(String)
		return iam.Substitute(string(d), glob), true
	}
	return "", false
}

// text renders a scalar as IAM compares it.
func text(v Value) (string, bool) {
	switch x := v.(type) {
	case String:
		return string(x), true
	case Int:
		return strconv.FormatInt(int64(x), 10), true
	case Float:
		return strconv.FormatFloat(float64(x), 'f', -1, 64), true
	case Bool:
		return strconv.FormatBool(bool(x)), true
	}
	return "", false
}

// arrayValues reads an array as the iam primitives' list of values.
type arrayValues struct{ a *Array }

func (v arrayValues) Len() int {
	if v.a == nil {
		return 0
	}
	return len(v.a.elems)
}

func (v arrayValues) Kind(i int) iam.Kind {
	switch v.a.elems[i].(type) {
	case String:
		return iam.String
	case Int, Float:
		return iam.Number
	case Bool:
		return iam.Boolean
	}
	return iam.Other
}

func (v arrayValues) Text(i int) (string, bool) { return text(v.a.elems[i]) }

func (v arrayValues) Float(i int) (float64, bool) {
	switch x := v.a.elems[i].(type) {
	case Int:
		return float64(x), true
	case Float:
		return float64(x), true
	}
	return 0, false
}

func (v arrayValues) Int(i int) (int64, bool) {
	x, ok := v.a.elems[i].(Int)
	return int64(x), ok
}

func (v arrayValues) Bool(i int) (bool, bool) {
	b, ok := v.a.elems[i].(Bool)
	return bool(b), ok
}
