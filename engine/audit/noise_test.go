package audit

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/enginetest"
)

// audited runs the audit of a one-account world written in YAML.
func audited(t *testing.T, world string, opts AuditOptions) *Report {
	t.Helper()
	opts.Time = enginetest.T0
	rep, err := New(enginetest.Open(t, world)).Audit(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func findingsOf(rep *Report, rule string) []Finding {
	var out []Finding
	for _, f := range rep.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func methodIDs(f Finding) []string {
	var ids []string
	for _, m := range f.Methods {
		ids = append(ids, m.ID)
	}
	return ids
}

// One finding per principal and method, naming each catalogue's entry;
// Pacu's user methods only on users and its role methods only on roles
// (Pacu iam__privesc_scan scans a user with user_escalation_methods and a
// role with role_escalation_methods).
func TestEscalationMethodsOncePerKind(t *testing.T) {
	rep := audited(t, `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: keymaker
          policies: [{name: keys, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: iam:CreateAccessKey, Resource: "*"}]}}]
      roles:
        - name: keyrole
          trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
          policies: [{name: keys, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: iam:CreateAccessKey, Resource: "*"}]}}]
`, AuditOptions{})
	for _, tc := range []struct {
		principal string
		want      []string // pathfinding.cloud iam-002 and the Pacu method of the principal's kind
	}{
		{"arn:aws:iam::111122223333:user/keymaker", []string{"iam-002", "pacu-user-CreateAccessKey"}},
		{"arn:aws:iam::111122223333:role/keyrole", []string{"iam-002", "pacu-role-CreateAccessKey"}},
	} {
		var got [][]string
		for _, f := range findingsOf(rep, "privilege-escalation") {
			if f.Principal == tc.principal {
				got = append(got, methodIDs(f))
			}
		}
		if len(got) != 1 || !slices.Equal(got[0], tc.want) {
			t.Errorf("%s: methods %v, want one finding naming %v", tc.principal, got, tc.want)
		}
	}
}

// A policy held through a group is named with its statement, "via group";
// statement 0 stays in the JSON
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html: a
// user gets the permissions of the group's policies).
func TestFindingNamesGrantingStatement(t *testing.T) {
	rep := audited(t, `
world:
  accounts:
    - id: "111122223333"
      groups:
        - name: builders
          policies:
            - name: build
              document:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Action: s3:ListAllMyBuckets, Resource: "*"}
                  - {Sid: NewVersions, Effect: Allow, Action: iam:CreatePolicyVersion, Resource: "*"}
      users:
        - name: dev
          groups: [builders]
        - name: own
          policies: [{name: mine, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: iam:CreatePolicyVersion, Resource: "*"}]}}]
`, AuditOptions{})
	for _, tc := range []struct {
		principal, policy, group string
		statement                int
	}{
		{"arn:aws:iam::111122223333:user/dev", "arn:aws:iam::111122223333:group/builders#build", "arn:aws:iam::111122223333:group/builders", 1},
		{"arn:aws:iam::111122223333:user/own", "arn:aws:iam::111122223333:user/own#mine", "", 0},
	} {
		var f *Finding
		for _, x := range findingsOf(rep, "privilege-escalation") {
			if x.Principal == tc.principal && slices.Contains(methodIDs(x), "iam-001") {
				f = &x
			}
		}
		if f == nil {
			t.Fatalf("%s: no iam-001 finding in %+v", tc.principal, rep.Findings)
		}
		if f.Policy != tc.policy || f.Statement != tc.statement || len(f.Grants) != 1 || f.Grants[0].Group != tc.group {
			t.Errorf("%s: policy %q statement %d grants %+v, want %q %d via %q", tc.principal, f.Policy, f.Statement, f.Grants, tc.policy, tc.statement, tc.group)
		}
		if via := strings.Contains(f.Title, "(via group builders)"); via != (tc.group != "") {
			t.Errorf("%s: title %q", tc.principal, f.Title)
		}
		b, _ := json.Marshal(f)
		if !strings.Contains(string(b), `"statement":`) {
			t.Errorf("%s: JSON without statement: %s", tc.principal, b)
		}
	}
}

// Service-linked roles (/aws-service-role/) and AWS-reserved roles
// (/aws-reserved/) are left out unless asked for
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html:
// AWS defines their permissions and trust).
func TestAWSManagedRolesLeftOut(t *testing.T) {
	world := `
world:
  accounts:
    - id: "111122223333"
      roles:
        - name: AWSServiceRoleForSupport
          path: /aws-service-role/support.amazonaws.com/
          trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: support.amazonaws.com}, Action: sts:AssumeRole}]}
          policies: [{name: all, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}}]
        - name: AWSReservedSSO_Admin_0123456789abcdef
          path: /aws-reserved/sso.amazonaws.com/
          trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Federated: "arn:aws:iam::111122223333:saml-provider/AWSSSO_0123_DO_NOT_DELETE"}, Action: sts:AssumeRoleWithSAML}]}
          policies: [{name: all, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}}]
      saml_providers: [{name: AWSSSO_0123_DO_NOT_DELETE}]
`
	for _, tc := range []struct {
		include  bool
		findings int
		excluded int
	}{
		{false, 0, 2},
		{true, 3, 0}, // both administrators, and the SAML entry point
	} {
		rep := audited(t, world, AuditOptions{IncludeAWSManaged: tc.include})
		if len(rep.Findings) != tc.findings || rep.ExcludedAWSManaged != tc.excluded {
			t.Errorf("include %v: %d findings (%d excluded), want %d (%d): %+v", tc.include, len(rep.Findings), rep.ExcludedAWSManaged, tc.findings, tc.excluded, rep.Findings)
		}
	}
}
