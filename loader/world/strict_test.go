package world

import (
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/catalog"
)

// ARNS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
// The ARN forms AWS documents are accepted; each refusal names its reason.
func TestCheckARN(t *testing.T) {
	for _, tc := range []struct {
		arn, want string // want: "" accepted, else a substring of the error
	}{
		{"arn:aws:s3:::b", ""},
		{"arn:aws:s3:::b/dir/key.txt", ""},
		{"arn:aws:s3:us-west-2:111122223333:accesspoint/ap", ""},
		{"arn:aws:s3::111122223333:accesspoint/mrap.mrap", ""}, // multi-Region access point
		{"arn:aws:iam::111122223333:user/division/alice", ""},
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", ""},
		{"arn:aws:sts::111122223333:assumed-role/r/s", ""},
		{"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", ""},
		{"arn:aws:lambda:us-east-1:111122223333:function:f:1", ""},
		{"arn:aws:sqs:eu-west-1:111122223333:q.fifo", ""},
		{"arn:aws:sns:us-east-1:111122223333:t:0a1b2c3d", ""},
		{"arn:aws-cn:s3:::b", ""},
		{"arn:aws-us-gov:iam::111122223333:role/r", ""},
		{"arn:aws-iso-b:ec2:us-isob-east-1:111122223333:instance/i-1", ""},
		{"arn:aws:ec2:us-east-1::snapshot/snap-1", ""},
		{"arn:aws:apigateway:us-east-1::/restapis/a1b2", ""},
		{"arn:aws:cloudfront::111122223333:distribution/E1", ""},
		{"arn:aws:s3:::b/*", ""},                 // a policy's pattern (CheckConcreteARN refuses it)
		{"arn:aws:sqs:*:111122223333:q", ""},     // a region wildcard in a pattern
		{"arn:aws:iam::*:role/r", ""},            // an account wildcard in a pattern
		{"arn:aws:s3:::b\n", "space or control"}, // a line break
		{"arn:aws:dynamodb::111122223333:table/t", "region and an account"},
		{"arn:aws:iam::111122223333:", "resource part"},
		{"arn:aws:sts::aws:assumed-role/r/s", `account "aws"`},
	} {
		err := CheckARN(tc.arn)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("CheckARN(%q) = %v, want %q", tc.arn, err, tc.want)
		}
	}
	if err := CheckConcreteARN("arn:aws:s3:::b/*"); err == nil || !strings.Contains(err.Error(), "wildcard") {
		t.Errorf("a world resource with a wildcard: %v", err)
	}
}

// QUOTAS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
func TestCheckNameAndPath(t *testing.T) {
	for _, tc := range []struct {
		kind, name string
		ok         bool
	}{
		{NameUser, "alice+ops=1,x.y@z_w-v", true}, // every character QUOTAS allows
		{NameUser, strings.Repeat("u", 64), true},
		{NameUser, strings.Repeat("u", 65), false},
		{NameRole, strings.Repeat("r", 65), false},
		{NameGroup, strings.Repeat("g", 128), true},
		{NamePolicy, strings.Repeat("p", 129), false},
		{NameInstanceProfile, strings.Repeat("i", 128), true},
		{NameUser, "x/alice", false},
		{NameUser, "al ice", false},
		{NameUser, "", false},
	} {
		if err := CheckName(tc.kind, tc.name); (err == nil) != tc.ok {
			t.Errorf("CheckName(%s, %q) = %v", tc.kind, tc.name, err)
		}
	}
	for p, ok := range map[string]bool{"/": true, "/a/": true, "/a/b/": true, "/aws-service-role/x.amazonaws.com/": true,
		"": false, "a": false, "/a": false, "a/": false, "//": false, "/a b/": false, "/" + strings.Repeat("p", 511): false} {
		if err := CheckPath(p); (err == nil) != ok {
			t.Errorf("CheckPath(%q) = %v", p, err)
		}
	}
}

// IAM names are unique per account and kind, regardless of case
// (QUOTAS; reference_identifiers.html: "Each IAM user name is unique and
// case-insensitive"); a user and a role may share a name.
func TestCheckUnique(t *testing.T) {
	ok := &Account{ID: "111122223333", Users: []*User{{Name: "admin"}}, Roles: []*Role{{Name: "Admin"}},
		Groups: []*Group{{Name: "ADMIN"}}, ManagedPolicies: []*ManagedPolicy{{Name: "admin"}, {Name: "Admin", Account: AWSAccount}}}
	if err := CheckUnique(ok); err != nil {
		t.Errorf("distinct kinds: %v", err)
	}
	for name, a := range map[string]*Account{
		"users":             {Users: []*User{{Name: "ADMIN"}, {Name: "admin"}}},
		"roles":             {Roles: []*Role{{Name: "r"}, {Name: "R"}}},
		"managed policies":  {ManagedPolicies: []*ManagedPolicy{{Name: "p"}, {Name: "P"}}},
		"instance profiles": {Roles: []*Role{{Name: "a", InstanceProfiles: []string{"arn:aws:iam::111122223333:instance-profile/ip"}}, {Name: "b", InstanceProfiles: []string{"arn:aws:iam::111122223333:instance-profile/IP"}}}},
	} {
		if err := CheckUnique(a); err == nil || !strings.Contains(err.Error(), "two "+name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A request names one resource; "*" alone is for actions without resource
// types (CheckStar, from the catalog); ${*} is a literal star
// (reference_policies_variables.html#policy-vars-specialchars).
func TestRequestResource(t *testing.T) {
	for in, want := range map[string]string{"*": "*", "arn:aws:s3:::b/a${*}b": "arn:aws:s3:::b/a*b", "arn:aws:s3:::b/k": "arn:aws:s3:::b/k"} {
		if got, err := RequestResource(in); err != nil || got != want {
			t.Errorf("RequestResource(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"arn:aws:s3:::b/*", "arn:aws:s3:::b/?", "not-an-arn"} {
		if _, err := RequestResource(in); err == nil {
			t.Errorf("RequestResource(%q) accepted", in)
		}
	}
	if err := CheckStar("s3:ListAllMyBuckets"); err != nil {
		t.Errorf("s3:ListAllMyBuckets has no resource type: %v", err)
	}
	if err := CheckStar("s3:GetObject"); err == nil {
		t.Errorf("s3:GetObject on * accepted")
	}
}

// CONDKEYS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// Each global key's value fits the operators CONDKEYS says it works with.
func TestCheckContextValue(t *testing.T) {
	for _, tc := range []struct {
		key string
		v   any
		ok  bool
	}{
		{"aws:SecureTransport", true, true}, {"aws:SecureTransport", "FALSE", true}, {"aws:SecureTransport", "perhaps", false},
		{"aws:SourceIp", "203.0.113.7", true}, {"aws:SourceIp", "2001:db8::1", true}, {"aws:SourceIp", "10.0.0.0/8", false},
		{"aws:CurrentTime", "2026-01-02T15:04:05Z", true}, {"aws:CurrentTime", "never", false},
		{"aws:EpochTime", int64(1767225600), true}, {"aws:EpochTime", "1767225600", true}, {"aws:EpochTime", 1.5, false},
		{"aws:MultiFactorAuthAge", "3600", true}, {"aws:MultiFactorAuthAge", "ten", false},
		{"aws:PrincipalArn", "arn:aws:iam::111122223333:role/r", true}, {"aws:SourceArn", "arn:aws:someservice:us-east-2:111122223333:x", true},
		{"aws:SourceArn", "arn:aws", false}, {"aws:SourceIp", []any{"203.0.113.7", "x"}, false},
		{"aws:username", "anything", true}, {"s3:max-keys", "10", true}, {"s3:max-keys", "ten", false},
	} {
		if err := CheckContextValue(tc.key, tc.v); (err == nil) != tc.ok {
			t.Errorf("CheckContextValue(%s, %v) = %v", tc.key, tc.v, err)
		}
	}
	if len(catalog.GlobalKeyTypes()) < 13 {
		t.Errorf("global key types: %v", catalog.GlobalKeyTypes())
	}
}
