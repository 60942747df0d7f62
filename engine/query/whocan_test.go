package query

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/clearance-dev/clearance/engine/enginetest"
)

// who-can on the example organization: the prod root user (everything in
// its own account), and the sessions of the roles whose policies allow
// writing releases (SecurityAdmin and sso-admin: Action *; deploy and
// github-deploy: releases/*). alice needs MFA, which the request lacks; bob's
// own Deny covers every prefix but payments/.
func TestWhoCanExampleOrganization(t *testing.T) {
	data, err := os.ReadFile("../../corpus/example/company.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := New(enginetest.Open(t, string(data)))
	grants, err := e.WhoCan(context.Background(), WhoCanRequest{Action: "s3:PutObject",
		Resource: "arn:aws:s3:::productionapp/releases/v2.tgz", Time: enginetest.T0, Reach: true,
		Context: map[string]any{"aws:SecureTransport": true, "aws:RequestedRegion": "us-east-1"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range grants {
		got = append(got, g.Principal)
	}
	s := func(r string) string { return "arn:aws:sts::111122223333:assumed-role/" + r + "/who-can" }
	want := []string{"arn:aws:iam::111122223333:root", s("SecurityAdmin"), s("deploy"), s("github-deploy"), s("sso-admin")}
	if !slices.Equal(got, want) {
		t.Errorf("who-can: %v, want %v", got, want)
	}
	for _, g := range grants {
		if g.Principal == s("deploy") && (len(g.ReachedBy) != 1 || g.ReachedBy[0].Path[0] != "arn:aws:iam::444455556666:user/ci") {
			t.Errorf("deploy reached by %+v, want the dev account's ci user", g.ReachedBy)
		}
	}
}
