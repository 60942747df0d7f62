package change

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

func resourceCases() []applyCase {
	queue := "arn:aws:sqs:us-east-1:210987654321:jobs"
	return []applyCase{
		{"replace a bucket's policy", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: ResourcePolicy, Resource: bucketARN, Policy: doc(t, policy.KindResource, publicGet), At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if r := resource(w, bucketARN); !slices.Equal(sids(r.Policy), []string{"Public"}) || r.Policy.Name != bucketARN+"#policy" {
				t.Fatalf("bucket policy %v", sids(r.Policy))
			}
		}},
		{"a policy on a bucket the world lacks creates it in the target account", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: ResourcePolicy, Resource: "arn:aws:s3:::new-bucket", Policy: doc(t, policy.KindResource, publicGet), At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if r := resource(w, "arn:aws:s3:::new-bucket"); r == nil || r.Account != acct || r.Type != world.TypeS3Bucket {
				t.Fatalf("new-bucket: %+v", r)
			}
		}},
		{"a policy on a queue of an account the world lacks creates both", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: ResourcePolicy, Resource: queue, Policy: doc(t, policy.KindResource, publicGet), At: at(3)}}
		}, func(t *testing.T, w *world.World, ap *Applied) {
			if r := resource(w, queue); r == nil || r.Account != "210987654321" || r.Type != world.TypeSQSQueue || len(ap.Warnings) != 1 {
				t.Fatalf("queue: %+v, warnings %+v", r, ap.Warnings)
			}
		}},
		{"delete a resource policy", func(t *testing.T) []Edit {
			return []Edit{{Op: Delete, Kind: ResourcePolicy, Resource: bucketARN, At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if r := resource(w, bucketARN); r == nil || r.Policy != nil {
				t.Fatalf("bucket: %+v", r)
			}
		}},
		{"add a statement, then replace it by Sid", func(t *testing.T) []Edit {
			return []Edit{
				{Op: Put, Kind: ResourceStatement, Resource: fnARN, Policy: doc(t, policy.KindResource, fmt.Sprintf(snsInvoke, "FromS3", "s3.amazonaws.com")), At: at(3)},
				{Op: Put, Kind: ResourceStatement, Resource: fnARN, Policy: doc(t, policy.KindResource, fmt.Sprintf(snsInvoke, "FromS3", "events.amazonaws.com")), At: at(7)},
			}
		}, func(t *testing.T, w *world.World, ap *Applied) {
			p := resource(w, fnARN).Policy
			if !slices.Equal(sids(p), []string{"FromSNS", "FromS3"}) || p.Statements[1].Index != 1 || p.Statements[1].Principal.Service[0] != "events.amazonaws.com" {
				t.Fatalf("function policy %v", sids(p))
			}
			src := ap.Statements[p.Name]
			if len(src) != 2 || src[0].File != "testdata/world.yaml" || src[1].File != "change.json" || src[1].Address != "Res" {
				t.Fatalf("statement sources %+v", src)
			}
		}},
		{"remove a statement by Sid", func(t *testing.T) []Edit {
			return []Edit{{Op: Delete, Kind: ResourceStatement, Resource: fnARN, Policy: doc(t, policy.KindResource, fmt.Sprintf(snsInvoke, "FromSNS", "sns.amazonaws.com")), At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if p := resource(w, fnARN).Policy; p != nil {
				t.Fatalf("function policy %v", sids(p))
			}
		}},
	}
}

func orgCases() []applyCase {
	scp := func(t *testing.T) *policy.Policy { return doc(t, policy.KindSCP, denyAll) }
	return []applyCase{
		{"put an SCP and attach it to the root and an account", func(t *testing.T) []Edit {
			return []Edit{
				{Op: Put, Kind: OrgPolicy, Name: "DenyAll", PolicyKind: policy.KindSCP, Policy: scp(t), At: at(3)},
				{Op: Put, Kind: OrgAttachment, Name: "DenyAll", Target: "root", At: at(5)},
				{Op: Put, Kind: OrgAttachment, Name: "DenyAll", PolicyKind: policy.KindSCP, Target: acct, At: at(6)},
			}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if got := w.Organization.Root.SCPs; !slices.Equal(got, []string{"FullAWSAccess", "DenyAll"}) {
				t.Fatalf("root SCPs %v: FullAWSAccess, attached by default, must stay", got)
			}
			if got := account(w, acct).SCPs; !slices.Equal(got, []string{"FullAWSAccess", "DenyAll"}) {
				t.Fatalf("account SCPs %v", got)
			}
		}},
		{"replace an SCP's document", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: OrgPolicy, Name: "DenyLeave", PolicyKind: policy.KindSCP, Policy: scp(t), At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if p := orgPolicy(w, policy.KindSCP, "DenyLeave"); !slices.Equal(actionsOf(p.Policy), []string{"*"}) || p.Policy.Name != "scp/DenyLeave" {
				t.Fatalf("DenyLeave: %+v", p.Policy)
			}
		}},
		{"delete an SCP detaches it", func(t *testing.T) []Edit {
			return []Edit{{Op: Delete, Kind: OrgPolicy, Name: "DenyLeave", PolicyKind: policy.KindSCP, At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if orgPolicy(w, policy.KindSCP, "DenyLeave") != nil || !slices.Equal(w.Organization.Root.Children[0].SCPs, []string{"FullAWSAccess"}) {
				t.Fatalf("Prod SCPs %v", w.Organization.Root.Children[0].SCPs)
			}
		}},
		{"detach an SCP from an OU named by name", func(t *testing.T) []Edit {
			return []Edit{{Op: Delete, Kind: OrgAttachment, Name: "DenyLeave", Target: "Prod", At: at(3)}}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if got := w.Organization.Root.Children[0].SCPs; !slices.Equal(got, []string{"FullAWSAccess"}) {
				t.Fatalf("Prod SCPs %v", got)
			}
		}},
		{"put an RCP and attach it to an OU by id", func(t *testing.T) []Edit {
			rcp := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`
			return []Edit{
				{Op: Put, Kind: OrgPolicy, Name: "NoS3", PolicyKind: policy.KindRCP, Policy: doc(t, policy.KindRCP, rcp), At: at(3)},
				{Op: Put, Kind: OrgAttachment, Name: "NoS3", Target: "ou-apl1-prod0001", At: at(5)},
			}
		}, func(t *testing.T, w *world.World, _ *Applied) {
			if got := w.Organization.Root.Children[0].RCPs; !slices.Equal(got, []string{"NoS3"}) {
				t.Fatalf("Prod RCPs %v", got)
			}
		}},
	}
}

// TestApplyCreatesOrganization: an SCP change to a world without an
// organization (the default world of a review) gets a minimal one.
func TestApplyCreatesOrganization(t *testing.T) {
	w := &world.World{}
	s := &Set{Account: "111111111111", Edits: []Edit{
		{Op: Put, Kind: OrgPolicy, Name: "DenyAll", PolicyKind: policy.KindSCP, Policy: doc(t, policy.KindSCP, denyAll), At: at(3)},
		{Op: Put, Kind: OrgAttachment, Name: "DenyAll", Target: "111111111111", At: at(4)},
	}}
	after, err := Apply(w, s)
	if err != nil {
		t.Fatal(err)
	}
	if w.Organization != nil || len(w.Accounts) != 0 {
		t.Fatal("Apply changed the world it was given")
	}
	if after.Organization == nil || after.Organization.Root.ID != "r-root" || len(after.Accounts) != 1 ||
		!slices.Equal(after.Accounts[0].SCPs, []string{"FullAWSAccess", "DenyAll"}) {
		t.Fatalf("organization %+v accounts %+v", after.Organization, after.Accounts)
	}
	loads(t, after)
}

func TestApplyErrors(t *testing.T) {
	trust := func(t *testing.T) *policy.Policy { return doc(t, policy.KindTrust, trustEC2) }
	cases := []struct {
		name  string
		edits func(t *testing.T) []Edit
		code  string
	}{
		{"inline policy of an unknown role", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: InlinePolicy, Name: "p", Owner: &Owner{Kind: Role, Name: "ghost"}, Policy: doc(t, policy.KindIdentity, allowGet), At: at(7)}}
		}, tree.CodeUnknownReference},
		{"membership in an unknown group", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: Membership, Owner: &Owner{Kind: User, Name: "bob"}, Group: "ghosts", At: at(7)}}
		}, tree.CodeUnknownReference},
		{"membership of an unknown user", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: Membership, Owner: &Owner{Kind: User, Name: "ghost"}, Group: "devs", At: at(7)}}
		}, tree.CodeUnknownReference},
		{"attachment of an undefined customer policy", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: Attachment, Owner: &Owner{Kind: User, Name: "bob"}, PolicyARN: "arn:aws:iam::123456789012:policy/Ghost", At: at(7)}}
		}, tree.CodeUnknownReference},
		{"attachment of another account's policy", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: Attachment, Owner: &Owner{Kind: User, Name: "bob"}, PolicyARN: "arn:aws:iam::210987654321:policy/X", At: at(7)}}
		}, tree.CodeInvalidARN},
		{"boundary that is not a policy ARN", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: User, Name: "bob", Boundary: "arn:aws:s3:::x", At: at(7)}}
		}, tree.CodeInvalidARN},
		{"new role without a trust policy", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: Role, Name: "ci", At: at(7)}}
		}, tree.CodeMissingElement},
		{"role session over 12 hours", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: Role, Name: "ci", Trust: trust(t), MaxSessionDuration: 50000, At: at(7)}}
		}, tree.CodeInvalidValue},
		{"user name IAM refuses", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: User, Name: "a b", At: at(7)}}
		}, tree.CodeInvalidName},
		{"trust policy of an unknown role", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: TrustPolicy, Name: "ghost", Trust: trust(t), At: at(7)}}
		}, tree.CodeUnknownReference},
		{"trust document given as an identity policy", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: Role, Name: "ci", Trust: doc(t, policy.KindIdentity, allowGet), At: at(7)}}
		}, tree.CodeInvalidKind},
		{"resource policy on a role", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: ResourcePolicy, Resource: "arn:aws:iam::123456789012:role/app", Policy: doc(t, policy.KindResource, publicGet), At: at(7)}}
		}, tree.CodeInvalidValue},
		{"resource policy on a wildcard ARN", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: ResourcePolicy, Resource: "arn:aws:s3:::data-*", Policy: doc(t, policy.KindResource, publicGet), At: at(7)}}
		}, tree.CodeInvalidARN},
		{"detach the last SCP", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: OrgAttachment, Name: "DenyLeave", Target: "r-apl1", At: at(3)},
				{Op: Delete, Kind: OrgAttachment, Name: "FullAWSAccess", Target: "r-apl1", At: at(4)},
				{Op: Delete, Kind: OrgAttachment, Name: "DenyLeave", Target: "r-apl1", At: at(7)}}
		}, tree.CodeInvalidValue},
		{"attach to an unknown OU", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: OrgAttachment, Name: "DenyLeave", Target: "Dev", At: at(7)}}
		}, tree.CodeUnknownReference},
		{"attach an undefined SCP", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: OrgAttachment, Name: "Ghost", Target: "root", At: at(7)}}
		}, tree.CodeUnknownReference},
		{"org policy of no type", func(t *testing.T) []Edit {
			return []Edit{{Op: Put, Kind: OrgPolicy, Name: "X", Policy: doc(t, policy.KindSCP, denyAll), At: at(7)}}
		}, tree.CodeInvalidValue},
		{"unknown operation", func(t *testing.T) []Edit { return []Edit{{Op: "upsert", Kind: User, Name: "x", At: at(7)}} }, tree.CodeInvalidValue},
		{"unknown kind", func(t *testing.T) []Edit { return []Edit{{Op: Put, Kind: "bucket", Name: "x", At: at(7)}} }, tree.CodeInvalidValue},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Apply(base(t), &Set{Account: acct, Edits: c.edits(t)})
			var te *tree.Error
			if !errors.As(err, &te) || te.Code != c.code || te.File != "change.yaml" || te.Line != 7 || te.Path != "Res" {
				t.Fatalf("got %v (%#v), want a %s error at change.yaml:7 Res", err, te, c.code)
			}
		})
	}
}

func TestApplyTargetAccount(t *testing.T) {
	if _, err := Apply(base(t), &Set{Account: "12"}); !errors.Is(err, &tree.Error{Code: tree.CodeInvalidValue}) {
		t.Fatalf("a 2-digit account: %v", err)
	}
	if _, err := Apply(base(t), &Set{}); err == nil {
		t.Fatal("no account with a two-account world: want an error")
	}
	w, err := Apply(&world.World{}, &Set{Account: "111111111111", Edits: []Edit{{Op: Put, Kind: User, Name: "u", At: at(1)}}})
	if err != nil || len(w.Accounts) != 1 || w.Accounts[0].ID != "111111111111" || w.Organization != nil {
		t.Fatalf("empty world: %v %+v", err, w)
	}
}

// TestApplyWorldsLoadConcurrently: the review loads the world before and
// the world after into two stores at once; loading writes into policies'
// statements, so the two must share none (go test -race).
func TestApplyWorldsLoadConcurrently(t *testing.T) {
	w := base(t)
	after, err := Apply(w, &Set{Account: acct, Edits: []Edit{{Op: Put, Kind: User, Name: "carol", At: at(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for _, x := range []*world.World{w, after} {
		go func() {
			s, err := store.NewStore()
			if err == nil {
				err = s.Load(x)
			}
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestApplyAWSManagedOption: an AWS managed policy the world lacks is
// taken from Options.AWSManaged (the world's aws_managed source).
func TestApplyAWSManagedOption(t *testing.T) {
	lookup := func(arn string) (*world.ManagedPolicy, error) {
		if arn != adminARN {
			return nil, nil
		}
		p, err := policy.ParsePolicyBytes("aws-managed.json", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`), policy.KindIdentity, adminARN)
		return &world.ManagedPolicy{ARN: adminARN, Account: world.AWSAccount, Name: "AdministratorAccess", Path: "/", Policy: p, Source: "catalog"}, err
	}
	s := &Set{Account: acct, Edits: []Edit{
		{Op: Put, Kind: Attachment, Owner: &Owner{Kind: User, Name: "bob"}, PolicyARN: adminARN, At: at(3)},
		{Op: Put, Kind: Attachment, Owner: &Owner{Kind: User, Name: "bob"}, PolicyARN: "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", At: at(4)},
	}}
	after, ap, err := ApplyReport(base(t), s, Options{AWSManaged: lookup})
	if err != nil {
		t.Fatal(err)
	}
	if mp := managedPolicy(after, adminARN); mp == nil || mp.Policy == nil || mp.Source != "catalog" {
		t.Fatalf("AdministratorAccess: %+v", mp)
	}
	if len(ap.UnknownManaged) != 1 || ap.UnknownManaged[0].At.Line != 4 {
		t.Fatalf("unknown %+v: want ViewOnlyAccess only", ap.UnknownManaged)
	}
	if mp := managedPolicy(after, "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"); mp == nil || mp.Path != "/job-function/" || mp.Name != "ViewOnlyAccess" {
		t.Fatalf("ViewOnlyAccess: %+v", mp)
	}
	loads(t, after)
}

func TestMerge(t *testing.T) {
	a := &Set{Account: acct, Edits: []Edit{{Name: "a"}}, Files: []string{"a.yaml"}, Symbols: []Symbol{{Text: "UNKNOWN-x"}}}
	b := &Set{Account: acct, Region: "eu-west-1", Edits: []Edit{{Name: "b"}}, Files: []string{"b.json"}}
	m, err := Merge(a, nil, b, &Set{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Account != acct || m.Region != "eu-west-1" || len(m.Edits) != 2 || m.Edits[1].Name != "b" || len(m.Files) != 2 || len(m.Symbols) != 1 {
		t.Fatalf("merged %+v", m)
	}
	for _, other := range []*Set{{Account: "210987654321", Files: []string{"c.json"}}, {Region: "us-east-1"}, {Partition: "aws-cn"}} {
		if _, err := Merge(m, &Set{Partition: "aws"}, other); !errors.Is(err, &tree.Error{Code: tree.CodeConflict}) {
			t.Fatalf("merging %+v: %v, want a conflict", other, err)
		}
	}
}
