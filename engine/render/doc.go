// Package render writes every answer for a person: as text, a decision
// and its reasons, a walked chain, who can (grants), what can (effective
// permissions), what a principal reaches, an audit's summary and a failed
// scenario check; and the audit's reports, HTML and SARIF. The JSON forms
// are the answers' own encodings.
package render
