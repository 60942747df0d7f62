package engine

import (
	"strings"

	"github.com/clearance-dev/clearance/engine/match"
	"github.com/clearance-dev/clearance/loader"
)

// mayAllow is an index over the decision for queries that make many of
// them and keep only the allowed ones (who-can, the audit's probes): it
// reports false only when no Allow statement of the principal's identity
// policies and none of the resource's policy matches the request's action
// and resource, conditions aside, or when the resource is in another
// account and its policy has no Allow for the action. Every allow the Rego
// logic gives rests on such statements, except for STS actions (some need no policy at all),
// the root user and the federated users it makes: those always go to the
// logic. A true answer decides nothing; the logic does.
//
// The engine's tests run these queries with and without the index and
// compare (TestAllowIndexAgrees).
func (e *Engine) mayAllow(req *Request) (bool, error) {
	if e.noIndex {
		return true, nil
	}
	action := strings.ToLower(strings.TrimSpace(req.Action))
	service := match.ServiceOf(action)
	if service == "sts" || service == "" || service == action {
		return true, nil // the logic reports malformed actions
	}
	v := e.viewFor(e.store.Snapshot())
	p, err := v.principal(req)
	if err != nil {
		return false, err
	}
	if p.kind == kindRoot || p.byRoot {
		return true, nil
	}
	ri, err := v.resolveResource(req, p, action)
	if err != nil {
		return false, err
	}
	rbpAllows, err := v.resourceMayAllow(ri, service, action)
	if err != nil {
		return false, err
	}
	switch {
	case p.kind == kindAnonymous || p.kind == kindService || p.kind == kindOutside:
		return rbpAllows, nil // no identity side: only the resource's policy grants
	case ri.account != p.account && !rbpAllows:
		return false, nil // across accounts the resource's side must allow too
	case rbpAllows && ri.account == p.account:
		return true, nil // a same-account grant may stand alone
	}
	ids, err := v.set("identity\x00"+p.identityKey(), p.identity, service, action)
	if err != nil {
		return false, err
	}
	return anyAllow(ids.cands, action, req.Resource), nil
}

// resourceMayAllow reports whether the resource's policy has an Allow
// statement for the action.
func (v *view) resourceMayAllow(ri *resourceInfo, service, action string) (bool, error) {
	if ri.policy == nil {
		return false, nil
	}
	rs, err := v.set("policy\x00"+ri.policy.Name, []string{ri.policy.Name}, service, action)
	if err != nil {
		return false, err
	}
	return anyAllow(rs.cands, action, ""), nil
}

// anyAllow reports whether some candidate is an Allow whose Action (or
// NotAction) and, unless resource is "", Resource can match.
func anyAllow(cs []candidate, action, resource string) bool {
	for _, c := range cs {
		if c.st.Effect != "Allow" || c.st.NotAction && actionMayMatch(c.st, action) {
			continue
		}
		if resource == "" || resourceMayMatch(c.st, resource) {
			return true
		}
	}
	return false
}

// resourceMayMatch reports whether a statement's Resource element can
// match the resource: NotResource, a missing Resource and patterns with
// policy variables are left to the logic.
func resourceMayMatch(st *loader.Statement, resource string) bool {
	if st.NotResource || st.NoResource || st.ResVars {
		return true
	}
	for _, r := range st.Resources {
		if s, ok := r.(string); ok && match.ResourceMatch(s, resource) {
			return true
		}
	}
	return false
}
