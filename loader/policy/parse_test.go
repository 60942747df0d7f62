package policy

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

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
		// "The effect of Allow is only supported for the RCPFullAWSAccess
		// policy" (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html,
		// elements summary).
		{"rcp allow", "{\"Version\": \"2012-10-17\", \"Statement\": [\n {\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n" +
			" {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}]}", KindRCP, tree.CodeInvalidEffect,
			`p.json:3:13: $.Statement[1].Effect: an RCP statement must Deny: "The effect of Allow is only supported for the RCPFullAWSAccess policy"`},
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

// AWS's own RCPFullAWSAccess is the one RCP that may Allow ("The effect of
// Allow is only supported for the RCPFullAWSAccess policy",
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html);
// under any other name the same document is refused.
func TestRCPFullAWSAccessAllows(t *testing.T) {
	const doc = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}`
	if _, err := ParsePolicyBytes("(built in)", []byte(doc), KindRCP, OrgPolicyName(KindRCP, RCPFullAWSAccess)); err != nil {
		t.Errorf("RCPFullAWSAccess: %v", err)
	}
	for _, name := range []string{OrgPolicyName(KindRCP, "MyFullAccess"), RCPFullAWSAccess, OrgPolicyName(KindSCP, RCPFullAWSAccess)} {
		if _, err := ParsePolicyBytes("p.json", []byte(doc), KindRCP, name); err == nil || !strings.Contains(err.Error(), "must Deny") {
			t.Errorf("%s: err = %v, want the RCP Allow error", name, err)
		}
	}
	// An SCP may Allow (FullAWSAccess does).
	if _, err := ParsePolicyBytes("p.json", []byte(`{"Version": "2012-10-17", "Statement": {`+allowAll+`}}`), KindSCP, "scp/x"); err != nil {
		t.Errorf("SCP Allow: %v", err)
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
		{Policy: "test", Sid: "One", Index: 0, At: Written{Line: 2, Col: 3}, Effect: "Allow", Actions: []string{"s3:getobject", "s3:list*", "ec2:describe?nstances"},
			ActionsWritten: []Written{{"S3:GetObject", 2, 48}, {"s3:List*", 2, 64}, {"EC2:Describe?nstances", 2, 76}},
			Resources:      []any{"arn:aws:s3:::b/*"}, Conditions: []Condition{}, Services: []string{"ec2", "s3"},
			ActionPrefixes: []string{"s3:getobject", "s3:list", "ec2:describe"}},
		{Policy: "test", Index: 1, At: Written{Line: 3, Col: 3}, Effect: "Deny", Actions: []string{"iam:*"}, NotAction: true, ActionsWritten: []Written{{"iam:*", 3, 35}},
			Resources: []any{"arn:aws:iam::*:role/admin"}, NotResource: true, Conditions: []Condition{}, Services: []string{"*"},
			ActionPrefixes: []string{"iam:"}},
		{Policy: "test", Index: 2, At: Written{Line: 4, Col: 3}, Effect: "Allow", Actions: []string{"*"}, ActionsWritten: []Written{{"*", 4, 33}},
			Resources: []any{"*"}, Conditions: []Condition{}, Services: []string{"*"},
			ActionPrefixes: []string{""}},
		{Policy: "test", Index: 3, At: Written{Line: 5, Col: 3}, Effect: "Allow", Actions: []string{"s3*:get"}, ActionsWritten: []Written{{"s3*:get", 5, 33}}, Resources: []any{`arn:aws:s3:::back\\slash`},
			Conditions: []Condition{}, Services: []string{"*"}, ActionPrefixes: []string{"s3"}},
	}
	if !reflect.DeepEqual(p.Statements, want) {
		t.Errorf("statements\n got %#v\nwant %#v", p.Statements, want)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "$.Statement[1].NotResource[1]: null in NotResource list ignored") {
		t.Errorf("warnings = %q", p.Warnings)
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
