package policy

import (
	"sort"
	"strings"
)

// The condition operators of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html.

// valueFamily says how an operator's values are typed.
type valueFamily int

const (
	famString     valueFamily = iota // raw strings; variables allowed
	famStringGlob                    // glob form; variables allowed
	famNumeric                       // float64
	famDate                          // int64 Unix nanoseconds
	famBool                          // bool; variables allowed (the operators page says so)
	famBinary                        // base64 text
	famIP                            // canonical CIDR
	famNull                          // bool
)

// operator describes one base operator (no qualifier, no IfExists).
type operator struct {
	family   valueFamily
	positive string // the operator a negated one negates; itself otherwise
	negated  bool
}

var operators = map[string]operator{
	"StringEquals":              {famString, "StringEquals", false},
	"StringNotEquals":           {famString, "StringEquals", true},
	"StringEqualsIgnoreCase":    {famString, "StringEqualsIgnoreCase", false},
	"StringNotEqualsIgnoreCase": {famString, "StringEqualsIgnoreCase", true},
	"StringLike":                {famStringGlob, "StringLike", false},
	"StringNotLike":             {famStringGlob, "StringLike", true},
	"NumericEquals":             {famNumeric, "NumericEquals", false},
	"NumericNotEquals":          {famNumeric, "NumericEquals", true},
	"NumericLessThan":           {famNumeric, "NumericLessThan", false},
	"NumericLessThanEquals":     {famNumeric, "NumericLessThanEquals", false},
	"NumericGreaterThan":        {famNumeric, "NumericGreaterThan", false},
	"NumericGreaterThanEquals":  {famNumeric, "NumericGreaterThanEquals", false},
	"DateEquals":                {famDate, "DateEquals", false},
	"DateNotEquals":             {famDate, "DateEquals", true},
	"DateLessThan":              {famDate, "DateLessThan", false},
	"DateLessThanEquals":        {famDate, "DateLessThanEquals", false},
	"DateGreaterThan":           {famDate, "DateGreaterThan", false},
	"DateGreaterThanEquals":     {famDate, "DateGreaterThanEquals", false},
	"Bool":                      {famBool, "Bool", false},
	"BinaryEquals":              {famBinary, "BinaryEquals", false},
	"IpAddress":                 {famIP, "IpAddress", false},
	"NotIpAddress":              {famIP, "IpAddress", true},
	"ArnEquals":                 {famStringGlob, "ArnEquals", false},
	"ArnLike":                   {famStringGlob, "ArnLike", false},
	"ArnNotEquals":              {famStringGlob, "ArnEquals", true},
	"ArnNotLike":                {famStringGlob, "ArnLike", true},
	"Null":                      {famNull, "Null", false},
}

// Set qualifiers and the IfExists suffix.
const (
	qualForAll = "ForAllValues"
	qualForAny = "ForAnyValue"
	ifExists   = "IfExists"
)

// opName is a parsed operator name.
type opName struct {
	base      string
	qualifier string
	ifExists  bool
	op        operator
}

// parseOperator splits an operator name into qualifier, base and IfExists.
// Names are case-sensitive. ok is false for an unknown operator.
func parseOperator(name string) (opName, bool) {
	var on opName
	rest := name
	for _, q := range []string{qualForAll, qualForAny} {
		if r, found := strings.CutPrefix(rest, q+":"); found {
			on.qualifier, rest = q, r
			break
		}
	}
	if op, found := operators[rest]; found {
		on.base, on.op = rest, op
		return on, true
	}
	if r, found := strings.CutSuffix(rest, ifExists); found && r != "Null" {
		if op, known := operators[r]; known {
			on.base, on.op, on.ifExists = r, op, true
			return on, true
		}
	}
	return on, false
}

// suggestOperator returns the operator name that differs from name only
// in case (or qualifier/IfExists case), or "".
func suggestOperator(name string) string {
	for _, cand := range operatorNames() {
		for _, q := range []string{"", qualForAll + ":", qualForAny + ":"} {
			for _, suf := range []string{"", ifExists} {
				if cand == "Null" && suf != "" {
					continue
				}
				full := q + cand + suf
				if strings.EqualFold(full, name) && full != name {
					return full
				}
			}
		}
	}
	return ""
}

func operatorNames() []string {
	names := make([]string, 0, len(operators))
	for n := range operators {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
