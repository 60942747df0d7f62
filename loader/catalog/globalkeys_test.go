package catalog

import "testing"

// Global keys as the IAM User Guide spells them ("AWS global condition
// context keys"), in any case; tag keys with their tag; typos are neither
// known nor left without a suggestion.
func TestGlobalKeys(t *testing.T) {
	for _, c := range []struct {
		key     string
		known   bool
		suggest string
	}{
		{"aws:SourceIp", true, ""},
		{"AWS:SOURCEIP", true, ""},
		{"aws:PrincipalTag/team", true, ""},
		{"aws:PrincipalTag/", false, ""},
		{"aws:SourceIpp", false, "aws:SourceIp"},
		{"aws:PrincipalTagg/team", false, "aws:PrincipalTag/team"},
		{"aws:MultiFactorAuthPresnt", false, "aws:MultiFactorAuthPresent"},
		{"aws:VpceOrgID", true, ""},
		{"aws:nothinglikeit", false, ""},
	} {
		if got := KnownGlobalKey(c.key); got != c.known {
			t.Errorf("KnownGlobalKey(%q) = %v", c.key, got)
		}
		if !c.known {
			if got := SuggestGlobalKey(c.key); got != c.suggest {
				t.Errorf("SuggestGlobalKey(%q) = %q, want %q", c.key, got, c.suggest)
			}
		}
	}
}
