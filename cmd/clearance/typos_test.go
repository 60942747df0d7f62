package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// The warnings about names AWS does not have in testdata/typos.yaml, as
// lint prints them: file:line:col, the policy and statement, the name as
// written and the catalog's nearest name (list_awskeymanagementservice.html:
// kms:Decrypt; list_amazons3.html: the key s3:prefix).
var typoLines = []string{
	`testdata/typos.yaml:12:73: policy arn:aws:iam::111122223333:user/alice#read statement 0: unknown action "kms:Decrpyt" (did you mean "kms:Decrypt"?)`,
	`testdata/typos.yaml:13:113: policy arn:aws:iam::111122223333:user/alice#read statement 1: unknown condition key "s3:prefixx" (did you mean "s3:prefix"?)`,
}

// lint exits 0 whatever it finds, and 1 on any warning with --strict; a
// world that does not load (an RCP that allows: "The effect of Allow is
// only supported for the RCPFullAWSAccess policy",
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html)
// is bad input, with its position.
func TestLintStrict(t *testing.T) {
	all := strings.Join(typoLines, "\n") + "\n2 warnings\n"
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string // the whole of stdout, unless empty
		stderr string // substring of stderr
	}{
		{"warnings", []string{"lint", "testdata/typos.yaml"}, 0, all, ""},
		{"strict with warnings", []string{"lint", "--strict", "testdata/typos.yaml"}, 1, all, ""},
		{"strict without warnings", []string{"lint", "--strict", "testdata/world.yaml"}, 0, "0 warnings\n", ""},
		{"strict, example company", []string{"lint", "--strict", "../../corpus/example/company.yaml"}, 0, "0 warnings\n", ""},
		{"RCP that allows", []string{"lint", "--strict", "testdata/suite/b_rcp_allow.yaml"}, 2, "",
			"b_rcp_allow.yaml:13:63: $.world.organization.policies[0].document.Statement.Effect: an RCP statement must Deny"},
		{"bad output", []string{"lint", "--output", "yaml", "testdata/typos.yaml"}, 2, "", "--output"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(tc.args...)
			if code != tc.code || tc.stdout != "" && out != tc.stdout || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nwant:   %s\nstderr: %s", code, tc.code, out, tc.stdout, errOut)
			}
		})
	}
	code, out, _ := runCLI("lint", "--strict", "--output", "json", "testdata/typos.yaml")
	var ws []struct {
		Code      string `json:"code"`
		Statement int    `json:"statement"`
		File      string `json:"file"`
		Line, Col int
	}
	if err := json.Unmarshal([]byte(out), &ws); err != nil || code != 1 {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if len(ws) != 2 || ws[0].Code != "unknown_action" || ws[0].Line != 12 || ws[0].Col != 73 ||
		ws[1].Code != "unknown_condition_key" || ws[1].File != "testdata/typos.yaml" || ws[1].Statement != 1 {
		t.Errorf("JSON warnings %+v", ws)
	}
	if _, help, _ := runCLI("lint", "--help"); !strings.Contains(help, "--strict") || !strings.Contains(help, "lint --strict") {
		t.Errorf("lint --help does not document --strict:\n%s", help)
	}
}

// why warns on stderr about the world's typos and the question's (its
// --action, its --context keys); stdout is the answer alone, and the answer
// does not change: kms:Decrpyt is no action, so the statement naming it
// does not allow kms:Decrypt (reference_policies_elements_action.html: "The
// name must match an action that is supported by the service").
func TestWhyWarnsAboutTypos(t *testing.T) {
	why := []string{"why", "--world", "testdata/typos.yaml", "--principal", "arn:aws:iam::111122223333:user/alice",
		"--resource", "arn:aws:s3:::b/k"}
	code, out, errOut := runCLI(append(why, "--action", "s3:GetObjekt", "--context", "s3:prefixx=home/a", "--context", "aws:SecureTransport=true")...)
	want := "warning: " + typoLines[0] + "\nwarning: " + typoLines[1] + "\n" +
		`warning: --action: unknown action "s3:GetObjekt" (did you mean "s3:GetObject"?)` + "\n" +
		`warning: --context: unknown context key "s3:prefixx" (did you mean "s3:prefix"?)` + "\n"
	if code != 0 || errOut != want || !strings.HasPrefix(out, "DENY (implicit)  arn:aws:iam::111122223333:user/alice  s3:GetObjekt") ||
		strings.Contains(out, "warning") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant stderr: %s", code, out, errOut, want)
	}
	code, out, errOut = runCLI(append(why, "--action", "s3:GetObject")...)
	if code != 0 || !strings.HasPrefix(out, "ALLOW  ") || errOut != "warning: "+typoLines[0]+"\nwarning: "+typoLines[1]+"\n" {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	// A world without typos, a question without them: nothing on stderr.
	code, _, errOut = runCLI("why", "--world", "testdata/world.yaml", "--principal", "arn:aws:iam::111122223333:user/alice",
		"--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--context", "s3:prefix=a", "--context", "aws:SourceVpc=vpc-1")
	if code != 0 || errOut != "" {
		t.Errorf("exit %d, stderr: %s", code, errOut)
	}
}

// test warns about the world's typos once per file, and about each check's
// action and context keys where the check writes them; the checks' results
// do not change.
func TestTestWarnsAboutTypos(t *testing.T) {
	code, out, errOut := runCLI("test", "testdata/typos.yaml")
	want := "warning: " + typoLines[0] + "\nwarning: " + typoLines[1] + "\n" +
		`warning: testdata/typos.yaml:28:13: check "alice reads": unknown action "s3:GetObjekt" (did you mean "s3:GetObject"?)` + "\n" +
		`warning: testdata/typos.yaml:30:15: check "alice reads": unknown context key "s3:prefixx" (did you mean "s3:prefix"?)` + "\n"
	if code != 0 || out != "2 passed, 0 failed\n" || errOut != want {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant stderr: %s", code, out, errOut, want)
	}
}

// test DIR keeps going: a file that does not load (a repeated key; an RCP
// that allows, which AWS refuses: orgs_manage_policies_rcps_syntax.html;
// a check naming a user the world lacks) is one failure each, reported
// with its positioned error, and the good file's checks still run and are
// counted.
func TestTestKeepsGoing(t *testing.T) {
	code, out, errOut := runCLI("test", "testdata/suite")
	for _, want := range []string{
		"FAIL testdata/suite/a_broken.yaml:5:7: $.world.accounts[0].id: duplicate key \"id\" (first at line 4, column 7)\n",
		"FAIL testdata/suite/b_rcp_allow.yaml:13:63: $.world.organization.policies[0].document.Statement.Effect: an RCP statement must Deny",
		"FAIL testdata/suite/b_unknown_principal.yaml:9:16: $.checks[0].principal: principal: arn:aws:iam::111122223333:user/bob: no such IAM user in the world\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if code != 2 || !strings.HasSuffix(out, "\n2 passed, 3 failed\n") || strings.Contains(errOut, "internal error") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	// A single file that does not load is a failure too, and the summary says so.
	code, out, _ = runCLI("test", "testdata/badworld.yaml", "testdata/world.yaml")
	if code != 2 || !strings.Contains(out, "FAIL testdata/badworld.yaml") || !strings.HasSuffix(out, "\n2 passed, 1 failed\n") {
		t.Errorf("exit %d\nstdout: %s", code, out)
	}
}
