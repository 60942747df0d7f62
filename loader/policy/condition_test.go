// Tests of Condition blocks: typed values, operators, warnings, and which
// keys are multivalued.

package policy

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// cond parses one condition block and returns the conditions.
func cond(t *testing.T, version, block string) ([]Condition, []string) {
	t.Helper()
	doc := `{"Statement": {` + allowAll + `, "Condition": ` + block + `}}`
	if version != "" {
		doc = `{"Version": "` + version + `", "Statement": {` + allowAll + `, "Condition": ` + block + `}}`
	}
	p := mustParse(t, doc, KindIdentity)
	return p.Statements[0].Conditions, p.Warnings
}

func nanos(s string) int64 {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UnixNano()
}

func TestParseConditionValues(t *testing.T) {
	for _, c := range []struct {
		name, block string
		want        []any
	}{
		{"string", `{"StringEquals": {"k": ["a*b", 12, true]}}`, []any{"a*b", "12", "true"}},
		{"ignorecase", `{"StringNotEqualsIgnoreCase": {"k": "A?b"}}`, []any{"A?b"}},
		{"like", `{"StringLike": {"k": ["a*b", "back\\slash"]}}`, []any{"a*b", `back\\slash`}},
		{"arn", `{"ArnEquals": {"k": "arn:aws:sns:*:111122223333:t?"}}`, []any{"arn:aws:sns:*:111122223333:t?"}},
		{"numeric", `{"NumericLessThanEquals": {"k": ["10", 2.5, "-1e3", ".5", "+7"]}}`, []any{10.0, 2.5, -1000.0, 0.5, 7.0}},
		{"date", `{"DateGreaterThan": {"k": ["2017-07-01T00:00:00Z", "2016-12-13T21:20:37.593194+01:00", 1500000000, "2020-01-01"]}}`,
			[]any{nanos("2017-07-01T00:00:00Z"), nanos("2016-12-13T21:20:37.593194+01:00"), int64(1500000000) * 1e9,
				nanos("2020-01-01T00:00:00Z")}},
		{"date far", `{"DateLessThan": {"k": ["-292275054", "9999-12-31", "1000"]}}`, []any{int64(math.MinInt64), int64(math.MaxInt64), int64(1000e9)}},
		{"bool", `{"Bool": {"k": [true, "False", "TRUE"]}}`, []any{true, false, true}},
		{"null", `{"Null": {"k": [false, "true"]}}`, []any{false, true}},
		{"binary", `{"BinaryEquals": {"k": ["QmluYXJ5VmFsdWVJbkJhc2U2NA==", "YQ"]}}`, []any{"QmluYXJ5VmFsdWVJbkJhc2U2NA==", "YQ"}},
		{"ip", `{"IpAddress": {"k": ["203.0.113.0/24", "203.0.113.7", "10.1.2.3/8", "2001:DB8:1234:5678::/64", "2001:db8::1"]}}`,
			[]any{"203.0.113.0/24", "203.0.113.7/32", "10.0.0.0/8", "2001:db8:1234:5678::/64", "2001:db8::1/128"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cs, _ := cond(t, Version2012, c.block)
			if len(cs) != 1 || !reflect.DeepEqual(cs[0].Values, c.want) || cs[0].HasVars {
				t.Errorf("values = %#v, want %#v", cs[0].Values, c.want)
			}
		})
	}
}

func TestParseConditionOperators(t *testing.T) {
	for _, c := range []struct {
		op                  string
		base, qual, positiv string
		ifExists, negated   bool
	}{
		{"StringEquals", "StringEquals", "", "StringEquals", false, false},
		{"StringNotLikeIfExists", "StringNotLike", "", "StringLike", true, true},
		{"ForAllValues:StringNotEquals", "StringNotEquals", "ForAllValues", "StringEquals", false, true},
		{"ForAnyValue:ArnNotLikeIfExists", "ArnNotLike", "ForAnyValue", "ArnLike", true, true},
		{"ArnNotEquals", "ArnNotEquals", "", "ArnEquals", false, true},
		{"NotIpAddressIfExists", "NotIpAddress", "", "IpAddress", true, true},
		{"DateNotEquals", "DateNotEquals", "", "DateEquals", false, true},
		{"NumericNotEqualsIfExists", "NumericNotEquals", "", "NumericEquals", true, true},
		{"StringNotEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "", "StringEqualsIgnoreCase", false, true},
		{"BoolIfExists", "Bool", "", "Bool", true, false},
		{"Null", "Null", "", "Null", false, false},
	} {
		val := `"x"`
		switch {
		case strings.Contains(c.op, "Ip"):
			val = `"10.0.0.1"`
		case strings.Contains(c.op, "Date"), strings.Contains(c.op, "Numeric"):
			val = `"1"`
		case strings.Contains(c.op, "Bool"), c.op == "Null":
			val = `"true"`
		}
		cs, _ := cond(t, Version2012, `{"`+c.op+`": {"AWS:SourceIp": `+val+`}}`)
		got := cs[0]
		if got.Op != c.op || got.Base != c.base || got.Qualifier != c.qual || got.Positive != c.positiv ||
			got.IfExists != c.ifExists || got.Negated != c.negated || got.Key != "aws:sourceip" {
			t.Errorf("%s: got %+v", c.op, got)
		}
	}
	for name := range operators {
		if name == "Null" {
			continue
		}
		if on, ok := parseOperator("ForAnyValue:" + name + "IfExists"); !ok || on.base != name || !on.ifExists {
			t.Errorf("ForAnyValue:%sIfExists not recognised", name)
		}
	}
}

func TestParseConditionWarnings(t *testing.T) {
	cs, warns := cond(t, Version2012, `{"x": {}, "DateGreaterThan": {"a": []}, "StringEquals": {}}`)
	if len(cs) != 1 || len(cs[0].Values) != 0 || cs[0].Base != "DateGreaterThan" {
		t.Errorf("conditions = %+v", cs)
	}
	if len(warns) != 2 || !strings.Contains(warns[0], `unknown condition operator "x" with an empty block ignored`) ||
		!strings.Contains(warns[1], "condition key with no values") {
		t.Errorf("warnings = %q", warns)
	}
}

// Multivalued keys: the global keys documented as "Value type –
// Multivalued" (reference_policies_condition-keys.html), the catalog's
// ArrayOf... keys (with placeholders), and a web identity's amr
// (reference_policies_iam-condition-keys.html#ck_amr).
func TestMultivaluedKeys(t *testing.T) {
	for key, want := range map[string]bool{
		"aws:tagkeys": true, "aws:principalorgpaths": true, "aws:calledvia": true, "aws:resourceorgpaths": true,
		"aws:principalservicenameslist": true, "sts:transitivetagkeys": true, "events:metadata/source": true,
		"cognito-identity.amazonaws.com:amr": true, "aws:requesttag/project": false, "aws:calledviafirst": false,
		"aws:principalorgid": false, "s3:prefix": false, "saml:aud": false,
	} {
		if got := Multivalued(key); got != want {
			t.Errorf("Multivalued(%q) = %v, want %v", key, got, want)
		}
	}
}
