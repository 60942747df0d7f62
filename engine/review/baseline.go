package review

import (
	"io"

	"github.com/clearance-dev/clearance/engine/baseline"
)

// The baseline file format is engine/baseline's, shared with the audit.
type (
	// Baseline is a set of accepted findings, by fingerprint:
	// --write-baseline records a review's findings, --baseline marks them
	// accepted in a later review.
	Baseline = baseline.Baseline
	// BaselineEntry is one accepted finding.
	BaselineEntry = baseline.Entry
)

// BaselineVersion is the version of the baseline format this build writes
// and the only one it reads.
const BaselineVersion = baseline.Version

// NewBaseline records the findings of a report (all of them, accepted or
// not: a rewritten baseline keeps what the old one accepted), one entry
// per fingerprint, sorted.
func NewBaseline(rep *Report) *Baseline {
	entries := make([]BaselineEntry, 0, len(rep.Findings))
	for i := range rep.Findings {
		f := &rep.Findings[i]
		fp := f.Fingerprint
		if fp == "" {
			fp = Fingerprint(f)
		}
		entries = append(entries, BaselineEntry{Fingerprint: fp, Rule: f.Rule, Principal: f.Principal, Action: f.Action, Resource: f.Resource})
	}
	return baseline.New(entries)
}

// WriteBaseline writes the baseline of a report as JSON.
func WriteBaseline(w io.Writer, rep *Report) error {
	return NewBaseline(rep).Write(w)
}

// ApplyBaseline marks accepted ("baseline") the findings of the report
// whose fingerprint the baseline holds, unless an acceptance of the
// assertion file already covers them, and recomputes the summary
// (Summarize).
func ApplyBaseline(b *Baseline, rep *Report) {
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Fingerprint == "" {
			f.Fingerprint = Fingerprint(f)
		}
		if f.Accepted == "" && b.Has(f.Fingerprint) {
			f.Accepted = "baseline"
		}
	}
	Summarize(rep)
}

// ReadBaseline reads a baseline file written by WriteBaseline (see
// baseline.Read).
func ReadBaseline(file string, data []byte) (*Baseline, error) { return baseline.Read(file, data) }
