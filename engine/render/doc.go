// Package render writes every answer for a person: as text, a decision
// and its reasons, a walked chain, who can (grants), what can (effective
// permissions), what a principal reaches, an audit's summary and a failed
// scenario check; the audit's reports, HTML and SARIF; and the pipeline
// review's report as text, JSON, SARIF and JUnit XML (review_*.go,
// documented in docs/review-output.md). The JSON forms are the answers'
// own encodings.
package render
