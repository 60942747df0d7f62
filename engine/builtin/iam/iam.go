// Package iam holds the primitive matching the Rego decision logic calls
// as its iam.* built-ins, free of any evaluator's value types: OPA's
// topdown (engine/builtin) and the plan evaluator (engine/plan) adapt
// their values to Values and call the same functions. The primitives
// match one value against a list of patterns; what the matches mean is
// the Rego's business.
package iam

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
)

// Kind is the type of one value of a list.
type Kind int

// The kinds of value the primitives tell apart.
const (
	Other Kind = iota
	String
	Number
	Boolean
)

// Values is a list of values as an evaluator holds it.
type Values interface {
	Len() int
	// Kind is the type of the i-th value.
	Kind(i int) Kind
	// Text is the i-th value as IAM compares it: a string as it is, a
	// number in its literal form, a boolean as "true"/"false".
	Text(i int) (string, bool)
	// Float and Int read a number.
	Float(i int) (float64, bool)
	Int(i int) (int64, bool)
	// Bool reads a boolean.
	Bool(i int) (bool, bool)
}

// GlobAny reports whether any action pattern matches value (IAM * and ?).
func GlobAny(patterns Values, value string) bool {
	return anyString(patterns, func(p string) bool { return pattern.Glob(p, value) })
}

// ResourceAny reports whether any Resource pattern matches the ARN.
func ResourceAny(patterns Values, arn string) bool {
	return anyString(patterns, func(p string) bool { return pattern.ResourceMatch(p, arn) })
}

func anyString(vals Values, f func(string) bool) bool {
	for i := range vals.Len() {
		if vals.Kind(i) != String {
			continue
		}
		if s, ok := vals.Text(i); ok && f(s) {
			return true
		}
	}
	return false
}

// CondCount counts the request values that match at least one policy
// value under a positive base operator.
func CondCount(op string, requests, policyValues Values) (int, error) {
	c, known := comparators[op]
	if !known {
		return 0, fmt.Errorf("iam.cond_count: unknown condition operator %q", op)
	}
	n := 0
	for i := range requests.Len() {
		if r, ok := requests.Text(i); ok && c(r, policyValues) {
			n++
		}
	}
	return n, nil
}

// Substitute renders a variable's value as it goes into a template: in a
// glob pattern its * and ? are escaped.
func Substitute(s string, glob bool) string {
	if glob {
		return pattern.GlobEscape(s)
	}
	return s
}

// comparator reports whether the request value r matches at least one of
// the policy values under a positive base operator. Policy values are
// typed by the loader (see policy.Condition.Values).
type comparator func(r string, vals Values) bool

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

func anyPolicyString(f func(p, r string) bool) comparator {
	return func(r string, vals Values) bool {
		for i := range vals.Len() {
			if p, ok := vals.Text(i); ok && f(p, r) {
				return true
			}
		}
		return false
	}
}

// boolEquals: the request value is "true" or "false" (any case); policy
// values are booleans, or strings where a variable was substituted.
func boolEquals(r string, vals Values) bool {
	for i := range vals.Len() {
		var want bool
		switch vals.Kind(i) {
		case Boolean:
			want, _ = vals.Bool(i)
		case String:
			s, _ := vals.Text(i)
			b, err := strconv.ParseBool(s)
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
	return func(r string, vals Values) bool {
		a, ok := pattern.ParseNumber(r)
		if !ok {
			return false
		}
		for i := range vals.Len() {
			if b, ok := vals.Float(i); ok && op(a, b) {
				return true
			}
		}
		return false
	}
}

// date: policy values are Unix nanoseconds; the request value is parsed
// with the same rules as policy dates. An unparsable value matches nothing.
func date(op func(a, b int64) bool) comparator {
	return func(r string, vals Values) bool {
		t, err := policy.ParseDate(r)
		if err != nil {
			return false
		}
		a := policy.DateNanos(t)
		for i := range vals.Len() {
			if b, ok := vals.Int(i); ok && op(a, b) {
				return true
			}
		}
		return false
	}
}
