package review

import (
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine/privesc"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// pair is one request the review compares before and after the change:
// an action on a resource (ResourceAccount for "*").
type pair struct {
	action, resource, account string
}

// preferCap bounds the actions of policy_sentry's escalation and
// resource-exposure lists one wildcard pattern stands for.
const preferCap = 24

// expandCap bounds the actions one wildcard pattern stands for in the
// comparison: the privilege-escalation catalogue's actions it matches,
// then the first expandCap others in the catalogue's order.
const expandCap = 8

// pairs lists the requests the review compares: for every statement of
// every policy the change writes, and of the documents those Edits
// replace or delete, its actions (wildcards expanded through the catalog,
// bounded) on its resources (wildcards filled in with a probe name;
// "*" stays "*"; a statement without Resource is about the policy's own
// resource); every action of the privilege-escalation catalogue on "*";
// and the extra patterns (must_not_gain entries). Sorted, without
// duplicates.
type pairSet struct {
	cat       *catalog.Catalog
	sensitive map[string]bool // asked on "*" in every review
	prefer    map[string]bool // listed first when a wildcard is expanded
	account   string
	seen      map[pair]bool
	list      []pair
}

func newPairSet(cat *catalog.Catalog, paths []privesc.Path, sentry *privesc.SensitiveActions, account string) *pairSet {
	ps := &pairSet{cat: cat, sensitive: map[string]bool{}, prefer: map[string]bool{}, account: account, seen: map[pair]bool{}}
	for _, p := range paths {
		for _, a := range p.Required {
			ps.sensitive[a], ps.prefer[a] = true, true
		}
	}
	// policy_sentry's lists: the actions that expose credentials are asked
	// of every review, as the escalation catalogue's are; those that
	// escalate or expose a resource come first when a wildcard is expanded.
	for list, actions := range sentry.Lists {
		for _, a := range actions {
			ps.prefer[a] = true
			if list == privesc.CredentialsExposure {
				ps.sensitive[a] = true
			}
		}
	}
	return ps
}

func (ps *pairSet) add(action, resource string) {
	p := pair{action: action, resource: resource}
	if a, ok := pattern.SplitARN(resource); !ok || a.Account == "" {
		p.account = ps.account
	}
	if !ps.seen[p] {
		ps.seen[p] = true
		ps.list = append(ps.list, p)
	}
}

// sorted returns the pairs in a stable order.
func (ps *pairSet) sorted() []pair {
	sort.Slice(ps.list, func(i, j int) bool {
		if ps.list[i].resource != ps.list[j].resource {
			return ps.list[i].resource < ps.list[j].resource
		}
		return ps.list[i].action < ps.list[j].action
	})
	return ps.list
}

// addSensitive adds every catalogue action on "*".
func (ps *pairSet) addSensitive() {
	for a := range ps.sensitive {
		ps.add(ps.canonical(a), "*")
	}
}

// canonical is the catalog's spelling of a lower-cased action.
func (ps *pairSet) canonical(action string) string {
	if a, ok := ps.cat.Lookup(action); ok {
		return a.String()
	}
	return action
}

// actions expands an action pattern: itself when it has no wildcard
// (nothing when the catalog does not know it: no request has it, and the
// lint reports it), else the matching catalogue actions and at most
// expandCap others.
func (ps *pairSet) actions(pat string, not bool) []string {
	if !not && !pattern.GlobHasWildcard(pat) {
		if a, ok := ps.cat.Lookup(pat); ok {
			return []string{a.String()}
		}
		return nil
	}
	var out, listed, rest []string
	for _, a := range ps.cat.Expand(pat, not) {
		name := strings.ToLower(a.String())
		switch {
		case ps.sensitive[name]:
			out = append(out, a.String())
		case ps.prefer[name] && len(listed) < preferCap:
			listed = append(listed, a.String())
		case !ps.prefer[name] && len(rest) < expandCap:
			rest = append(rest, a.String())
		}
	}
	return append(append(out, listed...), rest...)
}

// statement adds the pairs of one statement; own is the resource a
// resource or trust policy is attached to ("" for identity policies and
// organization policies).
func (ps *pairSet) statement(st *policy.Statement, own string) {
	var resources []string
	switch {
	case st.NoResource || st.NotResource && own != "":
		resources = []string{own}
	case st.NotResource:
		resources = []string{"*"}
	default:
		for _, r := range st.Resources {
			if s, ok := r.(string); ok {
				resources = append(resources, probeName(s))
			}
		}
	}
	for _, pat := range st.Actions {
		for _, a := range ps.actions(pat, st.NotAction) {
			for _, r := range resources {
				if r != "" {
					ps.add(a, r)
				}
			}
		}
	}
}

// probeName fills the wildcards of a resource pattern with a probe name,
// as the audit does (probeResource): "*" stays "*".
func probeName(p string) string {
	if p == "*" {
		return p
	}
	return strings.NewReplacer(`\*`, "*", `\?`, "?", "*", "clearance-probe", "?", "x").Replace(p)
}

// policy adds the pairs of every statement of a document.
func (ps *pairSet) policy(p *policy.Policy, own string) {
	if p == nil {
		return
	}
	for i := range p.Statements {
		ps.statement(&p.Statements[i], own)
	}
}

// edits adds the pairs of the documents every Edit writes, of those it
// replaces or deletes in the world before, and of the documents an Edit
// brings to a principal without writing them (the managed policy an
// attachment attaches, the policies of the group a membership joins, a
// boundary).
func (ps *pairSet) edits(set *change.Set, before, after *store.Snapshot) {
	snaps := []*store.Snapshot{before, after}
	for i := range set.Edits {
		e := &set.Edits[i]
		own := ""
		if e.Kind == change.ResourcePolicy || e.Kind == change.ResourceStatement {
			own = e.Resource
		}
		ps.policy(e.Policy, own)
		for _, p := range replaced(e, set.Account, before) {
			ps.policy(p.doc, p.own)
		}
		if isTrustEdit(e) {
			for _, arn := range entityARNs(snaps, set.Account, change.Role, e.Name) {
				ps.policy(e.Trust, arn)
			}
		}
		for _, s := range snaps {
			for _, p := range brought(e, set.Account, s) {
				ps.policy(p, "")
			}
		}
	}
}

// brought lists the documents of a world that the Edit attaches to a
// principal without writing them.
func brought(e *change.Edit, account string, s *store.Snapshot) []*policy.Policy {
	var arns []string
	var out []*policy.Policy
	switch e.Kind {
	case change.Attachment:
		arns = []string{e.PolicyARN}
	case change.User, change.Role:
		arns = []string{e.Boundary}
	case change.Membership:
		if g, ok := s.Group(account, e.Group); ok {
			out = append(out, g.Inline...)
			arns = g.Managed
		}
	}
	for _, arn := range arns {
		if m, ok := s.ManagedPolicy(arn); ok && arn != "" && m.Policy != nil {
			out = append(out, m.Policy)
		}
	}
	return out
}

// ownedDoc is a document with the resource it is attached to.
type ownedDoc struct {
	doc *policy.Policy
	own string
}

// replaced lists the documents of the world before that the Edit
// replaces or deletes.
func replaced(e *change.Edit, account string, before *store.Snapshot) []ownedDoc {
	acct, ok := before.Account(account)
	if !ok && e.Kind != change.ResourcePolicy && e.Kind != change.ResourceStatement {
		return nil
	}
	var out []ownedDoc
	switch e.Kind {
	case change.ManagedPolicy:
		for _, m := range acct.ManagedPolicies {
			if m.Name == e.Name {
				out = append(out, ownedDoc{m.Policy, ""})
			}
		}
	case change.InlinePolicy:
		if e.Owner != nil {
			for _, p := range inlineOf(acct, e.Owner) {
				if strings.HasSuffix(p.Name, "#"+e.Name) {
					out = append(out, ownedDoc{p, ""})
				}
			}
		}
	case change.Role, change.TrustPolicy:
		for _, r := range acct.Roles {
			if strings.EqualFold(r.Name, e.Name) {
				out = append(out, ownedDoc{r.Trust, r.ARN})
				if e.Op == change.Delete {
					for _, p := range r.Inline {
						out = append(out, ownedDoc{p, ""})
					}
				}
			}
		}
	case change.User:
		if e.Op == change.Delete {
			out = append(out, docs(inlineOf(acct, &change.Owner{Kind: change.User, Name: e.Name}))...)
		}
	case change.ResourcePolicy, change.ResourceStatement:
		if r, ok := before.Resource(e.Resource); ok && r.Policy != nil {
			out = append(out, ownedDoc{r.Policy, r.ARN})
		}
	}
	return out
}

func docs(ps []*policy.Policy) []ownedDoc {
	out := make([]ownedDoc, len(ps))
	for i, p := range ps {
		out[i] = ownedDoc{p, ""}
	}
	return out
}

// inlineOf lists the inline policies of a user, group or role.
func inlineOf(acct *world.Account, o *change.Owner) []*policy.Policy {
	switch o.Kind {
	case change.User:
		for _, u := range acct.Users {
			if strings.EqualFold(u.Name, o.Name) {
				return u.Inline
			}
		}
	case change.Group:
		for _, g := range acct.Groups {
			if strings.EqualFold(g.Name, o.Name) {
				return g.Inline
			}
		}
	case change.Role:
		for _, r := range acct.Roles {
			if strings.EqualFold(r.Name, o.Name) {
				return r.Inline
			}
		}
	}
	return nil
}
