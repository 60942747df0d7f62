package catalog

import (
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
)

// What the author of a name the catalog does not have probably meant: the
// nearest action, service prefix or condition key by edit distance
// (insertions, deletions, substitutions and swaps of two adjacent
// characters, so "Decrpyt" is one edit from "Decrypt"), compared
// case-insensitively as IAM compares them, and only when it is within
// maxEdits of the name.

// Matches reports whether an action pattern (IAM text: "service:Name",
// "*", with * and ? wildcards) names or matches at least one action of the
// catalog, case-insensitively. Unlike Expand it allocates nothing per
// action and looks only at the services the prefix can match.
func (c *Catalog) Matches(action string) bool {
	la := strings.ToLower(action)
	if la == "*" {
		return true
	}
	prefix, name, ok := strings.Cut(la, ":")
	if !ok {
		return false
	}
	if !strings.ContainsAny(prefix, "*?") {
		s, ok := c.services[prefix]
		return ok && s.matches(name)
	}
	pg := pattern.IAMGlob(prefix)
	for p, s := range c.services {
		if pattern.Glob(pg, p) && s.matches(name) {
			return true
		}
	}
	return false
}

// matches reports whether an action name pattern (lower-cased) matches an
// action of the service.
func (s *service) matches(name string) bool {
	if !strings.ContainsAny(name, "*?") {
		_, ok := s.Actions[name]
		return ok
	}
	g := pattern.IAMGlob(name)
	for n := range s.Actions {
		if pattern.Glob(g, n) {
			return true
		}
	}
	return false
}

// SuggestService returns the service prefix nearest to an unknown one
// ("s4" → "s3"), or "".
func (c *Catalog) SuggestService(prefix string) string {
	if near := c.nearPrefixes(strings.ToLower(prefix)); len(near) > 0 {
		return near[0].name
	}
	return ""
}

// SuggestAction returns the action an unknown one ("service:Name", no
// wildcard) was probably meant to be, as AWS spells it, or "": for a known
// service the nearest of its actions ("kms:Decrpyt" → "kms:Decrypt"); for
// an unknown one the nearest action of the nearest service prefixes
// ("s4:GetObject" → "s3:GetObject"), both distances added.
func (c *Catalog) SuggestAction(action string) string {
	prefix, name, ok := strings.Cut(strings.ToLower(action), ":")
	if !ok || strings.ContainsAny(action, "*?") {
		return ""
	}
	if s, ok := c.services[prefix]; ok {
		if n, _ := s.nearestAction(name); n != "" {
			return prefix + ":" + n
		}
		return ""
	}
	best, bestD := "", -1
	for _, p := range c.nearPrefixes(prefix) {
		n, d := c.services[p.name].nearestAction(name)
		if n != "" && (bestD < 0 || p.d+d < bestD) {
			best, bestD = p.name+":"+n, p.d+d
		}
	}
	return best
}

// SuggestConditionKey returns the condition key an unknown one was
// probably meant to be, as AWS spells it (a placeholder such as
// s3:ExistingObjectTag/<key> keeps the text written after its "/"), or "":
// for a known service the nearest of its keys ("s3:prefixx" → "s3:prefix");
// for an unknown prefix the nearest key of the nearest service prefixes.
func (c *Catalog) SuggestConditionKey(key string) string {
	prefix, rest, ok := strings.Cut(key, ":")
	if !ok {
		return ""
	}
	lp := strings.ToLower(prefix)
	if s, ok := c.services[lp]; ok {
		if k, _ := s.nearestKey(lp, key); !strings.EqualFold(k, key) {
			return k
		}
		return ""
	}
	best, bestD := "", -1
	for _, p := range c.nearPrefixes(lp) {
		k, d := c.services[p.name].nearestKey(p.name, p.name+":"+rest)
		if k != "" && (bestD < 0 || p.d+d < bestD) {
			best, bestD = k, p.d+d
		}
	}
	return best
}

// nearestAction returns the action of the service nearest to name
// (lower-cased), as AWS spells it, and its distance; "" when none is
// within maxEdits.
func (s *service) nearestAction(name string) (string, int) {
	if a, ok := s.Actions[name]; ok {
		return a.N, 0
	}
	best, bestD := "", maxEdits(len(name))+1
	for ln, a := range s.Actions {
		if d := distanceWithin(name, ln, bestD+1); d < bestD || d == bestD && best != "" && a.N < best {
			best, bestD = a.N, d
		}
	}
	return best, bestD
}

// nearestKey returns the condition key of the service (prefix: its
// lower-cased prefix) nearest to key, and its distance; "" when none is
// within maxEdits. A key with a placeholder after a "/" is compared up to
// the "/", and suggested with the text key has after its own "/".
func (s *service) nearestKey(prefix, key string) (string, int) {
	lk := strings.ToLower(key)
	uhead, utail, slash := strings.Cut(lk, "/")
	if slash {
		utail = key[len(uhead)+1:]
	}
	best, bestD := "", maxEdits(len(lk)-len(prefix)-1)+1
	for k := range s.Keys {
		lc := strings.ToLower(k)
		if !strings.HasPrefix(lc, prefix+":") {
			continue // a global key the service lists
		}
		cand, target, against := k, lc, lk
		if i := strings.IndexAny(lc, "$<"); i > 0 && lc[i-1] == '/' {
			target = lc[:i-1]
			if slash {
				against = uhead
				cand = k[:i] + utail
			}
		}
		if d := distanceWithin(against, target, bestD+1); d < bestD || d == bestD && best != "" && cand < best {
			best, bestD = cand, d
		}
	}
	return best, bestD
}

// nearPrefix is a service prefix and its distance from a name.
type nearPrefix struct {
	name string
	d    int
}

// nearPrefixes lists the service prefixes within maxEdits of prefix
// (lower-cased), nearest first, then by name.
func (c *Catalog) nearPrefixes(prefix string) []nearPrefix {
	limit := maxEdits(len(prefix))
	var out []nearPrefix
	for p := range c.services {
		if d := distanceWithin(prefix, p, limit+1); d <= limit {
			out = append(out, nearPrefix{p, d})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].d != out[j].d {
			return out[i].d < out[j].d
		}
		return out[i].name < out[j].name
	})
	return out
}

// maxEdits is how far a suggestion may be from a name of n characters.
func maxEdits(n int) int {
	switch {
	case n <= 4:
		return 1
	case n <= 10:
		return 2
	}
	return 3
}

// distanceWithin is the optimal string alignment distance between a and
// b when it is below limit, else limit (the lengths alone often tell).
func distanceWithin(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	return min(distance(a, b), limit)
}

// distance is the optimal string alignment distance between a and b:
// Levenshtein's, with a swap of two adjacent characters counted as one
// edit.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2, prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
