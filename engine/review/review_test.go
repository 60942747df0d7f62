package review

import (
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/world"
)

// want is an expected finding: "" matches anything.
type want struct{ rule, principal, action, resource string }

type knownCase struct {
	name, source  string
	before, after string // account content
	edits         func(t *testing.T, after *world.World) []change.Edit
	opts          Options
	want          []want
	absent        []string // rules that must not appear
}

const (
	appTrust = `
  - name: app
    trust:
      Version: "2012-10-17"
      Statement:
        - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
`
	appSession = "arn:aws:sts::" + acct + ":assumed-role/app/*"
	appARN     = "arn:aws:iam::" + acct + ":role/app"
	devARN     = "arn:aws:iam::" + acct + ":user/dev"
)

// roleWith is a role app with an inline policy "p" of the statements.
func roleWith(statements string) string {
	return "roles:" + appTrust + `    policies:
      - name: p
        document:
          Version: "2012-10-17"
          Statement:
` + indent(statements, "            ")
}

func inlineEdit(kind change.Kind, owner, name string) func(*testing.T, *world.World) []change.Edit {
	return func(t *testing.T, after *world.World) []change.Edit {
		return []change.Edit{putInline(t, after, kind, owner, name)}
	}
}

func roleEdit(name string) func(*testing.T, *world.World) []change.Edit {
	return func(t *testing.T, after *world.World) []change.Edit { return []change.Edit{putRole(t, after, name)} }
}

func resourceEdit(arn string) func(*testing.T, *world.World) []change.Edit {
	return func(t *testing.T, after *world.World) []change.Edit { return []change.Edit{putResource(t, after, arn)} }
}

func trustRole(trust string) string {
	return `roles:
  - name: ci
    trust:
      Version: "2012-10-17"
      Statement:
` + indent(trust, "        ")
}

var knownCases = []knownCase{
	{name: "administrator", source: "AdministratorAccess's document, Action * on Resource * (IAM User Guide, access_policies_job-functions.html)",
		before: "roles:" + appTrust, after: roleWith(`- {Effect: Allow, Action: "*", Resource: "*"}`),
		edits: inlineEdit(change.Role, "app", "p"),
		// The permissions an administrator gains are folded into its finding
		// (subsumeAdministrators), not listed one by one.
		// The administrator probes are made on concrete resources (the
		// audit's, e.g. user/clearance-probe for iam:CreateUser).
		want: []want{{RuleNewAdministrator, appARN, "", ""}}, absent: []string{RuleAccessAdded}},
	{name: "escalation", source: "catalogue iam-008 (pathfinding.cloud, iam:AttachUserPolicy on oneself)",
		before: "users:\n  - name: dev\n", after: `users:
  - name: dev
    policies:
      - name: p
        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: iam:AttachUserPolicy, Resource: "arn:aws:iam::111122223333:user/dev"}]}
`, edits: inlineEdit(change.User, "dev", "p"),
		want:   []want{{RuleNewEscalation, devARN, "iam:attachuserpolicy", devARN}},
		absent: []string{RuleNewAdministrator}},
	{name: "admin reach", source: "a trust naming the account delegates to identity policies (reference_policies_elements_principal.html, AWS account principals); AdministratorAccess",
		before: adminWorld(""), after: adminWorld(`    policies:
      - name: p
        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: sts:AssumeRole, Resource: "arn:aws:iam::111122223333:role/admin"}]}
`), edits: inlineEdit(change.User, "dev", "p"),
		want: []want{{RuleNewAdminReach, devARN, "sts:AssumeRole", "arn:aws:iam::111122223333:role/admin"},
			{RuleAccessAdded, devARN, "sts:AssumeRole", "arn:aws:iam::111122223333:role/admin"}}},
	{name: "public bucket", source: `Principal "*" with no condition: anonymous access (reference_policies_elements_principal.html, All principals)`,
		before: "resources:\n  - arn: arn:aws:s3:::data\n", after: `resources:
  - arn: arn:aws:s3:::data
    policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "arn:aws:s3:::data/*"}]}
`, edits: resourceEdit("arn:aws:s3:::data"),
		want: []want{{RuleNewPublicAccess, "*", "s3:GetObject", "arn:aws:s3:::data/clearance-probe"}}},
	{name: "role open to anyone", source: `a trust policy with Principal {"AWS": "*"} lets any AWS principal assume the role (reference_policies_elements_principal.html)`,
		before: trustRole(`- {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}`),
		after:  trustRole(`- {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}`), edits: roleEdit("ci"),
		want: []want{{RuleNewPublicAccess, "*", "sts:AssumeRole", "arn:aws:iam::111122223333:role/ci"}}},
	{name: "github without sub", source: "id_roles_create_for-idp_oidc.html: without token.actions.githubusercontent.com:sub, repositories outside your control can assume the role",
		before: trustRole(`- {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}`) + oidc,
		after: trustRole(`- Effect: Allow
  Principal: {Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}
  Action: sts:AssumeRoleWithWebIdentity
  Condition: {StringEquals: {"token.actions.githubusercontent.com:aud": sts.amazonaws.com}}`) + oidc, edits: roleEdit("ci"),
		want:   []want{{RuleOpenWebIdentity, "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", "", "arn:aws:iam::111122223333:role/ci"}},
		absent: []string{RuleFederationEntry}},
	{name: "github pinned", source: "id_roles_create_for-idp_oidc.html: the sub condition limits the role to a repository and branch",
		before: trustRole(`- {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}`) + oidc,
		after: trustRole(`- Effect: Allow
  Principal: {Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}
  Action: sts:AssumeRoleWithWebIdentity
  Condition: {StringEquals: {"token.actions.githubusercontent.com:sub": "repo:org/repo:ref:refs/heads/main"}}`) + oidc, edits: roleEdit("ci"),
		want:   []want{{RuleFederationEntry, "", "", "arn:aws:iam::111122223333:role/ci"}},
		absent: []string{RuleOpenWebIdentity}},
	{name: "third party without external id", source: "confused-deputy.html: a third party's access needs sts:ExternalId",
		before: trustRole(`- {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}`),
		after:  trustRole(`- {Effect: Allow, Principal: {AWS: "arn:aws:iam::999988887777:root"}, Action: sts:AssumeRole}`), edits: roleEdit("ci"),
		want: []want{{RuleNoExternalID, "arn:aws:iam::999988887777:root", "sts:AssumeRole", "arn:aws:iam::111122223333:role/ci"}}},
	{name: "third party with external id", source: "confused-deputy.html: the external id condition guards the third party's access",
		before: trustRole(`- {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}`),
		after: trustRole(`- {Effect: Allow, Principal: {AWS: "arn:aws:iam::999988887777:root"}, Action: sts:AssumeRole,
   Condition: {StringEquals: {"sts:ExternalId": "partner-7f3a"}}}`), edits: roleEdit("ci"),
		want:   []want{{RuleCrossAccount, "arn:aws:iam::999988887777:root", "sts:AssumeRole", "arn:aws:iam::111122223333:role/ci"}},
		absent: []string{RuleNoExternalID}},
	{name: "access added", source: "an identity-based Allow with no guardrail allows (reference_policies_evaluation-logic.html)",
		before: "roles:" + appTrust, after: roleWith(`- {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::data/*"}`),
		edits: inlineEdit(change.Role, "app", "p"),
		want:  []want{{RuleAccessAdded, appSession, "s3:GetObject", "arn:aws:s3:::data/clearance-probe"}}, absent: []string{RuleAccessRemoved}},
	{name: "access removed by a Deny", source: "an explicit Deny overrides any Allow (reference_policies_evaluation-logic.html)",
		before: roleWith(`- {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::data/*"}`),
		after: roleWith(`- {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::data/*"}
- {Effect: Deny, Action: s3:GetObject, Resource: "arn:aws:s3:::data/secret/*"}`),
		edits: inlineEdit(change.Role, "app", "p"),
		want:  []want{{RuleAccessRemoved, appSession, "s3:GetObject", "arn:aws:s3:::data/secret/clearance-probe"}}, absent: []string{RuleAccessAdded}},
	{name: "policy deleted", source: "without an Allow the request is implicitly denied (reference_policies_evaluation-logic.html)",
		before: roleWith(`- {Effect: Allow, Action: sqs:SendMessage, Resource: "arn:aws:sqs:us-east-1:111122223333:jobs"}`), after: "roles:" + appTrust,
		edits: func(*testing.T, *world.World) []change.Edit {
			return []change.Edit{{Op: change.Delete, Kind: change.InlinePolicy, Owner: &change.Owner{Kind: change.Role, Name: "app"}, Name: "p", At: src("app.p")}}
		},
		want: []want{{RuleAccessRemoved, appSession, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:jobs"}}},
	{name: "unknown action", source: "catalogue: s3 has no action GetObjekt; AWS accepts the policy and the statement never matches (access_policies_understand-policy-summary-access-level-summaries.html)",
		before: "roles:" + appTrust, after: roleWith(`- {Effect: Allow, Action: s3:GetObjekt, Resource: "*"}`),
		edits: inlineEdit(change.Role, "app", "p"),
		want:  []want{{RulePolicyWarning, "role/app", "", ""}}, absent: []string{RuleAccessAdded}},
	{name: "unknown managed policy", source: "issue 14: an attached policy whose contents are unknown is a medium finding, never assumed empty",
		before: "roles:" + appTrust, after: "roles:" + appTrust,
		edits: func(*testing.T, *world.World) []change.Edit { return nil },
		opts:  Options{UnknownManaged: []UnknownPolicy{{ARN: "arn:aws:iam::aws:policy/PowerUserAccess", At: src("app")}}},
		want:  []want{{RuleUnknownManaged, "", "", "arn:aws:iam::aws:policy/PowerUserAccess"}}},
}

const oidc = `
oidc_providers:
  - url: token.actions.githubusercontent.com
    audiences: [sts.amazonaws.com]
`

// adminWorld is a user dev (with the policies given) and a role admin
// with AdministratorAccess's document that the account may assume.
func adminWorld(devPolicies string) string {
	return "users:\n  - name: dev\n" + devPolicies + `roles:
  - name: admin
    trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::111122223333:root"}, Action: sts:AssumeRole}]}
    policies:
      - name: all
        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
`
}

func TestKnownAnswers(t *testing.T) {
	for _, tc := range knownCases {
		t.Run(tc.name, func(t *testing.T) {
			before := load(t, "before.yaml", worldYAML(tc.before))
			after := load(t, "after.yaml", worldYAML(tc.after))
			rep := runReview(t, before, after, setOf(tc.edits(t, after)...), tc.opts, false)
			for _, w := range tc.want {
				if findingOf(rep, w) == nil {
					t.Errorf("missing %+v (source: %s); got:\n%s", w, tc.source, listFindings(rep))
				}
			}
			for _, rule := range tc.absent {
				if f := findingOf(rep, want{rule: rule}); f != nil {
					t.Errorf("unexpected %s: %+v", rule, *f)
				}
			}
			for _, f := range rep.Findings {
				if f.Fingerprint == "" || f.Severity == "" || f.Location.File == "" || f.Location.Line == 0 {
					t.Errorf("finding without fingerprint, severity or location: %+v", f)
				}
			}
		})
	}
}

func findingOf(rep *Report, w want) *Finding {
	for i, f := range rep.Findings {
		if f.Rule == w.rule && (w.principal == "" || strings.EqualFold(f.Principal, w.principal) || strings.HasSuffix(f.Principal, w.principal)) &&
			(w.action == "" || strings.EqualFold(f.Action, w.action)) && (w.resource == "" || f.Resource == w.resource) {
			return &rep.Findings[i]
		}
	}
	return nil
}

func listFindings(rep *Report) string {
	var sb strings.Builder
	for _, f := range rep.Findings {
		sb.WriteString("  " + f.Severity + " " + f.Rule + " " + f.Principal + " " + f.Action + " " + f.Resource + ": " + f.Message + "\n")
	}
	return sb.String()
}
