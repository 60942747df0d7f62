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

// Every malformed change file is exit 2 with its file, line and column on
// stderr, and --out is not written.
func TestReviewBadInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tmpl := "../../corpus/review/cfn-user-attach-self/template.yaml"
	pol := "../../corpus/review/policy-attach-self/policy.json"
	for _, c := range []struct {
		name string
		args []string
		want string // file:line:col on stderr
	}{
		{"plan not JSON", []string{"--terraform-plan", write("p1.json", "{\"format_version\": \"1.2\",\n  \"resource_changes\": [,]}")}, "p1.json:2:"},
		{"plan of another format", []string{"--terraform-plan", write("p2.json", `{"format_version": "2.0", "resource_changes": []}`)}, "p2.json:1:"},
		{"state, not a plan", []string{"--terraform-plan", write("p3.json", `{"version": 4, "terraform_version": "1.9.5", "resources": []}`)}, "p3.json:1:"},
		{"policy grammar", []string{"--policy", write("bad.json", "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\", \"Actions\": \"s3:*\", \"Resource\": \"*\"}]}"),
			"--attach", "arn:aws:iam::111111111111:user/dev"}, "bad.json:2:"},
		{"assertions unknown key", []string{"--cfn", tmpl, "--assert", write("a.yaml", "checks: []\nmust_not_gane: []\n")}, "a.yaml:2:1"},
		{"accept without reason", []string{"--cfn", tmpl, "--assert", write("b.yaml", "accept:\n  - rule: access-added\n    expires: 2030-01-01\n")}, "b.yaml:2:"},
		{"accept of an unknown rule", []string{"--cfn", tmpl, "--assert", write("c.yaml", "accept:\n  - rule: acces-added\n    reason: typo\n    expires: 2030-01-01\n")}, "c.yaml:2:"},
		{"parameters file", []string{"--cfn", tmpl, "--cfn-params", write("params.json", `[{"ParameterKey": "X"}]`)}, "params.json:1:"},
		{"baseline of another version", []string{"--cfn", tmpl, "--baseline", write("base.json", `{"version": 2, "fingerprints": []}`)}, "base.json:1:"},
		{"template nested too deep", []string{"--cfn", write("deep.yaml", "Resources: "+strings.Repeat("[", 300)+strings.Repeat("]", 300)+"\n")}, "deep.yaml:1:"},
		{"policy path outside", []string{"--policy", pol, "--attach", "arn:aws:iam::111111111111:user/dev", "--world", "/etc/passwd"}, "passwd"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(c.name, " ", "-"))
			code, _, stderr := runCLI(append([]string{"review", "--out", out}, c.args...)...)
			if code != 2 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, c.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("--out was written")
			}
		})
	}
}
