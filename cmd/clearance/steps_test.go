package main

import (
	"testing"

	"github.com/clearance-dev/clearance/loader/scenario"
)

func TestParseStep(t *testing.T) {
	for _, tc := range []struct {
		in      string
		wantErr bool
		check   func(*scenario.Step) bool
	}{
		{"AssumeRole role=arn:aws:iam::111122223333:role/r session=s1 external-id=x mfa=true duration=900 tags=a=b,c=d transitive-tag-keys=a", false,
			func(s *scenario.Step) bool {
				return s.Op == scenario.OpAssumeRole && s.ExternalID == "x" && s.MFA && s.Duration == 900 && s.Tags["c"] == "d" && s.Transitive[0] == "a"
			}},
		{`GetFederationToken name=Carol policy={"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, false,
			func(s *scenario.Step) bool {
				return s.Name == "Carol" && s.Policy != nil && len(s.Policy.Statements) == 1
			}},
		{"AssumeRoleWithWebIdentity role=arn:aws:iam::111122223333:role/r provider=accounts.google.com session=x claim.aud=a claim.amr=[x,y]", false,
			func(s *scenario.Step) bool { return s.Claims["aud"] == "a" && len(s.Claims["amr"].([]any)) == 2 }},
		{"AssumeRoleWithSAML role=arn:aws:iam::111122223333:role/r provider=p attr.saml:aud=u", false, func(s *scenario.Step) bool { return s.Claims["saml:aud"] == "u" }},
		{"AssumeRole role=r", true, nil},                   // no session
		{"AssumeRole role=r session=s mfa=yes", true, nil}, // not a bool
		{"Assume role=r", true, nil},                       // unknown operation
		{"AssumeRole role", true, nil},                     // not key=value
		{"GetSessionToken colour=red", true, nil},          // unknown parameter
		{"", true, nil},
	} {
		st, err := parseStep(1, tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("%q: err %v, want error %v", tc.in, err, tc.wantErr)
			continue
		}
		if err == nil && !tc.check(st) {
			t.Errorf("%q: decoded %+v", tc.in, st)
		}
	}
}

func FuzzParseStep(f *testing.F) {
	f.Add("AssumeRole role=arn:aws:iam::111122223333:role/r session=s1 tags=a=b")
	f.Add("CognitoGetCredentials pool=p authenticated=false logins=a,b claim.x=[1,2]")
	f.Fuzz(func(t *testing.T, s string) {
		st, err := parseStep(1, s)
		if err == nil && st == nil {
			t.Fatal("no step and no error")
		}
	})
}
