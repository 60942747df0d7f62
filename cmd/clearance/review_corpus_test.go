package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// reviewFixture is corpus/review/NAME/review.yaml: the arguments of one
// `clearance review` (paths relative to the fixture's folder), the exit
// code, and the findings expected (each must be reported) and refused
// (none may be). Every fixture names the source of its expected answer.
type reviewFixture struct {
	Source string         `yaml:"source"`
	Args   []string       `yaml:"args"`
	Exit   int            `yaml:"exit"`
	Expect []fixtureMatch `yaml:"expect"`
	Absent []fixtureMatch `yaml:"absent"`
	// Only: no finding other than those Expect lists is reported.
	Only bool `yaml:"only"`
	// Stderr is a substring the error output must hold (exit 2 fixtures:
	// the file and line of the error).
	Stderr string `yaml:"stderr"`
}

// fixtureMatch matches a finding on the fields it sets; Principal,
// Action and Resource match as substrings, Symbol a finding's symbols.
type fixtureMatch struct {
	Rule      string `yaml:"rule" json:"rule"`
	Severity  string `yaml:"severity" json:"severity"`
	Change    string `yaml:"change" json:"change"`
	Principal string `yaml:"principal" json:"principal"`
	Action    string `yaml:"action" json:"action"`
	Resource  string `yaml:"resource" json:"resource"`
	Line      int    `yaml:"line" json:"-"`
	Symbol    string `yaml:"symbol" json:"-"`
	Accepted  bool   `yaml:"accepted" json:"-"`
}

type reportedFinding struct {
	fixtureMatch
	Location struct {
		File string `json:"file"`
		Line int    `json:"line"`
	} `json:"location"`
	Symbols     []string `json:"symbols"`
	AcceptedBy  string   `json:"accepted"`
	Fingerprint string   `json:"fingerprint"`
}

func (m fixtureMatch) matches(f reportedFinding) bool {
	return (m.Rule == "" || m.Rule == f.Rule) && (m.Severity == "" || m.Severity == f.Severity) &&
		(m.Change == "" || m.Change == f.Change) && strings.Contains(f.Principal, m.Principal) &&
		strings.Contains(f.Action, m.Action) && strings.Contains(f.Resource, m.Resource) &&
		(m.Line == 0 || m.Line == f.Location.Line) && (!m.Accepted || f.AcceptedBy != "") &&
		(m.Symbol == "" || strings.Contains(strings.Join(f.Symbols, "\n"), m.Symbol))
}

// TestReviewCorpus runs every fixture of corpus/review through the CLI,
// as a pipeline would, and compares the JSON report with its expectations.
func TestReviewCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "corpus", "review")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		n++
		dir := filepath.Join(root, d.Name())
		t.Run(d.Name(), func(t *testing.T) { runReviewFixture(t, dir) })
	}
	if n < 30 {
		t.Errorf("corpus/review has %d fixtures; the issue asks for at least 30", n)
	}
}

func runReviewFixture(t *testing.T, dir string) {
	data, err := os.ReadFile(filepath.Join(dir, "review.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var fx reviewFixture
	if err := yaml.Unmarshal(data, &fx); err != nil {
		t.Fatalf("review.yaml: %v", err)
	}
	if fx.Source == "" {
		t.Fatal("review.yaml must name the source of its expected answer")
	}
	out := filepath.Join(t.TempDir(), "report.json")
	args := []string{"review", "--time", "2026-12-01T00:00:00Z", "--format", "json", "--out", out}
	for _, a := range fx.Args {
		if !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "arn:") && strings.Contains(a, ".") {
			a = filepath.Join(dir, a)
		}
		args = append(args, a)
	}
	code, _, stderr := runCLI(args...)
	if code != fx.Exit {
		t.Fatalf("exit %d, want %d\nstderr: %s", code, fx.Exit, stderr)
	}
	if !strings.Contains(stderr, fx.Stderr) {
		t.Errorf("stderr %q does not hold %q", stderr, fx.Stderr)
	}
	if code == 2 {
		if _, err := os.Stat(out); err == nil {
			t.Error("--out was written for input that could not be read")
		}
		return
	}
	checkFixtureFindings(t, out, fx)
}

func checkFixtureFindings(t *testing.T, out string, fx reviewFixture) {
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Findings []reportedFinding `json:"findings"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	used := make([]bool, len(rep.Findings))
	for _, m := range fx.Expect {
		found := false
		for i, f := range rep.Findings {
			if m.matches(f) {
				found, used[i] = true, true
			}
		}
		if !found {
			t.Errorf("expected finding %+v not reported", m)
		}
	}
	for _, m := range fx.Absent {
		for _, f := range rep.Findings {
			if m.matches(f) {
				t.Errorf("finding %+v reported, but the fixture says it must not be: %+v", m, f.fixtureMatch)
			}
		}
	}
	for i, f := range rep.Findings {
		if fx.Only && !used[i] {
			t.Errorf("unexpected finding: %+v at line %d", f.fixtureMatch, f.Location.Line)
		}
	}
	if t.Failed() {
		t.Logf("report:\n%s", raw)
	}
}
