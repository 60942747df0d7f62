package audit

import (
	"context"
	"slices"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// The audit's backward search for administrator reach (reachAdmins) flags
// exactly the users and roles whose forward Reach finds an administrator
// role, on every example world.
func TestReachAdminsMatchesForwardReach(t *testing.T) {
	worlds := []string{"../../corpus/example/company.yaml", "../testdata/chain_world.yaml", "../testdata/index_world.yaml"}
	flagged := 0
	for _, f := range worlds {
		got, want := reachAdminsBoth(t, enginetest.OpenFile(t, f))
		if !slices.Equal(got, want) {
			t.Errorf("%s: the audit flags %q as reaching an administrator, forward reach finds %q", f, got, want)
		}
		flagged += len(got)
	}
	if flagged == 0 {
		t.Error("no world has a principal reaching an administrator role")
	}
}

func reachAdminsBoth(t *testing.T, e *engine.Engine) (got, want []string) {
	t.Helper()
	ctx := context.Background()
	rep, err := New(e).Audit(ctx, AuditOptions{Time: enginetest.T0,
		Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}})
	if err != nil {
		t.Fatal(err)
	}
	admins := map[string]bool{}
	for _, f := range rep.Findings {
		switch f.Rule {
		case "administrator":
			admins[f.Principal] = true
		case "reaches-administrator":
			got = append(got, f.Principal)
		}
	}
	a := &auditor{e: sts.New(e), snap: e.Store().Snapshot()}
	_, all := a.callers()
	for _, c := range all {
		if admins[c.arn] {
			continue
		}
		reached, err := sts.New(e).Reach(ctx, &scenario.Chain{As: c.start, Time: enginetest.T0}, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reached {
			if admins[r.Role] && r.Role != c.arn {
				want = append(want, c.arn)
				break
			}
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	return got, want
}

// The same on the cloudsplaining export (iam-vulnerable's AssumeRole
// scenario: a starting and an intermediate role that reach the ending
// administrator role).
func TestReachAdminsMatchesForwardReachExport(t *testing.T) {
	sharedtest.Path(t, "conformance/cloudsplaining/examples/files/example.json") // skips without shared/
	got, want := reachAdminsBoth(t, enginetest.OpenFileWith(t, "../testdata/cloudsplaining.yaml",
		scenario.Options{AllowPaths: []string{sharedtest.Root()}}))
	if !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("the audit flags %q as reaching an administrator, forward reach finds %q", got, want)
	}
}

// The audit tells its progress through every stage, each up to its total.
func TestAuditProgress(t *testing.T) {
	e := New(enginetest.OpenFile(t, "../testdata/index_world.yaml"))
	last := map[string][2]int{}
	_, err := e.Audit(context.Background(), AuditOptions{Time: enginetest.T0,
		Progress: func(stage string, done, total int) { last[stage] = [2]int{done, total} }})
	if err != nil {
		t.Fatal(err)
	}
	for _, stage := range []string{StagePrincipals, StageReach, StageChains} {
		p, ok := last[stage]
		if !ok || p[0] != p[1] || p[1] == 0 {
			t.Errorf("stage %s: last progress %v (told: %v)", stage, p, ok)
		}
	}
}

// Hop classes (audit_hopclass.go): roles alike but for their name or
// their tags are different classes, so the reverse search still finds
// the one a caller may assume after being refused by its twin; callers
// refused by every role are refused once per class. Expected from
// reference_policies_evaluation-logic (a Resource pattern or an
// aws:ResourceTag condition that does not match leaves an implicit deny;
// an explicit Deny wins) and from the forward Reach of each user.
func TestReachHopClasses(t *testing.T) {
	e := New(enginetest.OpenFile(t, "../testdata/hopclass_world.yaml"))
	got, want := reachAdminsBoth(t, e.Engine)
	wantFlagged := []string{"arn:aws:iam::111111111111:user/by-name", "arn:aws:iam::111111111111:user/by-tag"}
	if !slices.Equal(got, want) || !slices.Equal(got, wantFlagged) {
		t.Errorf("the audit flags %q, forward reach finds %q, want %q", got, want, wantFlagged)
	}
	a := &auditor{e: e.Walker, snap: e.Store().Snapshot(), opts: AuditOptions{Time: enginetest.T0}}
	s, err := engine.StartSession(a.snap, "arn:aws:iam::111111111111:user/needs-mfa")
	if err != nil {
		t.Fatal(err)
	}
	classes := map[string]bool{}
	for _, r := range []string{"admin-a", "admin-b", "admin-c", "admin-d"} {
		c, err := a.e.HopClass(a.snap, s, "arn:aws:iam::111111111111:role/"+r, a.opts.Time)
		if err != nil || c == "" {
			t.Fatalf("%s: class %q, %v", r, c, err)
		}
		classes[c] = true
	}
	if len(classes) != 2 { // team=red (a, b, c) and team=blue (d)
		t.Errorf("%d classes for needs-mfa's hops, want 2", len(classes))
	}
}
