package assertion

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/tree"
)

const valid = `checks:
  - name: ci cannot read the vault
    principal: arn:aws:iam::111111111111:role/ci
    action: secretsmanager:GetSecretValue
    resource: arn:aws:secretsmanager:us-east-1:111111111111:secret:vault
    expect: implicit-deny
  - name: deployer chain
    chain:
      as: arn:aws:iam::111111111111:user/dev
      steps:
        - AssumeRole: {role: "arn:aws:iam::111111111111:role/deploy", session: dev}
    action: s3:PutObject
    resource: arn:aws:s3:::artifacts/x
    expect: allow
    source: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use.html
must_not_gain:
  - principal: "arn:aws:iam::111111111111:role/app-*"
    action: "iam:*"
  - resource: "arn:aws:s3:::secret-?"
accept:
  - fingerprint: 3f2a9c
    reason: known
    expires: 2026-06-30
  - rule: resource-shared-outside
    resource: "arn:aws:s3:::partner-drop*"
    reason: partner drop bucket, ticket SEC-123
    expires: 2026-06-30T12:00:00Z
`

func TestParseValid(t *testing.T) {
	f, err := Parse("assert.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Checks) != 2 || f.Checks[0].Expect != "implicit-deny" || f.Checks[1].Chain == nil || f.Checks[0].Line != 2 {
		t.Fatalf("checks %+v", f.Checks)
	}
	g := f.MustNotGain
	if len(g) != 2 || g[0].Resource != "*" || g[1].Principal != "*" || g[1].Action != "*" || g[0].At.Line != 17 {
		t.Fatalf("must_not_gain %+v", g)
	}
	a := f.Accept
	if len(a) != 2 || a[0].Fingerprint != "3f2a9c" || !a[0].Expires.Equal(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)) ||
		a[1].Principal != "*" || !a[1].Expires.Equal(time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("accept %+v", a)
	}
}

func TestParseJSONAndEmpty(t *testing.T) {
	f, err := Parse("a.json", []byte(`{"must_not_gain": [{"action": "s3:*"}]}`))
	if err != nil || len(f.MustNotGain) != 1 || f.MustNotGain[0].Action != "s3:*" {
		t.Fatalf("%v %+v", err, f)
	}
	for _, empty := range []string{"", "{}", "# nothing yet\n"} {
		if f, err := Parse("a.yaml", []byte(empty)); err != nil || len(f.Checks)+len(f.MustNotGain)+len(f.Accept) != 0 {
			t.Fatalf("%q: %v %+v", empty, err, f)
		}
	}
}

func TestParseErrors(t *testing.T) {
	check := "checks:\n  - name: c\n    principal: arn:aws:iam::111111111111:role/ci\n    action: s3:GetObject\n    resource: arn:aws:s3:::b/k\n"
	accept := "accept:\n  - rule: r\n    reason: x\n"
	cases := []struct {
		name, text, code string
		line             int
	}{
		{"not YAML", "checks: [\n", tree.CodeInvalidYAML, 0},
		{"not a mapping", "- a\n", tree.CodeWrongType, 1},
		{"unknown top key", "checks: []\nallow: []\n", tree.CodeUnknownElement, 2},
		{"checks not a list", "checks: {}\n", tree.CodeWrongType, 1},
		{"check without expect", check, tree.CodeMissingElement, 2},
		{"check with a bad expect", check + "    expect: maybe\n", tree.CodeInvalidValue, 6},
		{"check with an unknown key", check + "    expect: allow\n    owner: me\n", tree.CodeUnknownElement, 7},
		{"must_not_gain not a list", "must_not_gain: x\n", tree.CodeWrongType, 1},
		{"empty gain", "must_not_gain:\n  - {}\n", tree.CodeMissingElement, 2},
		{"gain unknown key", "must_not_gain:\n  - {principal: '*', who: x}\n", tree.CodeUnknownElement, 2},
		{"gain action without service", "must_not_gain:\n  - action: GetObject\n", tree.CodeInvalidValue, 2},
		{"gain action with a space", "must_not_gain:\n  - action: 's3:Get Object'\n", tree.CodeInvalidValue, 2},
		{"gain principal not an ARN", "must_not_gain:\n  - principal: alice\n", tree.CodeInvalidValue, 2},
		{"gain short ARN", "must_not_gain:\n  - resource: 'arn:aws:s3'\n", tree.CodeInvalidValue, 2},
		{"gain empty pattern", "must_not_gain:\n  - resource: ''\n", tree.CodeInvalidValue, 2},
		{"gain pattern not a string", "must_not_gain:\n  - resource: [a]\n", tree.CodeWrongType, 2},
		{"accept without reason", "accept:\n  - rule: r\n    expires: 2026-01-01\n", tree.CodeMissingElement, 2},
		{"accept blank reason", "accept:\n  - rule: r\n    reason: ' '\n    expires: 2026-01-01\n", tree.CodeMissingElement, 2},
		{"accept without rule or fingerprint", "accept:\n  - reason: x\n    expires: 2026-01-01\n", tree.CodeMissingElement, 2},
		{"accept both", "accept:\n  - fingerprint: f\n    rule: r\n    reason: x\n    expires: 2026-01-01\n", tree.CodeConflict, 2},
		{"accept fingerprint with a pattern", "accept:\n  - fingerprint: f\n    action: 's3:*'\n    reason: x\n    expires: 2026-01-01\n", tree.CodeConflict, 2},
		{"accept with a duplicate key", accept + "    expires: 2026-01-01\n    rule: 'a b'\n", tree.CodeDuplicateKey, 5},
		{"accept rule id with a space", "accept:\n  - rule: 'a b'\n    reason: x\n    expires: 2026-01-01\n", tree.CodeInvalidValue, 2},
		{"accept fingerprint with a space", "accept:\n  - fingerprint: 'a b'\n    reason: x\n    expires: 2026-01-01\n", tree.CodeInvalidValue, 2},
		{"accept without expiry", accept, tree.CodeMissingElement, 2},
		{"accept with a bad expiry", accept + "    expires: next week\n", tree.CodeInvalidValue, 4},
		{"accept with a bad pattern", accept + "    expires: 2026-01-01\n    action: '*:'\n", tree.CodeInvalidValue, 5},
		{"accept unknown key", accept + "    expires: 2026-01-01\n    until: x\n", tree.CodeUnknownElement, 5},
		{"accept reason not a string", "accept:\n  - rule: r\n    reason: {a: b}\n    expires: 2026-01-01\n", tree.CodeWrongType, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("assert.yaml", []byte(c.text))
			var te *tree.Error
			if !errors.As(err, &te) || te.Code != c.code || te.File != "assert.yaml" || (c.line > 0 && te.Line != c.line) {
				t.Fatalf("got %v (%#v), want %s at line %d", err, te, c.code, c.line)
			}
		})
	}
}

func TestAcceptMatches(t *testing.T) {
	byRule := Accept{Rule: "resource-shared-outside", Principal: "*", Action: "S3:Get*", Resource: "arn:aws:s3:::partner-?/*"}
	byPrint := Accept{Fingerprint: "abc", Reason: "r"}
	cases := []struct {
		a                                              Accept
		rule, principal, action, resource, fingerprint string
		want                                           bool
	}{
		{byRule, "resource-shared-outside", "arn:aws:iam::222222222222:root", "s3:GetObject", "arn:aws:s3:::partner-a/k", "x", true},
		{byRule, "resource-open-to-world", "*", "s3:GetObject", "arn:aws:s3:::partner-a/k", "x", false},
		{byRule, "resource-shared-outside", "*", "s3:PutObject", "arn:aws:s3:::partner-a/k", "x", false},
		{byRule, "resource-shared-outside", "*", "s3:GetObject", "arn:aws:s3:::partner-ab/k", "x", false},
		{byPrint, "any", "*", "s3:GetObject", "r", "abc", true},
		{byPrint, "any", "*", "s3:GetObject", "r", "abd", false},
	}
	for i, c := range cases {
		if got := c.a.Matches(c.rule, c.principal, c.action, c.resource, c.fingerprint); got != c.want {
			t.Errorf("case %d: Matches = %v, want %v", i, got, c.want)
		}
	}
}

func TestExpired(t *testing.T) {
	f, err := Parse("a.yaml", []byte("accept:\n  - {rule: r, reason: x, expires: 2026-06-30}\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := f.Accept[0]
	for _, c := range []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2026, 6, 30, 23, 59, 59, 0, time.UTC), false}, // through the day it names
		{time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		if got := a.Expired(c.now); got != c.want {
			t.Errorf("Expired(%s) = %v, want %v", c.now, got, c.want)
		}
	}
}

func TestGainMatches(t *testing.T) {
	g := Gain{Principal: "arn:aws:iam::111111111111:role/app-*", Action: "iam:*", Resource: "*"}
	if !g.Matches("arn:aws:iam::111111111111:role/app-web", "IAM:PassRole", "arn:aws:iam::111111111111:role/x") {
		t.Error("app-web gaining iam:PassRole must match")
	}
	sessions := Gain{Principal: "arn:aws:sts::111111111111:assumed-role/app-*", Action: "*", Resource: "*"}
	if !sessions.Matches("arn:aws:sts::111111111111:assumed-role/app-web/s", "s3:GetObject", "arn:aws:s3:::b/k") {
		t.Error("a session of app-web must match a session pattern")
	}
	if g.Matches("arn:aws:iam::111111111111:role/ci", "iam:PassRole", "*") || g.Matches("arn:aws:iam::111111111111:role/app-web", "s3:GetObject", "*") {
		t.Error("another principal or action must not match")
	}
}

func TestLoadConfined(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "assert.yaml")
	if err := os.WriteFile(path, []byte(valid), 0o600); err != nil {
		t.Fatal(err)
	}
	rd := files.Confined(0, dir)
	defer rd.Close()
	if f, err := Load(rd, path); err != nil || len(f.Checks) != 2 {
		t.Fatalf("%v", err)
	}
	_, err := Load(rd, "/etc/passwd")
	var te *tree.Error
	if !errors.As(err, &te) || !errors.Is(err, files.ErrOutside) || !strings.Contains(err.Error(), "/etc/passwd") {
		t.Fatalf("outside the folder: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte(`{"accept":[{"rule":"r","reason":"x","expires":"2026-01-01"}]}`))
	f.Add([]byte("must_not_gain:\n  - {principal: '*', action: 's3:*'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data)
		if err != nil {
			var te *tree.Error
			if !errors.As(err, &te) {
				t.Fatalf("not a positioned error: %v", err)
			}
			return
		}
		for _, a := range file.Accept {
			if a.Reason == "" || a.Expires.IsZero() {
				t.Fatalf("accepted without reason or expiry: %+v", a)
			}
			a.Matches("r", "p", "a", "r", "f")
		}
		for _, g := range file.MustNotGain {
			g.Matches("p", "a", "r")
		}
	})
}
