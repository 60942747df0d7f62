package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/audit"
)

const (
	exampleExport = "../../examples/aws-export"
	bob           = "arn:aws:iam::111122223333:user/bob"
	ciUser        = "arn:aws:iam::444455556666:user/ci"
)

// Every command that reads one world takes it as --world FILE or as its
// first argument(s), and refuses both (exit 2); audit and test take
// several of each.
func TestWorldFlagOrArgument(t *testing.T) {
	ask := []string{"--principal", bob, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::productionapp/platform/config.json"}
	for _, tc := range []struct {
		name, stdout  string
		before, after []string // the arguments before and after the world
	}{
		{"why", "DENY", []string{"why"}, ask},
		{"reach", "assumed-role/deploy", []string{"reach"}, []string{"--as", ciUser}},
		{"can", "s3", []string{"can"}, []string{bob}},
		{"who-can", "principals and sessions allowed", []string{"who-can"}, []string{"--no-reach", "s3:PutObject", "arn:aws:s3:::productionapp/releases/a"}},
		{"lint", "0 warnings", []string{"lint"}, nil},
		{"audit", "finding", []string{"audit"}, nil},
		{"test", "passed", []string{"test"}, nil},
		{"review", "review", []string{"review"}, []string{"--policy", "../../corpus/review/policy-attach-self/policy.json", "--attach", "arn:aws:iam::111122223333:user/bob", "--account", "111122223333", "--fail-on", "none"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, form := range []struct {
				name  string
				world []string
				code  int
			}{
				{"--world", []string{"--world", example}, 0},
				{"argument", []string{example}, 0},
				{"both", []string{"--world", example, example}, 2},
			} {
				if form.name == "both" && (tc.name == "audit" || tc.name == "test") {
					continue // several worlds: tested below
				}
				args := append(append(append([]string(nil), tc.before...), form.world...), tc.after...)
				code, out, errOut := runCLI(args...)
				if code != form.code || form.code == 0 && !strings.Contains(strings.ToLower(out), strings.ToLower(tc.stdout)) ||
					form.code == 2 && !strings.Contains(errOut, "not both") {
					t.Errorf("%s: exit %d (want %d)\nstdout: %.300s\nstderr: %s", form.name, code, form.code, out, errOut)
				}
			}
		})
	}
	// Several exports of one world, as --world each or as arguments.
	iam, _ := filepath.Glob(exampleExport + "/iam-*.json")
	var flags []string
	for _, f := range iam {
		flags = append(flags, "--world", f)
	}
	for _, args := range [][]string{append([]string{"who-can", "--no-reach"}, flags...), append([]string{"lint"}, iam...)} {
		if args[0] == "who-can" {
			args = append(args, "--resource-account", "111122223333", "s3:PutObject", "arn:aws:s3:::productionapp/releases/a")
		}
		if code, out, errOut := runCLI(args...); code != 0 {
			t.Errorf("%v: exit %d %s %s", args, code, out, errOut)
		}
	}
	// test and audit: several of each at once.
	code, out, errOut := runCLI("test", "--world", example, "--world", "testdata/world.yaml", "testdata/failing.yaml")
	if code != 1 || !strings.Contains(out, "passed, 1 failed") {
		t.Errorf("test with --world and arguments: exit %d\n%s%s", code, out, errOut)
	}
}

// --format and --out on every command that prints a report; the old
// --output still works, saying it is deprecated, and disagreeing with
// --format is a usage error.
func TestFormatAndOut(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		key  string // a key of the JSON report
	}{
		{"why", []string{"why", example, "--principal", bob, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::productionapp/platform/config.json"}, `"decision"`},
		{"reach", []string{"reach", example, "--as", ciUser}, `"session"`},
		{"can", []string{"can", example, bob}, `"permissions"`},
		{"who-can", []string{"who-can", example, "--no-reach", "s3:PutObject", "arn:aws:s3:::productionapp/releases/a"}, `"principal"`},
		{"lint", []string{"lint", "testdata/typos.yaml"}, `"message"`},
		{"test", []string{"test", "testdata/world.yaml"}, `"checks"`},
		{"audit", []string{"audit", example}, `"findings"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name+".json")
			code, stdout, errOut := runCLI(append(tc.args, "--format", "json", "--out", out)...)
			data, _ := os.ReadFile(out)
			if code != 0 || stdout != "" || !json.Valid(data) || !strings.Contains(string(data), tc.key) {
				t.Errorf("--format json --out: exit %d, stdout %q, file %.300s\nstderr: %s", code, stdout, data, errOut)
			}
			if tc.name == "audit" {
				return // never had --output
			}
			code, alias, errOut := runCLI(append(tc.args, "--output", "json")...)
			if code != 0 || alias != string(data) || !strings.Contains(errOut, "--output is deprecated; use --format") {
				t.Errorf("--output json: exit %d, stderr %s, stdout differs: %v", code, errOut, alias != string(data))
			}
			code, _, errOut = runCLI(append(tc.args, "--output", "json", "--format", "text")...)
			if code != 2 || !strings.Contains(errOut, "disagree") {
				t.Errorf("--output json --format text: exit %d, %s", code, errOut)
			}
			code, _, errOut = runCLI(append(tc.args, "--format", "yaml")...)
			if code != 2 || !strings.Contains(errOut, `--format: expected text or json, got "yaml"`) {
				t.Errorf("--format yaml: exit %d, %s", code, errOut)
			}
		})
	}
	// --out never over an input: the world, before any work.
	data, err := os.ReadFile(example)
	must(t, err)
	world := filepath.Join(dir, "company.yaml")
	must(t, os.WriteFile(world, data, 0o644))
	for _, args := range [][]string{
		{"why", world, "--principal", bob, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::b/k"},
		{"can", world, bob}, {"lint", world}, {"test", world}, {"reach", world, "--as", ciUser},
		{"who-can", world, "s3:PutObject", "arn:aws:s3:::b/k"},
	} {
		code, _, errOut := runCLI(append(args, "--out", world)...)
		if got, _ := os.ReadFile(world); code != 2 || !strings.Contains(errOut, "would overwrite an input") || string(got) != string(data) {
			t.Errorf("%s --out WORLD: exit %d, %s", args[0], code, errOut)
		}
	}
}

// Every replay command the audit prints on the shipped AWS exports runs
// and gives the decision its finding states: on the whole folder (one
// --world naming it) and on some of its files (one --world for each, as
// scenario.LoadInputs reads them together).
func TestAuditReplaysOnExports(t *testing.T) {
	all, err := filepath.Glob(exampleExport + "/*")
	must(t, err)
	iam, err := filepath.Glob(exampleExport + "/iam-*.json")
	must(t, err)
	for _, inputs := range [][]string{all, append(iam, exampleExport+"/resources")} {
		code, out, errOut := runCLI(append([]string{"audit", "--format", "json", "--time", "2026-01-01T00:00:00Z"}, inputs...)...)
		if code != 0 {
			t.Fatalf("audit: exit %d: %s", code, errOut)
		}
		var rep audit.Report
		must(t, json.Unmarshal([]byte(out), &rep))
		worlds := strings.Count(rep.Findings[0].Evidence[0].Why, "--world ")
		if len(inputs) == len(all) && worlds != 1 || len(inputs) != len(all) && worlds != len(inputs) {
			t.Errorf("%d inputs, replay names %d: %s", len(inputs), worlds, rep.Findings[0].Evidence[0].Why)
		}
		seen := map[string]bool{}
		for _, f := range rep.Findings {
			for _, ev := range f.Evidence {
				if seen[ev.Why] {
					continue
				}
				seen[ev.Why] = true
				code, out, errOut := runCLI(append(shellWords(t, ev.Why)[1:], "--format", "json")...)
				if code != 0 || !strings.Contains(out, `"decision": "`+ev.Decision+`"`) {
					t.Errorf("replay %q: exit %d, want %s\nstderr: %s\n%.300s", ev.Why, code, ev.Decision, errOut, out)
				}
			}
		}
		if len(seen) == 0 {
			t.Fatalf("audit %v: no replay", inputs)
		}
	}
}
