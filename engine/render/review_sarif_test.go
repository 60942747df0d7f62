package render

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/clearance-dev/clearance/engine/review"
)

func reviewLog(t *testing.T, rep *review.Report, opts SARIFOptions) SARIFLog {
	t.Helper()
	var buf bytes.Buffer
	if err := ReviewSARIF(&buf, rep, opts); err != nil {
		t.Fatal(err)
	}
	var log SARIFLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	return log
}

// Levels and security-severity follow the severity (GitHub: over 9.0
// critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low); every rule of
// review.Rules is listed, in order.
func TestReviewSARIFRules(t *testing.T) {
	log := reviewLog(t, sampleReview(), SARIFOptions{})
	rules := log.Runs[0].Tool.Driver.Rules
	if len(rules) != len(review.Rules) {
		t.Fatalf("%d rules, want %d", len(rules), len(review.Rules))
	}
	want := map[string][2]string{review.Critical: {"error", "9.5"}, review.High: {"error", "8.0"},
		review.Medium: {"warning", "5.5"}, review.Low: {"note", "3.0"}}
	for i, r := range review.Rules {
		got := rules[i]
		if got.ID != r.ID || got.DefaultConfiguration.Level != want[r.Severity][0] || got.Properties["security-severity"] != want[r.Severity][1] {
			t.Errorf("rule %d: %s level %s severity %v; want %s %v", i, got.ID, got.DefaultConfiguration.Level, got.Properties["security-severity"], r.ID, want[r.Severity])
		}
		if got.Help.Markdown == "" || got.HelpURI == "" || got.Name == "" {
			t.Errorf("rule %s: markdown help, helpUri or name missing", r.ID)
		}
	}
	if rules[0].Name != "NewAdministrator" {
		t.Errorf("name %q", rules[0].Name)
	}
}

// Accepted findings are left out unless asked for, then suppressed.
func TestReviewSARIFAccepted(t *testing.T) {
	rep := sampleReview()
	if n := len(reviewLog(t, rep, SARIFOptions{}).Runs[0].Results); n != 4 {
		t.Errorf("%d results, want the 4 findings not accepted", n)
	}
	res := reviewLog(t, rep, SARIFOptions{IncludeAccepted: true}).Runs[0].Results
	if len(res) != 5 {
		t.Fatalf("%d results with accepted, want 5", len(res))
	}
	suppressed := 0
	for _, r := range res {
		if len(r.Suppressions) > 0 {
			suppressed++
			if r.RuleID != review.RuleCrossAccount || r.Suppressions[0].Kind != "external" || r.Suppressions[0].Justification != "baseline" {
				t.Errorf("suppression %+v on %s", r.Suppressions, r.RuleID)
			}
		}
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed results, want 1", suppressed)
	}
}

// A finding that moves keeps its partial fingerprints; the Terraform
// address is the logical location; the location is the finding's.
func TestReviewSARIFLocations(t *testing.T) {
	a := reviewLog(t, sampleReview(), SARIFOptions{}).Runs[0].Results
	moved := sampleReview()
	for i := range moved.Findings {
		moved.Findings[i].Location.Line += 7
		moved.Findings[i].Fingerprint = ""
		moved.Findings[i].Message += " (reworded)"
	}
	review.Finalize(moved, review.High)
	b := reviewLog(t, moved, SARIFOptions{}).Runs[0].Results
	for i := range a {
		if a[i].PartialFingerprints[fingerprintKey] != b[i].PartialFingerprints[fingerprintKey] ||
			a[i].PartialFingerprints["primaryLocationLineHash"] != a[i].PartialFingerprints[fingerprintKey] {
			t.Errorf("result %d: fingerprints %v then %v", i, a[i].PartialFingerprints, b[i].PartialFingerprints)
		}
		if b[i].Locations[0].PhysicalLocation.Region.StartLine != a[i].Locations[0].PhysicalLocation.Region.StartLine+7 {
			t.Errorf("result %d: line not the finding's", i)
		}
	}
	var withAddress int
	for _, r := range a {
		if ll := r.Locations[0].LogicalLocations; len(ll) > 0 {
			withAddress++
			if ll[0].FullyQualifiedName != "module.app.aws_iam_role_policy.app" || ll[0].Kind != "resource" {
				t.Errorf("logical location %+v", ll[0])
			}
			if r.Properties["address"] != "module.app.aws_iam_role_policy.app" {
				t.Errorf("address property %v", r.Properties["address"])
			}
		}
	}
	if withAddress != 1 {
		t.Errorf("%d results with a logical location, want 1", withAddress)
	}
	unknown := &review.Report{Findings: []review.Finding{{Rule: review.RulePolicyWarning, Severity: review.Medium, Change: review.Error,
		Message: "s3:GetObjcet is not an action of Amazon S3", Location: review.Location{File: "p.json"}}}}
	r := reviewLog(t, unknown, SARIFOptions{}).Runs[0].Results[0]
	if reg := r.Locations[0].PhysicalLocation.Region; reg.StartLine != 1 || reg.StartColumn != 1 {
		t.Errorf("unknown position: region %+v, want 1:1", reg)
	}
}

func TestArtifactURI(t *testing.T) {
	dir := t.TempDir()
	abs := filepath.Join(dir, "infra", "stack v2.yaml")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ file, base, want string }{
		{"templates/stack.yaml", "", "templates/stack.yaml"},
		{"./templates/../stack.yaml", ".", "stack.yaml"},
		{abs, dir, "infra/stack%20v2.yaml"},
		{abs, "", "file://" + filepath.ToSlash(abs)[:len(filepath.ToSlash(dir))] + "/infra/stack%20v2.yaml"},
		{abs, filepath.Join(dir, "other"), "file://" + filepath.ToSlash(dir) + "/infra/stack%20v2.yaml"},
		{filepath.Join(wd, "plan.json"), wd, "plan.json"},
		{"a:b/plan.json", "", "./a:b/plan.json"},
		{"100%.json", "", "100%25.json"},
	}
	for _, c := range cases {
		if got := artifactURI(c.file, c.base); got != c.want {
			t.Errorf("artifactURI(%q, %q) = %q, want %q", c.file, c.base, got, c.want)
		}
	}
}
