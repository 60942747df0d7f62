package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/clearance-dev/clearance/engine/baseline"
	"github.com/clearance-dev/clearance/loader/exclusion"
)

// Acceptance: exclusions (an exclusions file's entries, each with a
// reason) and the fingerprint baseline take findings out of the report's
// findings into its Excluded list, counted and listed, never dropped; an
// expired exclusion excludes nothing and is reported, so that it is
// renewed or the finding fixed.

// Fingerprint identifies a finding across audits: its rule, principal,
// subject and policy (the first that grants it), hashed. The title,
// evidence and statement index may change without changing it.
func Fingerprint(f *Finding) string {
	h := sha256.New()
	for _, s := range []string{"clearance-audit/v1", f.Rule, f.Principal, f.Subject, f.Policy} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Rules lists every rule id the audit reports (docs/audit-severity.md).
func Rules() []string {
	return []string{"administrator", "privilege-escalation", "reaches-administrator", "role-open-to-anyone",
		RuleRoleTrustsOutside, RuleRoleTrustsOther, "federation-entry-point", "resource-open-to-world",
		RuleResourceSharedOutside, RuleResourceSharedOther, "sensitive-without-mfa",
		RuleDataAccess, RuleResourceExposure, RuleCredentialsExposure, RuleUnusedAccess}
}

// ExpiredExclusion is an exclusions-file entry whose expiry has passed.
type ExpiredExclusion struct {
	Name    string    `json:"name"` // which findings it covered
	Reason  string    `json:"reason"`
	Expires time.Time `json:"expires"`
	File    string    `json:"file"`
	Line    int       `json:"line"`
	Column  int       `json:"column"`
}

// Exclude moves the findings an unexpired entry matches to rep.Excluded,
// each with the entry's reason, and lists the expired entries in
// rep.ExpiredExclusions.
func Exclude(rep *Report, entries []exclusion.Entry, now time.Time) {
	keep := make([]Finding, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		if e, ok := matching(entries, &f, now); ok {
			f.Excluded = e.Reason
			rep.Excluded = append(rep.Excluded, f)
			continue
		}
		keep = append(keep, f)
	}
	rep.Findings = keep
	for _, e := range entries {
		if e.Expired(now) {
			rep.ExpiredExclusions = append(rep.ExpiredExclusions, ExpiredExclusion{Name: e.Name(), Reason: e.Reason,
				Expires: e.Expires.UTC(), File: e.At.File, Line: e.At.Line, Column: e.At.Col})
		}
	}
}

func matching(entries []exclusion.Entry, f *Finding, now time.Time) (exclusion.Entry, bool) {
	policies := make([]string, 0, len(f.Grants))
	for _, g := range f.Grants {
		policies = append(policies, g.Policy)
	}
	if len(policies) == 0 && f.Policy != "" {
		policies = append(policies, f.Policy)
	}
	for _, e := range entries {
		if !e.Expired(now) && e.Matches(f.Rule, f.Principal, f.Fingerprint, policies) {
			return e, true
		}
	}
	return exclusion.Entry{}, false
}

// BaselineReason is the Excluded reason of a finding the baseline holds.
const BaselineReason = "baseline"

// ApplyBaseline moves the findings whose fingerprint the baseline holds
// to rep.Excluded, with the reason "baseline".
func ApplyBaseline(rep *Report, b *baseline.Baseline) {
	keep := make([]Finding, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		if b.Has(f.Fingerprint) {
			f.Excluded = BaselineReason
			rep.Excluded = append(rep.Excluded, f)
			continue
		}
		keep = append(keep, f)
	}
	rep.Findings = keep
}

// NewBaseline records every finding of the report, excluded ones too (a
// rewritten baseline keeps what was accepted), in the format `clearance
// review` writes.
func NewBaseline(rep *Report) *baseline.Baseline {
	entries := make([]baseline.Entry, 0, len(rep.Findings)+len(rep.Excluded))
	for _, list := range [][]Finding{rep.Findings, rep.Excluded} {
		for i := range list {
			f := &list[i]
			entries = append(entries, baseline.Entry{Fingerprint: f.Fingerprint, Rule: f.Rule, Principal: f.Principal,
				Subject: f.Subject, Policy: f.Policy})
		}
	}
	return baseline.New(entries)
}

// Severities lists the --fail-on values, most severe first; "none" fails
// on nothing.
var Severities = []string{Critical, High, Medium, Low, "none"}

// FailsAt reports why the report fails at the threshold (critical, high,
// medium, low; "none" or "" never fails): a finding at or above it (those
// excluded or in the baseline do not count), or an expired exclusion.
// It returns "" when nothing fails.
func FailsAt(rep *Report, threshold string) (string, error) {
	if threshold == "" || threshold == "none" {
		return "", nil
	}
	rank, ok := severityRank[threshold]
	if !ok {
		return "", fmt.Errorf("expected critical, high, medium, low or none, got %q", threshold)
	}
	n := 0
	for _, f := range rep.Findings {
		if severityRank[f.Severity] <= rank {
			n++
		}
	}
	switch {
	case n > 0 && len(rep.ExpiredExclusions) > 0:
		return fmt.Sprintf("%d findings at or above %s, and %d expired exclusions", n, threshold, len(rep.ExpiredExclusions)), nil
	case n > 0:
		return fmt.Sprintf("%d findings at or above %s", n, threshold), nil
	case len(rep.ExpiredExclusions) > 0:
		return fmt.Sprintf("%d expired exclusions (renew them, or fix what they excluded)", len(rep.ExpiredExclusions)), nil
	}
	return "", nil
}
