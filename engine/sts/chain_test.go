package sts

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/loader/scenario"
)

const alice = "arn:aws:iam::111111111111:user/alice"

func chainEngine(t testing.TB) *Walker {
	t.Helper()
	data, err := os.ReadFile("../testdata/chain_world.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return New(enginetest.Open(t, string(data)))
}

func steps(ss ...*scenario.Step) []*scenario.Step { return ss }

func assume(role, session string) *scenario.Step {
	return &scenario.Step{Op: scenario.OpAssumeRole, Role: "arn:aws:iam::" + role, Session: session}
}

var T0 = enginetest.T0

// Sources: ROLE-TERMS https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html#iam-term-role-chaining;
// SESSION-TAGS https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html;
// SOURCE-ID https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html;
// XACCT-EXTID https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html.
func TestWalkRefusals(t *testing.T) {
	e := chainEngine(t)
	tagged := assume("111111111111:role/first", "s-a")
	tagged.Tags, tagged.Transitive, tagged.SourceID = map[string]string{"project": "apollo"}, []string{"project"}, "alice"
	long := assume("111111111111:role/third", "s-c")
	long.Duration, long.HasDuration = 7200, true
	ext := assume("222222222222:role/vendor", "s-v")
	ext.ExternalID = "ext-1"
	wrongExt := assume("222222222222:role/vendor", "s-v")
	wrongExt.ExternalID = "ext-2"
	dup := assume("111111111111:role/second", "s-b")
	dup.Tags = map[string]string{"Project": "x"}
	for _, tc := range []struct {
		name    string
		steps   []*scenario.Step
		refused int // 0: the chain completes
		source  string
	}{
		{"three hops with source identity and transitive tag", steps(tagged, assume("111111111111:role/second", "s-b"), assume("111111111111:role/third", "s-c")), 0, "SOURCE-ID, SESSION-TAGS"},
		{"second role's trust needs the source identity", steps(assume("111111111111:role/first", "s-a"), assume("111111111111:role/second", "s-b")), 2, "SOURCE-ID"},
		{"role chaining beyond one hour", steps(tagged, assume("111111111111:role/second", "s-b"), long), 3, "ROLE-TERMS: chaining limits the session to one hour"},
		{"third role trusts only second", steps(assume("111111111111:role/third", "s-c")), 1, "trust policy must allow the caller"},
		{"cross account with the right ExternalId", steps(ext), 0, "XACCT-EXTID"},
		{"cross account with a wrong ExternalId", steps(wrongExt), 1, "XACCT-EXTID"},
		{"cross account without ExternalId", steps(assume("222222222222:role/vendor", "s-v")), 1, "XACCT-EXTID"},
		{"a tag repeating an inherited transitive key", steps(tagged, dup), 2, "SESSION-TAGS: inherited transitive keys cannot be overridden"},
		{"session name too short", steps(assume("111111111111:role/first", "a")), 1, "STS API: RoleSessionName is 2 to 64 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.Walk(context.Background(), &scenario.Chain{As: alice, Time: T0, Steps: tc.steps})
			if err != nil {
				t.Fatal(err)
			}
			if res.RefusedHop != tc.refused {
				t.Fatalf("refused at hop %d, want %d (%s); hops: %+v", res.RefusedHop, tc.refused, tc.source, lastReason(res))
			}
		})
	}
}

func lastReason(r *ChainResult) string {
	if len(r.Hops) == 0 {
		return ""
	}
	return r.Hops[len(r.Hops)-1].Reason
}

// SESSION-TAGS: session tags become principal tags overriding the role's;
// transitive tags pass to chained sessions; aws:SourceIdentity persists.
func TestWalkSessionShape(t *testing.T) {
	e := chainEngine(t)
	first := assume("111111111111:role/first", "s-a")
	first.Tags, first.Transitive, first.SourceID = map[string]string{"project": "apollo", "team": "green"}, []string{"project"}, "alice"
	res, err := e.Walk(context.Background(), &scenario.Chain{As: alice, Time: T0, Steps: steps(first, assume("111111111111:role/second", "s-b"))})
	if err != nil || res.Final == nil {
		t.Fatalf("walk: %v %+v", err, lastReason(res))
	}
	s1, s2 := res.Hops[0].Session, res.Final
	if s1.ARN != "arn:aws:sts::111111111111:assumed-role/first/s-a" || s1.Type != "AssumedRole" || s1.Duration != 3600 {
		t.Errorf("first session: %+v", s1)
	}
	if s2.Tags["project"] != "apollo" || s2.Tags["team"] != "" || s2.SourceIdentity != "alice" || !s2.Chained {
		t.Errorf("second session: tags %v, source %q, chained %v", s2.Tags, s2.SourceIdentity, s2.Chained)
	}
	p, err := engine.PrincipalOf(e.Store().Snapshot(), s1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Tags["team"] != "green" || p.Tags["env"] != "dev" {
		t.Errorf("principal tags %v: want the session tag team=green over the role tag, env=dev kept", p.Tags)
	}
	// The second role's policy allows only with aws:PrincipalTag/project = apollo.
	d, err := e.Decide(context.Background(), &engine.Request{Session: s2, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: "111111111111", Time: T0})
	if err != nil || d.Decision != engine.Allow {
		t.Errorf("second session reading with the transitive tag: %v %v", d.Decision, err)
	}
}

// STS-COMPARE and the STS API reference: GetFederationToken and
// GetSessionToken last 12 hours by default; the root user's at most one.
func TestTokenDurations(t *testing.T) {
	e := chainEngine(t)
	res, err := e.Walk(context.Background(), &scenario.Chain{As: alice, Time: T0, Steps: steps(&scenario.Step{Op: scenario.OpGetSessionToken})})
	if err != nil || res.Final == nil || res.Final.Duration != 43200 || res.Final.Credential != engine.CredSession {
		t.Fatalf("GetSessionToken: %v %+v", err, res)
	}
	root := "arn:aws:iam::111111111111:root"
	res, err = e.Walk(context.Background(), &scenario.Chain{As: root, Time: T0, Steps: steps(&scenario.Step{Op: scenario.OpGetSessionToken, Duration: 7200, HasDuration: true})})
	if err != nil || res.Final == nil || res.Final.Duration != 3600 || len(res.Hops[0].Notes) == 0 {
		t.Fatalf("root GetSessionToken: %v %+v", err, res)
	}
	res, err = e.Walk(context.Background(), &scenario.Chain{As: alice, Time: T0, Steps: steps(&scenario.Step{Op: scenario.OpGetFederationToken, Name: "x", Duration: 200000, HasDuration: true})})
	if err != nil || res.RefusedHop != 1 {
		t.Fatalf("GetFederationToken beyond 36 h: %v %+v", err, res)
	}
}

// Reach follows AssumeRole from alice: first directly; second and third
// only with a source identity (the walk passes none), vendor only with an
// ExternalId.
func TestReach(t *testing.T) {
	e := chainEngine(t)
	got, err := e.Reach(context.Background(), &scenario.Chain{As: alice, Time: T0}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sessions, conditional []string
	for _, r := range got {
		if len(r.Needs) > 0 {
			conditional = append(conditional, r.Role)
		} else {
			sessions = append(sessions, r.Session)
		}
	}
	if !slices.Equal(sessions, []string{"arn:aws:sts::111111111111:assumed-role/first/clearance-reach"}) {
		t.Errorf("sessions %v", sessions)
	}
	if !slices.Contains(conditional, "arn:aws:iam::222222222222:role/vendor") {
		t.Errorf("conditional %v: vendor needs sts:ExternalId", conditional)
	}
}

// The bundled example organization (corpus/example/company.yaml): who
// reaches which role session. Expected from the world's trust policies:
// auditor trusts carol-the-auditor with MFA; deploy trusts the dev account
// with ExternalId exco-ci-7f3a; SecurityAdmin trusts the account with MFA
// (alice's admin group allows everything with MFA); sso-admin trusts the
// SAML provider with saml:aud; github-deploy trusts the OIDC provider for
// one repository's main branch.
func TestReachExampleOrganization(t *testing.T) {
	data, err := os.ReadFile("../../corpus/example/company.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := New(enginetest.Open(t, string(data)))
	prod := func(s string) string { return "arn:aws:iam::111122223333:" + s }
	session := func(role string) string {
		return "arn:aws:sts::111122223333:assumed-role/" + role + "/clearance-reach"
	}
	saml := &scenario.Step{Op: scenario.OpAssumeRoleWithSAML, Provider: prod("saml-provider/corp-idp"),
		Claims: map[string]any{"saml:aud": "https://signin.aws.amazon.com/saml"}}
	wrongAud := &scenario.Step{Op: scenario.OpAssumeRoleWithSAML, Provider: prod("saml-provider/corp-idp"),
		Claims: map[string]any{"saml:aud": "https://example.com/saml"}}
	gh := func(sub string) *scenario.Step {
		return &scenario.Step{Op: scenario.OpAssumeRoleWithWebID, Provider: "token.actions.githubusercontent.com",
			Claims: map[string]any{"aud": "sts.amazonaws.com", "sub": sub}}
	}
	for _, tc := range []struct {
		name  string
		start *scenario.Chain
		want  []string // session: needs
	}{
		{"carol-the-auditor", &scenario.Chain{As: prod("user/carol-the-auditor")}, []string{session("auditor") + ": MFA"}},
		{"ci in dev", &scenario.Chain{As: "arn:aws:iam::444455556666:user/ci"}, []string{session("deploy") + ": sts:ExternalId exco-ci-7f3a"}},
		{"alice", &scenario.Chain{As: prod("user/alice")}, []string{session("SecurityAdmin") + ": MFA"}},
		{"bob", &scenario.Chain{As: prod("user/bob")}, nil},
		// SecurityAdmin needs MFA, which a role session cannot pass: AssumeRole's
		// SerialNumber is "the MFA device that is associated with the user who
		// is making the AssumeRole call" (STS API reference).
		{"SAML users", &scenario.Chain{Steps: []*scenario.Step{saml}}, []string{session("sso-admin") + ": "}},
		{"SAML with another audience", &scenario.Chain{Steps: []*scenario.Step{wrongAud}}, nil},
		{"GitHub main branch", &scenario.Chain{Steps: []*scenario.Step{gh("repo:example-corp/web:ref:refs/heads/main")}}, []string{session("github-deploy") + ": "}},
		{"GitHub other branch", &scenario.Chain{Steps: []*scenario.Step{gh("repo:example-corp/web:ref:refs/heads/dev")}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.start.Time = T0
			got, err := e.Reach(context.Background(), tc.start, 0)
			if err != nil {
				t.Fatal(err)
			}
			var have []string
			for _, r := range got {
				have = append(have, r.Session+": "+strings.Join(r.Needs, ", "))
			}
			if !slices.Equal(have, tc.want) {
				t.Errorf("reached %q, want %q", have, tc.want)
			}
		})
	}
}

// Credentials are valid for DurationSeconds (STS GetSessionToken API
// reference); aws:MultiFactorAuthAge counts the seconds since the MFA
// authentication (reference_policies_condition-keys.html#condition-keys-multifactorauthage).
func TestSessionClock(t *testing.T) {
	e := chainEngine(t)
	res, err := e.Walk(context.Background(), &scenario.Chain{As: alice, Time: T0,
		Steps: steps(&scenario.Step{Op: scenario.OpGetSessionToken, MFA: true, Duration: 900, HasDuration: true})})
	if err != nil || res.Final == nil {
		t.Fatalf("walk: %v", err)
	}
	req := &engine.Request{Session: res.Final, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: "111111111111"}
	req.Time = T0.Add(10 * time.Minute)
	rc, err := e.RequestContext(req)
	if err != nil {
		t.Fatal(err)
	}
	if age := rc["aws:multifactorauthage"].Value; age != int64(600) {
		t.Errorf("aws:MultiFactorAuthAge = %v, want 600", age)
	}
	req.Time = T0.Add(16 * time.Minute)
	if _, err := e.Decide(context.Background(), req); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("a request after expiry: %v", err)
	}
}

// A trust policy that pins sts:RoleSessionName to ${aws:username} admits a
// user who names the session after themself (the example in
// reference_policies_iam-condition-keys.html#ck_rolesessionname); reach
// finds it by trying that name.
func TestReachSessionName(t *testing.T) {
	e := enginetest.Open(t, `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: dana
          policies:
            - name: assume
              document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "sts:AssumeRole", Resource: "*"}]}
      roles:
        - name: named
          trust:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Principal: {AWS: "111122223333"}, Action: "sts:AssumeRole", Condition: {StringLike: {"sts:RoleSessionName": "${aws:username}"}}}
`)
	got, err := New(e).Reach(context.Background(), &scenario.Chain{As: "arn:aws:iam::111122223333:user/dana", Time: T0}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Session != "arn:aws:sts::111122223333:assumed-role/named/dana" {
		t.Errorf("reached %+v", got)
	}
}

// Session tag keys: the aws: prefix is reserved, and keys are
// case-insensitive (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_know).
func TestSessionTagKeys(t *testing.T) {
	e := chainEngine(t)
	for _, tags := range []map[string]string{{"aws:team": "x"}, {"Project": "a", "project": "b"}} {
		st := assume("111111111111:role/first", "s-a")
		st.Tags = tags
		res, err := e.Walk(context.Background(), &scenario.Chain{As: alice, Time: T0, Steps: steps(st)})
		if err != nil || res.RefusedHop != 1 {
			t.Errorf("tags %v: refused at %v (%v)", tags, res, err)
		}
	}
}

// API_AssumeRoleWithSAML: the credentials are "valid for the duration that
// you specified ..., or until the time specified in the SAML
// authentication response's SessionNotOnOrAfter value, whichever is
// shorter". A request after that time is refused as expired.
func TestSAMLSessionNotOnOrAfter(t *testing.T) {
	e := New(enginetest.OpenFile(t, "../../corpus/chains/saml_federation.yaml"))
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	end := at.Add(20 * time.Minute)
	res, err := e.Walk(context.Background(), &scenario.Chain{Time: at, Steps: []*scenario.Step{{
		Op: scenario.OpAssumeRoleWithSAML, Role: "arn:aws:iam::111111111111:role/saml-admins",
		Provider: "arn:aws:iam::111111111111:saml-provider/okta", Session: "alice@example.com",
		Claims:       map[string]any{"saml:aud": "https://signin.aws.amazon.com/saml", "saml:sub": "alice"},
		NotOnOrAfter: end,
	}}})
	if err != nil || res.Final == nil {
		t.Fatalf("walk: %v", err)
	}
	if !res.Final.Expires.Equal(end) {
		t.Errorf("expires %s, want the assertion's SessionNotOnOrAfter %s", res.Final.Expires, end)
	}
	req := &engine.Request{Session: res.Final, Action: "s3:GetObject", Resource: "arn:aws:s3:::corp-docs/a",
		ResourceAccount: "111111111111", Time: end.Add(time.Minute)}
	if _, err := e.Decide(context.Background(), req); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("a request after SessionNotOnOrAfter: %v", err)
	}
}
