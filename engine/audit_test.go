package engine

import (
	"context"
	"os"
	"slices"
	"testing"
)

// The audit of the example organization (corpus/example/company.yaml).
// Expected from its policies: SecurityAdmin and sso-admin allow "*";
// alice's admins group allows "*" with MFA; the corp-idp SAML provider
// enters sso-admin; GitHub's OIDC provider enters github-deploy; the audit
// evidence bucket and the orders queue name accounts outside the
// organization (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html).
func TestAuditExampleOrganization(t *testing.T) {
	data, err := os.ReadFile("../corpus/example/company.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := openTestEngine(t, string(data))
	rep, err := e.Audit(context.Background(), AuditOptions{Time: t0, World: "company.yaml",
		Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Severity+" "+f.Rule+" "+f.Principal)
	}
	want := []string{
		"critical administrator arn:aws:iam::111122223333:role/SecurityAdmin",
		"critical administrator arn:aws:iam::111122223333:role/sso-admin",
		"critical administrator arn:aws:iam::111122223333:user/alice",
		"high federation-entry-point arn:aws:iam::111122223333:role/sso-admin",
		"medium federation-entry-point arn:aws:iam::111122223333:role/github-deploy",
		"medium resource-shared-outside arn:aws:s3:::exco-audit-evidence",
		"medium resource-shared-outside arn:aws:sqs:us-east-1:111122223333:orders",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%q\nwant\n%q", got, want)
	}
	for _, f := range rep.Findings {
		for _, ev := range f.Evidence {
			if ev.Why == "" {
				t.Errorf("%s: evidence without a replay command", f.Title)
			}
		}
	}
}
