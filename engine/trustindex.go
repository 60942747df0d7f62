package engine

import (
	"sync"

	"github.com/clearance-dev/clearance/engine/index"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// The trust index (index.Trusts) is built once per store generation, on
// first use.
type lazyTrusts struct {
	once sync.Once
	idx  *index.Trusts
}

// trusts returns the view's trust index, building it on first use.
func (v *view) trusts() *index.Trusts {
	v.trustIdx.once.Do(func() {
		var roles []*world.Role
		for _, a := range v.snap.Accounts() {
			roles = append(roles, v.snap.Roles(a.ID)...)
		}
		v.trustIdx.idx = index.NewTrusts(roles)
	})
	return v.trustIdx.idx
}

// TrustNames lists, once each, the AWS principals a trust policy's Allow
// statements for sts:AssumeRole name; open is true when one of them names
// "*" or uses NotPrincipal (it may name anyone).
func TrustNames(trust *policy.Policy) (names []string, open bool) { return index.TrustNames(trust) }

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

// StatementMentions reports whether a statement's Action (or NotAction)
// element can cover the action.
func StatementMentions(st *policy.Statement, action string) bool { return index.Mentions(st, action) }

// TrustMentions reports whether a trust policy has an Allow statement
// whose Action (or NotAction) element can cover the action.
func TrustMentions(p *policy.Policy, action string) bool { return index.TrustMentions(p, action) }
