package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// CloudMapper's demo collect directory: the bucket, queue, topics, Lambda
// function and ECR repository policies it holds.
func TestResourcePoliciesCollectDir(t *testing.T) {
	dir := sharedtest.Path(t, "conformance/cloudmapper/account-data/demo")
	x, err := LoadResourcePolicies(files.Confined(0, dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	// The demo's secret ARN carries a 13-digit account: reported, skipped.
	if len(x.Warnings) != 1 || !strings.Contains(x.Warnings[0], "0123456789012") {
		t.Errorf("warnings %q", x.Warnings)
	}
	byARN := map[string]*world.Resource{}
	for _, r := range x.Resources {
		byARN[r.ARN] = r
	}
	for arn, typ := range map[string]string{
		"arn:aws:s3:::cloudmapper_demo":                              "s3-bucket",
		"arn:aws:sqs:us-east-1:123456789012:demo":                    "sqs-queue",
		"arn:aws:sns:us-east-1:123456789012:demo_public":             "sns-topic",
		"arn:aws:sns:us-east-1:123456789012:demo_private":            "sns-topic",
		"arn:aws:lambda:us-east-1:123456789012:function:invpclambda": "lambda-function",
		"arn:aws:ecr:us-east-1:123456789012:repository/cloudmapper":  "ecr-repository",
	} {
		r, ok := byARN[arn]
		if !ok || r.Type != typ || r.Account != "123456789012" || r.Policy == nil || len(r.Policy.Statements) == 0 {
			t.Errorf("%s: %+v (have %d resources)", arn, r, len(x.Resources))
		}
	}
}

const bundlePolicy = `{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}`

// Each CLI output shape, in a bundle.
func TestResourceBundleShapes(t *testing.T) {
	for _, tc := range []struct{ name, arn, output, typ, account string }{
		{"get-bucket-policy", "arn:aws:s3:::b", `{"Account": "111122223333", "Policy": "` + bundlePolicy + `"}`, "s3-bucket", "111122223333"},
		{"get-key-policy", "arn:aws:kms:us-east-1:111122223333:key/k", `{"Policy": "` + bundlePolicy + `", "PolicyName": "default"}`, "kms-key", "111122223333"},
		{"get-queue-attributes", "arn:aws:sqs:us-east-1:111122223333:q", `{"Attributes": {"Policy": "` + bundlePolicy + `", "QueueArn": "arn:aws:sqs:us-east-1:111122223333:q"}}`, "sqs-queue", "111122223333"},
		{"get-topic-attributes", "arn:aws:sns:us-east-1:111122223333:t", `{"Attributes": {"Policy": "` + bundlePolicy + `", "Owner": "111122223333"}}`, "sns-topic", "111122223333"},
		{"lambda get-policy", "arn:aws:lambda:us-east-1:111122223333:function:f", `{"Policy": "` + bundlePolicy + `", "RevisionId": "r1"}`, "lambda-function", "111122223333"},
		{"get-resource-policy", "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbC", `{"ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbC", "Name": "s", "ResourcePolicy": "` + bundlePolicy + `"}`, "secret", "111122223333"},
		{"get-repository-policy", "arn:aws:ecr:us-east-1:111122223333:repository/r", `{"policyText": "` + bundlePolicy + `", "registryId": "111122223333"}`, "ecr-repository", "111122223333"},
		{"plain document", "arn:aws:kms:us-east-1:111122223333:key/k2", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}}`, "kms-key", "111122223333"},
		{"document as a string", "arn:aws:sns:us-east-1:111122223333:t2", `"` + bundlePolicy + `"`, "sns-topic", "111122223333"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := ParseResourceBundle("b.json", []byte(`{"`+tc.arn+`": `+tc.output+`}`))
			if err != nil {
				t.Fatal(err)
			}
			if len(x.Resources) != 1 {
				t.Fatalf("%d resources", len(x.Resources))
			}
			r := x.Resources[0]
			if r.ARN != tc.arn || r.Type != tc.typ || r.Account != tc.account || r.Policy == nil || len(r.Policy.Statements) != 1 || r.Policy.Name != tc.arn+"#policy" {
				t.Errorf("resource %+v", r)
			}
		})
	}
}

// Outputs that hold no policy keep the resource, without a policy.
func TestResourceBundleNoPolicy(t *testing.T) {
	x, err := ParseResourceBundle("b.json", []byte(`{
	  "arn:aws:sqs:us-east-1:111122223333:q": {"Attributes": {"QueueArn": "x"}},
	  "arn:aws:secretsmanager:us-east-1:111122223333:secret:s": {"ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:s", "Name": "s"},
	  "arn:aws:sns:us-east-1:111122223333:t": null}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Resources) != 3 {
		t.Fatalf("resources %+v", x.Resources)
	}
	for _, r := range x.Resources {
		if r.Policy != nil || r.Type == "" {
			t.Errorf("%+v", r)
		}
	}
}

func TestResourceBundleErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not a mapping", `[]`, "expected a mapping of resource ARN"},
		{"not an ARN", `{"not-an-arn": {}}`, `$.not-an-arn: "not-an-arn" is not an ARN: expected arn:PARTITION`},
		{"S3 without account", `{"arn:aws:s3:::b": {"Policy": "` + bundlePolicy + `"}}`, `b.json:1:20: $["arn:aws:s3:::b"]: arn:aws:s3:::b: the ARN names no account`},
		{"unknown shape", `{"arn:aws:sqs:us-east-1:111122223333:q": {"Polcy": "x"}}`, "expected a policy document (Statement) or a CLI output"},
		{"bad policy", `{"arn:aws:sqs:us-east-1:111122223333:q": {"Policy": "{\"Statement\": 1}"}}`, `$["arn:aws:sqs:us-east-1:111122223333:q"].Policy`},
		{"bad URL encoding", `{"arn:aws:sqs:us-east-1:111122223333:q": {"Policy": "%zz"}}`, "expected a JSON object or URL-encoded JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseResourceBundle("b.json", []byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %q", err, tc.want)
			}
		})
	}
}

// A directory of files named by URL-encoded ARN; other files are not read.
func TestResourceARNFiles(t *testing.T) {
	x, err := LoadResourcePolicies(testdata, "testdata/export/resources")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range x.Resources {
		got = append(got, r.Type+" "+r.ARN)
	}
	want := "lambda-function arn:aws:lambda:us-east-1:111111111111:function:hook,sqs-queue arn:aws:sqs:us-east-1:111111111111:jobs,sqs-queue arn:aws:sqs:us-east-1:111111111111:no-policy"
	if strings.Join(got, ",") != want || len(x.Warnings) != 0 {
		t.Errorf("resources %q warnings %q", got, x.Warnings)
	}
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "describe-regions.json"), []byte(`{"Regions": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	x, err = LoadResourcePolicies(files.Confined(0, empty), empty)
	if err != nil || len(x.Resources) != 0 || len(x.Warnings) != 1 || !strings.Contains(x.Warnings[0], "no resource policy found") {
		t.Errorf("a directory without resources: %v %+v", err, x)
	}
}

func FuzzParseResourceBundle(f *testing.F) {
	f.Add([]byte(`{"arn:aws:s3:::b": {"Account": "111122223333", "Policy": "{}"}}`))
	f.Add([]byte(`{"arn:aws:sqs:us-east-1:111122223333:q": {"Attributes": {"Policy": "%7B%7D"}}, "arn:aws:sns:us-east-1:111122223333:t": null}`))
	f.Add([]byte(`{"arn:aws:lambda:us-east-1:111122223333:function:f": {"Policy": "` + bundlePolicy + `", "RevisionId": "r"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ParseResourceBundle("fuzz.json", data)
		if err != nil {
			return
		}
		s, err := store.NewStore()
		if err != nil {
			t.Fatal(err)
		}
		var accounts []*world.Account
		for _, r := range x.Resources {
			accounts = append(accounts, &world.Account{ID: r.Account, Resources: []*world.Resource{r}})
		}
		_ = s.Load(&world.World{Accounts: accounts})
	})
}

// A collect directory whose region folder is a symbolic link (to a folder
// the reader may read) is read like any other: skipping it silently lost a
// public bucket and the audit's critical finding with it. A link leading
// out of the export's folder is an error, not a skip.
func TestCollectDirLinkedRegion(t *testing.T) {
	base := t.TempDir()
	export, real := filepath.Join(base, "export"), filepath.Join(base, "collected", "us-east-1")
	if err := os.MkdirAll(export, 0o755); err != nil {
		t.Fatal(err)
	}
	bucket := filepath.Join(real, "s3-get-bucket-policy")
	if err := os.MkdirAll(bucket, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		filepath.Join(real, "sts-get-caller-identity.json"): `{"Account": "111111111111"}`,
		filepath.Join(bucket, "public-site"):                `{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::public-site/*\"}]}"}`,
	}
	for p, s := range files {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(real, filepath.Join(export, "us-east-1")); err != nil {
		t.Fatal(err)
	}
	x, err := LoadResourcePolicies(filesConfined(base), export)
	if err != nil || len(x.Resources) != 1 || x.Resources[0].ARN != "arn:aws:s3:::public-site" {
		t.Fatalf("linked region: %v, %+v", err, x)
	}
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(export, "eu-west-1")); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadResourcePolicies(filesConfined(base), export); err == nil || !strings.Contains(err.Error(), "leads out") {
		t.Errorf("a region linked out of the export: %v", err)
	}
}
