package engine_test

import (
	"context"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// The world a change is applied to: a user in a group that may read one
// bucket, a user with no policy.
const applyWorld = `
world:
  accounts:
    - id: "111111111111"
      groups:
        - name: readers
          policies: [{name: read, document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::shared/*"}]}}]
      users:
        - name: dev
        - name: reader
          groups: [readers]
      resources:
        - arn: arn:aws:s3:::reports
        - arn: arn:aws:s3:::shared
`

// EVAL is the IAM User Guide, "Policy evaluation logic"
// (reference_policies_evaluation-logic.md): "By default, all requests are
// implicitly denied"; "An explicit allow in an identity-based or
// resource-based policy overrides this default"; "An explicit deny in any
// policy overrides any allows"; "For an IAM user, these [identity-based
// policies] include user policies and policies from groups to which the
// user belongs".
func TestApplyChangesDecisions(t *testing.T) {
	allowGet := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`
	denyAll := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	cases := []struct {
		name              string
		principal, object string
		edits             func(t *testing.T) []change.Edit
		before, after     string
		source            string
	}{
		{"an inline policy allowing s3:GetObject makes GetObject allowed",
			"arn:aws:iam::111111111111:user/dev", "arn:aws:s3:::reports/q1.csv",
			func(t *testing.T) []change.Edit {
				return []change.Edit{{Op: change.Put, Kind: change.InlinePolicy, Name: "read-reports",
					Owner: &change.Owner{Kind: change.User, Name: "dev"}, Policy: parse(t, policy.KindIdentity, allowGet)}}
			},
			engine.ImplicitDeny, engine.Allow, "EVAL: implicitly denied by default; an explicit allow in an identity-based policy overrides it"},
		{"leaving the group removes the group's grant",
			"arn:aws:iam::111111111111:user/reader", "arn:aws:s3:::shared/a.txt",
			func(t *testing.T) []change.Edit {
				return []change.Edit{{Op: change.Delete, Kind: change.Membership, Owner: &change.Owner{Kind: change.User, Name: "reader"}, Group: "readers"}}
			},
			engine.Allow, engine.ImplicitDeny, "EVAL: a user's identity-based policies include those of the groups it belongs to"},
		{"an SCP denying S3 in an organization the change creates",
			"arn:aws:iam::111111111111:user/reader", "arn:aws:s3:::shared/a.txt",
			func(t *testing.T) []change.Edit {
				return []change.Edit{
					{Op: change.Put, Kind: change.OrgPolicy, Name: "NoS3", PolicyKind: policy.KindSCP, Policy: parse(t, policy.KindSCP, denyAll)},
					{Op: change.Put, Kind: change.OrgAttachment, Name: "NoS3", Target: "root"},
				}
			},
			engine.Allow, engine.ExplicitDeny, "EVAL: an explicit deny in any policy (here an SCP) overrides any allows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenario.ParseScenario("world.yaml", []byte(applyWorld))
			if err != nil {
				t.Fatal(err)
			}
			after, err := change.Apply(sc.World, &change.Set{Account: "111111111111", Edits: c.edits(t)})
			if err != nil {
				t.Fatal(err)
			}
			req := &engine.Request{Principal: c.principal, Action: "s3:GetObject", Resource: c.object, ResourceAccount: "111111111111", Time: enginetest.T0}
			if got := decide(t, sc.World, req); got != c.before {
				t.Fatalf("before the change: %s, want %s (%s)", got, c.before, c.source)
			}
			if got := decide(t, after, req); got != c.after {
				t.Fatalf("after the change: %s, want %s (%s)", got, c.after, c.source)
			}
		})
	}
}

func parse(t *testing.T, kind policy.PolicyKind, text string) *policy.Policy {
	t.Helper()
	p, err := policy.ParsePolicyBytes("change.json", []byte(text), kind, "change")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// decide opens an engine over w and decides req.
func decide(t *testing.T, w *world.World, req *engine.Request) string {
	t.Helper()
	s, err := store.NewStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(w); err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Decide(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return d.Decision
}
