package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	why := []string{"why", "--world", "testdata/world.yaml", "--principal", "arn:aws:iam::111122223333:user/alice", "--resource", "arn:aws:s3:::b/k"}
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring expected on stdout
		stderr string // substring expected on stderr
	}{
		{"why allow", append(why, "--action", "s3:GetObject"), 0, "ALLOW", ""},
		{"why deny is not an error", append(why, "--action", "s3:PutObject"), 0, "DENY (implicit)", ""},
		{"why names the statement", append(why, "--action", "s3:GetObject"), 0, `Sid "Read"`, ""},
		{"why missing flag", []string{"why", "--world", "testdata/world.yaml"}, 2, "", "required"},
		{"why unknown principal", append(why[:4], "arn:aws:iam::111122223333:user/bob", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"), 2, "", "no such IAM user"},
		{"why bad world", []string{"why", "--world", "testdata/nope.yaml", "--principal", "anonymous", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"}, 2, "", "nope.yaml"},
		{"test passes", []string{"test", "testdata/world.yaml"}, 0, "2 passed, 0 failed", ""},
		{"test fails", []string{"test", "testdata/failing.yaml"}, 1, "1 passed, 1 failed", ""},
		{"help", []string{"why", "--help"}, 0, "--principal", ""},
		{"unknown command", []string{"frobnicate"}, 2, "", "unknown command"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(tc.args...)
			if code != tc.code || !strings.Contains(out, tc.stdout) || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
		})
	}
}

func TestWhyJSON(t *testing.T) {
	code, out, _ := runCLI("why", "--world", "testdata/world.yaml", "--principal", "arn:aws:iam::111122223333:user/alice",
		"--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var d struct {
		Decision string `json:"decision"`
		Matched  map[string][]struct {
			Sid string `json:"sid"`
		} `json:"matched"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Decision != "allow" || len(d.Matched["identity"]) != 1 || d.Matched["identity"][0].Sid != "Read" {
		t.Errorf("got %+v", d)
	}
}

func TestParseContext(t *testing.T) {
	got, err := parseContext([]string{"a=1", "b=x", "b=y", "c=[p, q]", "d=[]"})
	if err != nil {
		t.Fatal(err)
	}
	if got["a"] != "1" || len(got["b"].([]any)) != 2 || len(got["c"].([]any)) != 2 || len(got["d"].([]any)) != 0 {
		t.Errorf("got %v", got)
	}
	if _, err := parseContext([]string{"novalue"}); err == nil {
		t.Error("expected an error for a pair without =")
	}
}

// The chain, reach and audit commands on the example organization.
func TestChainCommands(t *testing.T) {
	w := "../../corpus/example/company.yaml"
	ci := "arn:aws:iam::444455556666:user/ci"
	deploy := "AssumeRole role=arn:aws:iam::111122223333:role/deploy session=ci-1"
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"why walks a chain", []string{"why", "--world", w, "--as", ci, "--step", deploy + " external-id=exco-ci-7f3a",
			"--action", "s3:PutObject", "--resource", "arn:aws:s3:::productionapp/releases/a", "--context", "aws:SecureTransport=true",
			"--context", "aws:RequestedRegion=us-east-1"}, 0, "ALLOW", ""},
		{"why reports a refused hop", []string{"why", "--world", w, "--as", ci, "--step", deploy}, 0, "chain-refused at hop 1", ""},
		{"why rejects a bad step", []string{"why", "--world", w, "--as", ci, "--step", "AssumeRole role"}, 2, "", "key=value"},
		{"why rejects principal and chain", []string{"why", "--world", w, "--principal", ci, "--as", ci, "--step", deploy, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"}, 2, "", "not both"},
		{"reach", []string{"reach", "--world", w, "--as", ci}, 0, "assumed-role/deploy", ""},
		{"reach needs one start", []string{"reach", "--world", w}, 2, "", "exactly one"},
		{"who-can", []string{"who-can", "--world", w, "s3:PutObject", "arn:aws:s3:::productionapp/releases/a"}, 0, "principals and sessions allowed", ""},
		{"can", []string{"can", "--world", w, "arn:aws:iam::111122223333:user/bob"}, 0, "s3", ""},
		{"lint", []string{"lint", w}, 0, "0 warnings", ""},
		{"audit bad format", []string{"audit", "--format", "pdf", w}, 2, "", "--format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(tc.args...)
			if code != tc.code || !strings.Contains(out, tc.stdout) || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d (want %d)\nstdout: %.600s\nstderr: %s", code, tc.code, out, errOut)
			}
		})
	}
}
