package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's review examples work as it says: each finds its risky
// access and exits 1.
func TestReviewExamples(t *testing.T) {
	for _, c := range []struct {
		args  []string
		rules []string
	}{
		{[]string{"--cfn", "../../examples/review/cloudformation/template.yaml"},
			[]string{"web-identity-trust-without-subject", "new-cross-account-access", "new-privilege-escalation"}},
		{[]string{"--terraform-plan", "../../examples/review/terraform/plan.json"},
			[]string{"web-identity-trust-without-subject", "new-cross-account-access", "new-privilege-escalation", "unknown-managed-policy"}},
	} {
		code, out, stderr := runCLI(append([]string{"review", "--format", "json"}, c.args...)...)
		if code != 1 {
			t.Fatalf("%v: exit %d, want 1\n%s", c.args, code, stderr)
		}
		for _, r := range c.rules {
			if !strings.Contains(out, `"rule": "`+r+`"`) {
				t.Errorf("%v: no %s finding", c.args, r)
			}
		}
	}
}

// --write-baseline records the findings; with --baseline they are
// accepted and the same review passes. --out is never an input.
func TestReviewBaseline(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "baseline.json")
	tmpl := "../../corpus/review/cfn-user-attach-self/template.yaml"
	if code, _, stderr := runCLI("review", "--cfn", tmpl, "--write-baseline", base); code != 1 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	code, out, stderr := runCLI("review", "--cfn", tmpl, "--baseline", base, "--format", "json")
	if code != 0 {
		t.Fatalf("with the baseline: exit %d\n%s", code, stderr)
	}
	var rep struct {
		Findings []struct {
			Accepted string `json:"accepted"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Findings) == 0 {
		t.Fatalf("report: %v (%d findings)", err, len(rep.Findings))
	}
	for _, f := range rep.Findings {
		if f.Accepted != "baseline" {
			t.Errorf("finding not accepted by the baseline: %+v", f)
		}
	}
	if code, _, stderr := runCLI("review", "--cfn", tmpl, "--out", tmpl); code != 2 || !strings.Contains(stderr, "overwrite an input") {
		t.Errorf("--out over the template: exit %d, %s", code, stderr)
	}
}

// Usage errors exit 2 and name what is wrong, before anything is read.
func TestReviewUsage(t *testing.T) {
	pol := "../../corpus/review/policy-attach-self/policy.json"
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "give the change to review"},
		{[]string{"--policy", pol}, "needs one --attach ARN"},
		{[]string{"--attach", "arn:aws:iam::111111111111:user/dev"}, "comes before any --policy"},
		{[]string{"--policy", pol, "--attach", "arn:aws:iam::111111111111:user/dev", "--resource", "arn:aws:s3:::b"}, "already has its --attach"},
		{[]string{"--cfn", "x.yaml", "--format", "xml"}, "--format"},
		{[]string{"--cfn", "x.yaml", "--fail-on", "severe"}, "--fail-on"},
		{[]string{"--cfn", "x.yaml", "--account", "12"}, "--account"},
		{[]string{"--cfn", "../../corpus/review/nope.yaml"}, "nope.yaml"},
	} {
		code, _, stderr := runCLI(append([]string{"review"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// The SARIF a review writes has a line and a fingerprint on every result.
func TestReviewSARIFFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.sarif")
	if code, _, stderr := runCLI("review", "--cfn", "../../examples/review/cloudformation/template.yaml", "--format", "sarif", "--out", out); code != 1 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Locations           []struct {
					PhysicalLocation struct {
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("SARIF: %v", err)
	}
	for i, r := range log.Runs[0].Results {
		if len(r.Locations) == 0 || r.Locations[0].PhysicalLocation.Region.StartLine < 1 || len(r.PartialFingerprints) == 0 {
			t.Errorf("result %d lacks a line or a fingerprint", i)
		}
	}
}
