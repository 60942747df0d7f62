package review

import (
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// The change gives role app s3:GetObject on data/*: an identity-based
// Allow with no guardrail allows (reference_policies_evaluation-logic.html).
func grantFixture(t *testing.T) (*Report, func(Options) *Report) {
	before := load(t, "before.yaml", worldYAML("roles:"+appTrust))
	afterYAML := worldYAML(roleWith(`- {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::data/*"}`))
	after := load(t, "after.yaml", afterYAML)
	set := setOf(putInline(t, after, change.Role, "app", "p"))
	run := func(o Options) *Report { return runReview(t, before, after, set, o, false) }
	return run(Options{}), run
}

func TestAssertions(t *testing.T) {
	_, run := grantFixture(t)
	cases := []struct {
		name   string
		opts   Options
		passed []bool
		failed int // assertion-failed findings
	}{
		{"check expecting implicit-deny fails", Options{Checks: []*scenario.Check{{Name: "app cannot read data", File: "assert.yaml", Line: 3, Col: 5,
			Principal: "arn:aws:sts::111122223333:assumed-role/app/s", Action: "s3:GetObject", Resource: "arn:aws:s3:::data/x", ResourceAccount: acct, Expect: "implicit-deny"}}},
			[]bool{false}, 1},
		{"check expecting allow passes", Options{Checks: []*scenario.Check{{Name: "app reads data", File: "assert.yaml", Line: 7, Col: 5, ResourceAccount: acct,
			Principal: "arn:aws:sts::111122223333:assumed-role/app/s", Action: "s3:GetObject", Resource: "arn:aws:s3:::data/x", Expect: "allow"}}},
			[]bool{true}, 0},
		{"must_not_gain matches the role and its sessions", Options{MustNotGain: []Gain{{Principal: "arn:aws:iam::111122223333:role/app", Action: "s3:Get*", Resource: "arn:aws:s3:::data/*", At: src("gain")}}},
			[]bool{false}, 1},
		{"must_not_gain on another action holds", Options{MustNotGain: []Gain{{Principal: "*", Action: "s3:PutObject", Resource: "*", At: src("gain")}}},
			[]bool{true}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := run(tc.opts)
			if len(rep.Checks) != len(tc.passed) {
				t.Fatalf("%d check results, want %d", len(rep.Checks), len(tc.passed))
			}
			for i, c := range rep.Checks {
				if strings.HasPrefix(c.Name, "app ") && c.Got != "allow" {
					t.Errorf("%s: got %q, want allow (%s)", c.Name, c.Got, c.Message)
				}
				if c.Passed != tc.passed[i] {
					t.Errorf("%s: passed %v, want %v (%s)", c.Name, c.Passed, tc.passed[i], c.Message)
				}
			}
			n := 0
			for _, f := range rep.Findings {
				if f.Rule == RuleAssertionFailed {
					n++
					if f.Severity != High || f.Change != Assertion || f.Location.File == "" {
						t.Errorf("assertion finding %+v", f)
					}
				}
			}
			if n != tc.failed || rep.Summary.Assertions.Failed != tc.failed {
				t.Errorf("%d assertion findings (summary %d), want %d", n, rep.Summary.Assertions.Failed, tc.failed)
			}
		})
	}
}

// Findings point at the statement that grants, in the change's file, and
// their fingerprints do not depend on the line.
func TestLocationAndFingerprint(t *testing.T) {
	rep, _ := grantFixture(t)
	f := findingOf(rep, want{RuleAccessAdded, appSession, "s3:GetObject", "arn:aws:s3:::data/clearance-probe"})
	if f == nil {
		t.Fatalf("no access-added finding:\n%s", listFindings(rep))
	}
	text := worldYAML(roleWith(`- {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::data/*"}`))
	line, col := 0, 0
	for i, l := range strings.Split(text, "\n") {
		if k := strings.Index(l, "{Effect: Allow, Action: s3:GetObject"); k >= 0 {
			line, col = i+1, k+1
		}
	}
	if f.Location.File != "after.yaml" || f.Location.Line != line || f.Location.Column != col || f.Location.Address != "app.p" {
		t.Errorf("location %+v, want after.yaml:%d:%d app.p", f.Location, line, col)
	}
	// Without flags that name the world after the change, no replay: a why
	// on the world before it would answer another question.
	if f.Replay != "" {
		t.Errorf("replay %q, want none", f.Replay)
	}
	moved := *f
	moved.Location.Line += 10
	if Fingerprint(&moved) != f.Fingerprint || len(f.Fingerprint) != 32 {
		t.Errorf("fingerprint depends on the line or is not 32 characters: %s", f.Fingerprint)
	}
	other := *f
	other.Rule = RuleCrossAccount
	if Fingerprint(&other) == f.Fingerprint {
		t.Error("fingerprint does not depend on the rule")
	}
}

// A value unknown until deployment is shown in the finding.
func TestSymbols(t *testing.T) {
	bucket := "arn:aws:s3:::" + change.SymbolText("!Ref Bucket")
	before := load(t, "before.yaml", worldYAML("resources:\n  - arn: "+bucket+"\n"))
	after := load(t, "after.yaml", worldYAML("resources:\n  - arn: "+bucket+`
    policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "`+bucket+`/*"}]}
`))
	set := setOf(putResource(t, after, bucket))
	set.Symbols = []change.Symbol{{Text: change.SymbolText("!Ref Bucket"), Expr: "!Ref Bucket", At: src("Bucket")}}
	rep := runReview(t, before, after, set, Options{}, false)
	f := findingOf(rep, want{rule: RuleNewPublicAccess})
	if f == nil {
		t.Fatalf("no public-access finding:\n%s", listFindings(rep))
	}
	if len(f.Symbols) != 1 || f.Symbols[0] != "!Ref Bucket" || !strings.Contains(f.Message, "unknown until deployment") {
		t.Errorf("symbols %v, message %q", f.Symbols, f.Message)
	}
}

// Every rule a review reports is in the table, documented.
func TestRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		if seen[r.ID] || Rank(r.Severity) == 0 || r.Short == "" || r.Full == "" || r.Help == "" || strings.ToLower(r.ID) != r.ID || strings.Contains(r.ID, " ") {
			t.Errorf("rule %+v: duplicate, bad severity or id, or undocumented", r)
		}
		seen[r.ID] = true
	}
	for _, tc := range knownCases {
		for _, w := range tc.want {
			if !seen[w.rule] {
				t.Errorf("%s: rule %s not in Rules", tc.name, w.rule)
			}
		}
	}
}
