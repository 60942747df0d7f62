package audit

import (
	"slices"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine/baseline"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/loader/exclusion"
)

func sampleFindings() []Finding {
	fs := []Finding{
		{Rule: "administrator", Severity: Critical, Principal: "arn:aws:iam::1:role/ops", Policy: "arn:aws:iam::aws:policy/AdministratorAccess",
			Grants: []Grant{{Policy: "arn:aws:iam::aws:policy/AdministratorAccess"}}},
		{Rule: RuleDataAccess, Severity: Medium, Principal: "arn:aws:iam::1:user/bob", Policy: "arn:aws:iam::1:user/bob#dev",
			Grants: []Grant{{Policy: "arn:aws:iam::1:user/bob#dev"}}},
		{Rule: RuleUnusedAccess, Severity: Low, Principal: "arn:aws:iam::1:role/old"},
	}
	for i := range fs {
		fs[i].Fingerprint = Fingerprint(&fs[i])
	}
	return fs
}

// The fingerprint is the rule, principal, subject and policy: the title,
// evidence and statement index do not change it.
func TestFingerprint(t *testing.T) {
	f := sampleFindings()[0]
	g := f
	g.Title, g.Statement, g.Evidence = "other words", 3, []Evidence{{Action: "x"}}
	if Fingerprint(&f) != Fingerprint(&g) || len(f.Fingerprint) != 32 {
		t.Errorf("fingerprint changed with the wording: %s %s", Fingerprint(&f), Fingerprint(&g))
	}
	for _, change := range []func(*Finding){
		func(f *Finding) { f.Rule = "x" }, func(f *Finding) { f.Principal = "x" },
		func(f *Finding) { f.Subject = "x" }, func(f *Finding) { f.Policy = "x" },
	} {
		h := f
		change(&h)
		if Fingerprint(&h) == Fingerprint(&f) {
			t.Errorf("fingerprint did not change: %+v", h)
		}
	}
}

func TestExclude(t *testing.T) {
	now := enginetest.T0
	for _, c := range []struct {
		name           string
		entries        []exclusion.Entry
		kept, excluded []string // rules
		expired        int
		failOn, fails  string
	}{
		{"none", nil, []string{"administrator", RuleDataAccess, RuleUnusedAccess}, nil, 0, "high", "1 findings at or above high"},
		{"by rule", []exclusion.Entry{{Rule: "administrator", Reason: "r"}}, []string{RuleDataAccess, RuleUnusedAccess}, []string{"administrator"}, 0, "high", ""},
		{"by policy name", []exclusion.Entry{{Policy: "AdministratorAccess", Reason: "r"}}, []string{RuleDataAccess, RuleUnusedAccess}, []string{"administrator"}, 0, "medium", "1 findings at or above medium"},
		{"by principal", []exclusion.Entry{{Principal: "arn:aws:iam::1:user/*", Reason: "r"}}, []string{"administrator", RuleUnusedAccess}, []string{RuleDataAccess}, 0, "critical", "1 findings at or above critical"},
		{"expired excludes nothing and fails", []exclusion.Entry{{Rule: "administrator", Reason: "r", Expires: now.Add(-time.Hour)}},
			[]string{"administrator", RuleDataAccess, RuleUnusedAccess}, nil, 1, "critical", "1 findings at or above critical, and 1 expired exclusions"},
		{"expired alone fails", []exclusion.Entry{{Rule: "administrator", Reason: "r"}, {Rule: RuleUnusedAccess, Reason: "r", Expires: now}},
			[]string{RuleDataAccess, RuleUnusedAccess}, []string{"administrator"}, 1, "critical", "1 expired exclusions (renew them, or fix what they excluded)"},
		{"none fails nothing", []exclusion.Entry{{Rule: RuleUnusedAccess, Reason: "r", Expires: now}}, []string{"administrator", RuleDataAccess, RuleUnusedAccess}, nil, 1, "none", ""},
		{"unexpired", []exclusion.Entry{{Rule: RuleUnusedAccess, Reason: "r", Expires: now.Add(time.Second)}}, []string{"administrator", RuleDataAccess}, []string{RuleUnusedAccess}, 0, "low", "2 findings at or above low"},
	} {
		rep := &Report{Findings: sampleFindings()}
		Exclude(rep, c.entries, now)
		if got := rules(rep.Findings); !slices.Equal(got, c.kept) {
			t.Errorf("%s: kept %q, want %q", c.name, got, c.kept)
		}
		if got := rules(rep.Excluded); !slices.Equal(got, c.excluded) {
			t.Errorf("%s: excluded %q, want %q", c.name, got, c.excluded)
		}
		for _, f := range rep.Excluded {
			if f.Excluded != "r" {
				t.Errorf("%s: excluded without its reason: %+v", c.name, f)
			}
		}
		if len(rep.ExpiredExclusions) != c.expired {
			t.Errorf("%s: %d expired", c.name, len(rep.ExpiredExclusions))
		}
		if got, err := FailsAt(rep, c.failOn); err != nil || got != c.fails {
			t.Errorf("%s: fails %q %v, want %q", c.name, got, err, c.fails)
		}
	}
	if _, err := FailsAt(&Report{}, "severe"); err == nil {
		t.Error("--fail-on severe accepted")
	}
}

// The baseline written from a report excludes every finding of the same
// report, and only those.
func TestAuditBaseline(t *testing.T) {
	rep := &Report{Findings: sampleFindings()[:2]}
	b := NewBaseline(rep)
	later := &Report{Findings: sampleFindings()}
	ApplyBaseline(later, b)
	if got := rules(later.Findings); !slices.Equal(got, []string{RuleUnusedAccess}) {
		t.Errorf("kept %q", got)
	}
	if len(later.Excluded) != 2 || later.Excluded[0].Excluded != BaselineReason {
		t.Errorf("excluded %+v", later.Excluded)
	}
	// A rewritten baseline keeps what the old one accepted.
	if again := NewBaseline(later); len(again.Fingerprints) != 3 {
		t.Errorf("rewritten: %d entries", len(again.Fingerprints))
	}
	ApplyBaseline(later, baseline.New(nil))
	if len(later.Findings) != 1 {
		t.Error("an empty baseline excluded something")
	}
}

func rules(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}
