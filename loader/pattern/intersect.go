package pattern

import (
	"strings"
	"unicode/utf8"
)

// Intersections of patterns. Two IAM resource patterns may overlap
// without one holding the other (arn:aws:s3:::b/*.txt and
// arn:aws:s3:::b/private/*: both match b/private/x.txt). Both are patterns
// over the same string, so the resources they both match are those of a
// finite union of patterns (b/private/*.txt), which GlobIntersect and
// ResourceIntersect compute.

// maxPieces bounds the patterns an intersection is written with; past it
// the intersection is reported as not computed.
const maxPieces = 32

// token is one element of a glob: a literal character (in its glob
// text, e.g. "a" or `\*`), '?' or '*'.
type token struct {
	kind byte // 'l', '?' or '*'
	text string
}

// tokens splits a glob pattern, collapsing runs of '*'.
func tokens(p string) []token {
	var out []token
	for i := 0; i < len(p); {
		switch c := p[i]; {
		case c == '*':
			if n := len(out); n == 0 || out[n-1].kind != '*' {
				out = append(out, token{'*', "*"})
			}
			i++
		case c == '?':
			out = append(out, token{'?', "?"})
			i++
		case c == '\\' && i+1 < len(p):
			_, w := utf8.DecodeRuneInString(p[i+1:])
			out = append(out, token{'l', GlobEscape(p[i+1 : i+1+w])})
			i += 1 + w
		default:
			_, w := utf8.DecodeRuneInString(p[i:])
			out = append(out, token{'l', GlobEscape(p[i : i+w])})
			i += w
		}
	}
	return out
}

// GlobIntersect returns glob patterns whose union matches exactly the
// values both a and b match (none when no value does); ok is false when
// the intersection needs more than maxPieces patterns or a pattern is not
// valid UTF-8 (policies are JSON text, so a loaded pattern always is; a
// stray byte would let two pieces join into one character).
//
// For s in both: where both start with a single-character token, s starts
// with a character both take (the narrower token) and its rest is in the
// intersection of the rests; where a starts with '*' and b with a single
// character c, either the star is empty (a's rest against b) or it takes
// s's first character (c, then a against b's rest); where both start with
// '*', whichever star is shorter leaves its pattern's rest against the
// other pattern whole: *·(a' ∩ b) ∪ *·(a ∩ b').
func GlobIntersect(a, b string) (pieces []string, ok bool) {
	if !utf8.ValidString(a) || !utf8.ValidString(b) {
		return nil, false
	}
	x := intersection{a: tokens(a), b: tokens(b), memo: map[[2]int][]string{}}
	out := x.from(0, 0)
	if x.over {
		return nil, false
	}
	return prune(out), true
}

type intersection struct {
	a, b []token
	memo map[[2]int][]string
	over bool
}

func (x *intersection) from(i, j int) []string {
	if x.over {
		return nil
	}
	key := [2]int{i, j}
	if got, done := x.memo[key]; done {
		return got
	}
	out := x.step(i, j)
	if len(out) > maxPieces {
		out = prune(out)
	}
	if len(out) > maxPieces {
		x.over = true
	}
	x.memo[key] = out
	return out
}

// step is one case of GlobIntersect's recursion.
func (x *intersection) step(i, j int) []string {
	switch {
	case i == len(x.a) && j == len(x.b):
		return []string{""}
	case i == len(x.a):
		return emptyIfStars(x.b[j:])
	case j == len(x.b):
		return emptyIfStars(x.a[i:])
	}
	ta, tb := x.a[i], x.b[j]
	switch {
	case ta.kind == '*' && tb.kind == '*':
		return append(prefixed("*", x.from(i+1, j)), prefixed("*", x.from(i, j+1))...)
	case ta.kind == '*':
		return append(x.from(i+1, j), prefixed(tb.text, x.from(i, j+1))...)
	case tb.kind == '*':
		return append(x.from(i, j+1), prefixed(ta.text, x.from(i+1, j))...)
	case ta.kind == '?':
		return prefixed(tb.text, x.from(i+1, j+1))
	case tb.kind == '?' || ta.text == tb.text:
		return prefixed(ta.text, x.from(i+1, j+1))
	}
	return nil
}

func emptyIfStars(ts []token) []string {
	for _, t := range ts {
		if t.kind != '*' {
			return nil
		}
	}
	return []string{""}
}

func prefixed(p string, rests []string) []string {
	out := make([]string, len(rests))
	for i, r := range rests {
		if p == "*" && strings.HasPrefix(r, "*") {
			out[i] = r
		} else {
			out[i] = p + r
		}
	}
	return out
}

// prune drops duplicates and the patterns another one holds.
func prune(ps []string) []string {
	var out []string
	for i, p := range ps {
		held := false
		for j, q := range ps {
			if i != j && GlobHolds(q, p) && (!GlobHolds(p, q) || j < i) {
				held = true
				break
			}
		}
		if !held {
			out = append(out, p)
		}
	}
	return out
}

// GlobHolds reports whether every value pattern q matches, pattern p
// matches too, judged token by token: p's '*' takes any run of q's
// tokens, p's '?' one literal or '?', p's literal the same literal. It
// never says yes wrongly; it may say no for equal sets written apart
// (*? and ?*).
func GlobHolds(p, q string) bool {
	a, b := tokens(p), tokens(q)
	// can[j] reports whether a[:i] holds b[:j], for the current i.
	can := make([]bool, len(b)+1)
	can[0] = true
	for _, t := range a {
		next := make([]bool, len(b)+1)
		for j := 0; j <= len(b); j++ {
			switch {
			case t.kind == '*':
				next[j] = can[j] || j > 0 && next[j-1]
			case j == 0:
			case t.kind == '?':
				next[j] = can[j-1] && b[j-1].kind != '*'
			default:
				next[j] = can[j-1] && b[j-1].kind == 'l' && b[j-1].text == t.text
			}
		}
		can = next
	}
	return can[len(b)]
}

// ResourceIntersect returns the resource patterns (as ResourceMatch reads
// them) whose union matches exactly the resources both p and q match;
// ok is false when that is not computed: a wildcard in the region or
// account component (where ResourceMatch lets a final '*' run past the
// colons), a wildcard in the partition or service, or more than
// maxPieces patterns. Patterns that are not ARNs meet only when equal,
// "*" holds everything.
func ResourceIntersect(p, q string) (pieces []string, ok bool) {
	switch {
	case p == "*":
		return []string{q}, true
	case q == "*" || p == q:
		return []string{p}, true
	}
	a, okA := SplitARN(p)
	b, okB := SplitARN(q)
	if !okA || !okB {
		return nil, !okA && !okB
	}
	head := []string{a.Partition, a.Service, a.Region, a.Account, b.Partition, b.Service, b.Region, b.Account}
	for _, c := range head {
		if GlobHasWildcard(c) {
			return nil, false
		}
	}
	if a.Partition != b.Partition || a.Service != b.Service || a.Region != b.Region || a.Account != b.Account {
		return nil, true
	}
	rest, ok := GlobIntersect(a.Resource, b.Resource)
	if !ok {
		return nil, false
	}
	prefix := strings.Join([]string{"arn", a.Partition, a.Service, a.Region, a.Account}, ":") + ":"
	for _, r := range rest {
		pieces = append(pieces, prefix+r)
	}
	return pieces, true
}
