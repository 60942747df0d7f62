package review

import (
	"bytes"
	"maps"
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
)

// principalChange is what changes on a principal's identity side. When
// its boundary, tags or path change, every action may decide otherwise
// (all). Otherwise only its documents change (inline and managed
// policies, its groups'), and a request on a resource with no resource
// policy in either world can be decided otherwise only if a statement of
// a changed document (as it was, or as it is) mentions the action: the
// identity side allows only through an Allow statement, and denies only
// through a Deny statement, that mentions it (Action or NotAction), and a
// principal created or deleted has all its documents changed. Questions
// on resources with a resource policy are always asked: such a policy may
// name a principal the change creates.
type principalChange struct {
	all        bool
	statements []*policy.Statement
}

// concerns reports whether the change can concern the (lower-cased)
// action.
func (c *principalChange) concerns(action string) bool {
	if c.all {
		return true
	}
	for _, st := range c.statements {
		if engine.StatementMentions(st, action) {
			return true
		}
	}
	return false
}

// entity is a user or role as the comparison sees it.
type entity struct {
	boundary, path string
	tags           map[string]string
	docs           map[string]*policy.Policy // identity documents by name
}

func changeOf(arn string, before, after *store.Snapshot) *principalChange {
	b, a := entityOf(before, arn), entityOf(after, arn)
	c := &principalChange{}
	switch {
	case b == nil && a == nil:
		return c
	case b == nil || a == nil: // created or deleted: every document
		for _, e := range []*entity{b, a} {
			if e != nil {
				c.add(e.docs)
			}
		}
		return c
	case b.boundary != a.boundary || b.path != a.path || !maps.Equal(b.tags, a.tags):
		c.all = true
		return c
	}
	for name, p := range b.docs {
		if q, ok := a.docs[name]; !ok || !sameDocument(p, q) {
			c.addDoc(p)
		}
	}
	for name, q := range a.docs {
		if p, ok := b.docs[name]; !ok || !sameDocument(p, q) {
			c.addDoc(q)
		}
	}
	return c
}

func (c *principalChange) add(docs map[string]*policy.Policy) {
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		c.addDoc(docs[name])
	}
}

func (c *principalChange) addDoc(p *policy.Policy) {
	if p == nil {
		return
	}
	for i := range p.Statements {
		c.statements = append(c.statements, &p.Statements[i])
	}
}

// sameDocument reports whether two documents are the same text (a
// document built in code, with no text, is never the same).
func sameDocument(p, q *policy.Policy) bool {
	if p == nil || q == nil {
		return p == q
	}
	return len(p.Source) > 0 && bytes.Equal(p.Source, q.Source)
}

// entityOf reads a user or role and its identity documents: inline,
// managed, its groups' (by name "group NAME#..."), and its boundary.
func entityOf(s *store.Snapshot, arn string) *entity {
	e := &entity{docs: map[string]*policy.Policy{}}
	var managed []string
	if u, ok := s.User(arn); ok {
		e.boundary, e.path, e.tags = u.Boundary, u.Path, u.Tags
		putDocs(e.docs, u.Inline)
		managed = append(managed, u.Managed...)
		for _, name := range u.Groups {
			if g, ok := s.Group(u.Account, name); ok {
				putDocs(e.docs, g.Inline)
				managed = append(managed, g.Managed...)
			}
		}
	} else if r, ok := s.Role(arn); ok {
		e.boundary, e.path, e.tags = r.Boundary, r.Path, r.Tags
		putDocs(e.docs, r.Inline)
		managed = append(managed, r.Managed...)
	} else {
		return nil
	}
	if e.boundary != "" {
		managed = append(managed, e.boundary)
	}
	for _, arn := range managed {
		if m, ok := s.ManagedPolicy(arn); ok && m.Policy != nil {
			e.docs[arn] = m.Policy
		} else {
			e.docs[arn] = nil // attached, contents unknown: changed if it comes or goes
		}
	}
	return e
}

func putDocs(docs map[string]*policy.Policy, ps []*policy.Policy) {
	for _, p := range ps {
		docs[p.Name] = p
	}
}

// reach is whom a change to a resource's side (its resource policy, a
// role's trust policy) may concern: the principals its statements, as
// they were and as they are, name (a role or user, and their sessions),
// every principal of an account they name by its root or ID or by an ARN
// pattern, or everyone (Principal "*", NotPrincipal, a canonical user).
type reach struct {
	everyone   bool
	accounts   map[string]bool
	principals map[string]bool
}

func reachOf(arn string, before, after *store.Snapshot) *reach {
	r := &reach{accounts: map[string]bool{}, principals: map[string]bool{}}
	for _, s := range []*store.Snapshot{before, after} {
		for _, p := range resourceDocs(s, arn) {
			for i := range p.Statements {
				r.statement(&p.Statements[i])
			}
		}
		if res, ok := s.Resource(arn); ok && len(res.Tags) > 0 {
			r.everyone = true // tags: conditions on aws:ResourceTag
		}
		if role, ok := s.Role(arn); ok && len(role.Tags) > 0 {
			r.everyone = true
		}
	}
	return r
}

func resourceDocs(s *store.Snapshot, arn string) []*policy.Policy {
	var out []*policy.Policy
	if res, ok := s.Resource(arn); ok && res.Policy != nil {
		out = append(out, res.Policy)
	}
	if role, ok := s.Role(arn); ok && role.Trust != nil {
		out = append(out, role.Trust)
	}
	return out
}

func (r *reach) statement(st *policy.Statement) {
	pr := st.Principal
	if pr == nil {
		return
	}
	if st.NotPrincipal || pr.Any || len(pr.Canonical) > 0 {
		r.everyone = true
		return
	}
	for _, p := range pr.AWS {
		a, ok := pattern.SplitARN(p)
		switch {
		case p == "*":
			r.everyone = true
		case !ok:
			r.accounts[p] = true // an account ID
		case strings.HasSuffix(p, ":root") || pattern.GlobHasWildcard(p) || strings.Contains(p, ":federated-user/"):
			r.accounts[a.Account] = true
		default:
			r.principals[p] = true
		}
	}
}

// names reports whether the reach includes the candidate (made by maker,
// for a federated user).
func (r *reach) names(c query.Candidate, maker string) bool {
	for _, w := range []string{c.Arn, c.Role, maker} {
		if w == "" {
			continue
		}
		if r.principals[w] {
			return true
		}
		if len(r.accounts) > 0 && r.accounts[accountField(w)] {
			return true
		}
	}
	return false
}

// withPolicy reports whether the resource, or the bucket of an S3
// object, has a resource policy, or is a role (its trust policy).
func withPolicy(s *store.Snapshot, resource string) bool {
	for _, arn := range []string{resource, bucketOf(resource)} {
		if arn == "" {
			continue
		}
		if res, ok := s.Resource(arn); ok && res.Policy != nil {
			return true
		}
		if _, ok := s.Role(arn); ok {
			return true
		}
	}
	return false
}

// accountField is an ARN's account field (the fifth), without splitting
// the whole ARN.
func accountField(arn string) string {
	for i := 0; i < 4; i++ {
		k := strings.IndexByte(arn, ':')
		if k < 0 {
			return ""
		}
		arn = arn[k+1:]
	}
	if k := strings.IndexByte(arn, ':'); k >= 0 {
		return arn[:k]
	}
	return ""
}
