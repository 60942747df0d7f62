package loader

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

// iamGlob turns IAM wildcard text (where * and ? are wildcards and nothing
// escapes) into glob form.
func iamGlob(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.ReplaceAll(s, `\`, `\\`)
}

// globHasWildcard reports whether a glob pattern has an unescaped * or ?.
func globHasWildcard(p string) bool {
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

// globMatch reports whether the glob pattern p matches s, character by
// character. The engine has its own matcher; this one checks the loader's
// output in tests.
func globMatch(p, s string) bool {
	pr, sr := []rune(p), []rune(s)
	px, sx := 0, 0
	starP, starS := -1, -1
	for sx < len(sr) || px < len(pr) {
		if px < len(pr) {
			c := pr[px]
			switch {
			case c == '*':
				starP, starS = px, sx
				px++
				continue
			case c == '?' && sx < len(sr):
				px++
				sx++
				continue
			case c != '?':
				lit, w := c, 1
				if c == '\\' && px+1 < len(pr) {
					lit, w = pr[px+1], 2
				}
				if sx < len(sr) && sr[sx] == lit {
					px += w
					sx++
					continue
				}
			}
		}
		if starP >= 0 && starS < len(sr) {
			starS++
			px, sx = starP+1, starS
			continue
		}
		return false
	}
	return true
}
