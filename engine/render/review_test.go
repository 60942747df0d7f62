package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/review"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/review")

// sampleReview is a report with findings of every severity, with and
// without a Terraform address, with symbols, accepted and not, with text
// XML must escape, and a passed and a failed assertion.
func sampleReview() *review.Report {
	failed := review.CheckResult{Name: "no public read of the site bucket", Expected: "implicit-deny", Got: "allow",
		Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::site/*",
		Message:  "statement PublicRead of the bucket policy allows it",
		Location: review.Location{File: "assert.yaml", Line: 4, Column: 5}}
	rep := &review.Report{
		Findings: []review.Finding{
			{Rule: review.RuleAccessRemoved, Severity: review.Low, Change: review.Removed,
				Principal: "arn:aws:iam::111111111111:role/app", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111111111111:jobs",
				Message: "role app can no longer send to queue jobs", Why: "before: allowed by app-policy statement 0\nafter: no statement allows it",
				Location: review.Location{File: "plan.json", Line: 1, Column: 1, Address: "module.app.aws_iam_role_policy.app"}},
			{Rule: review.RuleOpenWebIdentity, Severity: review.High, Change: review.Added,
				Principal: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", Action: "sts:AssumeRoleWithWebIdentity",
				Resource: "arn:aws:iam::111111111111:role/deploy", Message: "any GitHub repository can assume role deploy: the trust has no condition on token.actions.githubusercontent.com:sub",
				Why:      "trust policy of deploy, statement 0: Allow sts:AssumeRoleWithWebIdentity\n  condition: StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com",
				Replay:   "clearance why --world after.yaml --web-identity ...",
				Location: review.Location{File: "templates/stack.yaml", Line: 12, Column: 9}},
			{Rule: review.RuleNewPublicAccess, Severity: review.Critical, Change: review.Added,
				Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::site/*",
				Message: `bucket "site" becomes public: s3:GetObject for Principal "*" <anyone> & anonymous`,
				Why:     "bucket policy of site, statement PublicRead: Allow * s3:GetObject",
				Symbols: []string{"!GetAtt Site.Arn"}, Location: review.Location{File: "templates/stack.yaml", Line: 40, Column: 11}},
			{Rule: review.RuleCrossAccount, Severity: review.Medium, Change: review.Added, Accepted: "baseline",
				Principal: "arn:aws:iam::222222222222:root", Action: "s3:PutObject", Resource: "arn:aws:s3:::drop/*",
				Message: "account 222222222222, outside the organization, can write to bucket drop",
				Why:     "bucket policy of drop, statement Partner", Location: review.Location{File: "templates/stack.yaml", Line: 55, Column: 7}},
			review.AssertionFinding(failed),
		},
		Checks: []review.CheckResult{
			{Name: "ci role can deploy", Passed: true, Expected: "allow", Got: "allow", Principal: "arn:aws:iam::111111111111:role/ci",
				Action: "cloudformation:CreateStack", Resource: "*", Location: review.Location{File: "assert.yaml", Line: 2, Column: 5}},
			failed,
		},
		Summary: review.Summary{Principals: 12, Decisions: 480},
	}
	rep.Findings[4].Why = "bucket policy of site, statement PublicRead"
	review.Finalize(rep, review.High)
	return rep
}

func TestReviewGolden(t *testing.T) {
	cases := []struct {
		file  string
		write func(*bytes.Buffer, *review.Report) error
	}{
		{"review.txt", func(b *bytes.Buffer, r *review.Report) error { return ReviewText(b, r) }},
		{"review.json", func(b *bytes.Buffer, r *review.Report) error { return ReviewJSON(b, r) }},
		{"review.sarif", func(b *bytes.Buffer, r *review.Report) error {
			return ReviewSARIF(b, r, SARIFOptions{ToolVersion: "0.14.0"})
		}},
		{"review.xml", func(b *bytes.Buffer, r *review.Report) error { return ReviewJUnit(b, r) }},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if err := c.write(&buf, sampleReview()); err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		golden(t, filepath.Join("testdata", "review", c.file), buf.Bytes())
		var again bytes.Buffer
		if err := c.write(&again, sampleReview()); err != nil || !bytes.Equal(again.Bytes(), buf.Bytes()) {
			t.Errorf("%s: two writes of one report differ (%v)", c.file, err)
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./engine/render -run Golden -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output:\n%s", path, got)
	}
}

// The text groups by severity, most severe first, and says the verdict.
func TestReviewTextOrder(t *testing.T) {
	var buf bytes.Buffer
	if err := ReviewText(&buf, sampleReview()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	last := -1
	for _, head := range []string{"CRITICAL (1)", "HIGH (2)", "MEDIUM (1)", "LOW (1)", "ASSERTIONS (2)", "Review FAILED (--fail-on high)"} {
		i := strings.Index(out, head)
		if i < 0 || i < last {
			t.Errorf("%q missing or out of order in\n%s", head, out)
		}
		last = i
	}
	for _, want := range []string{"templates/stack.yaml:40:11  new-public-access (added)", "plan.json:1:1 (module.app.aws_iam_role_policy.app)",
		"symbols:   !GetAtt Site.Arn (unknown until deployment)", "accepted:  baseline", "      after: no statement allows it",
		"FAIL  no public read of the site bucket: expected implicit-deny, got allow  (assert.yaml:4:5)"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	buf.Reset()
	if err := ReviewText(&buf, &review.Report{}); err != nil || !strings.HasPrefix(buf.String(), "No findings.") {
		t.Errorf("empty report: %q %v", buf.String(), err)
	}
}

// Terminal escapes in untrusted names do not reach the terminal.
func TestReviewTextControlCharacters(t *testing.T) {
	rep := &review.Report{Findings: []review.Finding{{Rule: review.RuleAccessAdded, Severity: review.Low, Change: review.Added,
		Principal: "arn:aws:iam::1:user/\x1b[2Jevil", Message: "m\rspoof", Why: "line\x1b]0;title\x07"}}}
	var buf bytes.Buffer
	if err := ReviewText(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(buf.String(), "\x1b\x07\r") {
		t.Errorf("control characters in the text output: %q", buf.String())
	}
}

// The JUnit output parses as XML, has one test case per check and per
// rule, and fails exactly the rules with findings at or above --fail-on
// that are not accepted.
func TestReviewJUnitCases(t *testing.T) {
	var buf bytes.Buffer
	rep := sampleReview()
	if err := ReviewJUnit(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(got.Suites) != 2 || got.Suites[0].Tests != 2 || got.Suites[0].Failures != 1 || got.Suites[1].Tests != len(review.Rules) {
		t.Fatalf("suites %+v", got.Suites)
	}
	failedRules := map[string]bool{}
	for _, c := range got.Suites[1].Cases {
		if c.Failure != nil {
			failedRules[strings.SplitN(c.Name, ":", 2)[0]] = true
		}
	}
	// new-public-access (critical), web-identity-trust-without-subject and assertion-failed (high)
	// fail at high; new-cross-account-access is medium and accepted;
	// access-removed is low.
	want := map[string]bool{review.RuleNewPublicAccess: true, review.RuleOpenWebIdentity: true, review.RuleAssertionFailed: true}
	if len(failedRules) != len(want) {
		t.Errorf("failed rules %v, want %v", failedRules, want)
	}
	for id := range want {
		if !failedRules[id] {
			t.Errorf("rule %s should fail", id)
		}
	}
	if got.Tests != 2+len(review.Rules) || got.Failures != 4 {
		t.Errorf("totals: %d tests, %d failures", got.Tests, got.Failures)
	}
}

// Text that XML cannot hold (control characters) or must escape is
// written so that the document still parses.
func TestReviewJUnitEscaping(t *testing.T) {
	rep := &review.Report{
		Findings: []review.Finding{{Rule: "not-a-listed-rule", Severity: review.High, Change: review.Added,
			Message: "a]]>b <c> & \"d\" \x00\x1b e", Principal: "p'q"}},
		Checks: []review.CheckResult{{Name: "<check & \x01>", Expected: "allow", Got: "implicit-deny", Message: "]]>"}},
	}
	review.Finalize(rep, review.Low)
	var buf bytes.Buffer
	if err := ReviewJUnit(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	rules := got.Suites[1].Cases
	extra := rules[len(rules)-1]
	if extra.Name != "not-a-listed-rule" || extra.Failure == nil || !strings.Contains(extra.Failure.Text, "a]]>b <c> & \"d\"") {
		t.Errorf("unlisted rule case %+v", extra)
	}
	if got.Suites[0].Cases[0].Failure == nil {
		t.Error("failed check passes")
	}
}

// The JSON has every field in every object, even when empty.
func TestReviewJSONEmpty(t *testing.T) {
	rep := &review.Report{Findings: []review.Finding{{Rule: review.RuleAccessAdded, Severity: review.Low, Change: review.Added}}}
	review.Finalize(rep, review.None)
	var buf bytes.Buffer
	if err := ReviewJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	f := got["findings"].([]any)[0].(map[string]any)
	if _, ok := f["symbols"].([]any); !ok {
		t.Errorf("symbols %v: want []", f["symbols"])
	}
	for _, k := range []string{"accepted", "replay", "fingerprint", "why"} {
		if _, ok := f[k].(string); !ok {
			t.Errorf("%s missing", k)
		}
	}
	if _, ok := got["checks"].([]any); !ok {
		t.Errorf("checks %v: want []", got["checks"])
	}
	sum := got["summary"].(map[string]any)
	if by := sum["by_severity"].(map[string]any); len(by) != 4 || sum["failed"] != false || sum["fail_on"] != "none" {
		t.Errorf("summary %v", sum)
	}
}

// docs/review-output.md documents every field of the JSON output, and
// the output has every field it documents.
func TestReviewJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "review-output.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start, end := strings.Index(text, "<!-- json-fields"), strings.Index(text, "<!-- /json-fields -->")
	if start < 0 || end < start {
		t.Fatal("docs/review-output.md: the json-fields table markers are missing")
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(text[start:end], "\n") {
		if strings.HasPrefix(line, "| `") {
			documented[strings.SplitN(line[3:], "`", 2)[0]] = true
		}
	}
	var buf bytes.Buffer
	if err := ReviewJSON(&buf, sampleReview()); err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	written := map[string]bool{}
	jsonPaths(out, "", written)
	for p := range written {
		if !documented[p] {
			t.Errorf("JSON field %s is not documented in docs/review-output.md", p)
		}
	}
	for p := range documented {
		if !written[p] {
			t.Errorf("documented field %s is not in the JSON output", p)
		}
	}
}

// jsonPaths collects the leaf paths of a JSON value: a.b for members,
// a[].b for the members of a list's items.
func jsonPaths(v any, at string, into map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, m := range v {
			p := k
			if at != "" {
				p = at + "." + k
			}
			jsonPaths(m, p, into)
		}
	case []any:
		if len(v) == 0 {
			into[at] = true
		}
		for _, it := range v {
			if _, scalar := it.(string); scalar {
				into[at] = true
				continue
			}
			jsonPaths(it, at+"[]", into)
		}
	default:
		into[at] = true
	}
}
