package query

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/loader/policy"
)

var secure = map[string]any{"aws:SecureTransport": true, "aws:RequestedRegion": "us-east-1"}

func canOf(t *testing.T, e *Querier, req *engine.Request) *Effective {
	t.Helper()
	req.Time = enginetest.T0
	eff, err := e.Can(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return eff
}

func openExample(t *testing.T, path string) *Querier {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return New(enginetest.Open(t, string(data)))
}

// permsOf lists "resource except [..]" for each permission of the action.
func permsOf(eff *Effective, action string) []string {
	var out []string
	for _, p := range eff.Permissions {
		if p.Action == action {
			out = append(out, p.Resource+" except "+strings.Join(p.Except, ","))
		}
	}
	return out
}

// bob's effective permissions in the example organization: his policy
// allows s3, sqs, ec2 and logs, his DeveloperBoundary s3, sqs, logs and
// cloudwatch, so the intersection is s3, sqs and logs
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html);
// his own Deny (NotResource productionapp/${aws:PrincipalTag/team}/*, his
// tag team=payments: reference_policies_variables.html) leaves him
// s3:PutObject on productionapp/payments/* only.
func TestCanExampleOrganization(t *testing.T) {
	e := openExample(t, "../../corpus/example/company.yaml")
	eff := canOf(t, e, &engine.Request{Principal: "arn:aws:iam::111122223333:user/bob", Context: secure})
	services := map[string]bool{}
	for _, p := range eff.Permissions {
		services[p.Service] = true
	}
	if !services["s3"] || !services["sqs"] || !services["logs"] || services["ec2"] || services["cloudwatch"] {
		t.Errorf("services %v: want s3, sqs, logs only", services)
	}
	if got := permsOf(eff, "s3:GetObject"); !slices.Contains(got, "* except ") {
		t.Errorf("s3:GetObject on %v, want on *", got)
	}
	if got := permsOf(eff, "s3:PutObject"); !slices.Equal(got, []string{"arn:aws:s3:::productionapp/payments/* except "}) {
		t.Errorf("s3:PutObject on %v, want productionapp/payments/* only (his Deny)", got)
	}
}

// The prod root user's own access: "a single sign-in identity that has
// complete access to all AWS services and resources in the account"
// (id_root-user.md), less what the SCPs of its account take away: "SCPs
// affect ... the root user" of member accounts
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html);
// DenyLeaveOrganization and ProtectGuardDuty (whose ArnNotLike exempts only
// SecurityAdmin) deny it organizations:LeaveOrganization and
// guardduty:DeleteDetector.
func TestCanRootUser(t *testing.T) {
	e := openExample(t, "../../corpus/example/company.yaml")
	eff := canOf(t, e, &engine.Request{Principal: "arn:aws:iam::111122223333:root", Context: secure})
	var star *Permission
	for i, p := range eff.Permissions {
		if p.Action == "*" {
			star = &eff.Permissions[i]
		}
	}
	if star == nil || star.Resource != "*" || star.Account != "111122223333" {
		t.Fatalf("root: no every-other-action permission on * in its account: %+v", star)
	}
	for _, denied := range []string{"organizations:LeaveOrganization", "guardduty:DeleteDetector"} {
		if !slices.Contains(star.ExceptActions, denied) || len(permsOf(eff, denied)) > 0 {
			t.Errorf("%s: want left out of * (%v) and not granted (%v)", denied, star.ExceptActions, permsOf(eff, denied))
		}
	}
	if got := permsOf(eff, "s3:GetObject"); !slices.Contains(got, "* except ") {
		t.Errorf("root s3:GetObject on %v, want on * of its account", got)
	}
}

// A Deny on specific resources shows as exceptions of the permission on
// "*" it cuts into: an SCP's ("If an action is denied by an SCP, ... the
// action is denied", orgs_manage_policies_scps_evaluation.html) and a
// bucket policy's ("an explicit deny in any of these policies overrides
// the allow", reference_policies_evaluation-logic.html). A boundary
// limiting the user to buckets named data-* leaves only those
// (access_policies_boundaries.html).
func TestCanExceptions(t *testing.T) {
	e := New(enginetest.Open(t, `
world:
  organization:
    id: o-exc
    management_account: "999999999999"
    policies:
      - {name: ProtectAudit, type: scp, document: {Version: "2012-10-17", Statement: {Effect: Deny, Action: "s3:DeleteObject", Resource: "arn:aws:s3:::audit-logs/*"}}}
    root: {id: r-exc, scps: [FullAWSAccess, ProtectAudit]}
  accounts:
    - id: "999999999999"
    - id: "111122223333"
      managed_policies:
        - {name: DataOnly, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::data-*/*"}}}
      users:
        - name: dev
          policies:
            - {name: s3, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: ["s3:DeleteObject", "s3:GetObject"], Resource: "*"}}}
        - name: bounded
          boundary: arn:aws:iam::111122223333:policy/DataOnly
          policies:
            - {name: s3, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "s3:GetObject", Resource: "*"}}}
      resources:
        - {arn: "arn:aws:s3:::audit-logs", type: s3-bucket}
        - arn: arn:aws:s3:::payroll
          type: s3-bucket
          policy: {Version: "2012-10-17", Statement: {Effect: Deny, Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::payroll/*"}}
`))
	eff := canOf(t, e, &engine.Request{Principal: "arn:aws:iam::111122223333:user/dev"})
	if got := permsOf(eff, "s3:DeleteObject"); !slices.Equal(got, []string{"* except arn:aws:s3:::audit-logs/*,arn:aws:s3:::payroll/*"}) {
		t.Errorf("dev s3:DeleteObject on %v", got)
	}
	if got := permsOf(eff, "s3:GetObject"); !slices.Equal(got, []string{"* except arn:aws:s3:::payroll/*"}) {
		t.Errorf("dev s3:GetObject on %v", got)
	}
	eff = canOf(t, e, &engine.Request{Principal: "arn:aws:iam::111122223333:user/bounded"})
	if got := permsOf(eff, "s3:GetObject"); !slices.Equal(got, []string{"arn:aws:s3:::data-*/* except "}) {
		t.Errorf("bounded s3:GetObject on %v, want data-*/* (its boundary)", got)
	}
}

// What resource policies grant is part of a principal's permissions: the
// session bucket policy names (a grant to the session ARN is "not limited
// by an implicit deny in an identity-based policy, a permissions boundary,
// or session policy", reference_policies_evaluation-logic.html, table
// "Resource-based policies and implicit denies"), the role behind it
// through aws:PrincipalArn, the federated user named by ARN (even with no
// session policy, id_credentials_temp_control-access_getfederationtoken),
// and across accounts a grant to the account when the identity policy
// allows too (reference_policies_evaluation-logic-cross-account.html).
func TestCanResourcePolicyGrants(t *testing.T) {
	e := openExample(t, "../../corpus/interplay/resource_policy_principal_forms.yaml")
	eff := canOf(t, e, &engine.Request{Principal: "arn:aws:sts::111122223333:assumed-role/bounded-role/named-session"})
	if got := permsOf(eff, "s3:GetObject"); !slices.Equal(got, []string{
		"arn:aws:s3:::forms-bucket/session/* except ", "arn:aws:s3:::forms-bucket/star/* except "}) {
		t.Errorf("named-session s3:GetObject on %v", got)
	}
	eff = canOf(t, e, &engine.Request{Principal: "arn:aws:sts::111122223333:federated-user/fed-named",
		FederatedBy: "arn:aws:iam::111122223333:user/broker"})
	if got := permsOf(eff, "s3:GetObject"); !slices.Equal(got, []string{"arn:aws:s3:::forms-bucket/fed/* except "}) {
		t.Errorf("fed-named s3:GetObject on %v", got)
	}
	e = openExample(t, "../../corpus/example/company.yaml")
	eff = canOf(t, e, &engine.Request{Principal: "arn:aws:iam::210987654321:root", Context: secure})
	if got := permsOf(eff, "s3:ListBucket"); !slices.Contains(got, "arn:aws:s3:::exco-audit-evidence except ") {
		t.Errorf("the audit firm's root: s3:ListBucket on %v, want the evidence bucket its policy shares", got)
	}
}

// A federated user's permissions with the session policy token-app passes
// (seed 004, "Session policy passed as parameter"): "The resulting
// federated user has permission to list the contents of the Amazon S3
// bucket named productionapp. The user can't perform the Amazon S3
// GetObject, PutObject, and DeleteObject actions on items in the
// productionapp bucket"
// (id_credentials_temp_control-access_getfederationtoken.html#permissions-get-federation-token-example-passed-policy).
func TestCanFederatedWithSessionPolicy(t *testing.T) {
	e := openExample(t, "../../corpus/seeds/getfederationtoken.yaml")
	session, err := policy.ParsePolicyBytes("session.json", []byte(`{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::productionapp"]},
		{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::productionapp/*"]}]}`),
		policy.KindSession, "session policy")
	if err != nil {
		t.Fatal(err)
	}
	eff := canOf(t, e, &engine.Request{Principal: "arn:aws:sts::111122223333:federated-user/client-42",
		FederatedBy: "arn:aws:iam::111122223333:user/token-app", SessionPolicy: session})
	var got []string
	for _, p := range eff.Permissions {
		got = append(got, p.Action+" "+p.Resource+" except "+strings.Join(p.Except, ","))
	}
	if !slices.Equal(got, []string{"s3:ListBucket arn:aws:s3:::productionapp except ", "sts:GetCallerIdentity * except "}) {
		t.Errorf("client-42 with the page's session policy can %q", got)
	}
}
