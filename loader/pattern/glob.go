package pattern

import (
	"unicode/utf8"
)

// Glob reports whether value matches pattern in the internal glob form the
// loader writes (form.go): '*' matches any run of characters,
// including none and including ':' and '/'; '?' matches exactly one
// character (one UTF-8 encoded rune); a backslash makes the next character
// literal. Matching is case-sensitive.
//
// The matcher is iterative, keeps one backtrack point (the last star) and
// does not allocate: a pattern such as "*********x" costs O(len(pattern) ×
// len(value)) at worst.
func Glob(pattern, value string) bool {
	p, v := 0, 0
	star, mark := -1, 0
	for v < len(value) {
		if p < len(pattern) {
			switch c := pattern[p]; {
			case c == '*':
				star, mark = p, v
				p++
				continue
			case c == '?':
				_, w := utf8.DecodeRuneInString(value[v:])
				p, v = p+1, v+w
				continue
			case c == '\\' && p+1 < len(pattern):
				if pattern[p+1] == value[v] {
					p, v = p+2, v+1
					continue
				}
			case c == value[v]:
				p, v = p+1, v+1
				continue
			}
		}
		if star < 0 {
			return false
		}
		// Backtrack: let the last star swallow one more character.
		_, w := utf8.DecodeRuneInString(value[mark:])
		mark += w
		p, v = star+1, mark
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
