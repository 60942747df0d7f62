package engine

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/engine/bundle"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/index"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
)

// view caches what the engine derives from one store generation: the AST
// form of each statement and the candidate statements of each (policy,
// service). Store rows are immutable, so the cache is valid until the next
// write, when a new view replaces it.
type view struct {
	gen   uint64
	snap  *store.Snapshot
	terms sync.Map // *loader.Statement -> *ast.Term
	cands sync.Map // policy + "\x00" + service -> []candidate
	sets  sync.Map // cache key of a policy set + "\x00" + action -> *candidateSet
	princ sync.Map // principal + "\x00" + federated-by -> *principal
	lvls  sync.Map // kind + account + action -> *levelSet
	paths sync.Map // account -> aws:PrincipalOrgPaths value
	ctxs  sync.Map // principal + resource + account -> requestContext (read-only)
	rows  sync.Map // resource ARN -> *resourceRows
	// rowCount bounds rows (requests name resources without end).
	rowCount atomic.Int64
	// outsideTerms counts the cached terms of session policies, which
	// come with requests and chains, not from the store.
	outsideTerms atomic.Int64
	memo         sync.Map // memoKey -> *Decision (decideShared)
	memoCount    atomic.Int64
	// slots holds the caches of the packages built on the engine
	// (clients.go), by the slot each names.
	slots sync.Map
	// trustIdx indexes the roles by the principals their trust names.
	trustIdx lazyTrusts
	// cached counts the entries cached for sessions: chains make new
	// sessions without end (a console walking chains), so past
	// sessionCap their derived data is computed, not kept.
	cached     atomic.Int64
	sessionCap int64
	planMemo   bundle.Memo // the plan form of cached statement terms
	// narrowed caches the resource index's narrowing of a candidate set
	// for a resource (narrow), up to maxResourceEntries entries.
	narrowed    sync.Map // narrowKey -> *candidateSet
	narrowCount atomic.Int64
	noIndex     bool // Options.NoIndex: the resource index is off
}

// minSessionEntries bounds what a view keeps for chain sessions, plus
// sessionsPerIdentity for each user and role of the world (an audit probes
// each through its own sessions).
const (
	minSessionEntries   = 50_000
	sessionsPerIdentity = 2
)

// keep reports whether an entry for key may be cached.
func (v *view) keep(key string) bool {
	if !strings.HasPrefix(key, "session\x00") {
		return true
	}
	return v.cached.Add(1) <= v.sessionCap
}

// levelSet is the SCP or RCP levels of an account for one action.
type levelSet struct {
	term  *ast.Term
	cands []candidate
}

// candidateSet is the candidates of a list of policies for one action,
// with their Rego array.
type candidateSet struct {
	cands []candidate
	term  *ast.Term
}

// set returns the candidates of the named policies for an action, cached
// under key (which must identify the list of names).
func (v *view) set(key string, names []string, service, action string) (*candidateSet, error) {
	k := key + "\x00" + action
	if cs, ok := v.sets.Load(k); ok {
		return cs.(*candidateSet), nil
	}
	cands, err := v.collect(nil, names, service, action)
	if err != nil {
		return nil, err
	}
	cs := &candidateSet{cands: cands, term: terms(cands)}
	v.sets.Store(k, cs)
	return cs, nil
}

// principal resolves the requester once per store generation.
func (v *view) principal(req *Request) (*principal, error) {
	k := req.Principal + "\x00" + req.FederatedBy
	if req.Session != nil {
		k = req.Session.ID
	}
	if p, ok := v.princ.Load(k); ok {
		return p.(*principal), nil
	}
	var p *principal
	var err error
	if req.Session != nil {
		p, err = PrincipalOf(v.snap, req.Session)
	} else {
		p, err = resolvePrincipal(v.snap, req)
	}
	if err != nil {
		return nil, err
	}
	_, mgmt, hasOrg := v.snap.ManagementAccount()
	for i, hasSession := range []bool{false, true} {
		p.inputs[i] = principalValue(p, hasSession, hasOrg && p.account == mgmt)
		p.vals[i], _ = bundle.FromAST(p.inputs[i]) // built above: always converts
	}
	if v.keep(k) {
		v.princ.Store(k, p)
	}
	return p, nil
}

// candidate is a statement with its Rego form.
type candidate struct {
	st   *policy.Statement
	term *ast.Term
}

func newView(snap *store.Snapshot, gen uint64, noIndex bool) *view {
	identities := 0
	for _, a := range snap.Accounts() {
		identities += len(a.Users) + len(a.Roles)
	}
	return &view{gen: gen, snap: snap, noIndex: noIndex,
		sessionCap: minSessionEntries + sessionsPerIdentity*int64(identities)}
}

// term returns the Rego data form of a statement, converting it once.
func (v *view) term(st *policy.Statement) (*ast.Term, error) {
	if t, ok := v.terms.Load(st); ok {
		return t.(*ast.Term), nil
	}
	t, err := statementTerm(st)
	if err != nil {
		return nil, err
	}
	v.terms.Store(st, t)
	return t, nil
}

// maxOutsideTerms bounds the session-policy statements a view keeps the
// AST form of (a console passes new session policies without end).
const maxOutsideTerms = 100_000

// sessionTerm is term for a statement of a session policy: kept while
// fewer than maxOutsideTerms are, converted on every use after that.
func (v *view) sessionTerm(st *policy.Statement) (*ast.Term, error) {
	if t, ok := v.terms.Load(st); ok {
		return t.(*ast.Term), nil
	}
	if v.outsideTerms.Load() >= maxOutsideTerms {
		return statementTerm(st)
	}
	v.outsideTerms.Add(1)
	return v.term(st)
}

// statementTerm converts a compiled statement to an AST value through its
// JSON form (done once per statement, off the hot path).
func statementTerm(st *policy.Statement) (*ast.Term, error) {
	raw, err := json.Marshal(st)
	if err != nil {
		return nil, fault.Wrap(fault.CodeInternal, err, "statement %s#%d", st.Policy, st.Index)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep int64 dates exact
	var data any
	if err := dec.Decode(&data); err != nil {
		return nil, fault.Wrap(fault.CodeInternal, err, "statement %s#%d", st.Policy, st.Index)
	}
	val, err := ast.InterfaceToValue(data)
	if err != nil {
		return nil, fault.Wrap(fault.CodeInternal, err, "statement %s#%d", st.Policy, st.Index)
	}
	return ast.NewTerm(val), nil
}

// candidates returns the statements of a policy that can concern an action
// of the service, from the store's (policy, service) index.
func (v *view) candidates(policy, service string) ([]candidate, error) {
	key := policy + "\x00" + service
	if c, ok := v.cands.Load(key); ok {
		return c.([]candidate), nil
	}
	stmts := v.snap.Statements(policy, service)
	out := make([]candidate, 0, len(stmts))
	for _, st := range stmts {
		t, err := v.term(st)
		if err != nil {
			return nil, err
		}
		out = append(out, candidate{st: st, term: t})
	}
	v.cands.Store(key, out)
	return out, nil
}

// collect appends to out the candidates of the policies whose actions can
// match the action. Dropping a statement whose Action list cannot match is
// only an index: the Rego logic checks Action/NotAction again.
func (v *view) collect(out []candidate, names []string, service, action string) ([]candidate, error) {
	for _, name := range names {
		cs, err := v.candidates(name, service)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if c.st.NotAction || index.ActionMayMatch(c.st, action) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

func terms(cs []candidate) *ast.Term {
	elems := make([]*ast.Term, len(cs))
	for i, c := range cs {
		elems[i] = c.term
	}
	return ast.ArrayTerm(elems...)
}

// narrowKey names a candidate set narrowed to a resource.
type narrowKey struct {
	set      *candidateSet
	resource string
}

// narrow is the resource index: the candidates of a set whose Resource
// element may match the resource (index.ResourceMayMatch), with their Rego
// array; the set itself when none is dropped. A dropped statement is one
// the logic's _resource_ok rejects, so no decision changes; the logic
// still checks every candidate it receives.
func (v *view) narrow(cs *candidateSet, resource string) *candidateSet {
	if v.noIndex || len(cs.cands) == 0 {
		return cs
	}
	k := narrowKey{cs, resource}
	if n, ok := v.narrowed.Load(k); ok {
		return n.(*candidateSet)
	}
	n := cs
	if kept := narrowList(cs.cands, resource); len(kept) < len(cs.cands) {
		n = &candidateSet{cands: kept, term: terms(kept)}
	}
	if v.narrowCount.Add(1) <= maxResourceEntries {
		v.narrowed.Store(k, n)
	}
	return n
}

// narrowList returns the candidates whose Resource element may match the
// resource: cs itself when it keeps them all.
func narrowList(cs []candidate, resource string) []candidate {
	for i, c := range cs {
		if index.ResourceMayMatch(c.st, resource) {
			continue
		}
		kept := append(make([]candidate, 0, len(cs)-1), cs[:i]...)
		for _, c := range cs[i+1:] {
			if index.ResourceMayMatch(c.st, resource) {
				kept = append(kept, c)
			}
		}
		return kept
	}
	return cs
}
