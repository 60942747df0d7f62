package index

import (
	"slices"
	"testing"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// The Resource element: "The Resource element specifies the object or
// objects that the statement covers", with * and ? wildcards in each ARN
// segment and policy variables resolved per request
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
// The index keeps what the logic must still see.
func TestResourceMayMatch(t *testing.T) {
	const obj = "arn:aws:s3:::bucket/reports/q3.csv"
	for _, c := range []struct {
		name string
		st   policy.Statement
		want bool
	}{
		{"matching pattern", policy.Statement{Resources: []any{"arn:aws:s3:::bucket/*"}}, true},
		{"one of several", policy.Statement{Resources: []any{"arn:aws:s3:::other/*", "arn:aws:s3:::bucket/reports/*"}}, true},
		{"other bucket", policy.Statement{Resources: []any{"arn:aws:s3:::other/*"}}, false},
		{"the bucket, not its objects", policy.Statement{Resources: []any{"arn:aws:s3:::bucket"}}, false},
		{"star", policy.Statement{Resources: []any{"*"}}, true},
		{"NotResource left to the logic", policy.Statement{Resources: []any{"arn:aws:s3:::bucket/*"}, NotResource: true}, true},
		{"no Resource left to the logic", policy.Statement{NoResource: true}, true},
		{"policy variables left to the logic", policy.Statement{Resources: []any{map[string]any{"tmpl": nil}}, ResVars: true}, true},
	} {
		if got := ResourceMayMatch(&c.st, obj); got != c.want {
			t.Errorf("%s: ResourceMayMatch = %v, want %v", c.name, got, c.want)
		}
	}
}

// statement.principal_match: a Principal naming the requester or its role
// is "direct"/"entity" (NamesOwn), naming its account only delegates
// (NamesAccount), "*" and NotPrincipal are left to the logic.
func TestPrincipalMayName(t *testing.T) {
	const arn = "arn:aws:sts::111122223333:assumed-role/app/s1"
	own := []string{arn, "arn:aws:iam::111122223333:role/app"}
	account := []string{"arn:aws:iam::111122223333:root", "111122223333"}
	aws := func(names ...string) *policy.Principal { return &policy.Principal{AWS: names} }
	for _, c := range []struct {
		name string
		st   policy.Statement
		want int
	}{
		{"the session", policy.Statement{Principal: aws(arn)}, NamesOwn},
		{"its role", policy.Statement{Principal: aws("arn:aws:iam::111122223333:role/app")}, NamesOwn},
		{"its account", policy.Statement{Principal: aws("111122223333")}, NamesAccount},
		{"another account", policy.Statement{Principal: aws("444455556666")}, NamesNone},
		{"anyone", policy.Statement{Principal: &policy.Principal{Any: true}}, NamesOwn},
		{"NotPrincipal", policy.Statement{Principal: aws("444455556666"), NotPrincipal: true}, NamesOwn},
		{"a service", policy.Statement{Principal: &policy.Principal{Service: []string{"ec2.amazonaws.com"}}}, NamesNone},
	} {
		if got := PrincipalMayName(&c.st, arn, own, account); got != c.want {
			t.Errorf("%s: PrincipalMayName = %d, want %d", c.name, got, c.want)
		}
	}
}

// The trust index gives, in world order, the roles whose trust policy
// allows sts:AssumeRole to a name of the caller, or to anyone.
func TestTrustsCandidates(t *testing.T) {
	trust := func(p *policy.Principal, actions ...string) *policy.Policy {
		return &policy.Policy{Statements: []policy.Statement{{Effect: "Allow", Principal: p, Actions: actions}}}
	}
	roles := []*world.Role{
		{ARN: "r-alice", Trust: trust(&policy.Principal{AWS: []string{"alice"}}, "sts:assumerole")},
		{ARN: "r-open", Trust: trust(&policy.Principal{Any: true}, "sts:*")},
		{ARN: "r-bob", Trust: trust(&policy.Principal{AWS: []string{"bob"}}, "sts:assumerole")},
		{ARN: "r-saml", Trust: trust(&policy.Principal{AWS: []string{"alice"}}, "sts:assumerolewithsaml")},
		{ARN: "r-none"},
	}
	idx := NewTrusts(roles)
	var got []string
	for _, r := range idx.Candidates([]string{"alice", "111122223333"}) {
		got = append(got, r.ARN)
	}
	if want := []string{"r-alice", "r-open"}; !slices.Equal(got, want) {
		t.Errorf("candidates of alice: %v, want %v", got, want)
	}
}
