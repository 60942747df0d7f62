package tree

import "testing"

// The two number grammars: JSON's (RFC 8259 section 6) and the decimal the
// Numeric condition operators read (IAM User Guide,
// reference_policies_elements_condition_operators.html#Conditions_Numeric).
func TestIsNumber(t *testing.T) {
	for _, c := range []struct {
		s             string
		json, decimal bool
	}{
		{"0", true, true}, {"-12", true, true}, {"12.5", true, true}, {"1e3", true, true}, {"1E-3", true, true},
		{"+1", false, true}, {"01", false, true}, {".5", false, true}, {"5.", false, true},
		{"", false, false}, {"-", false, false}, {".", false, false}, {"1e", false, false}, {"1.5.2", false, false},
		{"0x1F", false, false}, {"Inf", false, false}, {"NaN", false, false}, {"1 ", false, false},
	} {
		if got := IsNumber(c.s, JSONNumber); got != c.json {
			t.Errorf("IsNumber(%q, JSONNumber) = %v, want %v", c.s, got, c.json)
		}
		if got := IsNumber(c.s, Decimal); got != c.decimal {
			t.Errorf("IsNumber(%q, Decimal) = %v, want %v", c.s, got, c.decimal)
		}
	}
}
