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

// The audit's exit codes: 0 by default (today's behaviour), 1 when a
// finding not excluded is at or above --fail-on or an exclusion expired,
// 2 for bad flags and bad exclusions or baseline files. The example
// company has three critical administrator findings, the highest
// (TestAuditExampleOrganization).
func TestAuditFailOn(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	admins := write("admins.yaml", "exclusions:\n  - {rule: administrator, reason: 'break-glass roles, SEC-1'}\n")
	expired := write("expired.yaml", "exclusions:\n  - {rule: administrator, reason: break-glass roles}\n  - {policy: ReadOnlyAudit, reason: auditors, expires: 2025-06-30}\n")
	badRule := write("bad.yaml", "exclusions:\n  - {rule: admin, reason: r}\n")
	badBase := write("base.json", `{"version": 2, "fingerprints": []}`)
	at := []string{"audit", "--time", "2026-01-01T00:00:00Z"}
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"default", nil, 0, ""},
		{"fail on high", []string{"--fail-on", "high"}, 1, "findings at or above high: exit 1"},
		{"fail on none", []string{"--fail-on", "none"}, 0, ""},
		{"administrators excluded", []string{"--fail-on", "critical", "--exclusions", admins}, 0, "3 findings excluded"},
		{"expired exclusion", []string{"--fail-on", "critical", "--exclusions", expired}, 1, "expired.yaml:3:5: the exclusion of policy ReadOnlyAudit expired"},
		{"expired, no --fail-on", []string{"--exclusions", expired}, 0, "expired on 2025-07-01"},
		{"bad severity", []string{"--fail-on", "severe"}, 2, `--fail-on: expected critical, high, medium, low or none, got "severe"`},
		{"bad rule", []string{"--exclusions", badRule}, 2, `bad.yaml:2:12: $.exclusions[0].rule: rule: "admin" is not a rule`},
		{"no file", []string{"--exclusions", filepath.Join(dir, "none.yaml")}, 2, "--exclusions"},
		{"bad baseline", []string{"--baseline", badBase}, 2, "base.json:1:13"},
		{"bad unused days", []string{"--unused-days", "-1"}, 2, "--unused-days"},
	} {
		code, _, stderr := runCLI(append(append(append([]string{}, at...), c.args...), example)...)
		if code != c.code || !strings.Contains(stderr, c.stderr) {
			t.Errorf("%s: exit %d, want %d; stderr:\n%s\nwant it to say %q", c.name, code, c.code, stderr, c.stderr)
		}
	}
}

// --write-baseline records every finding; with --baseline they are all
// listed as excluded (baseline), and --fail-on low passes.
func TestAuditBaselineCLI(t *testing.T) {
	base := filepath.Join(t.TempDir(), "baseline.json")
	if code, _, stderr := runCLI("audit", "--write-baseline", base, "--fail-on", "low", example); code != 1 {
		t.Fatalf("first audit: exit %d, want 1: %s", code, stderr)
	}
	code, out, stderr := runCLI("audit", "--baseline", base, "--fail-on", "low", "--format", "json", example)
	if code != 0 {
		t.Fatalf("with the baseline: exit %d: %s", code, stderr)
	}
	var rep audit.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 || len(rep.Excluded) != 12 {
		t.Fatalf("%d findings, %d excluded; want 0 and the example's 12", len(rep.Findings), len(rep.Excluded))
	}
	for _, f := range rep.Excluded {
		if f.Excluded != audit.BaselineReason || len(f.Fingerprint) != 32 {
			t.Errorf("%s: excluded %q, fingerprint %q", f.Title, f.Excluded, f.Fingerprint)
		}
	}
}

// The example export carries RoleLastUsed ({} for each of its six roles,
// created 2024-03-01): at 2026-01-01 each is unused past the default 90
// days ("If RoleLastUsed is present but does not contain a value, then the
// role has not been used within the tracking period",
// id_roles_manage_delete.html). A role with other findings carries its
// disuse on them (audit.Fold) instead of a finding of its own.
func TestAuditExportUnusedRoles(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{{nil, 6}, {[]string{"--unused-days", "0"}, 0}, {[]string{"--unused-days", "1000"}, 0}} {
		code, out, stderr := runCLI(append(append([]string{"audit", "--format", "json", "--time", "2026-01-01T00:00:00Z"}, c.args...), "../../examples/aws-export")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var rep audit.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		unused := map[string]bool{}
		for _, f := range rep.Findings {
			if f.Rule == audit.RuleUnusedAccess || slices.ContainsFunc(f.Folded, func(x audit.Folded) bool { return x.Rule == audit.RuleUnusedAccess }) {
				unused[f.Principal] = true
			}
		}
		if len(unused) != c.want {
			t.Errorf("%v: %d roles rated unused, want %d", c.args, len(unused), c.want)
		}
	}
}
