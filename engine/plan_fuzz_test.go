package engine

import (
	"context"
	"strings"
	"testing"
)

// planFuzzWorld exercises conditions (tags, numbers, dates, policy
// variables, IfExists, set qualifiers), NotAction and NotResource, a
// boundary, a resource policy naming a role and an SCP.
const planFuzzWorld = `
world:
  organization:
    id: o-fuzz
    management_account: "999999999999"
    policies:
      - {name: all, type: scp, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "*", Resource: "*"}}}
      - {name: guard, type: scp, document: {Version: "2012-10-17", Statement: {Effect: Deny, Action: "s3:DeleteBucket", Resource: "*", Condition: {StringNotEquals: {"aws:PrincipalTag/team": "ops"}}}}}
    root: {id: r-fuzz, scps: [all], children: [{name: Work, id: ou-fuzz-work0001, scps: [all, guard]}]}
  accounts:
    - id: "999999999999"
    - id: "111122223333"
      org_path: Work
      managed_policies:
        - name: bound
          document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: ["s3:*", "kms:*", "sqs:*"], Resource: "*"}}
      users:
        - name: alice
          tags: {team: data}
          boundary: arn:aws:iam::111122223333:policy/bound
          policies:
            - name: p
              document: {Version: "2012-10-17", Statement: [
                {Effect: Allow, Action: "s3:*", Resource: "arn:aws:s3:::b-${aws:PrincipalTag/team}/*"},
                {Effect: Allow, NotAction: "iam:*", Resource: "*", Condition: {NumericLessThan: {"s3:max-keys": "10"}, DateGreaterThan: {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}},
                {Effect: Deny, Action: "s3:PutObject", NotResource: "arn:aws:s3:::b-data/*", Condition: {"ForAnyValue:StringLike": {"aws:TagKeys": ["secret*"]}}},
                {Effect: Allow, Action: "kms:*", Resource: "*", Condition: {StringEqualsIfExists: {"kms:ViaService": "s3.us-east-1.amazonaws.com"}, Bool: {"aws:SecureTransport": "true"}}}]}
      roles:
        - name: app
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: "111122223333"}, Action: "sts:AssumeRole"}}
          policies: [{name: r, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "sqs:*", Resource: "*"}}}]
      resources:
        - {arn: "arn:aws:s3:::b-data", policy: {Version: "2012-10-17", Statement: [
            {Effect: Allow, Principal: {AWS: "arn:aws:iam::111122223333:role/app"}, Action: "s3:GetObject", Resource: "arn:aws:s3:::b-data/*"},
            {Effect: Deny, NotPrincipal: {AWS: "arn:aws:iam::111122223333:user/alice"}, Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b-data/*"}]}}
`

// FuzzPlanVsTopdown: whatever the principal, action, resource and one
// context key carry, the plan evaluator's decision object equals
// topdown's (the engine opened with EvaluatorBoth fails a decision on
// which they differ).
func FuzzPlanVsTopdown(f *testing.F) {
	for _, s := range [][5]string{
		{"arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::b-data/k", "s3:max-keys", "5"},
		{"arn:aws:iam::111122223333:user/alice", "s3:PutObject", "arn:aws:s3:::b-x/k", "aws:TagKeys", "secret-1"},
		{"arn:aws:iam::111122223333:user/alice", "kms:Decrypt", "*", "aws:SecureTransport", "true"},
		{"arn:aws:iam::111122223333:user/alice", "s3:DeleteBucket", "arn:aws:s3:::b-data", "aws:PrincipalTag/team", "ops"},
		{"arn:aws:sts::111122223333:assumed-role/app/s", "s3:GetObject", "arn:aws:s3:::b-data/k", "", ""},
		{"arn:aws:sts::111122223333:assumed-role/app/s", "s3:DeleteObject", "arn:aws:s3:::b-data/k", "aws:CurrentTime", "2019-01-01T00:00:00Z"},
		{"arn:aws:iam::111122223333:root", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:q", "", ""},
		{"anonymous", "s3:GetObject", "arn:aws:s3:::b-data/k", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	e := openTestEngine(f, planFuzzWorld)
	if e.opts.Evaluator != EvaluatorBoth {
		f.Fatal("the fuzz engine must decide both ways")
	}
	f.Fuzz(func(t *testing.T, principal, action, resource, key, value string) {
		req := &Request{Principal: principal, Action: action, Resource: resource, Time: t0}
		if key != "" {
			req.Context = map[string]any{key: value}
		}
		if _, err := e.Decide(context.Background(), req); err != nil && strings.Contains(err.Error(), "evaluators differ") {
			t.Fatal(err)
		}
	})
}
