package audit

import "strings"

// Folded is a finding joined to a graver one of the same principal.
type Folded struct {
	Rule  string `json:"rule"`
	Title string `json:"title"`
}

// foldInto says, for each rule that folds, the rules of the findings it
// folds into: a principal's disuse joins any other finding of it (the fix
// becomes removing the principal); its sensitive permissions without MFA
// join its escalation or administrator findings, which already name
// those permissions as the graver problem.
var foldInto = map[string]map[string]bool{
	RuleUnusedAccess:        nil, // any other rule
	RuleSensitiveWithoutMFA: {RulePrivilegeEscalation: true, RuleAdministrator: true},
}

// Fold keeps one finding per principal problem: a finding of a rule of
// foldInto whose principal has a finding it folds into is left out and
// noted on each of those (Finding.Folded, and a sentence of the Detail);
// a principal with nothing to fold into keeps it as its own finding.
// Audit folds its report; engine/shard folds the merged one, after the
// reach search it defers, so both give the same findings.
func Fold(fs []Finding) []Finding {
	lesser := map[string][]int{} // principal -> its findings that may fold
	for i, f := range fs {
		if _, ok := foldInto[f.Rule]; ok {
			lesser[f.Principal] = append(lesser[f.Principal], i)
		}
	}
	if len(lesser) == 0 {
		return fs
	}
	drop := make([]bool, len(fs))
	for i := range fs {
		g := &fs[i]
		for _, j := range lesser[g.Principal] {
			l := fs[j]
			if into := foldInto[l.Rule]; l.Rule != g.Rule && (into == nil || into[g.Rule]) {
				g.Folded = append(g.Folded, Folded{Rule: l.Rule, Title: l.Title})
				g.Detail = strings.TrimSpace(g.Detail + " Also (" + l.Rule + "): " + l.Title + ".")
				drop[j] = true
			}
		}
	}
	out := make([]Finding, 0, len(fs))
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return out
}
