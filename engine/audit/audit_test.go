package audit

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// The audit of the example organization (corpus/example/company.yaml).
// Expected from its policies: SecurityAdmin and sso-admin allow "*";
// alice's admins group allows "*" with MFA; the corp-idp SAML provider
// enters sso-admin; GitHub's OIDC provider enters github-deploy; the audit
// evidence bucket and the orders queue name accounts outside the
// organization (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html).
// Wide access (docs/audit-severity.md): token-app's sts:GetFederationToken
// on "*" is in policy_sentry's credentials-exposure list; bob's developer
// policy allows s3:* and sqs:* on "*" (his boundary too), so he may change
// bucket and queue policies (policy_sentry's resource-exposure list) and
// read every object; ReadOnlyAudit's s3:Get* on "*" reads every object
// for the auditor role and carol (via the auditors group): Cloudsplaining's
// data exfiltration, s3:GetObject without a resource constraint.
func TestAuditExampleOrganization(t *testing.T) {
	data, err := os.ReadFile("../../corpus/example/company.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := New(enginetest.Open(t, string(data)))
	rep, err := e.Audit(context.Background(), AuditOptions{Time: enginetest.T0, World: "company.yaml",
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
		"high credentials-exposure arn:aws:iam::111122223333:user/token-app",
		"high federation-entry-point arn:aws:iam::111122223333:role/sso-admin",
		"high resource-exposure arn:aws:iam::111122223333:user/bob",
		"medium data-access arn:aws:iam::111122223333:role/auditor",
		"medium data-access arn:aws:iam::111122223333:user/bob",
		"medium data-access arn:aws:iam::111122223333:user/carol-the-auditor",
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
			// A request names "*" only for an action without resource
			// types (Service Authorization Reference): the probes on "*"
			// are replayed on a concrete ARN (replay.go). An action that
			// acts on no resource type (s3:PutAccountPublicAccessBlock)
			// names "*", as IAM requires.
			if (ev.Resource == "*" || strings.Contains(ev.Why, "--resource '*'")) && len(resourceTypes(ev.Action)) > 0 {
				t.Errorf("%s: evidence %s on %s (%s): not a concrete resource", f.Title, ev.Action, ev.Resource, ev.Why)
			}
		}
	}
}

// A bucket policy granting s3:GetObject to "*" on its objects is open to
// the world; one conditioned on aws:SourceOwner is not
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html).
func TestAuditOpenResources(t *testing.T) {
	e := New(enginetest.Open(t, `
world:
  accounts:
    - id: "111122223333"
      resources:
        - arn: arn:aws:s3:::public-site
          type: s3-bucket
          policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::public-site/*"}]}
        - arn: arn:aws:sns:us-east-1:111122223333:private
          policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: "SNS:Publish", Resource: "arn:aws:sns:us-east-1:111122223333:private", Condition: {StringEquals: {"AWS:SourceOwner": "111122223333"}}}]}
`))
	rep, err := e.Audit(context.Background(), AuditOptions{Time: enginetest.T0})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "resource-open-to-world" || rep.Findings[0].Principal != "arn:aws:s3:::public-site" {
		t.Errorf("findings %+v", rep.Findings)
	}
}

// The example company as raw AWS CLI outputs (examples/aws-export) is
// audited as its scenario world is: the same findings, statement for
// statement (the two are the same world: loader/scenario's
// TestExampleExportIsTheExampleWorld).
func TestAuditExampleExport(t *testing.T) {
	ctx := context.Background()
	run := func(load func() (*scenario.Scenario, error)) []string {
		sc, err := load()
		if err != nil {
			t.Fatal(err)
		}
		e, err := checks.OpenScenario(ctx, sc)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := New(e).Audit(ctx, AuditOptions{Time: enginetest.T0, World: "example",
			Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range rep.Findings {
			out = append(out, fmt.Sprintf("%s %s %s | %s | %s %d", f.Severity, f.Rule, f.Principal, f.Title, f.Policy, f.Statement))
		}
		return out
	}
	want := run(func() (*scenario.Scenario, error) {
		return scenario.LoadFile("../../corpus/example/company.yaml", scenario.Options{})
	})
	got := run(func() (*scenario.Scenario, error) {
		return scenario.LoadInputs([]string{"../../examples/aws-export"}, scenario.Options{})
	})
	if len(want) != 12 || !slices.Equal(got, want) {
		t.Errorf("aws-export findings:\n%s\ncompany.yaml findings:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
