package audit

import (
	"slices"
	"testing"
)

// Fold joins a principal's disuse to its other findings and its
// sensitive permissions without MFA to its escalation or administrator
// findings, and keeps each as its own finding where there is nothing to
// join it to (docs/audit-severity.md, "One problem, one finding").
func TestFold(t *testing.T) {
	const a, b = "arn:aws:iam::1:role/a", "arn:aws:iam::1:user/b"
	f := func(rule, principal string) Finding {
		return Finding{Rule: rule, Principal: principal, Title: rule + " " + principal}
	}
	for _, c := range []struct {
		name string
		in   []Finding
		want []string   // rules kept, in order
		into [][]string // folded rules of each kept finding
	}{
		{"nothing to fold", []Finding{f(RulePrivilegeEscalation, a)}, []string{RulePrivilegeEscalation}, [][]string{nil}},
		{"unused alone stays", []Finding{f(RuleUnusedAccess, a)}, []string{RuleUnusedAccess}, [][]string{nil}},
		{"unused joins every other finding", []Finding{f(RuleUnusedAccess, a), f(RulePrivilegeEscalation, a), f(RuleDataAccess, a)},
			[]string{RulePrivilegeEscalation, RuleDataAccess}, [][]string{{RuleUnusedAccess}, {RuleUnusedAccess}}},
		{"another principal's finding is not joined", []Finding{f(RuleUnusedAccess, a), f(RulePrivilegeEscalation, b)},
			[]string{RuleUnusedAccess, RulePrivilegeEscalation}, [][]string{nil, nil}},
		{"no MFA joins escalation", []Finding{f(RuleSensitiveWithoutMFA, b), f(RulePrivilegeEscalation, b)},
			[]string{RulePrivilegeEscalation}, [][]string{{RuleSensitiveWithoutMFA}}},
		{"no MFA does not join data access", []Finding{f(RuleSensitiveWithoutMFA, b), f(RuleDataAccess, b)},
			[]string{RuleSensitiveWithoutMFA, RuleDataAccess}, [][]string{nil, nil}},
		{"unused and no MFA both join the administrator", []Finding{f(RuleUnusedAccess, b), f(RuleSensitiveWithoutMFA, b), f(RuleAdministrator, b)},
			[]string{RuleAdministrator}, [][]string{{RuleUnusedAccess, RuleSensitiveWithoutMFA}}},
		{"unused joins a no-MFA finding that stays", []Finding{f(RuleUnusedAccess, b), f(RuleSensitiveWithoutMFA, b)},
			[]string{RuleSensitiveWithoutMFA}, [][]string{{RuleUnusedAccess}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := Fold(slices.Clone(c.in))
			var rules []string
			var into [][]string
			for _, g := range out {
				rules = append(rules, g.Rule)
				var fr []string
				for _, x := range g.Folded {
					fr = append(fr, x.Rule)
				}
				into = append(into, fr)
			}
			if !slices.Equal(rules, c.want) || len(into) != len(c.into) {
				t.Fatalf("kept %v, want %v", rules, c.want)
			}
			for i := range into {
				if !slices.Equal(into[i], c.into[i]) {
					t.Errorf("finding %d (%s) folded %v, want %v", i, rules[i], into[i], c.into[i])
				}
			}
		})
	}
}
