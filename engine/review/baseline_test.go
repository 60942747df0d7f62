package review

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/baseline"
	"github.com/clearance-dev/clearance/loader/tree"
)

func sampleReport() *Report {
	rep := &Report{Findings: []Finding{
		finding(RuleNewEscalation, High, Added, "arn:aws:iam::111111111111:user/dev", "stack.yaml", 12),
		finding(RuleNewPublicAccess, Critical, Added, "*", "stack.yaml", 30),
		finding(RuleAccessRemoved, Low, Removed, "arn:aws:iam::111111111111:role/app", "plan.json", 1),
	}}
	Finalize(rep, High)
	return rep
}

// A written baseline reads back, sorted by fingerprint, and applied to the
// same findings accepts them all, so the review no longer fails.
func TestBaselineRoundTrip(t *testing.T) {
	rep := sampleReport()
	if !rep.Summary.Failed {
		t.Fatal("sample report should fail at high before the baseline")
	}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, rep); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline("baseline.json", buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if b.Version != 1 || len(b.Fingerprints) != 3 {
		t.Fatalf("baseline %+v", b)
	}
	for i := 1; i < len(b.Fingerprints); i++ {
		if b.Fingerprints[i-1].Fingerprint >= b.Fingerprints[i].Fingerprint {
			t.Errorf("entries not sorted: %v", b.Fingerprints)
		}
	}
	again := sampleReport()
	again.Findings[0].Location.Line = 40 // the statement moved: same fingerprint
	again.Findings[1].Accepted = "accepted in assert.yaml: public website"
	ApplyBaseline(b, again)
	for _, f := range again.Findings {
		if f.Accepted == "" {
			t.Errorf("%s not accepted", f.Rule)
		}
	}
	if again.Findings[1].Accepted != "accepted in assert.yaml: public website" {
		t.Errorf("baseline overwrote the assertion file's acceptance: %q", again.Findings[1].Accepted)
	}
	if again.Summary.Accepted != 3 || again.Summary.Failed {
		t.Errorf("summary after baseline: %+v", again.Summary)
	}
}

// A finding the baseline does not hold still fails.
func TestBaselineNewFindingFails(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline("b.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	rep := sampleReport()
	rep.Findings = append(rep.Findings, finding(RuleNewAdministrator, Critical, Added, "arn:aws:iam::111111111111:role/new", "stack.yaml", 50))
	Finalize(rep, High)
	ApplyBaseline(b, rep)
	if rep.Summary.Accepted != 3 || !rep.Summary.Failed {
		t.Errorf("summary: %+v", rep.Summary)
	}
	for _, f := range rep.Findings {
		if (f.Rule == RuleNewAdministrator) != (f.Accepted == "") {
			t.Errorf("finding %s accepted %q: only the new administrator finding should be unaccepted", f.Rule, f.Accepted)
		}
	}
}

func TestWriteBaselineGolden(t *testing.T) {
	rep := &Report{Findings: []Finding{
		{Rule: RuleNewPublicAccess, Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::site/*", Fingerprint: "bb"},
		{Rule: RuleAccessAdded, Principal: "p", Action: "s3:PutObject", Resource: "arn:aws:s3:::site/*", Fingerprint: "aa"},
		{Rule: RuleAccessAdded, Principal: "p", Action: "s3:PutObject", Resource: "arn:aws:s3:::site/*", Fingerprint: "aa"},
	}}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, rep); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "fingerprints": [
    {
      "fingerprint": "aa",
      "rule": "access-added",
      "principal": "p",
      "action": "s3:PutObject",
      "resource": "arn:aws:s3:::site/*"
    },
    {
      "fingerprint": "bb",
      "rule": "new-public-access",
      "principal": "*",
      "action": "s3:GetObject",
      "resource": "arn:aws:s3:::site/*"
    }
  ]
}
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	empty := &bytes.Buffer{}
	if err := WriteBaseline(empty, &Report{}); err != nil || empty.String() != "{\n  \"version\": 1,\n  \"fingerprints\": []\n}\n" {
		t.Errorf("empty baseline %q %v", empty.String(), err)
	}
}

// Every malformed baseline gets a *tree.Error with its line, column and
// JSON path.
func TestReadBaselineErrors(t *testing.T) {
	cases := []struct {
		name, in, code, path string
		line, col            int
		msg                  string
	}{
		{"not json", "{version: 1}", tree.CodeInvalidJSON, "$", 1, 2, "invalid JSON"},
		{"version 2", `{"version": 2, "fingerprints": []}`, tree.CodeInvalidVersion, "$.version", 1, 13, "reads version 1 only"},
		{"version string", `{"version": "1", "fingerprints": []}`, tree.CodeInvalidVersion, "$.version", 1, 13, "version \"1\""},
		{"no version", `{"fingerprints": []}`, tree.CodeMissingElement, "$", 1, 1, "missing \"version\""},
		{"no list", "{\"version\": 1}", tree.CodeMissingElement, "$", 1, 1, "missing \"fingerprints\""},
		{"list is object", "{\"version\": 1,\n \"fingerprints\": {}}", tree.CodeWrongType, "$.fingerprints", 2, 18, "expected a list"},
		{"unknown key", `{"version": 1, "fingerprints": [], "extra": 0}`, tree.CodeUnknownElement, "$.extra", 1, 45, "unknown key \"extra\""},
		{"entry not object", `{"version": 1, "fingerprints": ["x"]}`, tree.CodeWrongType, "$.fingerprints[0]", 1, 33, "expected a mapping"},
		{"no fingerprint", "{\"version\": 1, \"fingerprints\": [\n  {\"rule\": \"r\"}]}", tree.CodeMissingElement, "$.fingerprints[0]", 2, 3, "missing required key \"fingerprint\""},
		{"empty fingerprint", `{"version": 1, "fingerprints": [{"fingerprint": ""}]}`, tree.CodeMissingElement, "$.fingerprints[0].fingerprint", 1, 49, "empty"},
		{"entry unknown key", `{"version": 1, "fingerprints": [{"fingerprint": "a", "line": 3}]}`, tree.CodeUnknownElement, "$.fingerprints[0].line", 1, 62, "unknown key \"line\""},
		{"rule not string", `{"version": 1, "fingerprints": [{"fingerprint": "a", "rule": []}]}`, tree.CodeWrongType, "$.fingerprints[0].rule", 1, 62, "expected a string"},
		{"trailing", `{"version": 1, "fingerprints": []} []`, tree.CodeTrailingData, "$", 1, 36, "after the end"},
	}
	for _, c := range cases {
		_, err := ReadBaseline("base.json", []byte(c.in))
		var te *tree.Error
		if !errors.As(err, &te) {
			t.Errorf("%s: %v, want a *tree.Error", c.name, err)
			continue
		}
		if te.Code != c.code || te.Path != c.path || te.Line != c.line || te.Col != c.col || te.File != "base.json" || !strings.Contains(te.Msg, c.msg) {
			t.Errorf("%s: got %s %q %s:%d:%d %q; want %s %q %d:%d %q", c.name, te.Code, te.Path, te.File, te.Line, te.Col, te.Msg,
				c.code, c.path, c.line, c.col, c.msg)
		}
	}
}

func TestReadBaselineTooLarge(t *testing.T) {
	_, err := ReadBaseline("big.json", make([]byte, baseline.MaxBytes+1))
	if !errors.Is(err, &tree.Error{Code: tree.CodeLimitExceeded}) {
		t.Errorf("%v, want limit_exceeded", err)
	}
}

// Repeated fingerprints read as one entry.
func TestReadBaselineDuplicates(t *testing.T) {
	b, err := ReadBaseline("b.json", []byte(`{"version": 1, "fingerprints": [{"fingerprint": "b"}, {"fingerprint": "a"}, {"fingerprint": "b", "rule": "x"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{b.Fingerprints[0].Fingerprint, b.Fingerprints[1].Fingerprint}; len(b.Fingerprints) != 2 || !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("entries %+v", b.Fingerprints)
	}
	if !b.Has("a") || !b.Has("b") || b.Has("c") {
		t.Error("Has")
	}
}

// ReadBaseline never panics; what it refuses is a positioned *tree.Error,
// and what it accepts writes back and reads again to the same entries.
func FuzzReadBaseline(f *testing.F) {
	f.Add([]byte(`{"version": 1, "fingerprints": [{"fingerprint": "ab", "rule": "r", "principal": "p", "action": "a", "resource": "*"}]}`))
	f.Add([]byte(`{"version": 1, "fingerprints": []}`))
	f.Add([]byte(`{"version": 2}`))
	f.Add([]byte(`[1, {"a": [}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadBaseline("f.json", data)
		if err != nil {
			var te *tree.Error
			if !errors.As(err, &te) || te.File != "f.json" || te.Line < 1 {
				t.Fatalf("error without a position: %#v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := b.Write(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := ReadBaseline("f.json", buf.Bytes())
		if err != nil {
			t.Fatalf("written baseline does not read back: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(again.Fingerprints, b.Fingerprints) {
			t.Fatalf("round trip changed the entries: %v != %v", again.Fingerprints, b.Fingerprints)
		}
	})
}
