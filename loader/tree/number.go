package tree

// NumberForm names one of the two number grammars a policy meets.
type NumberForm int

const (
	// JSONNumber is JSON's literal: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
	JSONNumber NumberForm = iota
	// Decimal is what the Numeric condition operators read from a string:
	// [+-]?([0-9]+.?[0-9]*|.[0-9]+)([eE][+-]?[0-9]+)? (a leading or
	// trailing '.' allowed; no hex, Inf or NaN).
	Decimal
)

// IsNumber reports whether s is a number in the given grammar. Both share
// one scanner: they differ only in the sign and the integer part.
func IsNumber(s string, form NumberForm) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || form == Decimal && s[i] == '+') {
		i++
	}
	start := i
	if form == JSONNumber && i < len(s) && s[i] == '0' {
		i++
	} else {
		i = skipDigits(s, i)
	}
	intDigits := i > start
	if form == JSONNumber && !intDigits {
		return false
	}
	if i < len(s) && s[i] == '.' {
		j := skipDigits(s, i+1)
		if j == i+1 && (form == JSONNumber || !intDigits) {
			return false // JSON needs digits after '.'; a decimal needs digits on one side
		}
		i = j
	} else if !intDigits {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := skipDigits(s, i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(s)
}

func skipDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
