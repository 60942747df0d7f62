package exclusion

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/loader/tree"
)

var rules = Options{Rules: []string{"administrator", "data-access"}}

func TestParse(t *testing.T) {
	got, err := Parse("x.yaml", []byte(`
exclusions:
  - principal: "arn:aws:iam::111122223333:role/break-glass*"
    rule: administrator
    reason: break-glass, SEC-12
    expires: 2026-06-30
  - policy: ReadOnly*
    reason: auditors
  - {fingerprint: abc, reason: one finding, expires: "2026-01-01T12:00:00Z"}
`), rules)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Rule != "administrator" || got[0].At.Line != 3 || got[1].Policy != "ReadOnly*" || got[2].Fingerprint != "abc" {
		t.Fatalf("%+v", got)
	}
	// A date is the end of that day, UTC; no expiry never expires.
	if !got[0].Expires.Equal(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)) || got[1].Expired(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("expiry %v", got[0].Expires)
	}
	if got[0].Expired(time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC)) || !got[0].Expired(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("expired on the wrong day")
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"no reason", "exclusions:\n  - rule: administrator\n", "x.yaml:2:5: $.exclusions[0]: an exclusion needs a reason"},
		{"nothing named", "exclusions:\n  - reason: r\n", "x.yaml:2:5: $.exclusions[0]: an exclusion names a principal"},
		{"unknown key", "exclusions:\n  - {rule: administrator, reason: r, action: s3:*}\n", `unknown key "action"`},
		{"unknown rule", "exclusions:\n  - {rule: admin, reason: r}\n", `x.yaml:2:12: $.exclusions[0].rule: rule: "admin" is not a rule of the audit`},
		{"bad principal", "exclusions:\n  - {principal: alice, reason: r}\n", `principal: "alice": expected "*" or an ARN pattern`},
		{"bad expiry", "exclusions:\n  - {rule: administrator, reason: r, expires: soon}\n", `expires: expected a date`},
		{"not a list", "exclusions: {rule: x}\n", "expected a list"},
		{"top level", "- rule: x\n", "expected a mapping"},
		{"unknown top", "accept: []\n", `unknown key "accept"`},
		{"empty value", "exclusions:\n  - {policy: \"\", reason: r}\n", `policy: "": expected a value`},
		{"not yaml", "exclusions: [\n", "x.yaml:"},
	} {
		_, err := Parse("x.yaml", []byte(c.in), rules)
		var te *tree.Error
		if err == nil || !errors.As(err, &te) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want a *tree.Error containing %q", c.name, err, c.want)
		}
	}
	if _, err := Parse("big.yaml", make([]byte, MaxBytes+1), rules); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("oversized: %v", err)
	}
}

func TestMatches(t *testing.T) {
	admin := "arn:aws:iam::aws:policy/AdministratorAccess"
	inline := "arn:aws:iam::111122223333:user/bob#developer"
	for _, c := range []struct {
		name     string
		e        Entry
		policies []string
		want     bool
	}{
		{"rule", Entry{Rule: "administrator"}, nil, true},
		{"other rule", Entry{Rule: "data-access"}, nil, false},
		{"principal glob", Entry{Principal: "arn:aws:iam::111122223333:role/ops-*"}, nil, true},
		{"principal other", Entry{Principal: "arn:aws:iam::111122223333:role/dev-*"}, nil, false},
		{"policy name", Entry{Policy: "AdministratorAccess"}, []string{admin}, true},
		{"policy arn", Entry{Policy: "arn:aws:iam::aws:policy/*"}, []string{admin}, true},
		{"inline name", Entry{Policy: "developer"}, []string{inline}, true},
		{"every grant must match", Entry{Policy: "AdministratorAccess"}, []string{admin, inline}, false},
		{"no grant", Entry{Policy: "AdministratorAccess"}, nil, false},
		{"fingerprint", Entry{Fingerprint: "f1"}, nil, true},
		{"other fingerprint", Entry{Fingerprint: "f2"}, nil, false},
		{"all named must match", Entry{Rule: "administrator", Principal: "arn:aws:iam::111122223333:role/dev"}, nil, false},
	} {
		if got := c.e.Matches("administrator", "arn:aws:iam::111122223333:role/ops-1", "f1", c.policies); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// Parse never panics; what it refuses is a positioned *tree.Error.
func FuzzParse(f *testing.F) {
	f.Add([]byte("exclusions:\n  - {rule: administrator, reason: r, expires: 2026-01-01}\n"))
	f.Add([]byte(`{"exclusions": [{"policy": "P*", "reason": "r"}]}`))
	f.Add([]byte("exclusions: [{principal: '*', reason: x}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse("f.yaml", data, rules)
		if err != nil {
			var te *tree.Error
			if !errors.As(err, &te) || te.File != "f.yaml" {
				t.Fatalf("not a positioned error: %T %v", err, err)
			}
			return
		}
		for _, e := range got {
			if strings.TrimSpace(e.Reason) == "" || e.Name() == "" {
				t.Fatalf("accepted %+v", e)
			}
		}
	})
}
