package engine

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// The surface the packages built on the engine use (sts, query, audit):
// besides Decide and Ask, a per-generation cache each of them owns, the
// allow index (MayAllow), the decision memo (DecideShared), the trust
// index (RoleCandidates) and the audit's hop class (HopClass). What each
// of these relies on in the Rego input is stated in reads.go.

// Cache is a cache a package built on the engine keeps its derived data in
// for one store generation (reach its hop outcomes, the audit its role
// classes). It goes with the generation's view when the store changes.
type Cache struct {
	sync.Map
	n atomic.Int64
}

// Admit reports whether one more entry may be stored, at most max in all.
func (c *Cache) Admit(max int64) bool { return c.n.Add(1) <= max }

// Cache returns the cache the slot names in the snapshot's generation. A
// slot is a value of a comparable type the client owns (an empty struct),
// so two clients never share a cache by accident.
func (e *Engine) Cache(snap *store.Snapshot, slot any) *Cache {
	v := e.viewFor(snap)
	if c, ok := v.slots.Load(slot); ok {
		return c.(*Cache)
	}
	c, _ := v.slots.LoadOrStore(slot, &Cache{})
	return c.(*Cache)
}

// Identity is what a request's principal resolves to in a snapshot.
type Identity struct {
	ARN, Kind, Account string
	EntityARN          string // the role of a session, the maker of a federated user
	Boundary           string // the permissions boundary policy, or ""
	// Policies names the principal's identity policies in the store
	// (inline, attached and through its groups).
	Policies []string
	// Names are what a Principal element may give to name the principal
	// itself or its role or user; AccountNames its account (trustindex.go).
	Names, AccountNames []string
}

// Identify resolves the request's principal (or session) in the snapshot.
func (e *Engine) Identify(snap *store.Snapshot, req *Request) (*Identity, error) {
	p, err := e.viewFor(snap).principal(req)
	if err != nil {
		return nil, err
	}
	return &Identity{ARN: p.arn, Kind: p.kind, Account: p.account, EntityARN: p.entityARN, Boundary: p.boundary,
		Policies: p.identity, Names: p.ownNames(), AccountNames: p.accountNames()}, nil
}

// PolicyFree reports whether the logic may allow the action without an
// Allow statement (policy_free_actions); TrustAction whether a role's trust
// policy is the resource policy the action on the role needs.
func (e *Engine) PolicyFree(action string) bool { return e.policyFree[strings.ToLower(action)] }
func TrustAction(action string) bool            { return trustActions[strings.ToLower(action)] }

// RoleCandidates lists, in world order, the roles the session may assume:
// those whose trust policy names it (the trust index) and that the allow
// index does not rule out. Each hop must still be decided by the logic.
// Without the indexes (Options.NoIndex) it is every role whose trust
// policy can concern sts:AssumeRole.
func (e *Engine) RoleCandidates(snap *store.Snapshot, s *Session) ([]*world.Role, error) {
	if e.opts.NoIndex {
		return assumableRoles(snap), nil
	}
	v := e.viewFor(snap)
	p, err := v.principal(&Request{Session: s})
	if err != nil {
		return nil, err
	}
	var out []*world.Role
	for _, r := range v.trusts().Candidates(p.names()) {
		may, err := e.MayAllow(&Request{Session: s, Action: "sts:AssumeRole", Resource: r.ARN})
		if err != nil {
			return nil, err
		}
		if may {
			out = append(out, r)
		}
	}
	return out, nil
}

// assumableRoles lists the roles whose trust policy has a statement that
// can concern sts:AssumeRole (a cheap filter; each hop is still decided by
// the full logic).
func assumableRoles(snap *store.Snapshot) []*world.Role {
	var out []*world.Role
	for _, a := range snap.Accounts() {
		for _, r := range snap.Roles(a.ID) {
			if TrustMentions(r.Trust, "sts:assumerole") {
				out = append(out, r)
			}
		}
	}
	return out
}

// ContextValue is a request context key's value as the logic sees it, and
// where it came from (principal, resource, organization, clock, request).
type ContextValue struct {
	Key    string
	Value  any
	Source string
}

// RequestContext returns the request context the logic would see for req,
// keyed by lower-cased key: the world-derived keys, the clock's and the
// caller's.
func (e *Engine) RequestContext(req *Request) (map[string]ContextValue, error) {
	in, err := e.current().prepare(req)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ContextValue, len(in.ctx))
	for k, v := range in.ctx {
		out[k] = ContextValue{Key: v.Key, Value: v.Value, Source: v.Source}
	}
	return out, nil
}
