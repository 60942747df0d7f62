package review

import (
	"fmt"
	"time"

	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/assertion"
)

// CheckAccepts refuses an accept entry that names a rule the review does
// not have (a typo would accept nothing, silently).
func CheckAccepts(accepts []assertion.Accept) error {
	for _, a := range accepts {
		if _, ok := RuleByID(a.Rule); a.Rule != "" && !ok {
			return fault.Errorf(fault.CodeBadRequest, "%s: accept: rule %q is not a rule of the review (docs/review-output.md lists them)", a.At, a.Rule)
		}
	}
	return nil
}

// Accept applies the assertion file's accept entries at now: a finding an
// unexpired entry matches is marked accepted with the entry's reason (it is
// reported, and fails nothing); an expired entry accepts nothing and fails
// the review itself, with a high assertion-failed finding at the entry and
// a failed check, so that the acceptance is renewed or the finding fixed.
func Accept(rep *Report, accepts []assertion.Accept, now time.Time) {
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Accepted != "" {
			continue
		}
		for _, a := range accepts {
			if !a.Expired(now) && a.Matches(f.Rule, f.Principal, f.Action, f.Resource, f.Fingerprint) {
				f.Accepted = a.Reason
				break
			}
		}
	}
	for _, a := range accepts {
		if a.Expired(now) {
			rep.Findings = append(rep.Findings, expiredAcceptance(a))
			rep.Checks = append(rep.Checks, CheckResult{Name: "acceptance " + acceptName(a), Expected: "unexpired",
				Got: "expired " + a.Expires.UTC().Format(time.RFC3339), Message: a.Reason, Location: acceptLocation(a)})
		}
	}
}

func expiredAcceptance(a assertion.Accept) Finding {
	f := Finding{Rule: RuleAssertionFailed, Severity: High, Change: Assertion,
		Principal: a.Principal, Action: a.Action, Resource: a.Resource, Location: acceptLocation(a),
		Message: fmt.Sprintf("the acceptance of %s expired on %s (reason given: %s): renew it with a new expiry, or fix what it accepted",
			acceptName(a), a.Expires.UTC().Format(time.RFC3339), a.Reason)}
	f.Fingerprint = Fingerprint(&f)
	return f
}

func acceptName(a assertion.Accept) string {
	if a.Fingerprint != "" {
		return "finding " + a.Fingerprint
	}
	return fmt.Sprintf("%s findings of %s on %s (%s)", a.Rule, a.Principal, a.Resource, a.Action)
}

func acceptLocation(a assertion.Accept) Location {
	return Location{File: a.At.File, Line: a.At.Line, Column: a.At.Col}
}
