package tfplan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/files"
)

// summary writes an Edit as one line: op, kind and what it names.
func summary(e change.Edit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Op, e.Kind)
	add := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, " %s=%s", k, v)
		}
	}
	add("name", e.Name)
	if e.Path != "/" {
		add("path", e.Path)
	}
	if e.Owner != nil {
		add("owner", string(e.Owner.Kind)+"/"+e.Owner.Name)
	}
	add("policy", e.PolicyARN)
	add("group", e.Group)
	add("resource", e.Resource)
	add("target", e.Target)
	add("kind", string(e.PolicyKind))
	add("boundary", e.Boundary)
	if e.Unknown != nil {
		add("unknown", e.Unknown.Expr)
	}
	add("@", e.At.Address)
	return b.String()
}

func load(t *testing.T, name string) (*change.Set, []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	set, err := Read(files.Confined(0, "testdata"), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return set, data
}

// rcLine is the line of the resource change of addr: the line before
// its "address" member (the fixtures write one member a line).
func rcLine(t *testing.T, data []byte, addr string) int {
	t.Helper()
	start := bytes.Index(data, []byte(`"resource_changes"`))
	i := bytes.Index(data[start:], []byte(`"address": "`+strings.ReplaceAll(addr, `"`, `\"`)+`"`))
	if start < 0 || i < 0 {
		t.Fatalf("no resource change %s in the fixture", addr)
	}
	return bytes.Count(data[:start+i], []byte("\n")) // 0-based line of "address" = 1-based line of "{"
}

// The Edits of each fixture, in order (deletes first). The expected
// statements follow the AWS documentation cited in each case.
var editCases = []struct {
	file  string
	edits []string
}{
	{"risky.json", []string{
		"put role name=gha-deploy @=aws_iam_role.deploy",
		"put attachment owner=role/gha-deploy policy=arn:aws:iam::aws:policy/AdministratorAccess @=aws_iam_role_policy_attachment.deploy_admin",
		"put resource-policy resource=arn:aws:s3:::acme-reports @=aws_s3_bucket_policy.reports",
		"put user name=ci-bot path=/automation/ @=aws_iam_user.ci",
		"put inline-policy name=self-service owner=user/ci-bot @=aws_iam_user_policy.ci_self",
	}},
	{"module.json", []string{
		"put role name=ci-runner path=/ci/ boundary=arn:aws:iam::111111111111:policy/ci-boundary @=module.ci.aws_iam_role.runner",
		"put user name=ci-bot @=module.ci.aws_iam_user.bot",
		"put managed-policy name=ci-deploy @=module.ci.aws_iam_policy.deploy",
		"put attachment owner=role/ci-runner policy=arn:aws:iam::111111111111:policy/ci-deploy @=module.ci.aws_iam_role_policy_attachment.runner_deploy",
		"put inline-policy name=artifacts owner=role/ci-runner @=module.ci.aws_iam_role_policy.artifacts",
		"put role name=opaque unknown=module.ci.var.trust_json @=module.ci.aws_iam_role.opaque",
		"put resource-policy resource=arn:aws:kms:us-east-1:111111111111:key/UNKNOWN-module.ci.aws_kms_key.data.key_id @=module.ci.aws_kms_key.data",
		"put resource-policy resource=arn:aws:kms:us-east-1:111111111111:key/UNKNOWN-aws_kms_key.shared.key_id unknown=local.key_policy @=aws_kms_key.shared",
		"put resource-policy resource=arn:aws:kms:us-east-1:111111111111:key/UNKNOWN-aws_kms_key.shared.key_id @=aws_kms_key_policy.shared",
		"put resource-policy resource=arn:aws:secretsmanager:us-east-1:111111111111:secret:UNKNOWN-aws_secretsmanager_secret.db.arn @=aws_secretsmanager_secret.db",
		"put resource-policy resource=arn:aws:secretsmanager:us-east-1:111111111111:secret:UNKNOWN-aws_secretsmanager_secret.db.arn @=aws_secretsmanager_secret_policy.db",
		"put resource-policy resource=arn:aws:sqs:us-east-1:111111111111:jobs @=aws_sqs_queue_policy.jobs",
		"put resource-policy resource=arn:aws:sns:us-east-1:111111111111:events @=aws_sns_topic_policy.events",
		"put resource-statement resource=arn:aws:lambda:us-east-1:111111111111:function:processor @=aws_lambda_permission.s3",
		"put resource-statement resource=arn:aws:lambda:us-east-1:111111111111:function:webhook:live @=aws_lambda_permission.url",
		"put resource-statement resource=arn:aws:lambda:us-east-1:111111111111:function:reporter @=aws_lambda_permission.org",
		"put org-policy name=deny-leave kind=scp @=aws_organizations_policy.deny_leave",
		"put org-policy name=enforce-tls kind=rcp @=aws_organizations_policy.tls",
		"put org-attachment name=deny-leave target=r-ab12 kind=scp @=aws_organizations_policy_attachment.deny_leave_root",
		"put org-attachment name=enforce-tls target=ou-ab12-11111111 kind=rcp @=aws_organizations_policy_attachment.tls_ou",
	}},
	{"delete_replace.json", []string{
		// The role's own inline policy, attachments and the attachment
		// resource of it are dropped: deleting the role removes them.
		"delete role name=legacy @=aws_iam_role.legacy",
		// aws_iam_policy_attachment is exclusive: alice is detached.
		"delete attachment owner=user/alice policy=arn:aws:iam::111111111111:policy/shared @=aws_iam_policy_attachment.shared",
		// Replaced under a new name: the old user goes.
		"delete user name=bob @=aws_iam_user.bob",
		// Replaced onto another role: the old attachment goes.
		"delete attachment owner=role/app policy=arn:aws:iam::aws:policy/ReadOnlyAccess @=aws_iam_role_policy_attachment.ro",
		"delete membership owner=user/mallory group=admins @=aws_iam_group_membership.admins",
		"delete group name=ops @=aws_iam_group.ops",
		"delete managed-policy name=old @=aws_iam_policy.old",
		"delete inline-policy name=drop owner=role/app @=aws_iam_role.app",
		"delete attachment owner=role/app policy=arn:aws:iam::aws:policy/ReadOnlyAccess @=aws_iam_role.app",
		"delete resource-statement resource=arn:aws:lambda:us-east-1:111111111111:function:processor @=aws_lambda_permission.old",
		// roles=legacy and groups=ops are stale: both are deleted.
		"put attachment owner=role/app policy=arn:aws:iam::111111111111:policy/shared @=aws_iam_policy_attachment.shared",
		"put attachment owner=role/web policy=arn:aws:iam::111111111111:policy/shared @=aws_iam_policy_attachment.shared",
		"put user name=robert @=aws_iam_user.bob",
		"put attachment owner=role/web policy=arn:aws:iam::aws:policy/ReadOnlyAccess @=aws_iam_role_policy_attachment.ro",
		// carol leaves ops, which is deleted: nothing more to say.
		"put membership owner=user/carol group=dev @=aws_iam_user_group_membership.carol",
		"put membership owner=user/alice group=admins @=aws_iam_group_membership.admins",
		"put inline-policy name=dev owner=group/dev @=aws_iam_group_policy.dev",
		"put attachment owner=user/dave policy=arn:aws:iam::aws:policy/ReadOnlyAccess @=aws_iam_user_policy_attachment.dave",
		// uses_old attaches a policy the plan deletes: dropped.
		"put role name=app @=aws_iam_role.app",
		"put inline-policy name=keep owner=role/app @=aws_iam_role.app",
	}},
}

func TestEdits(t *testing.T) {
	for _, tc := range editCases {
		t.Run(tc.file, func(t *testing.T) {
			set, data := load(t, tc.file)
			var got []string
			for _, e := range set.Edits {
				got = append(got, summary(e))
				if want := rcLine(t, data, e.At.Address); e.At.Line != want || e.At.Col != 5 || e.At.File != filepath.Join("testdata", tc.file) {
					t.Errorf("%s: At = %s:%d:%d, want line %d column 5", e.At.Address, e.At.File, e.At.Line, e.At.Col, want)
				}
			}
			if !slices.Equal(got, tc.edits) {
				t.Errorf("edits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.edits, "\n"))
			}
			if set.Account != DefaultAccount || set.Region != "us-east-1" || set.Partition != "aws" || !slices.Equal(set.Files, []string{filepath.Join("testdata", tc.file)}) {
				t.Errorf("set = %s %s %s %v", set.Account, set.Region, set.Partition, set.Files)
			}
		})
	}
}

func find(t *testing.T, set *change.Set, op change.Op, kind change.Kind, addr string) change.Edit {
	t.Helper()
	for _, e := range set.Edits {
		if e.Op == op && e.Kind == kind && e.At.Address == addr {
			return e
		}
	}
	t.Fatalf("no %s %s from %s", op, kind, addr)
	return change.Edit{}
}

func TestSymbols(t *testing.T) {
	set, _ := load(t, "module.json")
	var got []string
	for _, s := range set.Symbols {
		got = append(got, s.Expr+" "+s.Text+" @"+s.At.Address)
		if s.Text != change.SymbolText(s.Expr) {
			t.Errorf("%s: Text %s, want SymbolText", s.Expr, s.Text)
		}
	}
	want := []string{
		"module.ci.var.trust_json UNKNOWN-module.ci.var.trust_json @module.ci.aws_iam_role.opaque",
		"module.ci.aws_kms_key.data.key_id UNKNOWN-module.ci.aws_kms_key.data.key_id @module.ci.aws_kms_key.data",
		"aws_kms_key.shared.key_id UNKNOWN-aws_kms_key.shared.key_id @aws_kms_key.shared",
		"local.key_policy UNKNOWN-local.key_policy @aws_kms_key.shared",
		"aws_secretsmanager_secret.db.arn UNKNOWN-aws_secretsmanager_secret.db.arn @aws_secretsmanager_secret.db",
	}
	if !slices.Equal(got, want) {
		t.Errorf("symbols:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if e := find(t, set, change.Put, change.Role, "module.ci.aws_iam_role.opaque"); e.Trust != nil || e.Unknown == nil {
		t.Errorf("a trust unknown until apply must be nil with its symbol, got %v %v", e.Trust, e.Unknown)
	}
}
