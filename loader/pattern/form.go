package pattern

import "strings"

// The internal glob form.
//
// Action patterns, Resource patterns and the values of the StringLike,
// StringNotLike and Arn* condition operators are stored as glob patterns in
// which
//
//	*   matches any run of characters (including none, ':' and '/'),
//	?   matches exactly one character,
//	\c  matches the character c literally (so \* is a literal star,
//	    \? a literal question mark and \\ a literal backslash).
//
// IAM itself has no escape character: a backslash in a policy is an
// ordinary character, and the only ways to write a literal * or ? are the
// policy variables ${*} and ${?}. The loader therefore turns IAM text into
// glob form by doubling backslashes, and ${*} / ${?} into \* / \?. Values
// substituted for policy variables at evaluation time are literal too and
// must go through GlobEscape before they are spliced into a pattern.

// GlobEscape returns the glob pattern that matches exactly the literal s.
func GlobEscape(s string) string {
	if !strings.ContainsAny(s, `*?\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// GlobLiteralPrefix returns the literal text a glob pattern starts with,
// unescaped, up to its first wildcard. It is the whole pattern, unescaped,
// when the pattern has no wildcard.
func GlobLiteralPrefix(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*', '?':
			return b.String()
		case '\\':
			if i+1 < len(p) {
				i++
			}
			b.WriteByte(p[i])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// IAMGlob turns IAM wildcard text (where * and ? are wildcards and nothing
// escapes) into glob form.
func IAMGlob(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.ReplaceAll(s, `\`, `\\`)
}

// GlobHasWildcard reports whether a glob pattern has an unescaped * or ?.
func GlobHasWildcard(p string) bool {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '*', '?':
			return true
		}
	}
	return false
}
