package benchmarks

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine/review"
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/world"
)

// reviewInput parses the review benchmark's worlds and builds the change
// of 200 template resources that turns the one into the other: each
// Edit carries the after world's document, as change.Apply keeps it.
func reviewInput(tb testing.TB, roles int) (before, after *world.World, set *change.Set) {
	tb.Helper()
	b, a := ReviewWorlds(roles)
	sb, err := scenario.ParseScenario("before.yaml", []byte(b))
	if err != nil {
		tb.Fatal(err)
	}
	sa, err := scenario.ParseScenario("template.yaml", []byte(a))
	if err != nil {
		tb.Fatal(err)
	}
	return sb.World, sa.World, reviewChange(sa.World)
}

// reviewChange lists the Edits of the template: per new role its role
// and inline policy (one AWS::IAM::Role), per managed policy the policy
// and its attachment (one AWS::IAM::ManagedPolicy with Roles), per bucket
// its policy, per changed existing role its new inline policy
// (AWS::IAM::RolePolicy): 200 resources.
func reviewChange(after *world.World) *change.Set {
	set := &change.Set{Account: Account, Region: "us-east-1", Partition: "aws", Files: []string{"template.yaml"}}
	at := func(addr string) change.Source {
		return change.Source{File: "template.yaml", Line: 1, Col: 1, Address: addr}
	}
	acct := after.Accounts[0]
	for _, r := range acct.Roles {
		for _, p := range r.Inline {
			if strings.HasPrefix(r.Name, "svc-") && strings.HasSuffix(p.Name, "#svc") {
				set.Edits = append(set.Edits, change.Edit{Op: change.Put, Kind: change.Role, Name: r.Name, Path: "/", Trust: r.Trust, At: at(r.Name)})
			}
			if strings.HasSuffix(p.Name, "#svc") || strings.HasSuffix(p.Name, "#added") {
				name := p.Name[strings.LastIndex(p.Name, "#")+1:]
				set.Edits = append(set.Edits, change.Edit{Op: change.Put, Kind: change.InlinePolicy, Name: name,
					Owner: &change.Owner{Kind: change.Role, Name: r.Name}, Policy: p, At: at(r.Name + name)})
			}
		}
		for _, m := range r.Managed {
			set.Edits = append(set.Edits, change.Edit{Op: change.Put, Kind: change.Attachment, PolicyARN: m,
				Owner: &change.Owner{Kind: change.Role, Name: r.Name}, At: at(m)})
		}
	}
	for _, m := range acct.ManagedPolicies {
		set.Edits = append(set.Edits, change.Edit{Op: change.Put, Kind: change.ManagedPolicy, Name: m.Name, Path: "/", Policy: m.Policy, At: at(m.Name)})
	}
	for _, res := range acct.Resources {
		set.Edits = append(set.Edits, change.Edit{Op: change.Put, Kind: change.ResourcePolicy, Resource: res.ARN, Policy: res.Policy, At: at(res.ARN)})
	}
	return set
}

var reviewContext = map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}

// TestReviewWorlds checks the benchmark reviews what it should: the
// change's size, and access added for the new roles.
func TestReviewWorlds(t *testing.T) {
	before, after, set := reviewInput(t, 100)
	if got := len(set.Edits); got != 2*ReviewNewRoles+2*ReviewManaged+ReviewBuckets+100/(100/ReviewExistingInline) {
		t.Errorf("%d edits", got)
	}
	rep, err := review.Run(context.Background(), before, after, set, review.Options{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Context: reviewContext})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Added == 0 {
		t.Errorf("no access added: %+v", rep.Summary)
	}
}

// BenchmarkReview200x1000 reviews a 200-resource change against a world of
// 1,000 roles (issue 14's target: 5 s or less on the 2-core machine).
func BenchmarkReview200x1000(b *testing.B) {
	before, after, set := reviewInput(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	var rep *review.Report
	for i := 0; i < b.N; i++ {
		var err error
		rep, err = review.Run(context.Background(), before, after, set, review.Options{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Context: reviewContext})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(rep.Summary.Findings), "findings")
	b.ReportMetric(float64(rep.Summary.Decisions), "decisions")
}
