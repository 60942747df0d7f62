package review

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/fault"
)

func finding(rule, sev, change, principal string, file string, line int) Finding {
	return Finding{Rule: rule, Severity: sev, Change: change, Principal: principal, Action: "iam:PassRole",
		Resource: "*", Message: rule, Location: Location{File: file, Line: line, Column: 3}}
}

// The fingerprint depends on rule, principal, action, resource, file and
// address (report.go's contract), and not on lines, messages or the why.
func TestFingerprint(t *testing.T) {
	base := finding(RuleNewEscalation, High, Added, "arn:aws:iam::111111111111:user/a", "stack.yaml", 10)
	fp := Fingerprint(&base)
	if len(fp) != 32 {
		t.Fatalf("fingerprint %q: want 32 hex digits", fp)
	}
	same := []func(f *Finding){
		func(f *Finding) { f.Location.Line, f.Location.Column = 99, 1 },
		func(f *Finding) { f.Message, f.Why, f.Replay = "other wording", "why", "replay" },
		func(f *Finding) { f.Location.File = "./stack.yaml" },
		func(f *Finding) { f.Severity, f.Accepted = Low, "baseline" },
	}
	for i, edit := range same {
		f := base
		edit(&f)
		if got := Fingerprint(&f); got != fp {
			t.Errorf("same[%d]: fingerprint changed: %s != %s", i, got, fp)
		}
	}
	differ := []func(f *Finding){
		func(f *Finding) { f.Rule = RuleNewAdministrator },
		func(f *Finding) { f.Principal = "arn:aws:iam::111111111111:user/b" },
		func(f *Finding) { f.Action = "iam:CreateUser" },
		func(f *Finding) { f.Resource = "arn:aws:s3:::b" },
		func(f *Finding) { f.Location.File = "other.yaml" },
		func(f *Finding) { f.Location.Address = "module.x.aws_iam_role.y" },
	}
	for i, edit := range differ {
		f := base
		edit(&f)
		if got := Fingerprint(&f); got == fp {
			t.Errorf("differ[%d]: fingerprint unchanged", i)
		}
	}
}

func TestFinalizeSortsAndCounts(t *testing.T) {
	rep := &Report{
		Findings: []Finding{
			finding(RuleAccessRemoved, Low, Removed, "p1", "b.yaml", 1),
			finding(RuleCrossAccount, Medium, Added, "p2", "a.yaml", 5),
			finding(RuleNewPublicAccess, Critical, Added, "*", "b.yaml", 7),
			finding(RuleNewEscalation, High, Added, "p3", "a.yaml", 9),
			finding(RuleNewEscalation, High, Added, "p4", "a.yaml", 2),
		},
		Checks:  []CheckResult{{Name: "ok", Passed: true}, {Name: "bad"}},
		Summary: Summary{Principals: 7, Decisions: 40},
	}
	rep.Findings[2].Accepted = "baseline"
	Finalize(rep, High)
	var order []string
	for _, f := range rep.Findings {
		order = append(order, f.Principal)
		if f.Fingerprint != Fingerprint(&f) {
			t.Errorf("%s: fingerprint %q not filled", f.Principal, f.Fingerprint)
		}
	}
	if want := []string{"*", "p4", "p3", "p2", "p1"}; !reflect.DeepEqual(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	s := rep.Summary
	if s.Findings != 5 || s.Added != 4 || s.Removed != 1 || s.Accepted != 1 ||
		s.Assertions.Passed != 1 || s.Assertions.Failed != 1 || s.Principals != 7 || s.Decisions != 40 {
		t.Errorf("summary %+v", s)
	}
	if want := map[string]int{Critical: 1, High: 2, Medium: 1, Low: 1}; !reflect.DeepEqual(s.BySeverity, want) {
		t.Errorf("by severity %v", s.BySeverity)
	}
	if !s.Failed || s.FailOn != High {
		t.Errorf("failed %v fail_on %q: two high findings not accepted", s.Failed, s.FailOn)
	}
}

// Failed: a finding not accepted at or above --fail-on fails; accepted
// findings and "none" never do.
func TestFailOn(t *testing.T) {
	cases := []struct {
		name     string
		sev      string
		accepted string
		failOn   string
		want     bool
	}{
		{"critical at high", Critical, "", High, true},
		{"high at high", High, "", High, true},
		{"medium at high", Medium, "", High, false},
		{"low at low", Low, "", Low, true},
		{"critical at none", Critical, "", None, false},
		{"accepted critical at low", Critical, "baseline", Low, false},
		{"medium at medium", Medium, "", Medium, true},
	}
	for _, c := range cases {
		rep := &Report{Findings: []Finding{{Rule: RuleAccessAdded, Severity: c.sev, Change: Added, Accepted: c.accepted}}}
		Finalize(rep, c.failOn)
		if rep.Summary.Failed != c.want {
			t.Errorf("%s: failed %v, want %v", c.name, rep.Summary.Failed, c.want)
		}
	}
	empty := &Report{}
	Finalize(empty, Low)
	if empty.Summary.Failed || len(empty.Summary.BySeverity) != 4 {
		t.Errorf("empty report: %+v", empty.Summary)
	}
}

func TestParseFailOn(t *testing.T) {
	for _, ok := range []string{"critical", "high", "medium", "low", "none"} {
		if got, err := ParseFailOn(ok); err != nil || got != ok {
			t.Errorf("%s: %q %v", ok, got, err)
		}
	}
	for _, bad := range []string{"", "HIGH", "info", "error"} {
		_, err := ParseFailOn(bad)
		if !errors.Is(err, &fault.Error{Code: fault.CodeBadRequest}) {
			t.Errorf("%q: %v, want a bad-request error", bad, err)
		}
	}
}

func TestAssertionFinding(t *testing.T) {
	c := CheckResult{Name: "no public bucket", Expected: "implicit-deny", Got: "allow", Message: "statement PublicRead allows",
		Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Location: Location{File: "assert.yaml", Line: 4, Column: 5}}
	f := AssertionFinding(c)
	if f.Rule != RuleAssertionFailed || f.Severity != High || f.Change != Assertion || f.Location != c.Location ||
		f.Principal != "*" || f.Action != "s3:GetObject" || f.Resource != c.Resource {
		t.Errorf("finding %+v", f)
	}
	if want := `assertion "no public bucket" failed: expected implicit-deny, got allow: statement PublicRead allows`; f.Message != want {
		t.Errorf("message %q", f.Message)
	}
}

// Every rule has an id, a known severity and real text, and the ids are
// unique; the severities are the "Decisions already made".
func TestRules(t *testing.T) {
	want := map[string]string{
		RuleNewAdministrator: Critical, RuleNewPublicAccess: Critical,
		RuleNewEscalation: High, RuleNewAdminReach: High, RuleOpenWebIdentity: High, RuleAssertionFailed: High,
		RuleCrossAccount: Medium, RulePolicyWarning: Medium, RuleUnknownManaged: Medium, RuleUnknownDocument: Medium, RuleNoExternalID: High,
		RuleAccessRemoved: Low, RuleFederationEntry: Low, RuleAccessAdded: Low,
	}
	seen := map[string]bool{}
	for i, r := range Rules {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
		if want[r.ID] != r.Severity {
			t.Errorf("%s: severity %q, want %q", r.ID, r.Severity, want[r.ID])
		}
		if len(r.Short) < 10 || len(r.Full) < 60 || len(r.Help) < 100 || !strings.Contains(r.Help, "https://docs.aws.amazon.com/") {
			t.Errorf("%s: short, full or help missing, or help cites no AWS page", r.ID)
		}
		if i > 0 && Rank(r.Severity) > Rank(Rules[i-1].Severity) {
			t.Errorf("%s: rules not most severe first", r.ID)
		}
		if got, ok := RuleByID(r.ID); !ok || got.ID != r.ID {
			t.Errorf("RuleByID(%s) = %v %v", r.ID, got, ok)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("%d rules, want %d", len(seen), len(want))
	}
}
