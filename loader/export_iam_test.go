package loader

import (
	"strings"
	"testing"
)

// The cloudsplaining example export (an account running the iam-vulnerable
// scenarios): every user, group and role is read, managed policies are in
// force at their default version, and the whole world loads into a store.
func TestIAMExportCloudsplaining(t *testing.T) {
	x, err := LoadIAMExportFile(sharedFile(t, "conformance/cloudsplaining/examples/files/example.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The file mixes two accounts (cloudsplaining's fixture adds three
	// users, two groups and three roles of 012345678901).
	if len(x.Accounts) != 2 || x.Accounts[0].ID != "012345678901" {
		t.Fatalf("%d accounts", len(x.Accounts))
	}
	users, roles, groups := 0, 0, 0
	for _, a := range x.Accounts {
		users, roles, groups = users+len(a.Users), roles+len(a.Roles), groups+len(a.Groups)
	}
	if users != 44 || roles != 78 || groups != 5 {
		t.Errorf("users %d roles %d groups %d, want 44, 78, 5", users, roles, groups)
	}
	a := x.Accounts[1]
	s, err := NewStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(&World{Accounts: x.Accounts}); err != nil {
		t.Fatal(err)
	}
	snap := s.Snapshot()
	u, ok := snap.User("arn:aws:iam::" + a.ID + ":user/privesc1-CreateNewPolicyVersion-user")
	if !ok || len(u.Managed) == 0 {
		t.Fatalf("privesc1 user: %+v", u)
	}
}

func TestIAMExportErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not an object", `[1]`, "expected a mapping"},
		{"unknown key", `{"UserDetailList": [], "Extra": 1}`, `unknown key "Extra"`},
		{"bad arn", `{"UserDetailList": [{"UserName": "a", "Arn": "nope"}]}`, "expected arn:aws:iam::ACCOUNT"},
		{"bad document", `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": "%7B%22Version%22%3A1%7D"}]}`, "AssumeRolePolicyDocument"},
		{"missing policy", `{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "AttachedManagedPolicies": [{"PolicyName": "P", "PolicyArn": "arn:aws:iam::aws:policy/P"}]}]}`, "partial export"},
	} {
		_, err := ParseIAMExport("x.json", []byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// URL-encoded documents (as some exports carry them) are decoded.
func TestIAMExportURLEncoded(t *testing.T) {
	doc := `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r",
	  "AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"}]}`
	x, err := ParseIAMExport("x.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if r := x.Accounts[0].Roles[0]; len(r.Trust.Statements) != 1 || r.Trust.Statements[0].Principal.Service[0] != "ec2.amazonaws.com" {
		t.Errorf("trust %+v", r.Trust)
	}
}

func FuzzParseIAMExport(f *testing.F) {
	f.Add([]byte(`{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "Tags": [{"Key": "k", "Value": "v"}]}]}`))
	f.Add([]byte(`[{"Policies": [{"PolicyName": "p", "Arn": "arn:aws:iam::111122223333:policy/p", "PolicyVersionList": [{"Document": "%7B%7D", "IsDefaultVersion": true}]}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ParseIAMExport("fuzz.json", data)
		if err != nil {
			return
		}
		s, err := NewStore()
		if err != nil {
			t.Fatal(err)
		}
		_ = s.Load(&World{Accounts: x.Accounts})
	})
}

// CloudMapper's demo collect directory: the bucket, queue, topics, Lambda
// function and secret policies it holds.
func TestResourcePoliciesCollectDir(t *testing.T) {
	dir := sharedFile(t, "conformance/cloudmapper/account-data/demo")
	x, err := LoadResourcePolicies(dir)
	if err != nil {
		t.Fatal(err)
	}
	rs := x.Resources
	// The demo's secret ARN carries a 13-digit account: reported, skipped.
	if len(x.Warnings) != 1 || !strings.Contains(x.Warnings[0], "0123456789012") {
		t.Errorf("warnings %q", x.Warnings)
	}
	byARN := map[string]*Resource{}
	for _, r := range rs {
		byARN[r.ARN] = r
	}
	for _, arn := range []string{"arn:aws:s3:::cloudmapper_demo", "arn:aws:sqs:us-east-1:123456789012:demo",
		"arn:aws:sns:us-east-1:123456789012:demo_public", "arn:aws:lambda:us-east-1:123456789012:function:invpclambda"} {
		if r, ok := byARN[arn]; !ok || r.Policy == nil || len(r.Policy.Statements) == 0 {
			t.Errorf("%s: %+v (have %d resources)", arn, r, len(rs))
		}
	}
}

func TestResourceBundle(t *testing.T) {
	x, err := ParseResourceBundle("b.json", []byte(`{
	  "arn:aws:s3:::b": {"Account": "111122223333", "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}"},
	  "arn:aws:sqs:us-east-1:111122223333:q": {"Attributes": {"QueueArn": "x"}},
	  "arn:aws:kms:us-east-1:111122223333:key/k": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"}]}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	rs := x.Resources
	if len(rs) != 2 || rs[0].Type != "s3-bucket" || rs[1].Type != "kms-key" {
		t.Errorf("resources %+v", rs)
	}
	if _, err := ParseResourceBundle("b.json", []byte(`{"not-an-arn": {}}`)); err == nil || !strings.Contains(err.Error(), "expected a resource ARN") {
		t.Errorf("bad ARN: %v", err)
	}
}

func FuzzParseResourceBundle(f *testing.F) {
	f.Add([]byte(`{"arn:aws:s3:::b": {"Account": "111122223333", "Policy": "{}"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseResourceBundle("fuzz.json", data)
	})
}

// The organization export fixture (testdata/org, the aws organizations
// CLI outputs): the tree, the accounts' OU paths, the policies and where
// they are attached.
func TestOrgExport(t *testing.T) {
	x, err := LoadOrgExport("testdata/org")
	if err != nil {
		t.Fatal(err)
	}
	o := x.Organization
	if o.ID != "o-abc123" || o.ManagementAccount != "111111111111" || len(o.Policies) != 2 {
		t.Fatalf("organization %+v", o)
	}
	if len(o.Root.Children) != 1 || o.Root.Children[0].Name != "Prod" || strings.Join(o.Root.Children[0].SCPs, ",") != "FullAWSAccess,DenyS3Delete" {
		t.Errorf("tree %+v", o.Root.Children)
	}
	if len(x.Accounts) != 2 || x.Accounts[1].OrgPath != "Prod" || strings.Join(x.Accounts[1].SCPs, ",") != "FullAWSAccess" {
		t.Errorf("accounts %+v %+v", x.Accounts[0], x.Accounts[1])
	}
	if _, err := LoadOrgExport("testdata/nope"); err == nil || !strings.Contains(err.Error(), "list-roots.json") {
		t.Errorf("missing export: %v", err)
	}
}
