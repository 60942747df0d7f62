package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/audit"
)

// `clearance audit --shard I/N` (both passes) and `clearance merge` on the
// shipped raw exports report what the single-machine audit does, finding
// for finding (rule, principal, subject, severity).
func TestShardedAuditCLI(t *testing.T) {
	inputs, err := filepath.Glob("../../examples/aws-export/*")
	if err != nil || len(inputs) < 3 {
		t.Fatalf("glob: %v %v", inputs, err)
	}
	const at = "2026-01-01T00:00:00Z"
	dir := t.TempDir()
	keys := func(out string) []string {
		var rep audit.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var ks []string
		for _, f := range rep.Findings {
			ks = append(ks, strings.Join([]string{f.Rule, f.Principal, f.Subject, f.Severity}, "|"))
		}
		slices.Sort(ks)
		return ks
	}
	cli := func(args ...string) string {
		code, out, errOut := runCLI(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	want := keys(cli(append([]string{"audit", "--format", "json", "--time", at}, inputs...)...))
	const n = 3
	var trusts, partials []string
	for i := range n {
		f := filepath.Join(dir, fmt.Sprintf("trusts-%d.json", i))
		cli(append([]string{"audit", "--shard", fmt.Sprintf("%d/%d", i, n), "--trusts-only", "--out", f}, inputs...)...)
		trusts = append(trusts, "--trusts", f)
	}
	for i := range n {
		f := filepath.Join(dir, fmt.Sprintf("partial-%d.json", i))
		args := append([]string{"audit", "--shard", fmt.Sprintf("%d/%d", i, n), "--time", at, "--out", f}, trusts...)
		cli(append(args, inputs...)...)
		partials = append(partials, f)
	}
	got := keys(cli(append([]string{"merge", "--format", "json"}, partials...)...))
	if !slices.Equal(got, want) {
		t.Errorf("merged:\n%s\nsingle machine:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, bad := range [][]string{
		{"merge", partials[0]},                 // a shard missing
		{"merge", partials[0], partials[0]},    // twice
		{"merge", trusts[1]},                   // a trusts file, not a partial
		{"audit", "--shard", "3/3", inputs[0]}, // out of range
		{"audit", "--shard", "0/3", inputs[0]}, // no --time
	} {
		if code, _, _ := runCLI(bad...); code != exitBadInput {
			t.Errorf("%v: exit %d, want %d", bad, code, exitBadInput)
		}
	}
}
