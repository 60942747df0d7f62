package query

import (
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
)

// The resources can decides an action on. A resource pattern is decided
// as if it were one resource of that name (arn:aws:s3:::b/* stands for
// the objects of b): where the policies' patterns nest (one within the
// other, or apart), every resource within a pattern and within no
// narrower candidate gets the pattern's answer; where two overlap without
// nesting, their intersection is a candidate too (canmeet.go). So the
// candidates are the
// patterns of every statement that can take part, the resources a
// resource or trust policy naming the principal is attached to (a bucket
// also as its objects, bucket/*), the declared resources the statements'
// resource patterns or tag conditions single out, and those whose own
// policy must allow (KMS keys, roles for their trust actions).

// candidates is what one action is decided on: first (phase one) the
// patterns and singled-out resources, then (phase two) those that can
// only refuse within an allowed candidate: the declared resources a
// narrower pattern or a required policy may refuse, and the patterns of
// Deny statements (a Deny takes away; what it leaves is another
// candidate's, a NotResource Deny's patterns aside).
type candidates struct {
	first, second []string
	inSecond      map[string]bool // candidate -> in phase two (until a phase-one use)
	order         []string
}

// add records r for a phase; a phase-one use wins.
func (c *candidates) add(second bool, r string) {
	if in, ok := c.inSecond[r]; ok {
		c.inSecond[r] = in && second
		return
	}
	c.inSecond[r] = second
	c.order = append(c.order, r)
}

// split fills first and second in the order the candidates came.
func (c *candidates) split() {
	for _, r := range c.order {
		if c.inSecond[r] {
			c.second = append(c.second, r)
		} else {
			c.first = append(c.first, r)
		}
	}
}

// resourcesFor lists the candidates of an action; free says the logic
// may allow it without a statement (it is then asked on "*", the resource
// of an action that names none).
func (s *scope) resourcesFor(u *universe, action string, free bool) candidates {
	action = strings.ToLower(action)
	c := candidates{inSecond: map[string]bool{}}
	if s.allActions || free {
		c.add(false, "*")
	}
	tags := false
	var specific []string
	for _, set := range [][]*policy.Statement{s.grants, s.limits} {
		for _, st := range set {
			if !engine.StatementMentions(st, action) {
				continue
			}
			tags = tags || readsResourceTags(st)
			deny := st.Effect == "Deny" && !st.NotResource
			for _, r := range s.statementResources(st) {
				c.add(deny, r)
				if r != "*" {
					specific = append(specific, r)
				}
			}
		}
	}
	for _, r := range u.bucketsOf(specific) {
		c.add(false, r)
	}
	u.declaredFor(&c, action, tags, specific)
	c.split()
	return c
}

// declaredFor adds the declared resources the action can be asked on that
// differ from the patterns around them: tagged ones when a statement reads
// resource tags (phase one), those whose policy must allow and those a
// specific pattern matches (phase two).
func (u *universe) declaredFor(c *candidates, action string, tags bool, specific []string) {
	trust := engine.TrustAction(action)
	for _, d := range u.servedBy(action) {
		switch {
		case tags && d.tagged:
			c.add(false, d.arn)
			if d.bucket {
				c.add(false, d.arn+"/*")
			}
		case d.required || d.role && trust || matchesAny(specific, d.arn):
			c.add(true, d.arn)
		}
		if d.bucket && matchesAny(specific, d.arn+"/*") {
			c.add(true, d.arn+"/*")
		}
	}
}

// statementResources are the resource patterns a statement names: for a
// resource or trust policy, the resource it is attached to (a bucket also
// as bucket/*) and its patterns within that resource; otherwise its
// Resource patterns (those with variables as the principal's context
// fills them in), with "*" for NotResource or no Resource (NotResource's
// own patterns are where it stops matching).
func (s *scope) statementResources(st *policy.Statement) []string {
	var out []string
	d := s.attached[st]
	if d != nil {
		out = append(out, d.arn)
		if d.bucket {
			out = append(out, d.arn+"/*")
		}
	} else if st.NotResource || st.NoResource {
		out = append(out, "*")
	}
	for _, r := range st.Resources {
		p, ok := r.(string)
		if t, isTemplate := template(r); isTemplate {
			p, ok = expand(t, s.ctx)
		}
		if ok && (d == nil || strings.HasPrefix(p, d.arn+"/")) {
			out = append(out, p)
		}
	}
	return out
}

// bucketsOf instantiates the S3 patterns whose bucket name has a
// wildcard on each declared bucket it matches (arn:aws:s3:::gen-*/private/*
// on bucket gen-1 gives arn:aws:s3:::gen-1/private/*): where such a
// pattern meets a bucket's own patterns they nest.
func (u *universe) bucketsOf(patterns []string) []string {
	var out []string
	for _, p := range patterns {
		rest, ok := strings.CutPrefix(p, s3Prefix)
		bucket, key, hasKey := strings.Cut(rest, "/")
		if !ok || !hasKey || !pattern.GlobHasWildcard(bucket) {
			continue
		}
		for _, d := range u.byService["s3"] {
			if d.bucket && pattern.Glob(bucket, d.arn[len(s3Prefix):]) {
				out = append(out, d.arn+"/"+key)
			}
		}
	}
	return out
}

// servedBy lists the declared resources an action can be asked on: those
// of its service, and the roles for STS (whose role actions name them).
func (u *universe) servedBy(action string) []*declared {
	if svc := pattern.ServiceOf(strings.ToLower(action)); svc != "sts" {
		return u.byService[svc]
	}
	return u.stsServed
}

func matchesAny(patterns []string, resource string) bool {
	for _, p := range patterns {
		if pattern.ResourceMatch(p, resource) {
			return true
		}
	}
	return false
}
