package export

import (
	"errors"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// An export attaching an AWS managed policy it does not hold is filled in
// from the catalog, with the catalog's provenance on the policy.
func TestFillAWSManaged(t *testing.T) {
	x, err := LoadIAMExportFiles(testdata, "testdata/export/auth-c.json")
	var missing *MissingPoliciesError
	if !errors.As(err, &missing) {
		t.Fatalf("error %v", err)
	}
	c, err := LoadAWSManagedPolicies(testdata, "testdata/export/aws-managed.json")
	if err != nil {
		t.Fatal(err)
	}
	filled, err := x.FillAWSManaged(c)
	if err != nil || len(filled) != 1 || len(x.Missing) != 0 {
		t.Fatalf("filled %q, missing %v, error %v", filled, x.Missing, err)
	}
	mp := x.Accounts[0].ManagedPolicies[0]
	if mp.ARN != "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" || mp.Account != "aws" ||
		!strings.Contains(mp.Source, "iann0036/iam-dataset@2073fa52ac00") || !strings.Contains(mp.Source, "version v3, matched by arn") {
		t.Errorf("policy %+v", mp)
	}
	if v := x.Versions[mp.ARN]; len(v) != 1 || v[0].ID != "v3" || !v[0].Default {
		t.Errorf("versions %+v", v)
	}
	s, err := store.NewStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(&world.World{Accounts: x.Accounts}); err != nil {
		t.Fatal(err)
	}
}

func TestAWSManagedPolicyLookup(t *testing.T) {
	c, err := LoadAWSManagedPolicies(testdata, "testdata/export/aws-managed.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ arn, path, how string }{
		{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "/", "arn"},
		{"arn:aws:iam::aws:policy/aws-service-role/AWSECRPullThroughCacheServiceRolePolicy", "/aws-service-role/", "name"},
		{"arn:aws:iam::aws:policy/Nope", "", ""},
		{"arn:aws:iam::111122223333:policy/AmazonS3ReadOnlyAccess", "", ""}, // a customer policy of the same name
	} {
		mp, err := c.Policy(tc.arn)
		if err != nil {
			t.Fatal(err)
		}
		if (mp == nil) != (tc.how == "") || (mp != nil && (mp.Path != tc.path || !strings.Contains(mp.Source, "matched by "+tc.how))) {
			t.Errorf("%s: %+v", tc.arn, mp)
		}
	}
}

func TestAWSManagedPoliciesErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not an object", `[]`, "expected a mapping"},
		{"no policies", `{"source": {}}`, `expected "policies"`},
		{"unnamed", `{"policies": [{"document": {}}]}`, "$.policies[0]: a policy needs name and document"},
		{"not a policy", `{"policies": [1]}`, "$.policies[0]: expected a policy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAWSManagedPolicies("d.json", []byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %q", err, tc.want)
			}
		})
	}
	c, err := ParseAWSManagedPolicies("d.json", []byte(`{"policies": [{"name": "P", "document": {"Statement": "x"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Policy("arn:aws:iam::aws:policy/P"); err == nil || !strings.Contains(err.Error(), "d.json:1:55: $.policies[0].document.Statement") {
		t.Errorf("bad document: %v", err)
	}
}

// The iam-dataset snapshot in ../shared: its documents parse, a policy an
// export lacks is filled in with the snapshot's commit noted, and one the
// snapshot skipped (AdministratorAccess, too large for it) stays missing.
func TestFillAWSManagedShared(t *testing.T) {
	c, err := LoadAWSManagedPolicies(files.Confined(0, sharedtest.Root()), sharedtest.Path(t, "conformance/iam-dataset/derived/aws-managed-policies.json"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() < 1000 || !strings.Contains(c.Source, "iann0036/iam-dataset@") {
		t.Fatalf("%d policies from %s", c.Len(), c.Source)
	}
	x, _ := ParseIAMExport("x.json", []byte(`{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a",
	  "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}, {"PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}]}`))
	filled, err := x.FillAWSManaged(c)
	var missing *MissingPoliciesError
	if len(filled) != 1 || !errors.As(err, &missing) || strings.Join(missing.ARNs, ",") != "arn:aws:iam::aws:policy/AdministratorAccess" {
		t.Errorf("filled %q, error %v", filled, err)
	}
	failed := 0
	for name := range c.byName {
		if _, err := c.Policy("arn:aws:iam::aws:policy/" + name); err != nil {
			failed++
			t.Log(err)
		}
	}
	if failed > 0 {
		t.Errorf("%d AWS managed policies do not parse", failed)
	}
}

func FuzzParseAWSManagedPolicies(f *testing.F) {
	f.Add([]byte(`{"source": {"repo": "r", "commit": "c"}, "policies": [{"arn": "arn:aws:iam::aws:policy/P", "name": "P", "version": "v1", "document": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}]}`))
	f.Add([]byte(`{"policies": [{"name": "Q", "document": "%7B%7D"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseAWSManagedPolicies("fuzz.json", data)
		if err != nil {
			return
		}
		for name := range c.byName {
			_, _ = c.Policy("arn:aws:iam::aws:policy/" + name)
		}
	})
}
