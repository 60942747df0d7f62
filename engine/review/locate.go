package review

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
)

// locator finds where in the change a finding is caused: the statement
// of the change's policy that a decision matched, or the Edit that
// concerns the finding's principal or resource.
type locator struct {
	set *change.Set
	// written maps a policy's name in a world to the Edit that writes
	// it (-1 none), from the world after and then the world before.
	written map[string]int
	impact  *impact
}

func newLocator(set *change.Set, m *impact, snaps ...*store.Snapshot) *locator {
	l := &locator{set: set, written: map[string]int{}, impact: m}
	for _, s := range snaps {
		l.index(s)
	}
	return l
}

// index maps the names of a world's documents to the Edits that write
// them, by what AWS matches them by: the owner and name of an inline
// policy, the role of a trust policy, the managed policy's name, the
// resource's ARN, the organization policy's kind and name.
func (l *locator) index(s *store.Snapshot) {
	put := func(name string, edit int) {
		if _, done := l.written[name]; !done && edit >= 0 {
			l.written[name] = edit
		}
	}
	acct, ok := s.Account(l.set.Account)
	if ok {
		for _, u := range acct.Users {
			l.inline(u.Inline, change.User, u.Name, put)
		}
		for _, g := range acct.Groups {
			l.inline(g.Inline, change.Group, g.Name, put)
		}
		for _, r := range acct.Roles {
			l.inline(r.Inline, change.Role, r.Name, put)
			if r.Trust != nil {
				put(r.Trust.Name, l.find(func(e *change.Edit) bool {
					return isTrustEdit(e) && strings.EqualFold(e.Name, r.Name)
				}))
			}
		}
		for _, m := range acct.ManagedPolicies {
			if m.Policy != nil {
				put(m.Policy.Name, l.find(func(e *change.Edit) bool { return e.Kind == change.ManagedPolicy && e.Name == m.Name }))
			}
		}
	}
	for _, a := range s.Accounts() {
		for _, r := range a.Resources {
			if r.Policy != nil {
				put(r.Policy.Name, l.find(func(e *change.Edit) bool {
					return (e.Kind == change.ResourcePolicy || e.Kind == change.ResourceStatement) && e.Resource == r.ARN
				}))
			}
		}
	}
	for _, o := range s.OrgPolicies() {
		if o.Policy != nil {
			put(o.Policy.Name, l.find(func(e *change.Edit) bool {
				return e.Kind == change.OrgPolicy && e.Name == o.Name && e.PolicyKind == o.Kind
			}))
		}
	}
}

func (l *locator) inline(ps []*policy.Policy, kind change.Kind, owner string, put func(string, int)) {
	for _, p := range ps {
		put(p.Name, l.find(func(e *change.Edit) bool {
			return e.Kind == change.InlinePolicy && e.Owner != nil && e.Owner.Kind == kind &&
				strings.EqualFold(e.Owner.Name, owner) && strings.HasSuffix(p.Name, "#"+e.Name)
		}))
	}
}

// find returns the last Edit that f accepts (a later Edit wins), or -1.
func (l *locator) find(f func(*change.Edit) bool) int {
	for i := len(l.set.Edits) - 1; i >= 0; i-- {
		if f(&l.set.Edits[i]) {
			return i
		}
	}
	return -1
}

// statement locates a matched statement of a change's document: its
// position in the change's file (the Edit's when the document was held
// in a string), and the Edit's address. ok is false when no Edit writes
// the policy.
func (l *locator) statement(m engine.Match) (Location, bool) {
	i, ok := l.written[m.Policy]
	if !ok {
		return Location{}, false
	}
	e := &l.set.Edits[i]
	doc := e.Policy
	if e.Kind == change.Role || e.Kind == change.TrustPolicy {
		doc = e.Trust
	}
	loc := sourceLocation(e.At)
	st := l.editStatement(doc, m)
	if st == nil || doc.HeldIn != nil || st.At.Line == 0 {
		return loc, true
	}
	if doc.File != "" {
		loc.File = doc.File
	}
	loc.Line, loc.Column = st.At.Line, st.At.Col
	return loc, true
}

// editStatement is the statement of the Edit's document a match names:
// by index, or for a statement added to a resource's policy
// (ResourceStatement), by Sid.
func (l *locator) editStatement(doc *policy.Policy, m engine.Match) *policy.Statement {
	if doc == nil {
		return nil
	}
	for i := range doc.Statements {
		if m.Sid != "" && doc.Statements[i].Sid == m.Sid {
			return &doc.Statements[i]
		}
	}
	if m.Index >= 0 && m.Index < len(doc.Statements) && (m.Sid == "" || doc.Statements[m.Index].Sid == m.Sid) {
		return &doc.Statements[m.Index]
	}
	return nil
}

func sourceLocation(s change.Source) Location {
	return Location{File: s.File, Line: s.Line, Column: s.Col, Address: s.Address}
}

// decision locates the statements a decision matched with the effect,
// in the order of PolicyTypes; ok false when none is the change's.
func (l *locator) decision(d *engine.Decision, effect string) (Location, bool) {
	if d == nil {
		return Location{}, false
	}
	for _, t := range engine.PolicyTypes {
		for _, m := range d.Matched[t] {
			if m.Effect == effect {
				if loc, ok := l.statement(m); ok {
					return loc, true
				}
			}
		}
	}
	return Location{}, false
}

// fallback is the first Edit that concerns one of the ARNs (a role
// session's role, a resource's bucket), else the change's first Edit.
func (l *locator) fallback(arns ...string) Location {
	for _, a := range arns {
		for _, k := range []string{a, roleOfSession(a), bucketOf(a)} {
			if es := l.impact.edits[k]; k != "" && len(es) > 0 {
				return sourceLocation(l.set.Edits[es[0]].At)
			}
		}
	}
	if len(l.set.Edits) > 0 {
		return sourceLocation(l.set.Edits[0].At)
	}
	if len(l.set.Files) > 0 {
		return Location{File: l.set.Files[0], Line: 1, Column: 1}
	}
	return Location{}
}

// roleOfSession is the role ARN of a session ARN
// (arn:aws:sts::A:assumed-role/R/S), else "".
func roleOfSession(arn string) string {
	head, rest, ok := strings.Cut(arn, ":assumed-role/")
	if !ok {
		return ""
	}
	role, _, _ := strings.Cut(rest, "/")
	return strings.Replace(head, ":sts:", ":iam:", 1) + ":role/" + role
}

// bucketOf is the bucket ARN of an S3 object ARN, else "".
func bucketOf(arn string) string {
	if b, _, ok := strings.Cut(arn, "/"); ok && strings.HasPrefix(arn, "arn:aws:s3:::") {
		return b
	}
	return ""
}

// symbols lists the symbols the finding's text holds, and says in its
// message that their values are unknown until deployment.
func symbols(set *change.Set, f *Finding) {
	text := f.Principal + "\x00" + f.Action + "\x00" + f.Resource + "\x00" + f.Message
	for _, s := range set.Symbols {
		if s.Text == "" || !strings.Contains(text, s.Text) || contains(f.Symbols, s.Expr) {
			continue
		}
		f.Symbols = append(f.Symbols, s.Expr)
		f.Message += fmt.Sprintf(" (%s stands for %s, unknown until deployment)", s.Text, s.Expr)
	}
}

// isTrustEdit reports whether the Edit writes a role's trust policy: a
// role written whole, or its trust policy alone (--policy --resource
// ROLE-ARN).
func isTrustEdit(e *change.Edit) bool {
	return (e.Kind == change.Role || e.Kind == change.TrustPolicy) && e.Trust != nil
}
