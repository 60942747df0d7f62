package engine

import (
	"slices"
	"sync"

	"github.com/clearance-dev/clearance/loader"
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
	roles  []*loader.Role   // every role with such a statement, in world order
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

func buildTrustIndex(snap *loader.Snapshot) *trustIndex {
	t := &trustIndex{byName: map[string][]int{}}
	for _, a := range snap.Accounts() {
		for _, r := range snap.Roles(a.ID) {
			if !trustMentions(r.Trust, "sts:assumerole") {
				continue
			}
			t.add(r)
		}
	}
	return t
}

func (t *trustIndex) add(r *loader.Role) {
	i := len(t.roles)
	t.roles = append(t.roles, r)
	seen := map[string]bool{}
	open := false
	for j := range r.Trust.Statements {
		st := &r.Trust.Statements[j]
		if st.Effect != "Allow" || st.Principal == nil || !statementMentions(st, "sts:assumerole") {
			continue
		}
		if st.NotPrincipal || st.Principal.Any || slices.Contains(st.Principal.AWS, "*") {
			open = true
			continue
		}
		for _, name := range st.Principal.AWS {
			if !seen[name] {
				seen[name] = true
				t.byName[name] = append(t.byName[name], i)
			}
		}
	}
	if open {
		t.open = append(t.open, i)
	}
}

// candidates returns, in world order, the roles whose trust policy may
// name the principal.
func (t *trustIndex) candidates(p *principal) []*loader.Role {
	idx := slices.Clone(t.open)
	for _, name := range p.names() {
		idx = append(idx, t.byName[name]...)
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	out := make([]*loader.Role, len(idx))
	for i, j := range idx {
		out[i] = t.roles[j]
	}
	return out
}

// names lists what a Principal element may give to name the principal:
// its ARN, its unique id, the role or user behind a session and its unique
// id, and its account (as root ARN or bare id).
func (p *principal) names() []string {
	var out []string
	for _, n := range []string{p.arn, p.uniqueID, p.entityARN, p.entityID, p.accountARN(), p.account} {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// statementMentions reports whether a statement's Action (or NotAction)
// element can cover the action.
func statementMentions(st *loader.Statement, action string) bool {
	return actionMayMatch(st, action) != st.NotAction
}
