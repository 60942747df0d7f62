package audit

import (
	"strings"
	"testing"
)

// trustWorld is one account with a role whose trust statement is given,
// and an organization when org is set.
func trustWorld(trust string, org bool) string {
	w := "world:\n"
	if org {
		w += `  organization:
    id: o-exampleorg
    management_account: "111122223333"
    root: {id: r-ab12}
`
	}
	return w + `  accounts:
    - id: "111122223333"
      roles:
        - name: target
          trust: {Version: "2012-10-17", Statement: [` + trust + `]}
          policies: [{name: read, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: s3:ListAllMyBuckets, Resource: "*"}]}}]
      saml_providers: [{name: corp}]
      oidc_providers:
        - {url: token.actions.githubusercontent.com, audiences: [sts.amazonaws.com]}
`
}

// Trusts of another account and of web identity providers, rated by
// docs/audit-severity.md.
func TestTrustSeverity(t *testing.T) {
	const gh = `Principal: {Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, Action: sts:AssumeRoleWithWebIdentity`
	for _, tc := range []struct {
		name, trust    string
		org            bool
		rule, severity string
		title          string
	}{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
		{"outside the organization", `{Effect: Allow, Principal: {AWS: "arn:aws:iam::444455556666:root"}, Action: sts:AssumeRole}`, true,
			"role-trusts-outside-account", High, "outside the organization"},
		{"outside, with external id", `{Effect: Allow, Principal: {AWS: "arn:aws:iam::444455556666:root"}, Action: sts:AssumeRole, Condition: {StringEquals: {"sts:ExternalId": "x-1"}}}`, true,
			"role-trusts-outside-account", Low, "outside the organization"},
		{"another account, no organization", `{Effect: Allow, Principal: {AWS: "arn:aws:iam::444455556666:root"}, Action: sts:AssumeRole}`, false,
			"role-trusts-other-account", Medium, "another account (no organization loaded)"},
		{"another account, external id", `{Effect: Allow, Principal: {AWS: "444455556666"}, Action: sts:AssumeRole, Condition: {StringEquals: {"sts:ExternalId": "x-1"}}}`, false,
			"role-trusts-other-account", Low, "another account"},
		// id_roles_create_for-idp_oidc.html: without token.actions.githubusercontent.com:sub
		// "GitHub Actions from organizations or repositories outside of your control are able to assume roles".
		{"GitHub without sub", `{Effect: Allow, ` + gh + `, Condition: {StringEquals: {"token.actions.githubusercontent.com:aud": sts.amazonaws.com}}}`, false,
			"federation-entry-point", High, "the trust has no token.actions.githubusercontent.com:sub condition"},
		{"GitHub with sub repo:*", `{Effect: Allow, ` + gh + `, Condition: {StringLike: {"token.actions.githubusercontent.com:sub": "repo:*"}}}`, false,
			"federation-entry-point", High, "any arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com identity"},
		{"GitHub with a repository", `{Effect: Allow, ` + gh + `, Condition: {StringLike: {"token.actions.githubusercontent.com:sub": "repo:example-corp/web:*"}}}`, false,
			"federation-entry-point", Medium, "identities of"},
		{"GitHub with a negated sub", `{Effect: Allow, ` + gh + `, Condition: {StringNotLike: {"token.actions.githubusercontent.com:sub": "repo:evil/*"}}}`, false,
			"federation-entry-point", High, "any"},
		// id_roles_create_for-idp_oidc.html: "Test the identity pool ID for Amazon Cognito"
		{"Cognito without aud", `{Effect: Allow, Principal: {Federated: cognito-identity.amazonaws.com}, Action: sts:AssumeRoleWithWebIdentity, Condition: {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": authenticated}}}`, false,
			"federation-entry-point", High, "cognito-identity.amazonaws.com:aud"},
		{"Cognito with aud", `{Effect: Allow, Principal: {Federated: cognito-identity.amazonaws.com}, Action: sts:AssumeRoleWithWebIdentity, Condition: {StringEquals: {"cognito-identity.amazonaws.com:aud": "us-east-1:12345678-abcd-abcd-abcd-123456789012"}}}`, false,
			"federation-entry-point", Medium, "identities of"},
		{"Google with aud", `{Effect: Allow, Principal: {Federated: accounts.google.com}, Action: sts:AssumeRoleWithWebIdentity, Condition: {StringEquals: {"accounts.google.com:aud": "66677788899900pro0"}}}`, false,
			"federation-entry-point", Medium, "identities of"},
		// SAML: the company's own IdP (id_roles_create_for-idp_saml.html).
		{"SAML", `{Effect: Allow, Principal: {Federated: "arn:aws:iam::111122223333:saml-provider/corp"}, Action: sts:AssumeRoleWithSAML, Condition: {StringEquals: {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}`, false,
			"federation-entry-point", Medium, "identities of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := audited(t, trustWorld(tc.trust, tc.org), AuditOptions{})
			var got []Finding
			for _, f := range rep.Findings {
				if f.Principal == "arn:aws:iam::111122223333:role/target" {
					got = append(got, f)
				}
			}
			if len(got) != 1 || got[0].Rule != tc.rule || got[0].Severity != tc.severity || !strings.Contains(got[0].Title, tc.title) {
				t.Fatalf("findings %+v, want one %s %s with %q", got, tc.severity, tc.rule, tc.title)
			}
			if got[0].Policy != "arn:aws:iam::111122223333:role/target (trust policy)" {
				t.Errorf("policy %q", got[0].Policy)
			}
		})
	}
}

// A resource shared with another account: outside the organization
// (medium) only when one is loaded; otherwise another account (low).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html
func TestResourceSharedSeverity(t *testing.T) {
	for _, tc := range []struct {
		org            bool
		rule, severity string
	}{
		{true, "resource-shared-outside", Medium},
		{false, "resource-shared-other-account", Low},
	} {
		w := "world:\n"
		if tc.org {
			w += "  organization: {id: o-exampleorg, management_account: \"111122223333\", root: {id: r-ab12}}\n"
		}
		w += `  accounts:
    - id: "111122223333"
      resources:
        - arn: arn:aws:sqs:us-east-1:111122223333:orders
          policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::777788889999:root"}, Action: sqs:SendMessage, Resource: "arn:aws:sqs:us-east-1:111122223333:orders"}]}
`
		rep := audited(t, w, AuditOptions{})
		if len(rep.Findings) != 1 || rep.Findings[0].Rule != tc.rule || rep.Findings[0].Severity != tc.severity {
			t.Errorf("org %v: %+v, want one %s %s", tc.org, rep.Findings, tc.severity, tc.rule)
		}
	}
}
