package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/clearance-dev/clearance/engine/review"
)

// ReviewText writes a review's report for people: the findings grouped by
// severity, most severe first, each with its place in the change
// (file:line:col and the Terraform address), who gains what on which
// resource, the message, the why (indented), the values unknown until
// deployment and the acceptance; then the assertions; then a summary line
// that says whether the review fails at --fail-on.
func ReviewText(w io.Writer, rep *review.Report) error {
	bw := bufio.NewWriter(w)
	groups := map[string][]*review.Finding{}
	var other []string // severities outside the four, in order of appearance
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if _, ok := groups[f.Severity]; !ok && review.Rank(f.Severity) == 0 {
			other = append(other, f.Severity)
		}
		groups[f.Severity] = append(groups[f.Severity], f)
	}
	if len(rep.Findings) == 0 {
		fmt.Fprint(bw, "No findings.\n\n")
	}
	for _, sev := range append(append([]string(nil), review.Severities...), other...) {
		if len(groups[sev]) == 0 {
			continue
		}
		fmt.Fprintf(bw, "%s (%d)\n", strings.ToUpper(sev), len(groups[sev]))
		for _, f := range groups[sev] {
			textFinding(bw, f)
		}
	}
	textChecks(bw, rep.Checks)
	fmt.Fprintln(bw, summaryLine(rep.Summary))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("review text: %w", err)
	}
	return nil
}

func textFinding(w io.Writer, f *review.Finding) {
	fmt.Fprintf(w, "  %s  %s (%s)\n", locationText(f.Location), f.Rule, f.Change)
	fmt.Fprintf(w, "    %s\n", oneLine(f.Message))
	for _, kv := range [][2]string{{"principal", f.Principal}, {"action", f.Action}, {"resource", f.Resource}} {
		if kv[1] != "" {
			fmt.Fprintf(w, "    %-10s %s\n", kv[0]+":", oneLine(kv[1]))
		}
	}
	if len(f.Symbols) > 0 {
		fmt.Fprintf(w, "    %-10s %s (unknown until deployment)\n", "symbols:", oneLine(strings.Join(f.Symbols, ", ")))
	}
	if f.Accepted != "" {
		fmt.Fprintf(w, "    %-10s %s\n", "accepted:", oneLine(f.Accepted))
	}
	if why := strings.TrimSpace(f.Why); why != "" {
		fmt.Fprintln(w, "    why:")
		for _, line := range strings.Split(why, "\n") {
			fmt.Fprintf(w, "      %s\n", printable(strings.TrimRight(line, " \t\r")))
		}
	}
	if f.Replay != "" {
		fmt.Fprintf(w, "    %-10s %s\n", "replay:", oneLine(f.Replay))
	}
	fmt.Fprintln(w)
}

func textChecks(w io.Writer, checks []review.CheckResult) {
	if len(checks) == 0 {
		return
	}
	fmt.Fprintf(w, "ASSERTIONS (%d)\n", len(checks))
	for _, c := range checks {
		verdict := "PASS"
		if !c.Passed {
			verdict = "FAIL"
		}
		fmt.Fprintf(w, "  %s  %s: expected %s, got %s  (%s)\n", verdict, oneLine(c.Name), c.Expected, c.Got, locationText(c.Location))
		if c.Message != "" && !c.Passed {
			fmt.Fprintf(w, "        %s\n", oneLine(c.Message))
		}
	}
	fmt.Fprintln(w)
}

// locationText is file:line:col, with the address when there is one.
func locationText(l review.Location) string {
	s := l.File
	if l.Line > 0 {
		s += fmt.Sprintf(":%d", l.Line)
		if l.Column > 0 {
			s += fmt.Sprintf(":%d", l.Column)
		}
	}
	if l.Address != "" {
		if s == "" {
			return l.Address
		}
		s += " (" + l.Address + ")"
	}
	return s
}

func summaryLine(s review.Summary) string {
	s = normalizedSummary(s)
	var b strings.Builder
	fmt.Fprintf(&b, "%d findings (%d critical, %d high, %d medium, %d low): %d added, %d removed, %d accepted",
		s.Findings, s.BySeverity[review.Critical], s.BySeverity[review.High], s.BySeverity[review.Medium], s.BySeverity[review.Low],
		s.Added, s.Removed, s.Accepted)
	fmt.Fprintf(&b, "; assertions: %d passed, %d failed", s.Assertions.Passed, s.Assertions.Failed)
	fmt.Fprintf(&b, "; %d principals, %d decisions compared", s.Principals, s.Decisions)
	verdict := "passed"
	if s.Failed {
		verdict = "FAILED"
	}
	if s.FailOn == "" {
		return b.String()
	}
	fmt.Fprintf(&b, "\nReview %s (--fail-on %s)", verdict, s.FailOn)
	return b.String()
}

// oneLine keeps a value on its line: newlines and tabs become spaces,
// and other control characters (a template's terminal escapes) are shown
// as U+FFFD rather than sent to the terminal.
func oneLine(s string) string {
	return strings.Join(strings.Fields(printable(strings.ReplaceAll(s, "\r", " "))), " ")
}

func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return '\uFFFD'
		}
		return r
	}, s)
}
