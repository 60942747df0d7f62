package engine

import (
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
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
		return rbp != rbpNone, nil // no identity side: only the resource's policy grants
	case ri.account != p.account && rbp == rbpNone:
		return false, nil // across accounts the resource's side must allow too
	case ri.account == p.account && rbp == rbpNames:
		return true, nil // a same-account grant naming the requester may stand alone
	}
	ids, err := v.set("identity\x00"+p.identityKey(), p.identity, service, action)
	if err != nil {
		return false, err
	}
	return anyAllow(ids.cands, action, req.Resource), nil
}

// What a resource policy may grant a requester.
const (
	rbpNone    = iota // no Allow statement can match
	rbpAccount        // only through the requester's account (the identity side must allow)
	rbpNames          // through a statement naming the requester, its role or user, or anyone
)

// resourceMayAllow reports how the resource's policy may grant the
// requester the action: by no statement, only by naming its account, or
// by a statement that names the requester itself (statement.principal_match
// "direct" or "entity", or a NotPrincipal).
func (v *view) resourceMayAllow(ri *resourceInfo, p *principal, service, action string) (int, error) {
	if ri.policy == nil {
		return rbpNone, nil
	}
	rs, err := v.set("policy\x00"+ri.policy.Name, []string{ri.policy.Name}, service, action)
	if err != nil {
		return rbpNone, err
	}
	best := rbpNone
	for _, c := range rs.cands {
		if allowsAction(c.st, action) {
			best = max(best, principalMayName(c.st, p))
		}
	}
	return best, nil
}

// principalMayName classifies how a resource-based statement's Principal
// element can name the requester (rbpNone when it cannot).
func principalMayName(st *policy.Statement, p *principal) int {
	pr := st.Principal
	if st.NotPrincipal || pr == nil || pr.Any || slices.Contains(pr.AWS, "*") {
		return rbpNames
	}
	if slices.Contains(pr.Service, p.arn) || slices.Contains(pr.Federated, p.arn) {
		return rbpNames
	}
	for _, n := range p.ownNames() {
		if slices.Contains(pr.AWS, n) {
			return rbpNames
		}
	}
	for _, n := range p.accountNames() {
		if slices.Contains(pr.AWS, n) {
			return rbpAccount
		}
	}
	return rbpNone
}

// anyAllow reports whether some candidate is an Allow whose Action (or
// NotAction) and, unless resource is "", Resource can match.
func anyAllow(cs []candidate, action, resource string) bool {
	for _, c := range cs {
		if allowsAction(c.st, action) && (resource == "" || resourceMayMatch(c.st, resource)) {
			return true
		}
	}
	return false
}

// resourceMayMatch reports whether a statement's Resource element can
// match the resource: NotResource, a missing Resource and patterns with
// policy variables are left to the logic.
func resourceMayMatch(st *policy.Statement, resource string) bool {
	return st.NotResource || st.NoResource || st.ResVars || resourceMatches(st, resource)
}

// resourceMatches reports whether a pattern of the statement's Resource
// (or NotResource) list without a policy variable matches the ARN.
func resourceMatches(st *policy.Statement, resource string) bool {
	for _, r := range st.Resources {
		if s, ok := r.(string); ok && pattern.ResourceMatch(s, resource) {
			return true
		}
	}
	return false
}
