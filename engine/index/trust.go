package index

import (
	"slices"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// Trusts maps each name a trust policy's Principal element can give (an
// ARN, a unique id, an account) to the roles whose trust policy has an
// Allow statement for sts:AssumeRole naming it, and lists the roles whose
// statement names "*" or uses NotPrincipal. The logic allows AssumeRole
// only through a trust statement whose principal matches the caller
// (statement.principal_match, not_principal_applies), so reachability asks
// the logic only about the roles the index gives.
type Trusts struct {
	roles  []*world.Role    // every role with such a statement, in world order
	byName map[string][]int // name -> indexes into roles, ascending
	open   []int
}

// NewTrusts indexes the roles, given in world order, whose trust policy
// can allow sts:AssumeRole.
func NewTrusts(roles []*world.Role) *Trusts {
	t := &Trusts{byName: map[string][]int{}}
	for _, r := range roles {
		if TrustMentions(r.Trust, "sts:assumerole") {
			t.add(r)
		}
	}
	return t
}

func (t *Trusts) add(r *world.Role) {
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

// Candidates returns, in world order, the roles whose trust policy may
// name a principal known by the names (its own, then its account's).
func (t *Trusts) Candidates(names []string) []*world.Role {
	idx := slices.Clone(t.open)
	for _, name := range names {
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

// TrustNames lists, once each, the AWS principals a trust policy's Allow
// statements for sts:AssumeRole name; open is true when one of them names
// "*" or uses NotPrincipal (it may name anyone).
func TrustNames(trust *policy.Policy) (names []string, open bool) {
	if trust == nil {
		return nil, false
	}
	for i := range trust.Statements {
		st := &trust.Statements[i]
		if st.Principal == nil || !AllowsAction(st, "sts:assumerole") {
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

// TrustMentions reports whether a trust policy has an Allow statement
// whose Action (or NotAction) element can cover the action.
func TrustMentions(p *policy.Policy, action string) bool {
	if p == nil {
		return false
	}
	for i := range p.Statements {
		if AllowsAction(&p.Statements[i], action) {
			return true
		}
	}
	return false
}
