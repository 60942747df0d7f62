// Package engine answers "may this principal perform this action on this
// resource?" for a world held in a loader.Store. It resolves the principal
// and the resource, fetches the candidate statements of every policy type
// through the store's indexes, and evaluates the Rego decision logic
// embedded from the rego package with OPA.
package engine

import (
	"context"
	"sync/atomic"

	// The iam.* built-ins the Rego calls register themselves with OPA.
	_ "github.com/clearance-dev/clearance/engine/builtin"
	"github.com/clearance-dev/clearance/engine/bundle"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/plan"
	"github.com/clearance-dev/clearance/loader/store"
	policies "github.com/clearance-dev/clearance/rego"
)

// Engine evaluates requests against a store. It is safe for concurrent use.
type Engine struct {
	store *store.Store
	query *bundle.Query
	lean  *bundle.Query // the verdict without its reasons (Verdict)
	view  atomic.Pointer[view]
	// policyFree is the logic's policy_free_actions, for mayAllow.
	policyFree map[string]bool
	opts       Options
	prog       *plan.Program // the plan evaluator's program, when used
	// shared counts the decisions decideShared took from its memo.
	shared atomic.Int64
}

// Store returns the store the engine reads.
func (e *Engine) Store() *store.Store { return e.store }

// Options tune an engine at construction.
type Options struct {
	// NoIndex sends every candidate to the logic: the allow index, the
	// trust index and the decision memo are off. The differential tests
	// open one engine with and one without and require the same answers.
	NoIndex bool
	// Evaluator runs the decision logic: EvaluatorTopdown (OPA's, the
	// default), EvaluatorPlan or EvaluatorBoth (evaluate.go).
	Evaluator string
}

// New compiles the decision logic and returns an engine over store.
func New(ctx context.Context, store *store.Store) (*Engine, error) {
	return NewWithOptions(ctx, store, Options{})
}

// NewWithOptions is New with options.
func NewWithOptions(ctx context.Context, store *store.Store, opts Options) (*Engine, error) {
	compiler, err := bundle.Compile(false)
	if err != nil {
		return nil, err
	}
	pq, err := bundle.Prepare(ctx, compiler, policies.Query)
	if err != nil {
		return nil, fault.Wrap(fault.CodeInternal, err, "prepare decision query")
	}
	lq, err := bundle.Prepare(ctx, compiler, policies.VerdictQuery)
	if err != nil {
		return nil, fault.Wrap(fault.CodeInternal, err, "prepare verdict query")
	}
	free, err := bundle.PolicyFree(ctx, compiler)
	if err != nil {
		return nil, err
	}
	prog, err := bundle.ProgramFor(opts.Evaluator)
	return &Engine{store: store, query: pq, lean: lq, policyFree: free, opts: opts, prog: prog}, err
}

// Decide evaluates one request.
func (e *Engine) Decide(ctx context.Context, req *Request) (*Decision, error) {
	return e.decide(ctx, req, false)
}

// decide evaluates a request; with share, through the view's decision
// memo (memo.go).
func (e *Engine) decide(ctx context.Context, req *Request, share bool) (*Decision, error) {
	v := e.current()
	in, err := v.prepare(req)
	if err != nil {
		return nil, err
	}
	key := ""
	if share {
		key = in.memoKey(req)
	}
	if key != "" {
		if d, ok := v.memo.Load(key); ok {
			e.shared.Add(1)
			return in.complete(*d.(*Decision), req, v.gen), nil
		}
	}
	t, err := e.evaluate(ctx, e.query, policies.Query, in, req)
	if err != nil {
		return nil, err
	}
	d, err := decodeDecision(t)
	if err != nil {
		return nil, err
	}
	if key != "" && v.memoCount.Add(1) <= maxMemoEntries {
		kept := *d
		kept.Request, kept.Context, kept.MissingKeys = nil, nil, nil
		v.memo.Store(key, &kept)
	}
	return in.complete(*d, req, v.gen), nil
}

// complete fills in what a decision says of this request: the request,
// the principal, the context keys conditions used and those missing.
func (b *builtInput) complete(d Decision, req *Request, gen uint64) *Decision {
	d.Request = req
	d.Principal = b.principal.info()
	d.Context = b.used()
	d.MissingKeys = b.missing()
	d.Generation = gen
	return &d
}

// current returns the view of the store's current generation, without
// opening a snapshot when the cached one is current.
func (e *Engine) current() *view {
	if v := e.view.Load(); v != nil && v.gen == e.store.Generation() {
		return v
	}
	return e.viewFor(e.store.Snapshot())
}

// dropDerived replaces the cache of derived data for the snapshot's
// generation with an empty one, releasing what was derived for sessions
// no longer asked about. Decisions under way keep the view they hold.
func (e *Engine) DropDerived(snap *store.Snapshot) {
	if v := e.view.Load(); v != nil && v.gen == snap.Generation() {
		e.view.Store(newView(v.snap, v.gen, e.opts.NoIndex))
	}
}

// viewFor returns the cache of derived data for the snapshot's generation.
func (e *Engine) viewFor(snap *store.Snapshot) *view {
	gen := snap.Generation()
	if v := e.view.Load(); v != nil && v.gen == gen {
		return v // same generation: its own snapshot holds the same data
	}
	v := newView(snap, gen, e.opts.NoIndex)
	e.view.Store(v)
	return v
}
