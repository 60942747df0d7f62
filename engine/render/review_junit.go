package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/clearance-dev/clearance/engine/review"
)

// JUnit XML in the shape CI test tabs read (GitHub test reporters, GitLab's
// artifacts:reports:junit, Jenkins): testsuites / testsuite / testcase /
// failure, with the attributes of the common junit-10 XSD (testsuite:
// name, tests, failures, errors, skipped, time; testcase: name,
// classname, time; failure: message, type, text).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

// junitText is a multi-line text, written as CDATA so that CI tabs show
// its lines (encoding/xml splits a "]]>" inside it).
type junitText struct {
	Text string `xml:",cdata"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// ReviewJUnit writes a review's report as JUnit XML: a test suite of the
// assertions (one test case per check, failing when the check failed) and
// a test suite of the rules (one test case per rule of review.Rules, and
// per other rule a finding names, failing when the rule has a finding not
// accepted at or above --fail-on, which the failure lists; the rule's
// other findings are in system-out).
func ReviewJUnit(w io.Writer, rep *review.Report) error {
	assertions := junitSuite{Name: "clearance review: assertions", Time: "0"}
	for _, c := range rep.Checks {
		assertions.add(checkCase(c))
	}
	rules := junitSuite{Name: "clearance review: rules", Time: "0"}
	byRule := map[string][]*review.Finding{}
	for i := range rep.Findings {
		byRule[rep.Findings[i].Rule] = append(byRule[rep.Findings[i].Rule], &rep.Findings[i])
	}
	for _, id := range junitRuleIDs(byRule) {
		rules.add(ruleCase(id, byRule[id], rep.Summary.FailOn))
	}
	out := junitSuites{Name: "clearance review", Time: "0", Suites: []junitSuite{assertions, rules}}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	return nil
}

func (s *junitSuite) add(c junitCase) {
	s.Tests++
	if c.Failure != nil {
		s.Failures++
	}
	s.Cases = append(s.Cases, c)
}

// junitRuleIDs is review.Rules' order, then the other rules findings name,
// sorted.
func junitRuleIDs(byRule map[string][]*review.Finding) []string {
	var ids, extra []string
	known := map[string]bool{}
	for _, r := range review.Rules {
		ids = append(ids, r.ID)
		known[r.ID] = true
	}
	for id := range byRule {
		if !known[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	return append(ids, extra...)
}

func checkCase(c review.CheckResult) junitCase {
	tc := junitCase{Name: c.Name, Classname: "clearance.review.assertions", Time: "0"}
	if c.Passed {
		return tc
	}
	text := fmt.Sprintf("%s\nexpected %s, got %s", locationText(c.Location), c.Expected, c.Got)
	for _, kv := range [][2]string{{"principal: ", c.Principal}, {"action: ", c.Action}, {"resource: ", c.Resource}, {"", c.Message}} {
		if kv[1] != "" {
			text += "\n" + kv[0] + kv[1]
		}
	}
	tc.Failure = &junitFailure{Message: fmt.Sprintf("expected %s, got %s", c.Expected, c.Got), Type: "assertion", Text: xmlText(text)}
	return tc
}

func ruleCase(id string, findings []*review.Finding, failOn string) junitCase {
	name := id
	if r, ok := review.RuleByID(id); ok {
		name = id + ": " + r.Short
	}
	tc := junitCase{Name: name, Classname: "clearance.review.rules", Time: "0"}
	threshold := review.Rank(failOn)
	var failing, other []string
	worst := ""
	for _, f := range findings {
		if f.Accepted == "" && threshold > 0 && review.Rank(f.Severity) >= threshold {
			failing = append(failing, junitFindingText(f))
			if review.Rank(f.Severity) > review.Rank(worst) {
				worst = f.Severity
			}
		} else {
			other = append(other, junitFindingText(f))
		}
	}
	if len(failing) > 0 {
		tc.Failure = &junitFailure{Type: worst, Text: xmlText(strings.Join(failing, "\n")),
			Message: fmt.Sprintf("%d finding(s) at or above --fail-on %s", len(failing), failOn)}
	}
	if len(other) > 0 {
		tc.SystemOut = &junitText{xmlText(strings.Join(other, "\n"))}
	}
	return tc
}

func junitFindingText(f *review.Finding) string {
	s := fmt.Sprintf("[%s] %s: %s", f.Severity, locationText(f.Location), f.Message)
	for _, kv := range [][2]string{{"principal", f.Principal}, {"action", f.Action}, {"resource", f.Resource}, {"accepted", f.Accepted}} {
		if kv[1] != "" {
			s += fmt.Sprintf("\n    %s: %s", kv[0], kv[1])
		}
	}
	if len(f.Symbols) > 0 {
		s += "\n    symbols: " + strings.Join(f.Symbols, ", ")
	}
	return s
}

// xmlText replaces the characters XML 1.0 cannot hold (control characters
// other than tab, newline and carriage return; surrogates; U+FFFE/FFFF)
// with U+FFFD: CDATA is written as is, and a template's text is untrusted.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xd800 && r < 0xe000, r == 0xfffe, r == 0xffff, r == utf8.RuneError:
			return '\uFFFD'
		}
		return r
	}, s)
}
