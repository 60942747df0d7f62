package render

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/clearance-dev/clearance/engine/review"
)

// ReviewJSON writes a review's report as JSON: {"findings": [...],
// "summary": {...}, "checks": [...]}, documented field by field in
// docs/review-output.md. Every field is present in every object (empty
// lists as [], every severity in summary.by_severity), and the order is
// the report's (review.Finalize sorts it), so the output is stable.
func ReviewJSON(w io.Writer, rep *review.Report) error {
	out := review.Report{Findings: make([]review.Finding, len(rep.Findings)), Summary: normalizedSummary(rep.Summary),
		Checks: rep.Checks}
	for i, f := range rep.Findings {
		if f.Symbols == nil {
			f.Symbols = []string{}
		}
		out.Findings[i] = f
	}
	if out.Checks == nil {
		out.Checks = []review.CheckResult{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("review json: %w", err)
	}
	return nil
}

// normalizedSummary is the summary with every severity counted in
// by_severity (zero included).
func normalizedSummary(s review.Summary) review.Summary {
	by := make(map[string]int, len(review.Severities))
	for _, sev := range review.Severities {
		by[sev] = 0
	}
	for k, v := range s.BySeverity {
		by[k] = v
	}
	s.BySeverity = by
	return s
}
