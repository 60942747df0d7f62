package engine

import (
	"strings"

	"github.com/clearance-dev/clearance/engine/index"
	"github.com/clearance-dev/clearance/loader/pattern"
)

// MayAllow is an index over the decision for queries that make many of
// them and keep only the allowed ones (who-can, the audit's probes): it
// reports false only when no Allow statement of the principal's identity
// policies and none of the resource's policy matches the request's action
// and resource, conditions aside, or when the resource is in another
// account and its policy has no Allow for the action. Every allow the Rego
// logic gives rests on such statements, except for the actions the Rego
// names in policy_free_actions, the root user and the federated users it
// makes: those always go to the logic. A true answer decides nothing; the
// logic does.
//
// The engine's tests run these queries with and without the index and
// compare (TestAllowIndexAgrees).
func (e *Engine) MayAllow(req *Request) (bool, error) {
	if e.opts.NoIndex {
		return true, nil
	}
	action := strings.ToLower(strings.TrimSpace(req.Action))
	service := pattern.ServiceOf(action)
	if e.policyFree[action] || service == "" || service == action {
		return true, nil // the logic reports malformed actions
	}
	v := e.current()
	p, err := v.principal(req)
	if err != nil {
		return false, err
	}
	if p.kind == KindRoot || p.byRoot {
		return true, nil
	}
	ri, err := v.resolveResource(req, p, action)
	if err != nil {
		return false, err
	}
	rbp, err := v.resourceMayAllow(ri, p, service, action)
	if err != nil {
		return false, err
	}
	switch {
	case p.kind == kindAnonymous || p.kind == kindService || p.kind == KindOutside:
		return rbp != index.NamesNone, nil // no identity side: only the resource's policy grants
	case ri.account != p.account && rbp == index.NamesNone:
		return false, nil // across accounts the resource's side must allow too
	case ri.account == p.account && rbp == index.NamesOwn:
		return true, nil // a same-account grant naming the requester may stand alone
	}
	ids, err := v.set("identity\x00"+p.identityKey(), p.identity, service, action)
	if err != nil {
		return false, err
	}
	return anyAllow(ids.cands, action, req.Resource), nil
}

// resourceMayAllow reports how the resource's policy may grant the
// requester the action (index.PrincipalMayName): by no statement, only by
// naming its account, or by naming the requester itself.
func (v *view) resourceMayAllow(ri *resourceInfo, p *principal, service, action string) (int, error) {
	if ri.policy == nil {
		return index.NamesNone, nil
	}
	rs, err := v.set("policy\x00"+ri.policy.Name, []string{ri.policy.Name}, service, action)
	if err != nil {
		return index.NamesNone, err
	}
	best := index.NamesNone
	for _, c := range rs.cands {
		if index.AllowsAction(c.st, action) {
			best = max(best, index.PrincipalMayName(c.st, p.arn, p.ownNames(), p.accountNames()))
		}
	}
	return best, nil
}

// anyAllow reports whether some candidate is an Allow whose Action (or
// NotAction) and, unless resource is "", Resource can match.
func anyAllow(cs []candidate, action, resource string) bool {
	for _, c := range cs {
		if index.AllowsAction(c.st, action) && (resource == "" || index.ResourceMayMatch(c.st, resource)) {
			return true
		}
	}
	return false
}
