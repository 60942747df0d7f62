package render

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// auditOf audits a world read from the repository's files, as `clearance
// audit` does.
func auditOf(t *testing.T, paths ...string) (*audit.Report, AuditOptions) {
	t.Helper()
	for i, p := range paths {
		paths[i] = filepath.Join("..", "..", p)
	}
	sc, err := scenario.LoadInputs(paths, scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := checks.OpenScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.New(e).Audit(context.Background(), audit.AuditOptions{World: paths[0],
		Time:    time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 {
		t.Fatalf("%v: no findings to locate", paths)
	}
	return rep, AuditOptions{World: paths[0], Sources: NewSources(sc.World), BaseDir: filepath.Join("..", ".."), ToolVersion: "test"}
}

var statementRef = regexp.MustCompile(`^(.*)/Statement\[(\d+)\]$`)

// Every result of the audit SARIF of the shipped example export and of
// the example scenario points at a line of an input file that holds what
// the finding is about: the statement it names (the statement object
// starts there: its Effect, and its Sid when it has one, are on that line
// or the next ones before another statement starts), or the principal's
// name. Every rule has its remediation. The SARIF validates, and its fingerprints are the same on a
// second run and differ between results.
func TestAuditSARIFLines(t *testing.T) {
	sch := sarifSchema(t)
	for _, world := range []string{"examples/aws-export", "corpus/example/company.yaml"} {
		t.Run(world, func(t *testing.T) {
			rep, o := auditOf(t, world)
			var buf bytes.Buffer
			if err := SARIF(&buf, rep, o); err != nil {
				t.Fatal(err)
			}
			validateSARIF(t, sch, world, buf.Bytes())
			var log SARIFLog
			if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			fps := map[string]int{}
			for i, res := range log.Runs[0].Results {
				if _, ok := remedies[res.RuleID]; !ok {
					t.Errorf("rule %s has no remediation (remediation.go)", res.RuleID)
				}
				checkResultLine(t, rep.Findings[i], res, o)
				fps[res.PartialFingerprints[fingerprintKey]]++
			}
			for fp, n := range fps {
				if n > 1 {
					t.Errorf("fingerprint %s is shared by %d results", fp, n)
				}
			}
			again, o2 := auditOf(t, world)
			var buf2 bytes.Buffer
			if err := SARIF(&buf2, again, o2); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
				t.Error("a second run writes a different SARIF")
			}
		})
	}
}

func checkResultLine(t *testing.T, f audit.Finding, res sarifResult, o AuditOptions) {
	t.Helper()
	p := res.Locations[0].PhysicalLocation
	rel, err := url.PathUnescape(p.ArtifactLocation.URI)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(o.BaseDir, rel))
	if err != nil {
		t.Errorf("%s: %v", f.Title, err)
		return
	}
	lines := strings.Split(string(data), "\n")
	if p.Region.StartLine < 1 || p.Region.StartLine > len(lines) {
		t.Errorf("%s: line %d of %s (%d lines)", f.Title, p.Region.StartLine, rel, len(lines))
		return
	}
	at := lines[p.Region.StartLine-1]
	m := statementRef.FindStringSubmatch(res.Locations[0].LogicalLocations[0].FullyQualifiedName)
	if m == nil { // an entity: its name is on the line
		if name := f.Principal[strings.LastIndex(f.Principal, "/")+1:]; !strings.Contains(at, name) {
			t.Errorf("%s: %s:%d is %q, want the name %s", f.Title, rel, p.Region.StartLine, at, name)
		}
		return
	}
	_, st := o.Sources.statement(m[1], f.Statement)
	if st == nil {
		t.Fatalf("%s: the world has no statement %s", f.Title, res.Locations[0].LogicalLocations[0].FullyQualifiedName)
	}
	if !strings.Contains(at, "{") && !strings.HasPrefix(strings.TrimSpace(at), "- ") {
		t.Errorf("%s: %s:%d %q does not open a statement", f.Title, rel, p.Region.StartLine, at)
	}
	// The statement's own text: from its line up to the next statement's
	// Effect.
	window := strings.Join(lines[p.Region.StartLine-1:min(len(lines), p.Region.StartLine+12)], "\n")
	first := strings.Index(window, "Effect")
	if first < 0 {
		t.Errorf("%s: no Effect at %s:%d: %q", f.Title, rel, p.Region.StartLine, window)
		return
	}
	if next := strings.Index(window[first+1:], "Effect"); next >= 0 {
		window = window[:first+1+next]
	}
	if !strings.Contains(window, st.Sid) {
		t.Errorf("%s: %s:%d does not start statement %d (Sid %q): %q", f.Title, rel, p.Region.StartLine, f.Statement, st.Sid, window)
	}
}
