package audit

import (
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/catalog"
)

// wideWorld holds one user per case of the wide-access rules.
const wideWorld = `
world:
  accounts:
    - id: "111122223333"
      users:
        - {name: reader, policies: [{name: read, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}}]}
        - {name: narrow, policies: [{name: read, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: [s3:GetObject, secretsmanager:GetSecretValue], Resource: ["arn:aws:s3:::reports/*", "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-*"]}]}}]}
        - {name: secrets, policies: [{name: read, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: "arn:aws:secretsmanager:*:*:secret:*"}]}}]}
        - {name: denied, policies: [{name: read, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}, {Effect: Deny, Action: "s3:*", Resource: "*"}]}}]}
        - {name: keys, policies: [{name: keys, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: [iam:CreateAccessKey, iam:UpdateAccessKey], Resource: "*"}]}}]}
        - {name: puller, policies: [{name: ecr, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ecr:GetAuthorizationToken, Resource: "*"}]}}]}
        - {name: publisher, policies: [{name: pol, document: {Version: "2012-10-17", Statement: [{Sid: Buckets, Effect: Allow, Action: s3:PutBucketPolicy, Resource: "*"}]}}]}
        - {name: publisher2, policies: [{name: pol, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: s3:PutBucketPolicy, Resource: "arn:aws:s3:::*"}]}}]}
        - {name: root-like, policies: [{name: all, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}}]}
        - {name: mfa-reader, policies: [{name: read, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: kms:Decrypt, Resource: "*", Condition: {Bool: {"aws:MultiFactorAuthPresent": "true"}}}]}}]}
      resources:
        - arn: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
          type: kms-key
          policy: {Version: "2012-10-17", Statement: [{Sid: Enable IAM policies, Effect: Allow, Principal: {AWS: "arn:aws:iam::111122223333:root"}, Action: "kms:*", Resource: "*"}]}
`

// The wide-access rules on known answers (docs/audit-severity.md):
// Cloudsplaining's data exfiltration is a read action "without resource
// constraints" (its default-exclusions.yml include-actions list); the
// exposure lists are policy_sentry's; an explicit Deny wins over the
// Allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
func TestWideAccessRules(t *testing.T) {
	rep := audited(t, wideWorld, AuditOptions{})
	got := map[string][]string{} // user -> "severity rule: actions"
	for _, f := range rep.Findings {
		name := f.Principal[strings.LastIndex(f.Principal, "/")+1:]
		var acts []string
		for _, ev := range f.Evidence {
			acts = append(acts, ev.Action)
		}
		got[name] = append(got[name], f.Severity+" "+f.Rule+": "+strings.Join(acts, ","))
	}
	for _, c := range []struct {
		user string
		want []string
	}{
		{"reader", []string{"medium data-access: s3:GetObject"}},
		{"narrow", nil}, // named buckets and secrets only
		{"secrets", []string{"medium data-access: secretsmanager:GetSecretValue"}},
		{"denied", nil},
		// iam:CreateAccessKey is an escalation method (pathfinding.cloud
		// iam-002): not repeated as credentials exposure; holding it
		// without MFA is folded into the escalation finding (Fold).
		{"keys", []string{"high credentials-exposure: iam:UpdateAccessKey", "high privilege-escalation: iam:createaccesskey"}},
		// ecr:GetAuthorizationToken acts on no resource type: the token
		// is the caller's own: medium.
		{"puller", []string{"medium credentials-exposure: ecr:GetAuthorizationToken"}},
		{"publisher", []string{"high resource-exposure: s3:PutBucketPolicy"}},
		{"publisher2", []string{"medium resource-exposure: s3:PutBucketPolicy"}},
		// An administrator's finding says it all: no wide-access finding,
		// and its sensitive permissions without MFA are folded into it.
		{"root-like", []string{"critical administrator: " + strings.Join(adminProbes, ",")}},
		// kms:Decrypt on "*" reaches the keys whose key policy enables
		// IAM policies (the default key policy, key-policy-default.html):
		// with no such key it would read nothing.
		{"mfa-reader", []string{"medium data-access: kms:Decrypt"}},
	} {
		if !slices.Equal(got[c.user], c.want) {
			t.Errorf("%s: %q, want %q", c.user, got[c.user], c.want)
		}
	}
	for _, f := range rep.Findings {
		if f.Rule == RuleResourceExposure && strings.HasSuffix(f.Principal, "/publisher") {
			if f.Policy != "arn:aws:iam::111122223333:user/publisher#pol" || f.Statement != 0 || len(f.Grants) != 1 || f.Grants[0].Sid != "Buckets" {
				t.Errorf("publisher: granted by %s %d %+v", f.Policy, f.Statement, f.Grants)
			}
		}
		if f.Rule == RuleDataAccess && strings.HasSuffix(f.Principal, "/mfa-reader") && !strings.Contains(f.Title, "(with MFA)") {
			t.Errorf("mfa-reader: %s", f.Title)
		}
	}
}

// The data actions are the catalog's: Read, except kms:Decrypt and the
// RDS snapshot actions, which the Service Authorization Reference files
// under Write (documented in dataActions).
func TestDataActionsInCatalog(t *testing.T) {
	c, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	write := []string{"kms:Decrypt", "rds:CopyDBSnapshot", "rds:CreateDBSnapshot"}
	for _, a := range dataActions {
		ca, ok := c.Lookup(a)
		switch {
		case !ok:
			t.Errorf("%s: not in the catalog", a)
		case ca.String() != a:
			t.Errorf("%s: the catalog spells it %s", a, ca)
		case slices.Contains(write, a) != (ca.Access == catalog.Write), !slices.Contains(write, a) && ca.Access != catalog.Read:
			t.Errorf("%s: access level %s", a, ca.Access)
		}
	}
	kinds, err := wideKinds()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, k := range kinds {
		if len(k.actions) == 0 {
			t.Errorf("%s: no action", k.rule)
		}
		for _, a := range k.actions {
			if prev, ok := seen[a]; ok {
				t.Errorf("%s in %s and %s", a, prev, k.rule)
			}
			seen[a] = k.rule
			if strings.HasPrefix(strings.ToLower(a), "sts:assumerole") || a == "sts:GetSessionToken" {
				t.Errorf("%s: %s is left to reach / needs no permission", k.rule, a)
			}
		}
	}
}
