package engine

import (
	"context"
	"testing"
)

// The world for the request-context tests: an organization with one OU, a
// tagged user, a tagged role, and a tagged bucket.
const ctxWorld = `
world:
  organization:
    id: o-ctx0000001
    management_account: "999999999999"
    root:
      id: r-ctx1
      children:
        - {name: Prod, id: ou-ctx1-prod0001}
  accounts:
    - id: "111122223333"
      org_path: Prod
      users:
        - {name: alice, id: AIDAALICE, tags: {Team: blue}}
      roles:
        - name: app
          path: /svc/
          id: AROAAPP
          tags: {env: prod}
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Action: sts:AssumeRole, Principal: {Service: ec2.amazonaws.com}}}
      resources:
        - {arn: "arn:aws:s3:::data", tags: {class: secret}}
    - id: "444455556666"
      outside_org: true
`

func contextOf(t *testing.T, req *Request) requestContext {
	t.Helper()
	e := openTestEngine(t, ctxWorld)
	in, err := e.viewFor(e.store.Snapshot()).prepare(req)
	if err != nil {
		t.Fatal(err)
	}
	return in.ctx
}

// Expected values: the principal key table of the IAM variables page and
// the global condition keys page.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func TestDerivedContext(t *testing.T) {
	cases := []struct {
		name string
		req  *Request
		want map[string]any // lower-cased key -> value; nil value = must be absent
	}{
		{"IAM user", &Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::data"},
			map[string]any{
				"aws:username": "alice", "aws:userid": "AIDAALICE", "aws:principaltype": "User",
				"aws:principalarn": "arn:aws:iam::111122223333:user/alice", "aws:principalaccount": "111122223333",
				"aws:principaltag/team": "blue", "aws:principalorgid": "o-ctx0000001",
				"aws:resourceaccount": "111122223333", "aws:resourcetag/class": "secret",
				"aws:resourceorgid": "o-ctx0000001",
			}},
		{"role session", &Request{Principal: "arn:aws:sts::111122223333:assumed-role/app/i-1", Action: "s3:GetObject", Resource: "arn:aws:s3:::data"},
			map[string]any{
				"aws:username": nil, "aws:userid": "AROAAPP:i-1", "aws:principaltype": "AssumedRole",
				"aws:principalarn": "arn:aws:iam::111122223333:role/svc/app", "aws:principaltag/env": "prod",
			}},
		{"federated user", &Request{Principal: "arn:aws:sts::111122223333:federated-user/Carol", FederatedBy: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::data"},
			map[string]any{
				"aws:username": nil, "aws:userid": "111122223333:Carol", "aws:principaltype": "FederatedUser",
				"aws:principalarn": "arn:aws:sts::111122223333:federated-user/Carol",
			}},
		{"root", &Request{Principal: "arn:aws:iam::111122223333:root", Action: "s3:GetObject", Resource: "arn:aws:s3:::data"},
			map[string]any{"aws:userid": "111122223333", "aws:principaltype": "Account", "aws:username": nil}},
		{"anonymous", &Request{Principal: "anonymous", Action: "s3:GetObject", Resource: "arn:aws:s3:::data"},
			map[string]any{"aws:userid": "anonymous", "aws:principaltype": "Anonymous", "aws:principalarn": nil}},
		{"outside the organization", &Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::other/x", ResourceAccount: "444455556666"},
			map[string]any{"aws:resourceorgid": nil, "aws:resourceaccount": "444455556666", "aws:principalorgid": "o-ctx0000001"}},
		// reference_policies_condition-keys.html#condition-keys-requestedregion: "IAM calls are
		// always made to the us-east-1 Region"; other services' regions are the caller's.
		{"IAM endpoint region", &Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "iam:CreateUser", Resource: "*"},
			map[string]any{"aws:requestedregion": "us-east-1"}},
		{"no region for S3 unless given", &Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::data"},
			map[string]any{"aws:requestedregion": nil}},
		{"request overrides", &Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::data",
			Context: map[string]any{"AWS:PrincipalTag/Team": "red"}},
			map[string]any{"aws:principaltag/team": "red"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := contextOf(t, tc.req)
			for k, want := range tc.want {
				got, ok := ctx[k]
				switch {
				case want == nil && ok:
					t.Errorf("%s: want absent, got %v", k, got.Value)
				case want != nil && (!ok || got.Value != want):
					t.Errorf("%s: want %v, got %v (present %v)", k, want, got.Value, ok)
				}
			}
		})
	}
}

func TestOrgPathsKey(t *testing.T) {
	ctx := contextOf(t, &Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::data"})
	paths, _ := ctx["aws:principalorgpaths"].Value.([]any)
	if len(paths) != 1 || paths[0] != "o-ctx0000001/r-ctx1/ou-ctx1-prod0001/" {
		t.Errorf("aws:PrincipalOrgPaths = %v", ctx["aws:principalorgpaths"].Value)
	}
	if ctx["aws:principaltag/team"].Source != sourcePrincipal || ctx["aws:currenttime"].Source != sourceClock {
		t.Error("sources not recorded")
	}
}

func TestRequestErrors(t *testing.T) {
	e := openTestEngine(t, ctxWorld)
	cases := map[string]*Request{
		"unknown user":          {Principal: "arn:aws:iam::111122223333:user/bob", Action: "s3:GetObject", Resource: "*"},
		"role as principal":     {Principal: "arn:aws:iam::111122223333:role/app", Action: "s3:GetObject", Resource: "*"},
		"federated without by":  {Principal: "arn:aws:sts::111122223333:federated-user/Carol", Action: "s3:GetObject", Resource: "*"},
		"action without prefix": {Principal: "anonymous", Action: "GetObject", Resource: "*"},
		"unknown account":       {Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::nobucket/k"},
		"not an ARN":            {Principal: "alice", Action: "s3:GetObject", Resource: "*"},
		"nested context list":   {Principal: "anonymous", Action: "s3:GetObject", Resource: "*", Context: map[string]any{"k": []any{[]any{"x"}}}},
	}
	for name, req := range cases {
		if _, err := e.Decide(context.Background(), req); err == nil {
			t.Errorf("%s: expected an error", name)
		}
	}
}

// The explanation lists keys that conditions needed but the request lacked.
func TestMissingKeysReported(t *testing.T) {
	world := `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: alice
          policies:
            - name: mfa
              document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "s3:*", Resource: "*",
                Condition: {Bool: {"aws:MultiFactorAuthPresent": "true"}, Null: {"aws:TokenIssueTime": "false"}}}}
`
	e := openTestEngine(t, world)
	d, err := e.Decide(context.Background(), &Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:ListAllMyBuckets", Resource: "*"})
	if err != nil {
		t.Fatal(err)
	}
	// OPERATORS: a positive operator on an absent key is false, so Bool fails.
	if d.Decision != ImplicitDeny || len(d.MissingKeys) != 1 || d.MissingKeys[0] != "aws:multifactorauthpresent" {
		t.Errorf("decision %s, missing %v", d.Decision, d.MissingKeys)
	}
}
