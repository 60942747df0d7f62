package engine

import (
	"slices"
	"sync"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// trustIndex maps each name a trust policy's Principal element can give
// (an ARN, a unique id, an account) to the roles whose trust policy has an
// Allow statement for sts:AssumeRole naming it, and lists the roles whose
// statement names "*" or uses NotPrincipal. The logic allows AssumeRole
// only through a trust statement whose principal matches the caller
// (statement.principal_match, not_principal_applies), so reachability asks
// the logic only about the roles the index gives. It is built once per
// store generation.
type trustIndex struct {
	roles  []*world.Role    // every role with such a statement, in world order
	byName map[string][]int // name -> indexes into roles, ascending
	open   []int
}

type lazyTrusts struct {
	once sync.Once
	idx  *trustIndex
}

// trusts returns the view's trust index, building it on first use.
func (v *view) trusts() *trustIndex {
	v.trustIdx.once.Do(func() { v.trustIdx.idx = buildTrustIndex(v.snap) })
	return v.trustIdx.idx
}

func buildTrustIndex(snap *store.Snapshot) *trustIndex {
	t := &trustIndex{byName: map[string][]int{}}
	for _, a := range snap.Accounts() {
		for _, r := range snap.Roles(a.ID) {
			if !TrustMentions(r.Trust, "sts:assumerole") {
				continue
			}
			t.add(r)
		}
	}
	return t
}

func (t *trustIndex) add(r *world.Role) {
	i := len(t.roles)
	t.roles = append(t.roles, r)
	names, open := TrustNames(r.Trust)
	for _, name := range names {
		t.byName[name] = append(t.byName[name], i)
	}
	if open {
		t.open = append(t.open, i)
	}
}

// trustNames lists, once each, the AWS principals a trust policy's Allow
// statements for sts:AssumeRole name; open is true when one of them names
// "*" or uses NotPrincipal (it may name anyone).
func TrustNames(trust *policy.Policy) (names []string, open bool) {
	if trust == nil {
		return nil, false
	}
	for i := range trust.Statements {
		st := &trust.Statements[i]
		if st.Principal == nil || !allowsAction(st, "sts:assumerole") {
			continue
		}
		if st.NotPrincipal || st.Principal.Any || slices.Contains(st.Principal.AWS, "*") {
			open = true
			continue
		}
		for _, name := range st.Principal.AWS {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	return names, open
}

// candidates returns, in world order, the roles whose trust policy may
// name the principal.
func (t *trustIndex) candidates(p *principal) []*world.Role {
	idx := slices.Clone(t.open)
	for _, name := range p.names() {
		idx = append(idx, t.byName[name]...)
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	out := make([]*world.Role, len(idx))
	for i, j := range idx {
		out[i] = t.roles[j]
	}
	return out
}

// names lists what a Principal element may give to name the principal:
// its own names, then its account's.
func (p *principal) names() []string {
	return append(p.ownNames(), p.accountNames()...)
}

// ownNames lists the principal's ARN and unique id and those of the role
// or user behind a session (statement.principal_match "direct" and
// "entity").
func (p *principal) ownNames() []string {
	return nonEmpty(p.arn, p.uniqueID, p.entityARN, p.entityID)
}

// accountNames lists the principal's account as root ARN and bare id.
func (p *principal) accountNames() []string {
	return nonEmpty(p.accountARN(), p.account)
}

func nonEmpty(ss ...string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// statementMentions reports whether a statement's Action (or NotAction)
// element can cover the action.
func StatementMentions(st *policy.Statement, action string) bool {
	return actionMayMatch(st, action) != st.NotAction
}

// allowsAction reports whether a statement is an Allow whose Action (or
// NotAction) element can cover the action.
func allowsAction(st *policy.Statement, action string) bool {
	return st.Effect == "Allow" && StatementMentions(st, action)
}

func TrustMentions(p *policy.Policy, action string) bool {
	if p == nil {
		return false
	}
	for i := range p.Statements {
		if allowsAction(&p.Statements[i], action) {
			return true
		}
	}
	return false
}
