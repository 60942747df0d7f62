package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/audit"
)

// `clearance audit examples/aws-export/*` (the README's command on the
// shipped raw exports) reports what `clearance audit
// corpus/example/company.yaml` does, and its replay commands name the
// folder and replay.
func TestAuditRawExports(t *testing.T) {
	inputs, err := filepath.Glob("../../examples/aws-export/*")
	if err != nil || len(inputs) < 3 {
		t.Fatalf("glob: %v %v", inputs, err)
	}
	findings := func(args ...string) ([]string, *audit.Report) {
		// --unused-days 0: the scenario file holds no RoleLastUsed
		// (TestAuditExportUnusedRoles checks the export's).
		code, out, errOut := runCLI(append([]string{"audit", "--format", "json", "--time", "2026-01-01T00:00:00Z", "--unused-days", "0"}, args...)...)
		if code != 0 {
			t.Fatalf("audit %v: exit %d: %s", args, code, errOut)
		}
		var rep audit.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var fs []string
		for _, f := range rep.Findings {
			fs = append(fs, f.Severity+" "+f.Rule+" "+f.Title)
		}
		return fs, &rep
	}
	want, _ := findings(example)
	for _, args := range [][]string{inputs, {"--world", "../../examples/aws-export"}} {
		got, rep := findings(args...)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("audit %v:\n%s\nwant\n%s", args, strings.Join(got, "\n"), strings.Join(want, "\n"))
			continue
		}
		ev := rep.Findings[0].Evidence[0]
		if !strings.Contains(ev.Why, "--world ../../examples/aws-export ") {
			t.Errorf("replay %q does not name the folder", ev.Why)
		}
		code, out, errOut := runCLI(append(shellWords(t, ev.Why)[1:], "--output", "json")...)
		if code != 0 || !strings.Contains(out, `"decision": "`+ev.Decision+`"`) {
			t.Errorf("replay %q: exit %d %s %.300s", ev.Why, code, errOut, out)
		}
	}
}

// A file that is neither a world nor an AWS export is bad input (exit 2)
// saying what was looked for.
func TestAuditUnrecognisedInput(t *testing.T) {
	p := filepath.Join(t.TempDir(), "buckets.json")
	if err := os.WriteFile(p, []byte(`{"Buckets": [{"Name": "x"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI("audit", p)
	for _, want := range []string{"buckets.json:1:13: $.Buckets: unknown key", "get-account-authorization-details", "a scenario world file"} {
		if code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("exit %d, stderr %q, want 2 and %q", code, errOut, want)
		}
	}
}
