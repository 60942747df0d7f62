package query

import (
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/enginetest"
)

// Lint reports an action and a condition key AWS does not have
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html),
// and a multivalued key tested without a set operator ("Multivalued
// context keys require a condition set operator",
// reference_policies_condition-single-vs-multi-valued-context-keys.html).
func TestLint(t *testing.T) {
	e := enginetest.Open(t, `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: u
          policies:
            - name: p
              document:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Action: ["s3:GetObjekt", "s3:Get*", "nosuch:Thing"], Resource: "*"}
                  - {Effect: Allow, Action: "s3:ListBucket", Resource: "*", Condition: {StringLike: {"s3:prefixx": "a/*", "s3:prefix": "a/*"}}}
                  - {Effect: Allow, Action: "ec2:CreateTags", Resource: "*", Condition: {StringEquals: {"aws:TagKeys": "a"}, ForAnyValue:StringEquals: {"aws:TagKeys": "b"}, "Null": {"aws:TagKeys": "false"}}}
`)
	ws, err := New(e).Lint()
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, w := range ws {
		msgs = append(msgs, w.Message)
	}
	if len(ws) != 4 || !strings.Contains(msgs[0], "s3:getobjekt") || !strings.Contains(msgs[1], "nosuch") || !strings.Contains(msgs[2], "s3:prefixx") ||
		!strings.Contains(msgs[3], `StringEquals on the multivalued key "aws:tagkeys"`) {
		t.Errorf("warnings %q", msgs)
	}
}

// Lint reports each customer managed policy IAM's CreatePolicy would refuse
// (policy.ValidateCreatePolicy: the grammar accepts these documents), with
// AWS's message and where in the document, and nothing for a document
// CreatePolicy accepts, an inline policy (put by PutUserPolicy and its kin,
// under other limits) or an AWS managed policy (not the user's to create).
func TestLintCreatePolicy(t *testing.T) {
	const (
		moto   = "getmoto/moto@0af643a tests/test_iam/test_iam_policies.py, in shared/conformance/moto/derived/policy-validation-vectors.json"
		refuse = "CreatePolicy would refuse this document: "
		arn    = "arn:aws:iam::111122223333:policy/p"
	)
	// 6,206 characters, none of them white space: over the 6,144 quota.
	big := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` +
		strings.Repeat("b", 6100) + `"}}`
	for _, c := range []struct {
		name    string
		account string   // YAML of the account's policies
		want    *Warning // nil: no CreatePolicy warning
		source  string
	}{
		{"no Version", `
      managed_policies:
        - name: p
          document: {Statement: {Effect: Allow, Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket"}}`,
			&Warning{arn, -1, refuse + "Policy document must be version 2012-10-17 or greater."},
			moto + `: invalid[1]`},
		{"region in an IAM ARN", `
      managed_policies:
        - name: p
          document: |
            {
             "Version": "2012-10-17",
             "Statement": {
              "Effect": "Allow",
              "Action": "s3:ListBucket",
              "Resource": "arn:aws:iam:us-east-1::example_bucket"
             }
            }`,
			&Warning{arn, 0, refuse + "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information. " +
				"(at $.Statement.Resource, line 6, column 15 of the document)"},
			moto + `: invalid[55]`},
		// A document given as a mapping is checked as its JSON, where the
		// position is.
		{"region in an S3 ARN, second statement", `
      managed_policies:
        - name: p
          document:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket"}
              - {Effect: Allow, Action: "s3:ListBucket", Resource: "arn:aws:s3:us-east-1::example_bucket"}`,
			&Warning{arn, 1, refuse + "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information. " +
				"(at $.Statement[1].Resource, line 1, column 177 of the document)"},
			moto + `: invalid[56]`},
		{"over the size quota", `
      managed_policies:
        - name: p
          document: '` + big + `'`,
			&Warning{arn, -1, refuse + "Cannot exceed quota for PolicySize: 6144 (the document has 6206 characters other than white space)"},
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (IAM and AWS STS character limits: " +
				"managed policy size 6,144 characters, white space not counted); shared/reference/iam-semantics.md §10"},
		// IAM takes JSON only: YAML is converted before it is sent (as
		// CloudFormation does), so YAML text is checked as its JSON.
		{"YAML text", `
      managed_policies:
        - name: p
          document: "Statement: {Effect: Allow, Action: s3:ListBucket, Resource: 'arn:aws:s3:::example_bucket'}"`,
			&Warning{arn, -1, refuse + "Policy document must be version 2012-10-17 or greater."},
			moto + ": invalid[1]; PolicyDocument in https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html"},
		{"access point ARNs with a region pass", `
      managed_policies:
        - name: p
          document: {"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": ["s3:*"],
            "Resource": ["arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point",
                         "arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point/object/*"]}]}`,
			nil, moto + `: valid[53]`},
		{"inline policy not checked", `
      users:
        - name: u
          policies:
            - name: p
              document: {Statement: {Effect: Allow, Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket"}}`,
			nil, "CreatePolicy makes managed policies (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html); " +
				"inline ones are PutUserPolicy's (API_PutUserPolicy.html)"},
		{"AWS managed policy not checked", `
      managed_policies:
        - name: Legacy
          arn: arn:aws:iam::aws:policy/Legacy
          document: {Statement: {Effect: Allow, Action: "s3:ListBucket", Resource: "arn:aws:s3:::example_bucket"}}`,
			nil, "AWS managed policies are created and administered by AWS " +
				"(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := enginetest.Open(t, `
world:
  accounts:
    - id: "111122223333"`+c.account+"\n")
			ws, err := New(e).Lint()
			if err != nil {
				t.Fatal(err)
			}
			var got []Warning
			for _, w := range ws {
				if strings.HasPrefix(w.Message, refuse) {
					got = append(got, w)
				}
			}
			switch {
			case c.want == nil && len(got) != 0:
				t.Errorf("CreatePolicy warnings %+v, want none (%s)", got, c.source)
			case c.want != nil && (len(got) != 1 || got[0] != *c.want):
				t.Errorf("CreatePolicy warnings %+v\nwant [%+v] (%s)", got, *c.want, c.source)
			}
		})
	}
}
