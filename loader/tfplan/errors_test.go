package tfplan

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/tree"
)

// plan wraps resource changes in a minimal plan document, one member a
// line: the first resource change starts on line 4.
func planWith(changes string) string {
	return "{\"format_version\": \"1.2\",\n\"terraform_version\": \"1.9.5\",\n\"resource_changes\": [\n" + changes + "\n]}"
}

func rcJSON(addr, typ, after string) string {
	return `{"address": "` + addr + `", "mode": "managed", "type": "` + typ + `", "name": "x",` + "\n" +
		`"change": {"actions": ["create"], "before": null,` + "\n" + `"after": ` + after + `, "after_unknown": {}}}`
}

var errorCases = []struct {
	name      string
	doc       string
	code      string
	line, col int
	msg       string // a part of the message
}{
	{"not JSON", "{\"format_version\": \"1.2\",\n  oops}", tree.CodeInvalidJSON, 2, 3, "invalid JSON"},
	{"trailing data", `{"format_version": "1.2", "resource_changes": []} {}`, tree.CodeTrailingData, 1, 51, "after the end"},
	{"duplicate key", "{\"format_version\": \"1.2\",\n\"format_version\": \"1.2\"}", tree.CodeDuplicateKey, 2, 1, "duplicate key"},
	{"not an object", `[1, 2]`, tree.CodeWrongType, 1, 1, "not a Terraform plan"},
	{"a state, not a plan", `{"values": {"root_module": {}}}`, tree.CodeMissingElement, 1, 1, "looks like a Terraform state"},
	{"format version 2", `{"format_version": "2.0", "resource_changes": []}`, tree.CodeInvalidVersion, 1, 20, "unsupported plan format_version"},
	{"format version not a string", `{"format_version": 1.2, "resource_changes": []}`, tree.CodeWrongType, 1, 20, "must be a string"},
	{"no changes nor values", `{"format_version": "1.2"}`, tree.CodeMissingElement, 1, 1, "neither resource_changes"},
	{"resource_changes not a list", `{"format_version": "1.2", "resource_changes": {}}`, tree.CodeWrongType, 1, 47, "must be a list"},
	{"library type error", "{\"format_version\": \"1.2\", \"resource_changes\": [],\n\"terraform_version\": 5}", tree.CodeWrongType, 2, 22, "terraform_version"},
	{"unknown action", planWith(`{"address": "a.b", "mode": "managed", "type": "a", "change": {"actions": ["destroy"]}}`), tree.CodeInvalidValue, 4, 75, `"destroy"`},
	{"no address", planWith(`{"mode": "managed", "type": "a", "change": {"actions": ["create"]}}`), tree.CodeMissingElement, 4, 1, `"address"`},
	{"after not an object", planWith(rcJSON("aws_iam_user.x", "aws_iam_user", `"bob"`)), tree.CodeWrongType, 6, 10, "change.after"},
	{"missing required attribute", planWith(rcJSON("aws_s3_bucket_policy.x", "aws_s3_bucket_policy", `{"policy": "{}"}`)),
		tree.CodeMissingElement, 6, 10, `aws_s3_bucket_policy.x: missing required attribute "bucket"`},
	{"wrong attribute type", planWith(rcJSON("aws_iam_user.x", "aws_iam_user", `{"name": {"a": 1}}`)), tree.CodeWrongType, 6, 19, "name must be a string"},
	{"policy grammar error", planWith(rcJSON("aws_iam_policy.p", "aws_iam_policy",
		`{"name": "p", "policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Actions\": \"s3:*\", \"Resource\": \"*\"}]}"}`)),
		tree.CodeUnknownElement, 6, 34, "aws_iam_policy.p.policy: not a valid identity policy"},
	{"policy not JSON", planWith(rcJSON("aws_iam_role_policy.p", "aws_iam_role_policy", `{"name": "p", "role": "r", "policy": "{nope"}`)),
		tree.CodeInvalidJSON, 6, 47, "aws_iam_role_policy.p.policy"},
	{"queue URL", planWith(rcJSON("aws_sqs_queue_policy.q", "aws_sqs_queue_policy", `{"queue_url": "jobs", "policy": "{}"}`)),
		tree.CodeInvalidValue, 6, 24, "not a queue URL"},
	{"too deep", "{\"format_version\": \"1.2\", \"resource_changes\": [],\n\"x\": " + strings.Repeat("[", 1100) + strings.Repeat("]", 1100) + "}",
		tree.CodeTooDeep, 2, 1005, "nested more than"},
}

func TestErrors(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("plan.json", []byte(tc.doc), Options{})
			var te *tree.Error
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a *tree.Error", err)
			}
			if te.Code != tc.code || te.File != "plan.json" || te.Line != tc.line || te.Col != tc.col || !strings.Contains(te.Error(), tc.msg) {
				t.Errorf("err = %q (code %s, %d:%d), want code %s at %d:%d with %q", te.Error(), te.Code, te.Line, te.Col, tc.code, tc.line, tc.col, tc.msg)
			}
		})
	}
}

// Read refuses files outside the reader's folders.
func TestReadConfined(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plan.json"), []byte(planWith("")), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(files.Confined(0, "testdata"), filepath.Join(dir, "plan.json"), Options{}); !errors.Is(err, files.ErrOutside) {
		t.Errorf("err = %v, want ErrOutside", err)
	}
	set, err := Read(files.Confined(0, dir), filepath.Join(dir, "plan.json"), Options{Account: "222222222222", Region: "eu-west-1", Partition: "aws"})
	if err != nil || len(set.Edits) != 0 || set.Account != "222222222222" || set.Region != "eu-west-1" {
		t.Errorf("set = %+v, err = %v", set, err)
	}
}
