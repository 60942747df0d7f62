package policy

import (
	"encoding/base64"
	"fmt"
	"github.com/clearance-dev/clearance/loader/tree"
	"net/netip"
	"strconv"
	"strings"
)

// The Condition element:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
// {operator: {key: value | [values]}}; values are typed by the operator
// family (see Condition.Values).

func (pp *policyParser) conditions(n *tree.Node) ([]Condition, error) {
	out := []Condition{}
	if n.Kind != tree.Object {
		return nil, pp.errAt(n, tree.CodeWrongType, "Condition must be an object of operators to {key: values} blocks; got %s", kindOf(n))
	}
	for i, name := range n.Keys {
		block := n.Vals[i]
		if block.Kind != tree.Object {
			return nil, pp.errAt(block, tree.CodeWrongType, "condition operator %s takes an object of condition keys to values; got %s", name, kindOf(block))
		}
		on, ok := parseOperator(name)
		if !ok {
			if len(block.Keys) == 0 { // AWS accepts this (moto valid vectors)
				pp.warn(block, "unknown condition operator %q with an empty block ignored", name)
				continue
			}
			return nil, pp.unknownOperator(n, i, name)
		}
		for j, key := range block.Keys {
			c, err := pp.condition(name, on, key, block.Vals[j])
			if err != nil {
				return nil, err
			}
			kn := block.KeyNode(j)
			c.KeyWritten = Written{Text: key, Line: kn.Line, Col: kn.Col}
			out = append(out, c)
		}
	}
	return out, nil
}

func (pp *policyParser) unknownOperator(n *tree.Node, i int, name string) error {
	if s := suggestOperator(name); s != "" {
		return pp.errAt(n.KeyNode(i), tree.CodeUnknownOperator,
			"unknown condition operator %q; did you mean %q? (operator names are case-sensitive)", name, s)
	}
	return pp.errAt(n.KeyNode(i), tree.CodeUnknownOperator, "unknown condition operator %q; expected one of %s, "+
		"optionally prefixed with ForAllValues: or ForAnyValue: and suffixed with IfExists (not Null)",
		name, strings.Join(operatorNames(), ", "))
}

func (pp *policyParser) condition(name string, on opName, key string, vn *tree.Node) (Condition, error) {
	c := Condition{
		Op: name, Base: on.base, Qualifier: on.qualifier, IfExists: on.ifExists,
		Negated: on.op.negated, Positive: on.op.positive, Key: strings.ToLower(key), Values: []any{},
	}
	c.Multivalued = Multivalued(c.Key)
	if strings.TrimSpace(key) == "" {
		return c, pp.errAt(vn, tree.CodeInvalidValue, "condition key is empty")
	}
	items, err := pp.conditionItems(vn, name)
	if err != nil {
		return c, err
	}
	for _, it := range items {
		v, err := pp.conditionValue(on, it)
		if err != nil {
			return c, err
		}
		if _, ok := v.(Template); ok {
			c.HasVars = true
		}
		c.Values = append(c.Values, v)
	}
	return c, nil
}

// conditionItems reads a scalar or a list of scalars.
func (pp *policyParser) conditionItems(n *tree.Node, op string) ([]*tree.Node, error) {
	items := []*tree.Node{n}
	if n.Kind == tree.Array {
		items = n.Items
		if len(items) == 0 {
			pp.warn(n, "condition key with no values: %s never matches (its negation always does)", op)
		}
	}
	for _, it := range items {
		switch it.Kind {
		case tree.String, tree.Number, tree.Bool:
		default:
			return nil, pp.errAt(it, tree.CodeWrongType, "a condition value is a string, number or boolean, or a list of them; got %s", kindOf(it))
		}
	}
	return items, nil
}

// conditionValue types one value for the operator family.
func (pp *policyParser) conditionValue(on opName, it *tree.Node) (any, error) {
	switch on.op.family {
	case famString, famStringGlob:
		v, warns := textCompiler{glob: on.op.family == famStringGlob, vars: pp.vars}.compile(it.Str)
		for _, w := range warns {
			pp.warn(it, "%s", w)
		}
		return v, nil
	case famBool:
		return pp.boolValue(on, it)
	case famNull:
		return pp.nullValue(it)
	}
	if it.Kind == tree.Bool {
		return nil, pp.errAt(it, tree.CodeInvalidValue, "%s takes %s; got a boolean", on.base, familyWants[on.op.family])
	}
	if pp.vars && strings.Contains(it.Str, "${") {
		return nil, pp.errAt(it, tree.CodeInvalidValue, "policy variables cannot be used with %s (only with String, Arn and Bool operators)", on.base)
	}
	v, err := typedValue(on.op.family, it.Str)
	if err != nil {
		return nil, pp.errAt(it, tree.CodeInvalidValue, "%s takes %s; got %q", on.base, familyWants[on.op.family], it.Str)
	}
	return v, nil
}

var familyWants = map[valueFamily]string{
	famNumeric: "a number (integer or decimal)",
	famDate:    "an ISO 8601 date-time or epoch seconds",
	famBinary:  "base64-encoded bytes",
	famIP:      "an IPv4 or IPv6 address or CIDR range",
}

// typedValue converts the text of a Numeric, Date, Binary or IP value.
func typedValue(f valueFamily, s string) (any, error) {
	switch f {
	case famNumeric:
		return parseNumber(s)
	case famDate:
		t, err := ParseDate(s)
		if err != nil {
			return nil, err
		}
		return DateNanos(t), nil
	case famBinary:
		return s, checkBase64(s)
	case famIP:
		return parseCIDR(s)
	}
	return nil, fmt.Errorf("no typed form for family %d", f)
}

func (pp *policyParser) boolValue(on opName, it *tree.Node) (any, error) {
	if it.Kind == tree.Bool {
		return it.Bool, nil
	}
	if it.Kind == tree.String && pp.vars && strings.Contains(it.Str, "${") {
		v, warns := textCompiler{vars: true}.compile(it.Str)
		for _, w := range warns {
			pp.warn(it, "%s", w)
		}
		if t, ok := v.(Template); ok {
			return t, nil
		}
		if b, ok := parseBool(v.(string)); ok {
			return b, nil
		}
	}
	if b, ok := parseBool(it.Str); ok && it.Kind == tree.String {
		return b, nil
	}
	return nil, pp.errAt(it, tree.CodeInvalidValue, "%s takes \"true\" or \"false\"; got %s", on.base, describe(it))
}

func (pp *policyParser) nullValue(it *tree.Node) (any, error) {
	if it.Kind == tree.Bool {
		return it.Bool, nil
	}
	if b, ok := parseBool(it.Str); ok && it.Kind == tree.String {
		return b, nil
	}
	return nil, pp.errAt(it, tree.CodeInvalidValue, "Null takes \"true\" (the key is absent) or \"false\" (it is present); got %s", describe(it))
}

// parseBool accepts "true" and "false" in any case.
func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// parseNumber parses a decimal number: [+-]digits[.digits][e[+-]digits]
// (a leading or trailing '.' allowed). Hex, Inf and NaN are not numbers here.
func parseNumber(s string) (float64, error) {
	if !tree.IsNumber(s, tree.Decimal) {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("number %q: %w", s, err)
	}
	return f, nil
}

// checkBase64 accepts standard base64, padded or not.
func checkBase64(s string) error {
	if _, err := base64.StdEncoding.DecodeString(s); err == nil {
		return nil
	}
	_, err := base64.RawStdEncoding.DecodeString(s)
	return err
}

// parseCIDR returns the canonical CIDR of an address or range: the network
// address (host bits cleared) and prefix length; a bare address is /32 or
// /128.
func parseCIDR(s string) (string, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return "", err
		}
		return p.Masked().String(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return "", err
	}
	if a.Zone() != "" {
		return "", fmt.Errorf("address %q has a zone", s)
	}
	return netip.PrefixFrom(a, a.BitLen()).String(), nil
}
