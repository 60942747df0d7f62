package cfn

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/tree"
)

func statementJSON(t *testing.T, e change.Edit) string {
	t.Helper()
	p := e.Policy
	if e.Trust != nil {
		p = e.Trust
	}
	b, err := json.Marshal(p.Statements[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The three risky changes, read as the review will see them.
func TestRiskyExamples(t *testing.T) {
	opts := Options{Account: "123456789012"}
	// A role any GitHub repository can assume: web identity with aud only,
	// no sub (IAM User Guide, id_roles_providers_oidc.html, "Configuring a
	// role for GitHub OIDC identity provider").
	gh := parseFile(t, "github-any-repo.yaml", opts).Edits
	if got := summary(gh[0]); got != "role github-deploy @8:3 DeployRole trust 15:13" {
		t.Errorf("role: %s", got)
	}
	st := statementJSON(t, gh[0])
	for _, want := range []string{`"federated":["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]`,
		`"key":"token.actions.githubusercontent.com:aud"`, `"actions":["sts:assumerolewithwebidentity"]`} {
		if !strings.Contains(st, want) {
			t.Errorf("trust statement %s lacks %s", st, want)
		}
	}
	if strings.Contains(st, ":sub") {
		t.Errorf("trust statement %s has a sub condition", st)
	}
	if gh[1].PolicyARN != "arn:aws:iam::aws:policy/AdministratorAccess" {
		t.Errorf("attachment: %s", summary(gh[1]))
	}
	// A bucket opened to another account.
	b := parseFile(t, "bucket-other-account.yaml", opts).Edits
	if got := summary(b[0]); got != "resource-policy  resource=arn:aws:s3:::data-123456789012 @6:3 DataPolicy statements 13:13" {
		t.Errorf("bucket policy: %s", got)
	}
	if st := statementJSON(t, b[0]); !strings.Contains(st, `"aws":["arn:aws:iam::999999999999:root"]`) ||
		!strings.Contains(st, `"resources":["arn:aws:s3:::data-123456789012","arn:aws:s3:::data-123456789012/*"]`) {
		t.Errorf("bucket statement %s", st)
	}
	// A user who can attach policies to themselves (JSON template).
	u := parseFile(t, "user-attach-self.json", opts).Edits
	if got := summary(u[1]); got != "inline-policy self-service owner=user/dev @4:5 Dev statements 14:17" {
		t.Errorf("user policy: %s", got)
	}
	if st := statementJSON(t, u[1]); !strings.Contains(st, `"actions":["iam:attachuserpolicy"]`) || !strings.Contains(st, `"var":"aws:username"`) {
		t.Errorf("user statement %s", st)
	}
}

// The statement a Lambda permission adds is the one AddPermission writes
// (lambda/latest/dg/access-control-resource-based.html, its examples).
func TestLambdaStatement(t *testing.T) {
	s := parseFile(t, "resources.yaml", Options{Account: "123456789012"})
	var got []string
	for _, e := range s.Edits {
		if e.Kind == change.ResourceStatement {
			got = append(got, statementJSON(t, e))
		}
	}
	wants := [][]string{
		{`"sid":"Invoke"`, `"service":["s3.amazonaws.com"]`, `"actions":["lambda:invokefunction"]`,
			`"resources":["arn:aws:lambda:us-east-1:123456789012:function:worker"]`,
			`{"op":"ArnLike","base":"ArnLike"`, `"key":"aws:sourcearn"`, `"values":["arn:aws:s3:::uploads"]`,
			`"key":"aws:sourceaccount"`, `"values":["123456789012"]`},
		{`"any":true`, `"actions":["lambda:invokefunctionurl"]`, `"key":"lambda:functionurlauthtype"`, `"values":["NONE"]`,
			`"resources":["arn:aws:lambda:us-east-1:123456789012:function:web:live"]`},
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d statements", len(got))
	}
	for i, want := range wants {
		for _, w := range want {
			if !strings.Contains(got[i], w) {
				t.Errorf("statement %s lacks %s", got[i], w)
			}
		}
	}
}

// A condition that tests a value unknown before deployment is assumed
// true, and the Edit says so.
func TestUnknownConditionAssumed(t *testing.T) {
	src := `Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Off: !Equals [a, b]
Resources:
  U:
    Type: AWS::IAM::User
    Condition: IsProd
    Properties: {UserName: !If [Off, x, u]}
  G:
    Type: AWS::IAM::Group
    Properties: {GroupName: !If [IsProd, prod, dev]}
  V:
    Type: AWS::IAM::User
    Condition: Off
`
	s, err := Parse("c.yaml", []byte(src), Options{Account: "123456789012"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range s.Edits {
		got = append(got, summary(e))
	}
	want := "user u @7:3 U assumes=[IsProd]\ngroup prod @11:3 G assumes=[IsProd]"
	if strings.Join(got, "\n") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	if len(s.Symbols) != 1 || s.Symbols[0].Expr != "!Ref Env" || s.Symbols[0].At.Line != 4 {
		t.Errorf("symbols %+v", s.Symbols)
	}
	if s.Account != "123456789012" || s.Region != "us-east-1" || s.Partition != "aws" || len(s.Files) != 1 || s.Files[0] != "c.yaml" {
		t.Errorf("set %+v", s)
	}
}

func TestParseParams(t *testing.T) {
	cases := []struct {
		src       string
		want      string
		code      string
		line, col int
	}{
		{`[{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": "N", "ParameterValue": "1", "UsePreviousValue": false}]`, "Env=prod N=1", "", 0, 0},
		{`[]`, "", "", 0, 0},
		{`{"Parameters": {"Env": "prod"}}`, "", tree.CodeWrongType, 1, 1},
		{`[{"ParameterKey": "Env", "UsePreviousValue": true}]`, "", tree.CodeInvalidValue, 1, 46},
		{`[{"ParameterKey": "Env", "ParameterValue": 3}]`, "", tree.CodeWrongType, 1, 44},
		{`[{"ParameterKey": "Env", "Value": "x"}]`, "", tree.CodeUnknownElement, 1, 26},
		{`[{"ParameterKey": "A", "ParameterValue": "1"}, {"ParameterKey": "A", "ParameterValue": "2"}]`, "", tree.CodeDuplicate, 1, 65},
		{`[{"ParameterKey": "A",}]`, "", tree.CodeInvalidJSON, 1, 23},
	}
	for _, c := range cases {
		got, err := parseParams("p.json", []byte(c.src))
		if c.code == "" {
			if err != nil {
				t.Errorf("%s: %v", c.src, err)
				continue
			}
			var parts []string
			for _, k := range sortedKeys(got) {
				parts = append(parts, k+"="+got[k])
			}
			if strings.Join(parts, " ") != c.want {
				t.Errorf("%s: got %v", c.src, got)
			}
			continue
		}
		var te *tree.Error
		if !errors.As(err, &te) || te.Code != c.code || te.Line != c.line || te.Col != c.col {
			t.Errorf("%s: got %v, want [%s] at %d:%d", c.src, err, c.code, c.line, c.col)
		}
	}
}
