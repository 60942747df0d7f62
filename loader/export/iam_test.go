package export

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// The cloudsplaining example export (an account running the iam-vulnerable
// scenarios): every user, group and role is read, managed policies are in
// force at their default version, and the whole world loads into a store.
func TestIAMExportCloudsplaining(t *testing.T) {
	x, err := LoadIAMExportFile(files.Confined(0, sharedtest.Root()), sharedtest.Path(t, "conformance/cloudsplaining/examples/files/example.json"))
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
	if len(x.Versions) != 84 || len(x.Missing) != 0 {
		t.Errorf("%d policies (want 84), missing %v", len(x.Versions), x.Missing)
	}
	a := x.Accounts[1]
	s, err := store.NewStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(&world.World{Accounts: x.Accounts}); err != nil {
		t.Fatal(err)
	}
	snap := s.Snapshot()
	u, ok := snap.User("arn:aws:iam::" + a.ID + ":user/privesc1-CreateNewPolicyVersion-user")
	if !ok || len(u.Managed) != 1 || u.ID != "AIDAS5NLFGDT64OEBQLGX" || u.Path != "/" {
		t.Fatalf("privesc1 user: %+v", u)
	}
	spotCheckCloudsplaining(t, x)
}

func spotCheckCloudsplaining(t *testing.T, x *IAMExport) {
	t.Helper()
	roles := map[string]*world.Role{}
	for _, a := range x.Accounts {
		for _, r := range a.Roles {
			roles[r.ARN] = r
		}
	}
	r := roles["arn:aws:iam::012345678901:role/OverprivilegedEC2"]
	if r == nil || len(r.InstanceProfiles) != 1 || r.InstanceProfiles[0] != "arn:aws:iam::012345678901:instance-profile/OverprivilegedEC2" ||
		r.LastUsed != "2019-01-20 18:48:00+00:00" || r.LastUsedRegion != "us-east-1" || r.MaxSessionDuration != 3600 || r.Trust == nil {
		t.Errorf("OverprivilegedEC2: %+v", r)
	}
	qs := roles["arn:aws:iam::200611803367:role/AWS-QuickSetup-EnableCRecording-1clff_us-east-1"]
	if qs == nil || qs.Tags["QuickSetupType"] != "Config Recording" {
		t.Errorf("QuickSetup role tags: %+v", qs)
	}
	// AWSCodeCommitPowerUser has two versions; v11 is in force.
	vs := x.Versions["arn:aws:iam::aws:policy/AWSCodeCommitPowerUser"]
	if len(vs) != 2 {
		t.Fatalf("AWSCodeCommitPowerUser versions %+v", vs)
	}
	for _, v := range vs {
		if v.Default != (v.ID == "v11") || (v.Default && v.Policy.Name != "arn:aws:iam::aws:policy/AWSCodeCommitPowerUser") {
			t.Errorf("version %s default %v named %s", v.ID, v.Default, v.Policy.Name)
		}
	}
}

// CloudMapper's demo export names users and groups in account "aws": a
// clear error at the ARN, not a crash or a silently dropped entity.
func TestIAMExportCloudMapperDemo(t *testing.T) {
	path := sharedtest.Path(t, "conformance/cloudmapper/account-data/demo/us-east-1/iam-get-account-authorization-details.json")
	_, err := LoadIAMExportFile(files.Confined(0, filepath.Dir(path)), path)
	if err == nil || !strings.Contains(err.Error(), `$.GroupDetailList[0].Arn: Arn: ARN arn:aws:iam::aws:group/GROUP_WITH_BAD_INLINE_POLICY: only AWS managed policies (arn:aws:iam::aws:policy/NAME) have the account "aws"`) ||
		!strings.Contains(err.Error(), path) {
		t.Errorf("error %v", err)
	}
}

const (
	exportUser  = `{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a"}`
	exportTrust = `{"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}`
	exportDoc   = `{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`
)

func TestIAMExportErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not an object", `[1]`, "expected a mapping"},
		{"unknown key", `{"UserDetailList": [], "Extra": 1}`, `unknown key "Extra"`},
		{"bad arn", `{"UserDetailList": [{"UserName": "a", "Arn": "nope"}]}`, `$.UserDetailList[0].Arn: Arn: "nope" is not an ARN: expected arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`},
		{"bad document", `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": "%7B%22Version%22%3A1%7D"}]}`, "AssumeRolePolicyDocument"},
		{"bad URL encoding", `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": "%zz"}]}`, "$.RoleDetailList[0].AssumeRolePolicyDocument: policy document: expected a JSON object or URL-encoded JSON"},
		{"duplicate user", `{"UserDetailList": [` + exportUser + `, ` + exportUser + `]}`, "arn:aws:iam::111122223333:user/a is described twice (first at x.json:1:21 $.UserDetailList[0])"},
		{"no versions", `{"Policies": [{"PolicyName": "p", "Arn": "arn:aws:iam::111122223333:policy/p"}]}`, "x.json:1:15: $.Policies[0]: policy arn:aws:iam::111122223333:policy/p: missing PolicyVersionList"},
		{"no default", `{"Policies": [{"PolicyName": "p", "Arn": "arn:aws:iam::111122223333:policy/p", "PolicyVersionList": [{"VersionId": "v1", "Document": ` + exportDoc + `}]}]}`, "no version in PolicyVersionList has IsDefaultVersion true"},
		{"version without document", `{"Policies": [{"PolicyName": "p", "Arn": "arn:aws:iam::111122223333:policy/p", "PolicyVersionList": [{"VersionId": "v1"}]}]}`, "$.Policies[0].PolicyVersionList[0]: policy arn:aws:iam::111122223333:policy/p version v1: missing Document"},
		{"instance profile", `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": ` + exportTrust + `, "InstanceProfileList": ["x"]}]}`, "$.RoleDetailList[0].InstanceProfileList[0]: expected an instance profile"},
		{"last used", `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": ` + exportTrust + `, "RoleLastUsed": "yesterday"}]}`, "$.RoleDetailList[0].RoleLastUsed: expected a mapping"},
		{"no trust", `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r"}]}`, "x.json:1:21: $.RoleDetailList[0]: role arn:aws:iam::111122223333:role/r: missing AssumeRolePolicyDocument"},
		{"inline twice", `{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": ` + exportDoc + `}, {"PolicyName": "p", "PolicyDocument": ` + exportDoc + `}]}]}`, `$.UserDetailList[0].UserPolicyList[1]: arn:aws:iam::111122223333:user/a: a second inline policy named "p"`},
		{"tags", `{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "Tags": [{"Value": "v"}]}]}`, `missing required key "Key"`},
		{"missing policy", `{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "AttachedManagedPolicies": [{"PolicyName": "P", "PolicyArn": "arn:aws:iam::aws:policy/P"}]}]}`, "partial export"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseIAMExport("x.json", []byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %q", err, tc.want)
			}
		})
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
	// RFC 3986, as IAM encodes: a "+" is a plus sign, not a space.
	x, err = ParseIAMExport("x.json", []byte(`{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "UserPolicyList": [{"PolicyName": "p",
	  "PolicyDocument": "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2Fa+b%22%7D%7D"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if res := x.Accounts[0].Users[0].Inline[0].Statements[0].Resources; len(res) != 1 || !strings.Contains(res[0].(string), "a+b") {
		t.Errorf("resources %v", res)
	}
}

// Pages saved as a JSON array, and pages saved in separate files, read as
// one export: an AWS managed policy of one page serves the entities of
// another, and several accounts load side by side.
func TestIAMExportPages(t *testing.T) {
	x, err := LoadIAMExportFiles(testdata, "testdata/export/auth-a.json", "testdata/export/auth-b.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Accounts) != 2 || x.Accounts[0].ID != "111111111111" || x.Accounts[1].ID != "222222222222" {
		t.Fatalf("accounts %+v", x.Accounts)
	}
	a := x.Accounts[0]
	if len(a.Users) != 1 || len(a.Groups) != 1 || len(a.Roles) != 1 || len(a.ManagedPolicies) != 3 {
		t.Fatalf("account a: %d users %d groups %d roles %d policies", len(a.Users), len(a.Groups), len(a.Roles), len(a.ManagedPolicies))
	}
	u := a.Users[0]
	if u.Boundary != "arn:aws:iam::111111111111:policy/boundary" || u.Tags["team"] != "blue" || len(u.Inline) != 1 || u.Groups[0] != "devs" {
		t.Errorf("user %+v", u)
	}
	if r := a.Roles[0]; r.MaxSessionDuration != 7200 || r.Path != "/app/" || r.ID != "AROAAPP" {
		t.Errorf("role %+v", r)
	}
	if len(x.Versions["arn:aws:iam::111111111111:policy/common"]) != 2 {
		t.Errorf("versions %+v", x.Versions["arn:aws:iam::111111111111:policy/common"])
	}
	for _, mp := range a.ManagedPolicies {
		if mp.ARN == "arn:aws:iam::aws:policy/ReadOnlyAccess" && (mp.Account != "aws" || mp.Path != "/") {
			t.Errorf("AWS managed policy %+v", mp)
		}
	}
	if _, err := LoadIAMExportFiles(testdata, "testdata/export/auth-a.json", "testdata/export/auth-a.json"); err == nil || !strings.Contains(err.Error(), "described twice") {
		t.Errorf("the same file twice: %v", err)
	}
}

// A partial export returns what it read and the policies it lacks.
func TestIAMExportMissing(t *testing.T) {
	x, err := LoadIAMExportFiles(testdata, "testdata/export/auth-b.json")
	var missing *MissingPoliciesError
	if !errors.As(err, &missing) || x == nil {
		t.Fatalf("error %v", err)
	}
	want := "arn:aws:iam::aws:policy/ReadOnlyAccess"
	if len(missing.ARNs) != 1 || missing.ARNs[0] != want || len(x.Missing) != 1 || len(x.Accounts) != 1 {
		t.Errorf("missing %v / %v, accounts %d", missing.ARNs, x.Missing, len(x.Accounts))
	}
	if !strings.Contains(err.Error(), "testdata/export/auth-b.json:52:19: $.RoleDetailList[0].AttachedManagedPolicies[0].PolicyArn: partial export: 1 managed policies") {
		t.Errorf("message %q", err)
	}
}

func FuzzParseIAMExport(f *testing.F) {
	f.Add([]byte(`{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "Tags": [{"Key": "k", "Value": "v"}]}]}`))
	f.Add([]byte(`[{"Policies": [{"PolicyName": "p", "Arn": "arn:aws:iam::111122223333:policy/p", "PolicyVersionList": [{"Document": "%7B%7D", "IsDefaultVersion": true}]}]}]`))
	f.Add([]byte(`{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": ` + exportTrust + `,
	  "InstanceProfileList": [{"Arn": "arn:aws:iam::111122223333:instance-profile/p"}], "RoleLastUsed": {"LastUsedDate": "d"}, "MaxSessionDuration": 7200,
	  "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/P"}], "PermissionsBoundary": {"PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/b"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ParseIAMExport("fuzz.json", data)
		var missing *MissingPoliciesError
		if err != nil && !errors.As(err, &missing) {
			return
		}
		s, err := store.NewStore()
		if err != nil {
			t.Fatal(err)
		}
		_ = s.Load(&world.World{Accounts: x.Accounts})
	})
}
