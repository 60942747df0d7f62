package engine

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/index"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// policySets gathers the candidate statements of every policy type for the
// request, as the input's "policies" object.
func (v *view) policySets(b *builtInput, req *Request, p *principal, ri *resourceInfo, service, action string) (ast.Value, error) {
	identity, err := v.set("identity\x00"+p.identityKey(), p.identity, service, action)
	if err != nil {
		return nil, err
	}
	boundary, resource := &candidateSet{term: terms(nil)}, &candidateSet{term: terms(nil)}
	var session []candidate
	if p.boundary != "" {
		if boundary, err = v.set("policy\x00"+p.boundary, []string{p.boundary}, service, action); err != nil {
			return nil, err
		}
	}
	if ri.policy != nil {
		if resource, err = v.set("policy\x00"+ri.policy.Name, []string{ri.policy.Name}, service, action); err != nil {
			return nil, err
		}
	}
	for _, pol := range p.sessionPolicies {
		if session, err = v.sessionCandidates(session, pol, service, action); err != nil {
			return nil, err
		}
	}
	if req.SessionPolicy != nil {
		if session, err = v.sessionCandidates(session, req.SessionPolicy, service, action); err != nil {
			return nil, err
		}
	}
	scp, scpStmts, err := v.levels(policy.KindSCP, p.account, service, action)
	if err != nil {
		return nil, err
	}
	rcp, rcpStmts, err := v.levels(policy.KindRCP, ri.account, service, action)
	if err != nil {
		return nil, err
	}
	endpoint, err := v.endpointSet(b, req.VPCEndpoint, service, action)
	if err != nil {
		return nil, err
	}
	// b.stmts keeps every candidate of the action, for the report of the
	// context keys (used, missing), the memo key's context and the hop
	// class; the logic sees those the resource index keeps.
	for _, set := range [][]candidate{identity.cands, boundary.cands, resource.cands, session, scpStmts, rcpStmts, endpoint.cands} {
		b.stmts = append(b.stmts, set...)
	}
	identity, boundary, resource, endpoint = v.narrow(identity, req.Resource), v.narrow(boundary, req.Resource),
		v.narrow(resource, req.Resource), v.narrow(endpoint, req.Resource)
	if !v.noIndex {
		session = narrowList(session, req.Resource)
	}
	b.sets = [4][]candidate{identity.cands, boundary.cands, session, resource.cands}
	return ast.NewObject(
		item("identity", identity.term),
		item("boundary", boundary.term),
		item("session", terms(session)),
		item("resource", resource.term),
		item("scp", scp),
		item("rcp", rcp),
		item("endpoint", endpoint.term),
	), nil
}

// endpointSet returns the candidates of the policy of the VPC endpoint the
// request goes through (none without one), and records the endpoint in b.
func (v *view) endpointSet(b *builtInput, id, service, action string) (*candidateSet, error) {
	if id == "" {
		return &candidateSet{term: terms(nil)}, nil
	}
	ep, err := v.snap.EndpointFor(id, service)
	if err != nil {
		return nil, fault.Wrap(fault.CodeBadRequest, err, "")
	}
	b.endpoint = ep
	return v.set("policy\x00"+ep.Policy.Name, []string{ep.Policy.Name}, service, action)
}

// sessionCandidates appends the candidates of a session policy (which lives
// on the request or the session, not in the store).
func (v *view) sessionCandidates(out []candidate, pol *policy.Policy, service, action string) ([]candidate, error) {
	for i := range pol.Statements {
		st := &pol.Statements[i]
		if !index.MatchesService(st, service) || !(st.NotAction || index.ActionMayMatch(st, action)) {
			continue
		}
		t, err := v.sessionTerm(st)
		if err != nil {
			return nil, err
		}
		out = append(out, candidate{st: st, term: t})
	}
	return out, nil
}

// levels returns the SCP or RCP levels that apply to an account: one entry
// per level from the root down to the account, each with the candidate
// statements of the policies attached there. It is empty when the account
// is not a member of the organization.
func (v *view) levels(kind policy.PolicyKind, account, service, action string) (*ast.Term, []candidate, error) {
	k := string(kind) + "\x00" + account + "\x00" + action
	if ls, ok := v.lvls.Load(k); ok {
		l := ls.(*levelSet)
		return l.term, l.cands, nil
	}
	term, cands, err := v.buildLevels(kind, account, service, action)
	if err != nil {
		return nil, nil, err
	}
	v.lvls.Store(k, &levelSet{term: term, cands: cands})
	return term, cands, nil
}

func (v *view) buildLevels(kind policy.PolicyKind, account, service, action string) (*ast.Term, []candidate, error) {
	path := v.snap.OrgPath(account)
	out := make([]*ast.Term, 0, len(path))
	var all []candidate
	for _, node := range path {
		names := node.SCPs
		if kind == policy.KindRCP {
			names = node.RCPs
		}
		policyNames := make([]string, len(names))
		for i, n := range names {
			policyNames[i] = world.OrgPolicyName(kind, n)
		}
		cs, err := v.collect(nil, policyNames, service, action)
		if err != nil {
			return nil, nil, fmt.Errorf("%s of %s: %w", kind, node.ID, err) // coded by collect
		}
		all = append(all, cs...)
		out = append(out, ast.ObjectTerm(
			item("name", ast.StringTerm(node.Kind+" "+levelName(node))),
			item("statements", terms(cs)),
		))
	}
	return ast.ArrayTerm(out...), all, nil
}

func levelName(n *store.OrgNode) string {
	if n.Name != "" && n.Name != n.ID {
		return n.Name + " (" + n.ID + ")"
	}
	return n.ID
}
