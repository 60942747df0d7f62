package query

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/enginetest"
)

// who-can on the example organization: the prod root user (everything in
// its own account), any session of the roles whose policies allow writing
// releases (SecurityAdmin and sso-admin: Action *; deploy and
// github-deploy: releases/*), and the federated user Carol, whom the bucket
// policy names (seed 004, "the federated user named Carol has permission to
// perform the s3:GetObject, s3:PutObject, and s3:DeleteObject actions on
// the bucket named productionapp. This is true even when no session policy
// is passed", id_credentials_temp_control-access_getfederationtoken.html),
// made by the root user or by token-app, whose policy allows
// sts:GetFederationToken. alice needs MFA, which the request lacks; bob's
// own Deny covers every prefix but payments/.
func TestWhoCanExampleOrganization(t *testing.T) {
	e := openExample(t, "../../corpus/example/company.yaml")
	grants, err := e.WhoCan(context.Background(), WhoCanRequest{Action: "s3:PutObject",
		Resource: "arn:aws:s3:::productionapp/releases/v2.tgz", Time: enginetest.T0, Reach: true,
		Context: map[string]any{"aws:SecureTransport": true, "aws:RequestedRegion": "us-east-1"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range grants {
		got = append(got, strings.TrimSpace(g.Principal+" "+g.FederatedBy))
	}
	s := func(r string) string { return "arn:aws:sts::111122223333:assumed-role/" + r + "/*" }
	carol := "arn:aws:sts::111122223333:federated-user/Carol arn:aws:iam::111122223333:"
	want := []string{"arn:aws:iam::111122223333:root", s("SecurityAdmin"), s("deploy"), s("github-deploy"), s("sso-admin"),
		carol + "root", carol + "user/token-app"}
	if !slices.Equal(got, want) {
		t.Errorf("who-can: %v, want %v", got, want)
	}
	for _, g := range grants {
		if g.Principal == s("deploy") && (len(g.ReachedBy) != 1 || g.ReachedBy[0].Path[0] != "arn:aws:iam::444455556666:user/ci") {
			t.Errorf("deploy reached by %+v, want the dev account's ci user", g.ReachedBy)
		}
	}
}

// grantsOf asks who-can and renders each grant as principal, pattern,
// maker and exceptions.
func grantsOf(t *testing.T, e *Querier, action, resource string) []string {
	t.Helper()
	grants, err := e.WhoCan(context.Background(), WhoCanRequest{Action: action, Resource: resource, Time: enginetest.T0})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range grants {
		s := g.Principal
		if g.Pattern != "" {
			s += " (" + g.Pattern + ")"
		}
		if g.FederatedBy != "" {
			s += " by " + g.FederatedBy
		}
		if len(g.Except) > 0 {
			s += " except " + strings.Join(g.Except, ",")
		}
		out = append(out, s)
	}
	return out
}

// Sessions and federated users named in a bucket policy
// (corpus/interplay/resource_policy_principal_forms.yaml): "When you
// specify an assumed-role session in a Principal element, you cannot use a
// wildcard "*" to mean all sessions. Principals must always name a specific
// session" (reference_policies_elements_principal.md, "Role session
// principals"), so the grant is to bounded-role's session named-session
// only, not to any session of the role; the federated user fed-named
// ("AWS STS federated user session principals") is made by an IAM user
// or the root user calling GetFederationToken (allowed for broker and
// bounded-broker, whose boundary keeps sts:GetFederationToken, and always
// for the root user), and its grant needs no session policy
// (id_credentials_temp_control-access_getfederationtoken.md). The root
// user reads every object of its account.
func TestWhoCanNamedSessionsAndFederatedUsers(t *testing.T) {
	e := openExample(t, "../../corpus/interplay/resource_policy_principal_forms.yaml")
	const acct = "arn:aws:iam::111122223333:"
	root := acct + "root"
	session := "arn:aws:sts::111122223333:assumed-role/bounded-role/named-session"
	fed := "arn:aws:sts::111122223333:federated-user/fed-named"
	for _, c := range []struct {
		key  string
		want []string
	}{
		{"session", []string{root, session}},
		{"fed", []string{root, fed + " by " + root, fed + " by " + acct + "user/bounded-broker", fed + " by " + acct + "user/broker"}},
		// aws:PrincipalArn is the role's ARN for every session of it: any
		// session, named or not (PRINCIPAL, #principal-roles).
		{"star", []string{root, "arn:aws:sts::111122223333:assumed-role/bounded-role/* (any-session)", session}},
	} {
		got := grantsOf(t, e, "s3:GetObject", "arn:aws:s3:::forms-bucket/"+c.key+"/a.txt")
		if !slices.Equal(got, c.want) {
			t.Errorf("%s/: who-can\n  %q\nwant\n  %q", c.key, got, c.want)
		}
	}
}

// A Deny naming one session leaves every other session of the role: the
// answer is any session of the role, except that one; a federated user a
// bucket policy grants to anyone ("*") is any federated user each maker
// can make (GetFederationToken: long-term credentials of an IAM user or
// the root user, id_credentials_temp_request.md#stsapi_comparison), the
// named one excepted where a Deny names it. A maker allowed
// sts:GetFederationToken on app-* names only is answered with that
// pattern: "any federated user named app-* made by app-broker".
func TestWhoCanPatternsAndExceptions(t *testing.T) {
	e := New(enginetest.Open(t, `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: broker
          policies:
            - {name: federate, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "sts:GetFederationToken", Resource: "*"}}}
        - name: app-broker
          policies:
            - {name: federate, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "sts:GetFederationToken", Resource: "arn:aws:sts::111122223333:federated-user/app-*"}}}
      roles:
        - name: app
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: "111122223333"}, Action: sts:AssumeRole}}
          policies:
            - {name: read, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "s3:GetObject", Resource: "*"}}}
      resources:
        - arn: arn:aws:s3:::shared
          type: s3-bucket
          policy:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::shared/*"}
              - Effect: Deny
                Principal: {AWS: ["arn:aws:sts::111122223333:assumed-role/app/who-can", "arn:aws:sts::111122223333:federated-user/intruder"]}
                Action: "s3:GetObject"
                Resource: "arn:aws:s3:::shared/*"
`))
	got := grantsOf(t, e, "s3:GetObject", "arn:aws:s3:::shared/a.txt")
	const fed = "arn:aws:sts::111122223333:federated-user/* (any-federated-user) by arn:aws:iam::111122223333:"
	want := []string{"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/app-broker", "arn:aws:iam::111122223333:user/broker",
		"arn:aws:sts::111122223333:assumed-role/app/* (any-session) except arn:aws:sts::111122223333:assumed-role/app/who-can",
		fed + "root except arn:aws:sts::111122223333:federated-user/intruder",
		fed + "user/broker except arn:aws:sts::111122223333:federated-user/intruder",
		"arn:aws:sts::111122223333:federated-user/app-* (any-federated-user) by arn:aws:iam::111122223333:user/app-broker"}
	if !slices.Equal(got, want) {
		t.Errorf("who-can\n  %q\nwant\n  %q", got, want)
	}
}
