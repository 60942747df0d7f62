package change

import (
	"slices"
	"testing"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

const (
	baseARN   = "arn:aws:iam::123456789012:policy/team/Base"
	readOnly  = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	adminARN  = "arn:aws:iam::aws:policy/AdministratorAccess"
	bucketARN = "arn:aws:s3:::data-bucket"
	fnARN     = "arn:aws:lambda:us-east-1:123456789012:function:fn"
)

const (
	trustEC2  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	allowGet  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	denyAll   = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`
	publicGet = `{"Version":"2012-10-17","Statement":[{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data-bucket/*"}]}`
	snsInvoke = `{"Version":"2012-10-17","Statement":[{"Sid":"%s","Effect":"Allow","Principal":{"Service":"%s"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:fn"}]}`
)

// applyCase is a change to the test world and what the world after it
// must hold.
type applyCase struct {
	name  string
	edits func(t *testing.T) []Edit
	check func(t *testing.T, w *world.World, ap *Applied)
}

func TestApplyKinds(t *testing.T) {
	cases := append(append(iamCases(), relationCases()...), resourceCases()...)
	cases = append(cases, orgCases()...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := base(t)
			before := snapshot(t, w)
			after, ap, err := ApplyReport(w, &Set{Account: acct, Edits: c.edits(t)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if snapshot(t, w) != before {
				t.Fatal("Apply changed the world it was given")
			}
			c.check(t, after, ap)
			loads(t, after)
		})
	}
}

func iamCases() []applyCase {
	return []applyCase{
		{"put a new user", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: User, Name: "carol", Path: "/ops/", Tags: map[string]string{"team": "ops"}, At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			u := user(w, "carol")
			if u == nil || u.ARN != "arn:aws:iam::123456789012:user/ops/carol" || u.Tags["team"] != "ops" || u.ID == "" {
				t.Fatalf("carol: %+v", u)
			}
		}},
		{"put an existing user keeps its policies and groups, replaces its boundary", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: User, Name: "ALICE", Boundary: baseARN, At: at(3)}, {Op: Put, Kind: User, Name: "bob", At: at(9)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			u := user(w, "alice")
			if u.Name != "alice" || len(u.Inline) != 1 || len(u.Managed) != 1 || !slices.Equal(u.Groups, []string{"devs"}) || u.Boundary != baseARN {
				t.Fatalf("alice: %+v", u)
			}
			if b := user(w, "bob"); b.Boundary != "" {
				t.Fatalf("bob keeps boundary %q; the Put carries none", b.Boundary)
			}
		}},
		{"a new path renames the user's inline policies", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: User, Name: "alice", Path: "/x/", At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			want := []string{world.InlinePolicyName("arn:aws:iam::123456789012:user/x/alice", "own")}
			if got := inlineNames(user(w, "alice").Inline); !slices.Equal(got, want) {
				t.Fatalf("inline %v, want %v", got, want)
			}
		}},
		{"delete a user", func(t *testing.T) []Edit {
			return []Edit{{Op: Delete, Kind: User, Name: "alice", At: at(3)}, {Op: Delete, Kind: User, Name: "nobody", At: at(4)}}
		}, func(t *testing.T, w *world.World, ap *Applied) {
			if user(w, "alice") != nil || len(ap.Warnings) != 1 || ap.Warnings[0].At.Line != 4 {
				t.Fatalf("alice still there, or warnings %+v", ap.Warnings)
			}
		}},
		{"put a group, keep an existing one's policies", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: Group, Name: "ops", At: at(3)}, {Op: Put, Kind: Group, Name: "devs", At: at(4)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if group(w, "ops") == nil || len(group(w, "devs").Inline) != 1 || len(group(w, "devs").Managed) != 1 {
				t.Fatal("ops missing or devs lost its policies")
			}
		}},
		{"delete a group removes its memberships", func(t *testing.T) []Edit {
			return []Edit{{Op: Delete, Kind: Group, Name: "Devs", At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if group(w, "devs") != nil || len(user(w, "alice").Groups) != 0 {
				t.Fatalf("devs still there or alice still in %v", user(w, "alice").Groups)
			}
		}},
		{"put a new role", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: Role, Name: "ci", Trust: doc(t, policy.KindTrust, trustEC2), MaxSessionDuration: 7200, At: at(3)}}
		}, func(t *testing.T, w *world.World, ap *Applied) {
			r := role(w, "ci")
			if r == nil || r.Trust.Name != world.TrustPolicyName(r.ARN) || r.MaxSessionDuration != 7200 {
				t.Fatalf("ci: %+v", r)
			}
			if src := ap.Statements[r.Trust.Name]; len(src) != 1 || src[0].File != "change.json" || src[0].Line != 1 || src[0].Address != "Res" {
				t.Fatalf("trust statement sources %+v", src)
			}
		}},
		{"put an existing role without a trust keeps it and the policies", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: Role, Name: "app", At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			r := role(w, "app")
			if r.Trust == nil || len(r.Inline) != 1 || len(r.Managed) != 1 || r.MaxSessionDuration != 3600 {
				t.Fatalf("app: %+v", r)
			}
		}},
		{"delete a role", func(t *testing.T) []Edit {
			return []Edit{{Op: Delete, Kind: Role, Name: "app", At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if role(w, "app") != nil {
				t.Fatal("app still there")
			}
		}},
		{"put a new managed policy", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: ManagedPolicy, Name: "New", Policy: doc(t, policy.KindIdentity, allowGet), At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			mp := managedPolicy(w, "arn:aws:iam::123456789012:policy/New")
			if mp == nil || mp.Policy.Name != mp.ARN || !slices.Equal(actionsOf(mp.Policy), []string{"s3:getobject"}) {
				t.Fatalf("New: %+v", mp)
			}
		}},
		{"put an existing managed policy replaces its document, keeps its attachments", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: ManagedPolicy, Name: "base", Path: "/team/", Policy: doc(t, policy.KindIdentity, allowGet), At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			mp := managedPolicy(w, baseARN)
			if !slices.Equal(actionsOf(mp.Policy), []string{"s3:getobject"}) || !slices.Contains(user(w, "alice").Managed, baseARN) {
				t.Fatalf("Base: %v, alice: %v", actionsOf(mp.Policy), user(w, "alice").Managed)
			}
		}},
		{"delete a managed policy detaches it everywhere", func(t *testing.T) []Edit {
			return []Edit{{Op: Delete, Kind: ManagedPolicy, Name: "Base", At: at(3)}}
		}, func(t *testing.T, w *world.World, ap *Applied) {
			if managedPolicy(w, baseARN) != nil || len(user(w, "alice").Managed) != 0 || len(group(w, "devs").Managed) != 0 || user(w, "bob").Boundary != "" {
				t.Fatal("Base still attached somewhere")
			}
			if len(ap.Warnings) != 1 {
				t.Fatalf("want a warning that bob loses his boundary, got %+v", ap.Warnings)
			}
		}},
	}
}

func relationCases() []applyCase {
	return []applyCase{
		{"put an inline policy on a role, in a role the change creates later", func(t *testing.T) []Edit {
			return []Edit{
				{Op: Put, Kind: InlinePolicy, Name: "get", Owner: &Owner{Kind: Role, Name: "ci"}, Policy: doc(t, policy.KindIdentity, allowGet), At: at(3)},
				{Op: Put, Kind: Role, Name: "ci", Trust: doc(t, policy.KindTrust, trustEC2), At: at(9)},
			}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if got := inlineNames(role(w, "ci").Inline); !slices.Equal(got, []string{"arn:aws:iam::123456789012:role/ci#get"}) {
				t.Fatalf("ci inline %v", got)
			}
		}},
		{"put replaces an inline policy of the same name", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: InlinePolicy, Name: "own", Owner: &Owner{Kind: User, Name: "alice"}, Policy: doc(t, policy.KindIdentity, allowGet), At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			u := user(w, "alice")
			if len(u.Inline) != 1 || !slices.Equal(actionsOf(u.Inline[0]), []string{"s3:getobject"}) {
				t.Fatalf("alice inline %v", inlineNames(u.Inline))
			}
		}},
		{"delete an inline policy", func(t *testing.T) []Edit {
			return []Edit{{Op: Delete, Kind: InlinePolicy, Name: "dev", Owner: &Owner{Kind: Group, Name: "devs"}, At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if len(group(w, "devs").Inline) != 0 {
				t.Fatal("devs keeps dev")
			}
		}},
		{"attach a customer and a known AWS managed policy", func(t *testing.T) []Edit {
			return []Edit{
				{Op: Put, Kind: Attachment, Owner: &Owner{Kind: Role, Name: "app"}, PolicyARN: baseARN, At: at(3)},
				{Op: Put, Kind: Attachment, Owner: &Owner{Kind: User, Name: "bob"}, PolicyARN: readOnly, At: at(4)},
			}
		}, func(t *testing.T, w *world.World, ap *Applied) {
			if !slices.Contains(role(w, "app").Managed, baseARN) || !slices.Equal(user(w, "bob").Managed, []string{readOnly}) || len(ap.UnknownManaged) != 0 {
				t.Fatalf("app %v bob %v unknown %v", role(w, "app").Managed, user(w, "bob").Managed, ap.UnknownManaged)
			}
		}},
		{"attach an AWS managed policy the world lacks", func(t *testing.T) []Edit {
			return []Edit{
				{Op: Put, Kind: Attachment, Owner: &Owner{Kind: User, Name: "bob"}, PolicyARN: adminARN, At: at(3)},
				{Op: Put, Kind: Attachment, Owner: &Owner{Kind: Role, Name: "app"}, PolicyARN: adminARN, At: at(5)},
			}
		}, func(t *testing.T, w *world.World, ap *Applied) {
			if len(ap.UnknownManaged) != 1 || ap.UnknownManaged[0].ARN != adminARN || ap.UnknownManaged[0].At.Line != 3 {
				t.Fatalf("unknown %+v", ap.UnknownManaged)
			}
			if mp := managedPolicy(w, adminARN); mp == nil || mp.Policy != nil || mp.Source == "" || !slices.Contains(user(w, "bob").Managed, adminARN) {
				t.Fatalf("AdministratorAccess: %+v", mp)
			}
		}},
		{"detach a managed policy", func(t *testing.T) []Edit {
			return []Edit{{Op: Delete, Kind: Attachment, Owner: &Owner{Kind: Role, Name: "app"}, PolicyARN: readOnly, At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if len(role(w, "app").Managed) != 0 {
				t.Fatal("app keeps ReadOnlyAccess")
			}
		}},
		{"add and remove group members", func(t *testing.T) []Edit {
			return []Edit{
				{Op: Put, Kind: Membership, Owner: &Owner{Kind: User, Name: "bob"}, Group: "DEVS", At: at(3)},
				{Op: Delete, Kind: Membership, Owner: &Owner{Kind: User, Name: "alice"}, Group: "devs", At: at(4)},
			}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if !slices.Equal(user(w, "bob").Groups, []string{"devs"}) || len(user(w, "alice").Groups) != 0 {
				t.Fatalf("bob %v alice %v", user(w, "bob").Groups, user(w, "alice").Groups)
			}
		}},
		{"replace a trust policy", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: TrustPolicy, Name: "app", Trust: doc(t, policy.KindTrust, trustEC2), At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			r := role(w, "app")
			if r.Trust.Statements[0].Principal.Service[0] != "ec2.amazonaws.com" || len(r.Inline) != 1 {
				t.Fatalf("app trust %+v", r.Trust.Statements[0].Principal)
			}
		}},
	}
}
