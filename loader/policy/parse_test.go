package policy

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/loader/tree"
)

// stmt wraps statement members into a 2012-10-17 policy document.
func stmt(members string) string {
	return `{"Version": "2012-10-17", "Statement": {` + members + `}}`
}

const allowAll = `"Effect": "Allow", "Action": "*", "Resource": "*"`

func mustParse(t *testing.T, doc string, kind PolicyKind) *Policy {
	t.Helper()
	p, err := ParsePolicyBytes("p.json", []byte(doc), kind, "test")
	if err != nil {
		t.Fatalf("ParsePolicyBytes(%s): %v", doc, err)
	}
	return p
}

func TestParsePolicyErrors(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		kind      PolicyKind
		code      string
		want      string // substring of the error text
	}{
		{"duplicate key", "{\"Version\": \"2012-10-17\", \"Statement\": {\n  \"Effect\": \"Allow\",\n  \"Effect\": \"Deny\"}}",
			KindIdentity, tree.CodeDuplicateKey, `p.json:3:3: $.Statement.Effect: duplicate key "Effect" (first at line 2, column 3)`},
		{"not an object", `["Statement"]`, KindIdentity, tree.CodeWrongType, "a policy document is an object"},
		{"unknown top element", `{"Statement": {` + allowAll + `}, "Extra": 1}`, KindIdentity, tree.CodeUnknownElement,
			`$.Extra: unknown policy element "Extra"; expected one of Version, Id, Statement`},
		{"unknown element", stmt(allowAll + `, "Actions": "s3:*"`), KindIdentity, tree.CodeUnknownElement, `unknown statement element "Actions"`},
		{"miscased element", stmt(`"effect": "Allow", "Action": "*", "Resource": "*"`), KindIdentity, tree.CodeUnknownElement,
			`did you mean "Effect"?`},
		{"bad version", `{"Version": "2012-10-18", "Statement": {` + allowAll + `}}`, KindIdentity, tree.CodeInvalidVersion,
			`$.Version: Version must be "2012-10-17" or "2008-10-17"; got string "2012-10-18"`},
		{"version number", `{"Version": 2012, "Statement": {` + allowAll + `}}`, KindIdentity, tree.CodeInvalidVersion, "got number"},
		{"scp needs version", `{"Statement": {` + allowAll + `}}`, KindSCP, tree.CodeInvalidVersion, `SCP policies must have "Version": "2012-10-17"`},
		{"rcp needs 2012", `{"Version": "2008-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}}`,
			KindRCP, tree.CodeInvalidVersion, "RCP policies must have"},
		{"Id not string", `{"Id": [], "Statement": {` + allowAll + `}}`, KindIdentity, tree.CodeWrongType, "Id must be a string"},
		{"no statement", `{"Version": "2012-10-17"}`, KindIdentity, tree.CodeMissingElement, "missing Statement"},
		{"empty statement list", `{"Statement": []}`, KindIdentity, tree.CodeMissingElement, "Statement list is empty"},
		{"statement string", `{"Statement": ["afd"]}`, KindIdentity, tree.CodeWrongType, "$.Statement[0]: a statement is an object; got a string"},
		{"no effect", stmt(`"Action": "*", "Resource": "*"`), KindIdentity, tree.CodeMissingElement, "no Effect"},
		{"effect case", stmt(`"Effect": "allow", "Action": "*", "Resource": "*"`), KindIdentity, tree.CodeInvalidEffect,
			`Effect must be "Allow" or "Deny" (case-sensitive); got "allow"`},
		{"effect type", stmt(`"Effect": true, "Action": "*", "Resource": "*"`), KindIdentity, tree.CodeWrongType, "got a boolean"},
		{"sid type", stmt(`"Sid": 1, ` + allowAll), KindIdentity, tree.CodeWrongType, "Sid must be a string"},
		{"duplicate sid", `{"Statement": [{"Sid": "A", ` + allowAll + `}, {"Sid": "A", ` + allowAll + `}]}`, KindIdentity,
			tree.CodeDuplicateSid, `$.Statement[1].Sid: Sid "A" is already used at $.Statement[0]`},
		{"no action", stmt(`"Effect": "Allow", "Resource": "*"`), KindIdentity, tree.CodeMissingElement, "no Action or NotAction"},
		{"action and notaction", stmt(`"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"`), KindIdentity,
			tree.CodeConflict, "Action or NotAction, not both"},
		{"empty action list", stmt(`"Effect": "Allow", "Action": [], "Resource": "*"`), KindIdentity, tree.CodeMissingElement, "Action list is empty"},
		{"action object", stmt(`"Effect": "Allow", "Action": {}, "Resource": "*"`), KindIdentity, tree.CodeWrongType,
			"Action must be a string or a list of strings; got an object"},
		{"action nested list", stmt(`"Effect": "Allow", "Action": [[]], "Resource": "*"`), KindIdentity, tree.CodeWrongType, "got an array in the list"},
		{"action no vendor", stmt(`"Effect": "Allow", "Action": "GetObject", "Resource": "*"`), KindIdentity, tree.CodeInvalidAction, "has no service prefix"},
		{"action two colons", stmt(`"Effect": "Allow", "Action": "s3:Get:Object", "Resource": "*"`), KindIdentity, tree.CodeInvalidAction, "more than one colon"},
		{"action vendor", stmt(`"Effect": "Allow", "Action": "a a:Get", "Resource": "*"`), KindIdentity, tree.CodeInvalidAction, `service prefix "a a"`},
		{"action empty vendor", stmt(`"Effect": "Allow", "Action": ":Get", "Resource": "*"`), KindIdentity, tree.CodeInvalidAction, "empty service prefix"},
		{"no resource", stmt(`"Effect": "Allow", "Action": "*"`), KindIdentity, tree.CodeMissingElement, "no Resource or NotResource"},
		{"resource and notresource", stmt(allowAll + `, "NotResource": "*"`), KindIdentity, tree.CodeConflict, "Resource or NotResource, not both"},
		{"resource not arn", stmt(`"Effect": "Allow", "Action": "*", "Resource": "bucket"`), KindIdentity, tree.CodeInvalidResource,
			`resource "bucket" must be "*" or an ARN`},
		{"resource empty", stmt(`"Effect": "Allow", "Action": "*", "Resource": [""]`), KindIdentity, tree.CodeInvalidResource, `resource ""`},
		{"condition list", stmt(allowAll + `, "Condition": [{"StringEquals": {"a": "b"}}]`), KindIdentity, tree.CodeWrongType,
			"Condition must be an object"},
		{"condition block string", stmt(allowAll + `, "Condition": {"DateGreaterThan": "b"}`), KindIdentity, tree.CodeWrongType,
			"condition operator DateGreaterThan takes an object"},
		{"unknown operator", stmt(allowAll + `, "Condition": {"StringEqual": {"a": "b"}}`), KindIdentity, tree.CodeUnknownOperator,
			`unknown condition operator "StringEqual"; expected one of ArnEquals`},
		{"miscased operator", stmt(allowAll + `, "Condition": {"ForAnyValue:Stringlike": {"a": "b"}}`), KindIdentity,
			tree.CodeUnknownOperator, `did you mean "ForAnyValue:StringLike"?`},
		{"NullIfExists", stmt(allowAll + `, "Condition": {"NullIfExists": {"a": "true"}}`), KindIdentity, tree.CodeUnknownOperator, "NullIfExists"},
		{"double colon", stmt(allowAll + `, "Condition": {"ForAnyValue::StringEquals": {"a": "b"}}`), KindIdentity, tree.CodeUnknownOperator, "ForAnyValue::"},
		{"value object", stmt(allowAll + `, "Condition": {"StringEquals": {"a": {}}}`), KindIdentity, tree.CodeWrongType,
			`$.Statement.Condition.StringEquals.a: a condition value is a string, number or boolean`},
		{"value nested list", stmt(allowAll + `, "Condition": {"StringEquals": {"a": [["x"]]}}`), KindIdentity, tree.CodeWrongType, "got an array"},
		{"value null", stmt(allowAll + `, "Condition": {"StringEquals": {"a": null}}`), KindIdentity, tree.CodeWrongType, "got a null"},
		{"bad number", stmt(allowAll + `, "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}`), KindIdentity, tree.CodeInvalidValue,
			`NumericLessThan takes a number (integer or decimal); got "ten"`},
		{"hex number", stmt(allowAll + `, "Condition": {"NumericEquals": {"k": "0x10"}}`), KindIdentity, tree.CodeInvalidValue, "takes a number"},
		{"number variable", stmt(allowAll + `, "Condition": {"NumericEquals": {"k": "${aws:x}"}}`), KindIdentity, tree.CodeInvalidValue,
			"policy variables cannot be used with NumericEquals"},
		{"bad date", stmt(allowAll + `, "Condition": {"DateLessThan": {"aws:CurrentTime": "2016-13-01"}}`), KindIdentity, tree.CodeInvalidValue,
			"DateLessThan takes an ISO 8601 date-time or epoch seconds"},
		{"bool number", stmt(allowAll + `, "Condition": {"Bool": {"aws:SecureTransport": 1}}`), KindIdentity, tree.CodeInvalidValue,
			`Bool takes "true" or "false"; got number "1"`},
		{"bool word", stmt(allowAll + `, "Condition": {"Bool": {"aws:SecureTransport": "yes"}}`), KindIdentity, tree.CodeInvalidValue, `got string "yes"`},
		{"null word", stmt(allowAll + `, "Condition": {"Null": {"k": "maybe"}}`), KindIdentity, tree.CodeInvalidValue, "Null takes"},
		{"bad ip", stmt(allowAll + `, "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}}`), KindIdentity, tree.CodeInvalidValue,
			"IpAddress takes an IPv4 or IPv6 address"},
		{"bad base64", stmt(allowAll + `, "Condition": {"BinaryEquals": {"k": "not base64!"}}`), KindIdentity, tree.CodeInvalidValue, "base64"},
		{"empty key", stmt(allowAll + `, "Condition": {"StringEquals": {"": "x"}}`), KindIdentity, tree.CodeInvalidValue, "condition key is empty"},

		// Principal forms and kind rules.
		{"identity principal", stmt(allowAll + `, "Principal": "*"`), KindIdentity, tree.CodeForbiddenElement,
			"Principal is not allowed in identity policies"},
		{"scp principal", stmt(allowAll + `, "NotPrincipal": {"AWS": "*"}`), KindSCP, tree.CodeForbiddenElement, "NotPrincipal is not allowed in scp"},
		{"resource needs principal", stmt(allowAll), KindResource, tree.CodeMissingElement, "statement has no Principal"},
		{"trust needs principal", stmt(`"Effect": "Allow", "Action": "sts:AssumeRole"`), KindTrust, tree.CodeMissingElement, "no Principal"},
		{"trust notprincipal", stmt(`"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"`), KindTrust,
			tree.CodeForbiddenElement, "NotPrincipal is not supported in trust"},
		{"trust resource", stmt(`"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"`), KindTrust,
			tree.CodeForbiddenElement, "trust policies have no Resource"},
		{"notprincipal allow", stmt(`"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": "*", "Resource": "*"`),
			KindResource, tree.CodeForbiddenElement, `NotPrincipal is supported only with "Effect": "Deny"`},
		{"rcp notprincipal", stmt(`"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "*", "Resource": "*"`),
			KindRCP, tree.CodeForbiddenElement, "NotPrincipal is not supported in rcp"},
		{"rcp notaction", stmt(`"Effect": "Deny", "Principal": "*", "NotAction": "s3:*", "Resource": "*"`), KindRCP, tree.CodeForbiddenElement,
			"NotAction is not supported in rcp"},
		{"rcp resource", stmt(`"Effect": "Deny", "Principal": "*", "Action": "s3:*"`), KindRCP, tree.CodeMissingElement, "no Resource"},
		{"principal string", stmt(allowAll + `, "Principal": "arn:aws:iam::111122223333:root"`), KindResource, tree.CodeInvalidPrincipal,
			`Principal must be "*" or an object`},
		{"principal empty", stmt(allowAll + `, "Principal": {}`), KindResource, tree.CodeInvalidPrincipal, "Principal is empty"},
		{"principal key case", stmt(allowAll + `, "Principal": {"aws": "*"}`), KindResource, tree.CodeUnknownElement, `did you mean "AWS"?`},
		{"principal wildcard", stmt(allowAll + `, "Principal": {"AWS": "arn:aws:iam::111122223333:user/*"}`), KindResource,
			tree.CodeInvalidPrincipal, "has a wildcard"},
		{"principal group", stmt(allowAll + `, "Principal": {"AWS": "arn:aws:iam::111122223333:group/devs"}`), KindResource,
			tree.CodeInvalidPrincipal, "expected root, user/NAME or role/NAME"},
		{"principal account", stmt(allowAll + `, "Principal": {"AWS": "arn:aws:iam::1111:root"}`), KindResource,
			tree.CodeInvalidPrincipal, "not a 12-digit account ID"},
		{"principal session", stmt(allowAll + `, "Principal": {"AWS": "arn:aws:sts::111122223333:assumed-role/r"}`), KindResource,
			tree.CodeInvalidPrincipal, "assumed-role/ROLE/SESSION"},
		{"principal empty list", stmt(allowAll + `, "Principal": {"Service": []}`), KindResource, tree.CodeInvalidPrincipal, "Principal.Service list is empty"},
		{"principal object value", stmt(allowAll + `, "Principal": {"Service": {}}`), KindResource, tree.CodeWrongType, "Principal.Service must be"},
		{"unknown kind", stmt(allowAll), PolicyKind("bucket"), tree.CodeInvalidKind, `unknown policy kind "bucket"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePolicyBytes("p.json", []byte(c.doc), c.kind, "test")
			var e *tree.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want an *Error with code %s", err, c.code)
			}
			if e.Code != c.code || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v (code %s)\nwant code %s and text %q", err, e.Code, c.code, c.want)
			}
			if e.File != "p.json" || e.Line == 0 || e.Col == 0 || (e.Code != tree.CodeInvalidKind && !strings.HasPrefix(e.Path, "$")) {
				t.Errorf("err %v lacks file, line:col or path", err)
			}
		})
	}
}

func TestParsePolicyStatement(t *testing.T) {
	p := mustParse(t, `{"Id": "x", "Statement": [
		{"Sid": "One", "Effect": "Allow", "Action": ["S3:GetObject", "s3:List*", "EC2:Describe?nstances"], "Resource": "arn:aws:s3:::b/*"},
		{"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:aws:iam::*:role/admin", null]},
		{"Effect": "Allow", "Action": "*", "Resource": "*"},
		{"Effect": "Allow", "Action": "s3*:get", "Resource": "arn:aws:s3:::back\\slash"}]}`, KindIdentity)
	if p.Version != Version2008 || p.ID != "x" || p.Name != "test" || p.Kind != KindIdentity || p.File != "p.json" {
		t.Errorf("policy header = %q %q %q %q %q", p.Version, p.ID, p.Name, p.Kind, p.File)
	}
	want := []Statement{
		{Policy: "test", Sid: "One", Index: 0, Effect: "Allow", Actions: []string{"s3:getobject", "s3:list*", "ec2:describe?nstances"},
			Resources: []any{"arn:aws:s3:::b/*"}, Conditions: []Condition{}, Services: []string{"ec2", "s3"},
			ActionPrefixes: []string{"s3:getobject", "s3:list", "ec2:describe"}},
		{Policy: "test", Index: 1, Effect: "Deny", Actions: []string{"iam:*"}, NotAction: true,
			Resources: []any{"arn:aws:iam::*:role/admin"}, NotResource: true, Conditions: []Condition{}, Services: []string{"*"},
			ActionPrefixes: []string{"iam:"}},
		{Policy: "test", Index: 2, Effect: "Allow", Actions: []string{"*"}, Resources: []any{"*"}, Conditions: []Condition{}, Services: []string{"*"},
			ActionPrefixes: []string{""}},
		{Policy: "test", Index: 3, Effect: "Allow", Actions: []string{"s3*:get"}, Resources: []any{`arn:aws:s3:::back\\slash`},
			Conditions: []Condition{}, Services: []string{"*"}, ActionPrefixes: []string{"s3"}},
	}
	if !reflect.DeepEqual(p.Statements, want) {
		t.Errorf("statements\n got %#v\nwant %#v", p.Statements, want)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "$.Statement[1].NotResource[1]: null in NotResource list ignored") {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

func TestParsePrincipals(t *testing.T) {
	empty := func() *Principal {
		return &Principal{AWS: []string{}, Service: []string{}, Federated: []string{}, Canonical: []string{}}
	}
	with := func(f func(p *Principal)) *Principal { p := empty(); f(p); return p }
	for _, c := range []struct {
		name, principal string
		want            *Principal
	}{
		{"star", `"*"`, with(func(p *Principal) { p.Any = true })},
		{"aws star", `{"AWS": "*"}`, with(func(p *Principal) { p.Any = true })},
		{"account", `{"AWS": "111122223333"}`, with(func(p *Principal) { p.AWS = []string{"arn:aws:iam::111122223333:root"} })},
		{"account number", `{"AWS": 111122223333}`, with(func(p *Principal) { p.AWS = []string{"arn:aws:iam::111122223333:root"} })},
		{"arns", `{"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/path/alice",
			"arn:aws:iam::111122223333:role/r", "arn:aws:sts::111122223333:assumed-role/r/s",
			"arn:aws-cn:sts::111122223333:federated-user/carol", "AROAEXAMPLEID123456"]}`,
			with(func(p *Principal) {
				p.AWS = []string{"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/path/alice",
					"arn:aws:iam::111122223333:role/r", "arn:aws:sts::111122223333:assumed-role/r/s",
					"arn:aws-cn:sts::111122223333:federated-user/carol", "AROAEXAMPLEID123456"}
			})},
		{"service", `{"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}`,
			with(func(p *Principal) { p.Service = []string{"ec2.amazonaws.com", "lambda.amazonaws.com"} })},
		{"federated", `{"Federated": "arn:aws:iam::111122223333:saml-provider/idp"}`,
			with(func(p *Principal) { p.Federated = []string{"arn:aws:iam::111122223333:saml-provider/idp"} })},
		{"canonical", `{"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`,
			with(func(p *Principal) {
				p.Canonical = []string{"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}
			})},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mustParse(t, stmt(`"Effect": "Allow", "Principal": `+c.principal+`, "Action": "s3:GetObject"`), KindResource)
			st := p.Statements[0]
			if !reflect.DeepEqual(st.Principal, c.want) || st.NotPrincipal || !st.NoResource || len(st.Resources) != 0 {
				t.Errorf("principal %+v (not %v, no resource %v), want %+v", st.Principal, st.NotPrincipal, st.NoResource, c.want)
			}
		})
	}
	p := mustParse(t, stmt(`"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "*", "Resource": "*"`), KindResource)
	if st := p.Statements[0]; !st.NotPrincipal || st.Principal == nil || st.Principal.AWS[0] != "arn:aws:iam::111122223333:root" {
		t.Errorf("NotPrincipal statement = %+v", st)
	}
	p = mustParse(t, stmt(`"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"`), KindTrust)
	if st := p.Statements[0]; !st.NoResource || st.Principal.Service[0] != "ec2.amazonaws.com" {
		t.Errorf("trust statement = %+v", st)
	}
	p = mustParse(t, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}`, KindRCP)
	if st := p.Statements[0]; !st.Principal.Any {
		t.Errorf("RCP statement = %+v", st)
	}
}

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

func TestParseVariables(t *testing.T) {
	tmpl := func(parts ...TemplatePart) Template { return Template{Parts: parts} }
	lit := func(s string) TemplatePart { return TemplatePart{Lit: s} }
	v := func(k string) TemplatePart { return TemplatePart{Var: k} }
	for _, c := range []struct {
		name, block string
		want        []any
		warn        string
	}{
		{"equals raw", `{"StringEquals": {"k": "a*${aws:UserName}?"}}`, []any{tmpl(lit("a*"), v("aws:username"), lit("?"))}, ""},
		{"like glob", `{"StringLike": {"k": "home/${aws:userid}/*"}}`, []any{tmpl(lit("home/"), v("aws:userid"), lit("/*"))}, ""},
		{"escapes like", `{"StringLike": {"k": "a${*}b${?}c${$}d*"}}`, []any{`a\*b\?c$d*`}, ""},
		{"escapes equals", `{"StringEquals": {"k": "a${*}b${?}c${$}"}}`, []any{"a*b?c$"}, ""},
		{"default", `{"StringEquals": {"k": "${aws:PrincipalTag/team, 'company-wide'}"}}`,
			[]any{tmpl(TemplatePart{Var: "aws:principaltag/team", Default: "company-wide", HasDefault: true})}, ""},
		{"default tight", `{"ArnLike": {"k": "arn:aws:s3:::b-${aws:PrincipalTag/team,'x*y'}"}}`,
			[]any{tmpl(lit("arn:aws:s3:::b-"), TemplatePart{Var: "aws:principaltag/team", Default: "x*y", HasDefault: true})}, ""},
		{"default with brace", `{"StringEquals": {"k": "${a, '}'}"}}`, []any{tmpl(TemplatePart{Var: "a", Default: "}", HasDefault: true})}, ""},
		{"bool var", `{"Bool": {"k": "${aws:MultiFactorAuthPresent}"}}`, []any{tmpl(v("aws:multifactorauthpresent"))}, ""},
		{"unterminated", `{"StringLike": {"k": "a${aws:username"}}`, []any{"a${aws:username"}, `unterminated "${" is taken as literal text`},
		{"empty var", `{"StringEquals": {"k": "${}x"}}`, []any{"${}x"}, `"${}" is not a policy variable`},
		{"bad default", `{"StringEquals": {"k": "${a, b}"}}`, []any{"${a, b}"}, "malformed default"},
		{"nested", `{"StringEquals": {"k": "${a${b}"}}`, []any{tmpl(lit("${a"), v("b"))}, "is not a policy variable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cs, warns := cond(t, Version2012, c.block)
			if !reflect.DeepEqual(cs[0].Values, c.want) {
				t.Errorf("values = %#v, want %#v", cs[0].Values, c.want)
			}
			_, isTmpl := c.want[0].(Template)
			if cs[0].HasVars != isTmpl {
				t.Errorf("HasVars = %v", cs[0].HasVars)
			}
			if (c.warn == "") != (len(warns) == 0) || len(warns) > 0 && !strings.Contains(warns[0], c.warn) {
				t.Errorf("warnings = %q, want %q", warns, c.warn)
			}
		})
	}
}

func TestParseVariablesInResources(t *testing.T) {
	p := mustParse(t, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": [
		"arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/${*}", "arn:*:kms:*:${aws:PrincipalAccount}:key/*"]}}`, KindIdentity)
	st := p.Statements[0]
	want := []any{
		Template{Parts: []TemplatePart{{Lit: "arn:aws:s3:::b/"}, {Var: "aws:username"}, {Lit: "/*"}}},
		`arn:aws:s3:::b/\*`,
		Template{Parts: []TemplatePart{{Lit: "arn:*:kms:*:"}, {Var: "aws:principalaccount"}, {Lit: ":key/*"}}},
	}
	if !reflect.DeepEqual(st.Resources, want) || !st.ResVars {
		t.Errorf("resources = %#v (ResVars %v), want %#v", st.Resources, st.ResVars, want)
	}
}

func TestParseVersion2008Literal(t *testing.T) {
	for _, version := range []string{"", Version2008} {
		cs, warns := cond(t, version, `{"StringLike": {"k": "${aws:username}/${*}"}, "StringEquals": {"k": "${aws:username}"}}`)
		if !reflect.DeepEqual(cs[0].Values, []any{"${aws:username}/${*}"}) || cs[0].HasVars ||
			!reflect.DeepEqual(cs[1].Values, []any{"${aws:username}"}) || len(warns) != 0 {
			t.Errorf("version %q: conditions %+v, warnings %q", version, cs, warns)
		}
		doc := `{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}"}}`
		if version != "" {
			doc = `{"Version": "2008-10-17", ` + doc[1:]
		}
		p := mustParse(t, doc, KindIdentity)
		if p.Version != Version2008 || p.Statements[0].Resources[0] != "arn:aws:s3:::b/${aws:username}" || p.Statements[0].ResVars {
			t.Errorf("version %q: %+v", version, p.Statements[0])
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

func TestParsePolicyYAML(t *testing.T) {
	doc := `Version: 2012-10-17
Statement:
  - Sid: AllowAlice
    Effect: Allow
    Principal: {AWS: 111122223333}
    Action: s3:GetObject
    Condition:
      DateLessThan: {aws:CurrentTime: 2030-01-01T00:00:00Z}
      NumericLessThan: {s3:max-keys: 10}
`
	p, err := ParsePolicyBytes("p.yaml", []byte(doc), KindResource, "y")
	if err != nil {
		t.Fatal(err)
	}
	st := p.Statements[0]
	if p.Version != Version2012 || st.Principal.AWS[0] != "arn:aws:iam::111122223333:root" ||
		st.Conditions[0].Values[0] != nanos("2030-01-01T00:00:00Z") || st.Conditions[1].Values[0] != 10.0 {
		t.Errorf("YAML policy = %+v", p)
	}
	if string(p.Source) != doc {
		t.Error("Source is not the document as given")
	}
	_, err = ParsePolicyBytes("w.yaml", []byte("Statement:\n  - Effect: Allow\n    Action: 12\n    Resource: '*'\n"), KindIdentity, "y")
	if err == nil || !strings.Contains(err.Error(), "w.yaml:3:13: $.Statement[0].Action: Action must be a string") {
		t.Errorf("YAML error = %v", err)
	}
}

// TestParsePolicyNode checks ParsePolicy on a subtree of a larger document:
// errors point into that document and Source is the subtree's JSON.
func TestParsePolicyNode(t *testing.T) {
	world, err := tree.DecodeYAML("world.yaml", []byte("policies:\n  - name: p\n    document:\n      Statement:\n        Effect: Allow\n        Action: '*'\n"))
	if err != nil {
		t.Fatal(err)
	}
	doc := world.Get("policies").Items[0].Get("document")
	_, err = ParsePolicy("ignored", doc, KindIdentity, "p")
	if err == nil || err.Error() != "world.yaml:5:9: $.policies[0].document.Statement: statement has no Resource or NotResource" {
		t.Errorf("error = %v", err)
	}
	doc.Get("Statement").Keys = append(doc.Get("Statement").Keys, "Resource")
	doc.Get("Statement").Vals = append(doc.Get("Statement").Vals, &tree.Node{Kind: tree.String, Str: "*"})
	p, err := ParsePolicy("ignored", doc, KindIdentity, "p")
	if err != nil || string(p.Source) != `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}` {
		t.Errorf("ParsePolicy = %v, %v", p, err)
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2017-07-01T00:00:00Z", "2017-07-01T00:00:00Z"},
		{"2017-07-01t10:30:15.5-05:00", "2017-07-01T15:30:15.5Z"},
		{"2017-07-01T10:30+02:00", "2017-07-01T08:30:00Z"},
		{"2017-07-01T10:30:00.123456789Z", "2017-07-01T10:30:00.123456789Z"},
		{"2017-07-01T10:30:00.0000000001Z", "2017-07-01T10:30:00Z"},
		{"2017-07", "2017-07-01T00:00:00Z"},
		{"2017-07-01T10", "2017-07-01T10:00:00Z"},
		{"01T", "0001-01-01T00:00:00Z"},
		{"1500000000", "2017-07-14T02:40:00Z"},
		{"0", "1970-01-01T00:00:00Z"},
	} {
		got, err := ParseDate(c.in)
		if err != nil || !got.Equal(mustTime(c.want)) {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	if got, err := ParseDate("-292275054"); err != nil || got.Year() != -292275054 || DateNanos(got) != math.MinInt64 {
		t.Errorf("ParseDate(-292275054) = %v, %v", got, err)
	}
	if got, err := ParseDate("9223372036854775807"); err != nil || DateNanos(got) != math.MaxInt64 {
		t.Errorf("ParseDate(max epoch) = %v, %v", got, err)
	}
	for _, bad := range []string{"", "now", "2017-13-01", "2017-00-01", "2017-01-32", "2017-01-01-01", "2017-01-01T24:00",
		"2017-01-01T10:60", "2017-01-01T10:00:60", "2017-01-01T10Z", "2017-01-01T10:00:00+5", "2017-01-01T10:00:00+05:7",
		"2017-01-01T10:00:00Zx", "2017-01-01T10:00:00.", "1.5", "+5", "292278994-01-01", "-292275055", "12:30"} {
		if got, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", bad, got)
		}
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestValidateCreatePolicyExtra(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{stmt(allowAll + `, "Principal": "*"`), "Policy document should not specify a principal."},
		{stmt(allowAll + `, "Condition": {"NumericEquals": {"k": "ten"}}`), "Syntax errors in policy. (NumericEquals takes a number"},
		{stmt(allowAll + `, "Condition": {"NullIfExists": {"k": "true"}}`), "Syntax errors in policy. (unknown condition operator"},
		{`{"Version": "2012-10-17", "Statement": {` + allowAll + `, "Effect": "Deny"}}`, "Syntax errors in policy. (duplicate key"},
		{stmt(`"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:us-west-2:111122223333:bucket/x"`), "can not contain region information"},
		{stmt(`"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::111122223333:thing/x"`), "IAM resource path must either be"},
	} {
		err := ValidateCreatePolicy("v.json", []byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, &tree.Error{Code: tree.CodeMalformedPolicy}) {
			t.Errorf("ValidateCreatePolicy(%s) = %v, want %q", c.doc, err, c.want)
		}
	}
	for _, doc := range []string{
		stmt(`"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:us-west-2:111122223333:accesspoint/ap"`),
		stmt(`"Effect": "Allow", "Action": "iam:*", "Resource": ["arn:aws:iam::111122223333:root", "arn:aws-cn:iam::*:role/*"]`),
		stmt(`"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00-05:00"}}`),
	} {
		if err := ValidateCreatePolicy("v.json", []byte(doc)); err != nil {
			t.Errorf("ValidateCreatePolicy(%s) = %v", doc, err)
		}
	}
	big := stmt(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::` + strings.Repeat("b", 6100) + `"`)
	if err := ValidateCreatePolicy("v.json", []byte(big)); !errors.Is(err, &tree.Error{Code: tree.CodeLimitExceeded}) ||
		!strings.Contains(err.Error(), "Cannot exceed quota for PolicySize: 6144") {
		t.Errorf("oversized policy: %v", err)
	}
	fits := strings.Repeat(" \t\r\n", 100) + strings.Replace(big, strings.Repeat("b", 6100), strings.Repeat("b", 5900), 1)
	if err := ValidateCreatePolicy("v.json", []byte(fits)); err != nil || len(fits) < 6144 {
		t.Errorf("white space counted (%d bytes): %v", len(fits), err)
	}
	var e *tree.Error
	err := ValidateCreatePolicy("v.json", []byte(stmt(allowAll+`, "Condition": {"NumericEquals": {"k": "ten"}}`)))
	if !errors.As(err, &e) || e.Unwrap() == nil || !errors.Is(err, &tree.Error{Code: tree.CodeInvalidValue}) {
		t.Errorf("the grammar error is not wrapped: %v", err)
	}
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGoldenDataForm pins the compiled data form the evaluator reads (see
// testdata/golden/*.golden.json). Run with -update after an intended change.
func TestGoldenDataForm(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		if strings.HasSuffix(in, ".golden.json") {
			continue
		}
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParsePolicyBytes(filepath.Base(in), data, KindResource, "showcase")
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		golden := strings.TrimSuffix(in, ".json") + ".golden.json"
		if *update {
			if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -run TestGoldenDataForm -update)", err)
		}
		if string(want) != string(got)+"\n" {
			t.Errorf("%s: compiled form differs from %s:\n%s", in, golden, got)
		}
	}
}

func ExampleParsePolicyBytes() {
	doc := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "S3:GetObject",
		"Resource": "arn:aws:s3:::bucket/${aws:username}/*"}}`
	p, err := ParsePolicyBytes("policy.json", []byte(doc), KindIdentity, "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	st := p.Statements[0]
	fmt.Println(p.Version, st.Effect, st.Actions, st.Services)
	fmt.Printf("%+v\n", st.Resources[0])

	_, err = ParsePolicyBytes("policy.json", []byte(`{"Statement": {"Effect": "allow"}}`), KindIdentity, "bad")
	fmt.Println(err)
	// Output:
	// 2012-10-17 Allow [s3:getobject] [s3]
	// {Parts:[{Lit:arn:aws:s3:::bucket/ Var: Default: HasDefault:false} {Lit: Var:aws:username Default: HasDefault:false} {Lit:/* Var: Default: HasDefault:false}]}
	// policy.json:1:26: $.Statement.Effect: Effect must be "Allow" or "Deny" (case-sensitive); got "allow"
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
