package query

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
)

// Candidates that overlap without nesting. Two patterns may both match a
// resource while neither holds the other (arn:aws:s3:::b/*.txt allowed,
// arn:aws:s3:::b/private/* denied: b/private/x.txt is in both). Decided
// as names, neither says what the resources of both get, so their
// intersection (b/private/*.txt) is a candidate of its own: with it, a
// resource within a pattern and within no narrower candidate is matched
// by exactly the statements that match the pattern, and an allowed
// pattern lists the refused intersection as its exception
// (b/*.txt except b/private/*.txt) — explicit deny overrides the allow
// there only (reference_policies_evaluation-logic_policy-eval-denyallow).

// maxMet bounds the intersections added per action; past it the overlap
// is left as it is (ResourceIntersect documents the other limits).
const maxMet = 256

// meets reports whether a candidate is intersected with the others: a
// pattern other than "*", and for S3 one within a named bucket. An S3
// pattern whose bucket name has a wildcard meets the others through its
// instances on each declared bucket (bucketsOf): written over the whole
// ARN, its '*' would also run across the bucket's '/' and make patterns
// such as gen-*/public/*-0/private/* with every other one, which no
// declared object is in (a pattern ending at a bucket name, such as
// gen-0-*, is left out for the same reason).
func meets(r string) bool {
	if r == "*" || !pattern.GlobHasWildcard(r) {
		return false
	}
	rest, s3 := strings.CutPrefix(pattern.GlobLiteralPrefix(r), s3Prefix)
	return !s3 || strings.Contains(rest, "/")
}

// meet adds the intersection of every two candidates that overlap
// without nesting (and of the intersections with the others), in phase
// one when both come from phase one, else in phase two (within a pattern
// that can only refuse, the intersection can only refuse too).
func (c *candidates) meet(u *universe, principal string) {
	type cand struct {
		o      outcome
		second bool
		prefix string
	}
	var all []cand
	seen := map[string]bool{}
	addCand := func(r string, second bool) {
		seen[r] = true
		if meets(r) {
			all = append(all, cand{outcome{resource: r, account: u.accountOf(r, principal)}, second, pattern.GlobLiteralPrefix(r)})
		}
	}
	for _, r := range c.first {
		addCand(r, false)
	}
	for _, r := range c.second {
		addCand(r, true)
	}
	added := 0
	for k := 1; k < len(all); k++ {
		for l := 0; l < k; l++ {
			a, b := all[k], all[l]
			if a.o.account != b.o.account || !strings.HasPrefix(a.prefix, b.prefix) && !strings.HasPrefix(b.prefix, a.prefix) ||
				within(a.o, b.o) || within(b.o, a.o) {
				continue
			}
			pieces, ok := pattern.ResourceIntersect(a.o.resource, b.o.resource)
			if !ok {
				continue
			}
			for _, p := range pieces {
				if seen[p] || added >= maxMet {
					continue
				}
				added++
				second := a.second || b.second
				if second {
					c.second = append(c.second, p)
				} else {
					c.first = append(c.first, p)
				}
				addCand(p, second)
			}
		}
	}
}
