package tfplan

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
)

// brief writes a statement's effect, principal, actions, resources and
// conditions on one line.
func brief(st policy.Statement) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s sid=%s", st.Effect, st.Sid)
	if p := st.Principal; p != nil {
		fmt.Fprintf(&b, " principal=any:%v,aws:%v,service:%v,federated:%v", p.Any, p.AWS, p.Service, p.Federated)
	}
	fmt.Fprintf(&b, " actions=%v resources=%v", st.Actions, st.Resources)
	for _, c := range st.Conditions {
		fmt.Fprintf(&b, " %s:%s=%v", c.Op, c.Key, c.Values)
	}
	return b.String()
}

func doc(e change.Edit) *policy.Policy {
	if e.Kind == change.Role {
		return e.Trust
	}
	return e.Policy
}

var statementCases = []struct {
	file   string
	op     change.Op
	kind   change.Kind
	addr   string
	source string // where the expected statement comes from
	want   []string
}{
	// Risky example 1: a role any GitHub repository can assume. The
	// trust checks the audience but not sub ("Configuring a role for
	// GitHub OIDC identity provider", IAM User Guide,
	// id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub).
	{"risky.json", change.Put, change.Role, "aws_iam_role.deploy", "the plan's assume_role_policy",
		[]string{"Allow sid= principal=any:false,aws:[],service:[],federated:[arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com] " +
			"actions=[sts:assumerolewithwebidentity] resources=[] StringEquals:token.actions.githubusercontent.com:aud=[sts.amazonaws.com]"}},
	// Risky example 2: a bucket opened to another account.
	{"risky.json", change.Put, change.ResourcePolicy, "aws_s3_bucket_policy.reports", "the plan's policy",
		[]string{"Allow sid=PartnerRead principal=any:false,aws:[arn:aws:iam::999999999999:root],service:[],federated:[] " +
			"actions=[s3:getobject s3:listbucket] resources=[arn:aws:s3:::acme-reports arn:aws:s3:::acme-reports/*]"}},
	// Trust built from the data source's planned statements: its
	// principal (unknown at plan) resolved through the configuration's
	// reference to the user the plan creates.
	{"module.json", change.Put, change.Role, "module.ci.aws_iam_role.runner", "data.aws_iam_policy_document.trust (planned)",
		[]string{"Allow sid=BotAssumes principal=any:false,aws:[arn:aws:iam::111111111111:user/ci-bot],service:[],federated:[] actions=[sts:assumerole sts:tagsession] resources=[]"}},
	// Built from the data source's rendered json in prior_state.
	{"module.json", change.Put, change.ManagedPolicy, "module.ci.aws_iam_policy.deploy", "data.aws_iam_policy_document.deploy (prior_state json)",
		[]string{"Allow sid=Deploy actions=[cloudformation:* s3:putobject] resources=[*]"}},
	// Built from the data source's configured statements; the bucket's
	// ARN from the name the plan gives it.
	{"module.json", change.Put, change.InlinePolicy, "module.ci.aws_iam_role_policy.artifacts", "data.aws_iam_policy_document.artifacts (configuration)",
		[]string{"Allow sid= actions=[s3:getobject s3:putobject] resources=[arn:aws:s3:::ci-artifacts] StringEquals:aws:principalaccount=[111111111111]"}},
	// A key created without a policy gets the default key policy ("Default
	// key policy", AWS KMS Developer Guide, key-policy-default.html).
	{"module.json", change.Put, change.ResourcePolicy, "module.ci.aws_kms_key.data", "AWS KMS default key policy",
		[]string{"Allow sid=Enable IAM User Permissions principal=any:false,aws:[arn:aws:iam::111111111111:root],service:[],federated:[] actions=[kms:*] resources=[*]"}},
	// Lambda permissions, as AddPermission writes them ("Working with
	// resource-based IAM policies in Lambda", access-control-resource-based.html).
	{"module.json", change.Put, change.ResourceStatement, "aws_lambda_permission.s3", "Lambda resource-based policy example (S3 trigger)",
		[]string{"Allow sid=AllowS3Invoke principal=any:false,aws:[],service:[s3.amazonaws.com],federated:[] actions=[lambda:invokefunction] " +
			"resources=[arn:aws:lambda:us-east-1:111111111111:function:processor] ArnLike:aws:sourcearn=[arn:aws:s3:::acme-uploads] StringEquals:aws:sourceaccount=[111111111111]"}},
	// A function URL open to all (urls-auth.html: AuthType NONE).
	{"module.json", change.Put, change.ResourceStatement, "aws_lambda_permission.url", "Lambda function URL, auth type NONE",
		[]string{"Allow sid=FunctionURLAllowPublicAccess principal=any:true,aws:[],service:[],federated:[] actions=[lambda:invokefunctionurl] " +
			"resources=[arn:aws:lambda:us-east-1:111111111111:function:webhook:live] StringEquals:lambda:functionurlauthtype=[NONE]"}},
	// "Granting function access to an organization" (permissions-function-organization.html).
	{"module.json", change.Put, change.ResourceStatement, "aws_lambda_permission.org", "Lambda permission for an organization",
		[]string{"Allow sid=OrgInvoke principal=any:true,aws:[],service:[],federated:[] actions=[lambda:invokefunction] " +
			"resources=[arn:aws:lambda:us-east-1:111111111111:function:reporter] StringEquals:aws:principalorgid=[o-a1b2c3d4e5]"}},
	// A deleted permission names its statement by Sid.
	{"delete_replace.json", change.Delete, change.ResourceStatement, "aws_lambda_permission.old", "the before values",
		[]string{"Allow sid=AllowSNS principal=any:false,aws:[],service:[sns.amazonaws.com],federated:[] actions=[lambda:invokefunction] " +
			"resources=[arn:aws:lambda:us-east-1:111111111111:function:processor] ArnLike:aws:sourcearn=[arn:aws:sns:us-east-1:111111111111:events]"}},
}

func TestStatements(t *testing.T) {
	for _, tc := range statementCases {
		t.Run(tc.addr, func(t *testing.T) {
			set, _ := load(t, tc.file)
			p := doc(find(t, set, tc.op, tc.kind, tc.addr))
			if p == nil {
				t.Fatalf("no document (%s)", tc.source)
			}
			var got []string
			for _, st := range p.Statements {
				got = append(got, brief(st))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("statements (%s):\n%s\nwant:\n%s", tc.source, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if p.HeldIn == nil || p.HeldIn.File != "testdata/"+tc.file || p.HeldIn.Line == 0 {
				t.Errorf("HeldIn = %+v: a document held in a string must say where the string is", p.HeldIn)
			}
		})
	}
}

// Risky example 3: a user who can attach policies to themselves: the
// resource is their own ARN through ${aws:username} (IAM User Guide,
// reference_policies_examples_iam-attach-policies... and the
// privilege-escalation catalogue's iam:AttachUserPolicy method).
func TestSelfAttachUser(t *testing.T) {
	set, _ := load(t, "risky.json")
	e := find(t, set, change.Put, change.InlinePolicy, "aws_iam_user_policy.ci_self")
	st := e.Policy.Statements[0]
	if !slices.Equal(st.Actions, []string{"iam:attachuserpolicy", "iam:listattacheduserpolicies"}) || !st.ResVars {
		t.Fatalf("statement = %s", brief(st))
	}
	tmpl, ok := st.Resources[0].(policy.Template)
	if !ok || len(tmpl.Parts) != 2 || tmpl.Parts[1].Var != "aws:username" {
		t.Errorf("resource = %#v, want arn:...:user/${aws:username}", st.Resources[0])
	}
	// The statement's position is in the policy string's text; HeldIn is
	// the string in the plan.
	if st.At.Line != 4 || e.Policy.HeldIn.Path != "$.resource_changes[4].change.after.policy" {
		t.Errorf("statement at %d:%d held in %+v", st.At.Line, st.At.Col, e.Policy.HeldIn)
	}
}
