package audit

import "encoding/json"

// The audit's JSON has every field of a finding, and lists are [] when
// empty, never null: pipelines filter on them (jq '.findings[] |
// select(.grants[].group == ...)') and docs/audit-output.md documents
// each one.

// MarshalJSON writes the finding with its empty lists as [].
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	p := plain(f)
	p.Evidence, p.Grants, p.Methods, p.Folded = orEmpty(p.Evidence), orEmpty(p.Grants), orEmpty(p.Methods), orEmpty(p.Folded)
	return json.Marshal(p)
}

// MarshalJSON writes the evidence with its empty lists as [].
func (e Evidence) MarshalJSON() ([]byte, error) {
	type plain Evidence
	p := plain(e)
	p.Matched, p.Grants = orEmpty(p.Matched), orEmpty(p.Grants)
	return json.Marshal(p)
}

// MarshalJSON writes the report with its empty lists as [].
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	p := plain(r)
	p.Findings, p.Catalog = orEmpty(p.Findings), orEmpty(p.Catalog)
	return json.Marshal(p)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
