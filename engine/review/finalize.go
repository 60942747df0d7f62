package review

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/engine/fault"
)

// None is the --fail-on value that never fails the review.
const None = "none"

// Severities lists the severities, most severe first.
var Severities = []string{Critical, High, Medium, Low}

// ParseFailOn checks a --fail-on value: a severity or "none".
func ParseFailOn(s string) (string, error) {
	if s == None || Rank(s) > 0 {
		return s, nil
	}
	return "", fault.Errorf(fault.CodeBadRequest, "--fail-on: expected critical, high, medium, low or none, got %q", s)
}

// Fingerprint computes a finding's fingerprint: a hash of the rule, the
// principal, the action, the resource, the change's file (cleaned, with
// forward slashes) and the address. Lines, columns, messages and the why
// are left out, so that moving a statement or rewording a message keeps
// the fingerprint, and a baseline or a code scanning alert keeps matching.
func Fingerprint(f *Finding) string {
	h := sha256.New()
	for _, s := range []string{"clearance/v1", f.Rule, f.Principal, f.Action, f.Resource,
		cleanFile(f.Location.File), f.Location.Address} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func cleanFile(file string) string {
	if file == "" {
		return ""
	}
	return path.Clean(strings.ReplaceAll(file, `\`, "/"))
}

// AssertionFinding is the finding a failed assertion reports (rule
// assertion-failed, high), so that it counts towards --fail-on like any
// other finding and can be accepted.
func AssertionFinding(c CheckResult) Finding {
	msg := fmt.Sprintf("assertion %q failed: expected %s, got %s", c.Name, c.Expected, c.Got)
	if c.Message != "" {
		msg += ": " + c.Message
	}
	return Finding{Rule: RuleAssertionFailed, Severity: High, Change: Assertion,
		Principal: c.Principal, Action: c.Action, Resource: c.Resource,
		Message: msg, Location: c.Location, Symbols: []string{}}
}

// Finalize makes a report ready to write: it fills missing fingerprints,
// sorts the findings (most severe first, then by file, line, column, rule,
// principal, action, resource, message), and fills the summary's counts
// and Failed for the --fail-on threshold failOn. Principals and Decisions
// are left as the review set them.
func Finalize(rep *Report, failOn string) {
	for i := range rep.Findings {
		if rep.Findings[i].Fingerprint == "" {
			rep.Findings[i].Fingerprint = Fingerprint(&rep.Findings[i])
		}
	}
	slices.SortStableFunc(rep.Findings, compareFindings)
	rep.Summary.FailOn = failOn
	Summarize(rep)
}

func compareFindings(a, b Finding) int {
	if c := cmp.Compare(Rank(b.Severity), Rank(a.Severity)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Location.File, b.Location.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Location.Line, b.Location.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Location.Column, b.Location.Column); c != 0 {
		return c
	}
	for _, p := range [][2]string{{a.Rule, b.Rule}, {a.Principal, b.Principal}, {a.Action, b.Action},
		{a.Resource, b.Resource}, {a.Message, b.Message}, {a.Fingerprint, b.Fingerprint}} {
		if c := cmp.Compare(p[0], p[1]); c != 0 {
			return c
		}
	}
	return 0
}

// Summarize recomputes the summary's counts from the findings and the
// checks, and Failed from Summary.FailOn: the review fails when a finding
// that is not accepted has a severity at or above FailOn ("none" never
// fails). A failed check fails the review through its finding
// (AssertionFinding).
func Summarize(rep *Report) {
	s := &rep.Summary
	s.Findings = len(rep.Findings)
	s.BySeverity = map[string]int{}
	for _, sev := range Severities {
		s.BySeverity[sev] = 0
	}
	s.Added, s.Removed, s.Accepted, s.Failed = 0, 0, 0, false
	threshold := Rank(s.FailOn)
	for _, f := range rep.Findings {
		s.BySeverity[f.Severity]++
		switch f.Change {
		case Added:
			s.Added++
		case Removed:
			s.Removed++
		}
		if f.Accepted != "" {
			s.Accepted++
			continue
		}
		if threshold > 0 && Rank(f.Severity) >= threshold {
			s.Failed = true
		}
	}
	s.Assertions.Passed, s.Assertions.Failed = 0, 0
	for _, c := range rep.Checks {
		if c.Passed {
			s.Assertions.Passed++
		} else {
			s.Assertions.Failed++
		}
	}
}
