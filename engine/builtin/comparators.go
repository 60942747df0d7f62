package builtin

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
)

// comparator reports whether the request value r matches at least one of
// the policy values under a positive base operator. Policy values are typed
// by the loader (see loader.Condition.Values).
type comparator func(r string, vals *ast.Array) bool

// comparators maps each positive base operator to its primitive. Negation,
// IfExists, Null and set qualifiers are Rego's business.
var comparators = map[string]comparator{
	"StringEquals":           anyPolicyString(func(p, r string) bool { return p == r }),
	"StringEqualsIgnoreCase": anyPolicyString(strings.EqualFold),
	"StringLike":             anyPolicyString(pattern.Glob),
	"ArnEquals":              anyPolicyString(pattern.ArnLike),
	"ArnLike":                anyPolicyString(pattern.ArnLike),
	"BinaryEquals":           anyPolicyString(func(p, r string) bool { return pattern.BinaryEquals(r, p) }),
	"IpAddress":              anyPolicyString(func(p, r string) bool { return pattern.IPInCIDR(r, p) }),
	"Bool":                   boolEquals,
	"NumericEquals":          numeric(func(a, b float64) bool { return a == b }),
	"NumericLessThan":        numeric(func(a, b float64) bool { return a < b }),
	"NumericLessThanEquals":  numeric(func(a, b float64) bool { return a <= b }),
	"NumericGreaterThan":     numeric(func(a, b float64) bool { return a > b }),
	"NumericGreaterThanEquals": numeric(func(a, b float64) bool {
		return a >= b
	}),
	"DateEquals":            date(func(a, b int64) bool { return a == b }),
	"DateLessThan":          date(func(a, b int64) bool { return a < b }),
	"DateLessThanEquals":    date(func(a, b int64) bool { return a <= b }),
	"DateGreaterThan":       date(func(a, b int64) bool { return a > b }),
	"DateGreaterThanEquals": date(func(a, b int64) bool { return a >= b }),
}

func errUnknownOperator(op string) error {
	return fmt.Errorf("iam.cond_any: unknown condition operator %q", op)
}

func anyPolicyString(f func(p, r string) bool) comparator {
	return func(r string, vals *ast.Array) bool {
		for i := range vals.Len() {
			if p, ok := scalarString(vals.Elem(i)); ok && f(p, r) {
				return true
			}
		}
		return false
	}
}

// boolEquals: the request value is "true" or "false" (any case); policy
// values are booleans, or strings where a variable was substituted.
func boolEquals(r string, vals *ast.Array) bool {
	for i := range vals.Len() {
		var want bool
		switch v := vals.Elem(i).Value.(type) {
		case ast.Boolean:
			want = bool(v)
		case ast.String:
			b, err := strconv.ParseBool(string(v))
			if err != nil {
				continue
			}
			want = b
		default:
			continue
		}
		if pattern.BoolEquals(r, want) {
			return true
		}
	}
	return false
}

// numeric: a request value that is not a number matches nothing.
func numeric(op func(a, b float64) bool) comparator {
	return func(r string, vals *ast.Array) bool {
		a, ok := pattern.ParseNumber(r)
		if !ok {
			return false
		}
		for i := range vals.Len() {
			n, ok := vals.Elem(i).Value.(ast.Number)
			if !ok {
				continue
			}
			if b, ok := n.Float64(); ok && op(a, b) {
				return true
			}
		}
		return false
	}
}

// date: policy values are Unix nanoseconds; the request value is parsed
// with the same rules as policy dates. An unparsable value matches nothing.
func date(op func(a, b int64) bool) comparator {
	return func(r string, vals *ast.Array) bool {
		t, err := policy.ParseDate(r)
		if err != nil {
			return false
		}
		a := policy.DateNanos(t)
		for i := range vals.Len() {
			n, ok := vals.Elem(i).Value.(ast.Number)
			if !ok {
				continue
			}
			if b, ok := n.Int64(); ok && op(a, b) {
				return true
			}
		}
		return false
	}
}
