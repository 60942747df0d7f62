package query

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/enginetest"
)

// Lint reports, where each is written and with the catalog's nearest
// name, an action, a service prefix, a wildcard pattern and a condition key
// AWS does not have (the names of the Service Authorization Reference:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html,
// list_awskeymanagementservice.html), in every policy of the world, SCPs,
// RCPs and a document held in a string included; and a multivalued key
// tested without a set operator ("Multivalued context keys require a
// condition set operator",
// reference_policies_condition-single-vs-multi-valued-context-keys.html).
// Global (aws:) and identity providers' keys are not checked, nor AWS
// managed policies (AWS's ReadOnlyAccess still names the retired
// deepcomposer service: not a typo, and not the user's to edit).
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
                  - {Effect: Allow, Action: ["s3:GetObjekt", "s3:Get*", "nosuch:Thing", "s4:GetObject", "kms:Decrpyt", "s3:Get*Objekt", "*"], Resource: "*"}
                  - {Effect: Allow, Action: "s3:ListBucket", Resource: "*", Condition: {StringLike: {"s3:prefixx": "a/*", "s3:prefix": "a/*"}}}
                  - {Effect: Allow, Action: "ec2:CreateTags", Resource: "*", Condition: {StringEquals: {"aws:TagKeys": "a"}, ForAnyValue:StringEquals: {"aws:TagKeys": "b"}, "Null": {"aws:TagKeys": "false"}}}
                  - {Effect: Deny, NotAction: "S3:GetObjekt", Resource: "*", Condition: {StringEquals: {"aws:SourceVpc": "v", "accounts.google.com:aud": "a", "saml:aud": "x", "s4:prefix": "p"}}}
            - name: held
              document: '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "kms:Decrpyt", "Resource": "*"}}'
      managed_policies:
        - name: Legacy
          arn: arn:aws:iam::aws:policy/Legacy
          document: {Statement: {Effect: Allow, Action: "deepcomposer:GetModel", Resource: "*"}}
  organization:
    id: o-aaaabbbbcc
    management_account: "111122223333"
    policies:
      - name: NoLeaks
        type: rcp
        document:
          Version: "2012-10-17"
          Statement: {Effect: Deny, Principal: "*", Action: "s3:PutObjekt", Resource: "*"}
    root: {id: r-abcd, rcps: [NoLeaks]}
`)
	ws, err := New(e).Lint()
	if err != nil {
		t.Fatal(err)
	}
	const (
		user = "arn:aws:iam::111122223333:user/u#p"
		held = "arn:aws:iam::111122223333:user/u#held"
		mv   = ": use ForAnyValue: or ForAllValues: (reference_policies_condition-single-vs-multi-valued-context-keys.html)"
	)
	want := []Warning{
		// A document held in a string: at the string, saying where in the document.
		{held, 0, CodeUnknownAction, `unknown action "kms:Decrpyt" (did you mean "kms:Decrypt"?) (at line 1, column 70 of the document)`, "test.yaml", 17, 25},
		{user, 0, CodeUnknownAction, `unknown action "s3:GetObjekt" (did you mean "s3:GetObject"?)`, "test.yaml", 12, 46},
		{user, 0, CodeUnknownService, `unknown service "nosuch" in action "nosuch:Thing"`, "test.yaml", 12, 73},
		{user, 0, CodeUnknownService, `unknown service "s4" in action "s4:GetObject" (did you mean "s3:GetObject"?)`, "test.yaml", 12, 89},
		{user, 0, CodeUnknownAction, `unknown action "kms:Decrpyt" (did you mean "kms:Decrypt"?)`, "test.yaml", 12, 105},
		{user, 0, CodeNoMatchingAction, `action "s3:Get*Objekt" matches no action of Amazon S3`, "test.yaml", 12, 120},
		{user, 1, CodeUnknownConditionKey, `unknown condition key "s3:prefixx" (did you mean "s3:prefix"?)`, "test.yaml", 13, 102},
		{user, 2, CodeMultivalued, `StringEquals on the multivalued key "aws:TagKeys" never matches when the request carries it` + mv, "test.yaml", 14, 105},
		{user, 3, CodeUnknownAction, `unknown action "S3:GetObjekt" (did you mean "s3:GetObject"?)`, "test.yaml", 15, 47},
		{user, 3, CodeUnknownService, `unknown service "s4" in condition key "s4:prefix" (did you mean "s3:prefix"?)`, "test.yaml", 15, 176},
		{"rcp/NoLeaks", 0, CodeUnknownAction, `unknown action "s3:PutObjekt" (did you mean "s3:PutObject"?)`, "test.yaml", 30, 61},
	}
	if len(ws) != len(want) {
		t.Fatalf("%d warnings, want %d:\n%s", len(ws), len(want), lines(ws))
	}
	for i := range want {
		if ws[i] != want[i] {
			t.Errorf("warning %d:\n got %+v\nwant %+v", i, ws[i], want[i])
		}
	}
}

func lines(ws []Warning) string {
	var b strings.Builder
	for _, w := range ws {
		fmt.Fprintf(&b, "%+v\n", w)
	}
	return b.String()
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
			&Warning{Policy: arn, Statement: -1, Message: refuse + "Policy document must be version 2012-10-17 or greater."},
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
			&Warning{Policy: arn, Statement: 0, Message: refuse + "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information. " +
				"(at $.Statement.Resource, line 6, column 15 of the document)", Line: 7, Col: 21}, // the string holding the document
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
			&Warning{Policy: arn, Statement: 1, Message: refuse + "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information. " +
				"(at $.Statement[1].Resource, line 1, column 177 of the document)"},
			moto + `: invalid[56]`},
		{"over the size quota", `
      managed_policies:
        - name: p
          document: '` + big + `'`,
			&Warning{Policy: arn, Statement: -1, Message: refuse + "Cannot exceed quota for PolicySize: 6144 (the document has 6206 characters other than white space)",
				Line: 7, Col: 21},
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (IAM and AWS STS character limits: " +
				"managed policy size 6,144 characters, white space not counted); shared/reference/iam-semantics.md §10"},
		// IAM takes JSON only: YAML is converted before it is sent (as
		// CloudFormation does), so YAML text is checked as its JSON.
		{"YAML text", `
      managed_policies:
        - name: p
          document: "Statement: {Effect: Allow, Action: s3:ListBucket, Resource: 'arn:aws:s3:::example_bucket'}"`,
			&Warning{Policy: arn, Statement: -1, Message: refuse + "Policy document must be version 2012-10-17 or greater.", Line: 7, Col: 21},
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
				if w.Code == CodeCreatePolicy {
					got = append(got, w)
				}
			}
			if c.want != nil {
				c.want.Code, c.want.File = CodeCreatePolicy, "test.yaml"
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
