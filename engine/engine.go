// Package engine answers "may this principal perform this action on this
// resource?" for a world held in a loader.Store. It resolves the principal
// and the resource, fetches the candidate statements of every policy type
// through the store's indexes, and evaluates the Rego decision logic
// embedded from the rego package with OPA.
package engine

import (
	"context"
	"fmt"
	"io/fs"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	// The iam.* built-ins the Rego calls register themselves with OPA.
	_ "github.com/clearance-dev/clearance/engine/builtin"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/store"
	policies "github.com/clearance-dev/clearance/rego"
)

// Engine evaluates requests against a store. It is safe for concurrent use.
type Engine struct {
	store *store.Store
	query rego.PreparedEvalQuery
	// lean is the verdict without its reasons (Verdict).
	lean rego.PreparedEvalQuery
	view atomic.Pointer[view]
	// policyFree is the logic's policy_free_actions, for mayAllow.
	policyFree map[string]bool
	opts       Options
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
}

// New compiles the decision logic and returns an engine over store.
func New(ctx context.Context, store *store.Store) (*Engine, error) {
	return NewWithOptions(ctx, store, Options{})
}

// NewWithOptions is New with options.
func NewWithOptions(ctx context.Context, store *store.Store, opts Options) (*Engine, error) {
	compiler, err := Compile(false)
	if err != nil {
		return nil, err
	}
	e := &Engine{store: store, opts: opts}
	for q, pq := range map[string]*rego.PreparedEvalQuery{policies.Query: &e.query, policies.VerdictQuery: &e.lean} {
		if *pq, err = rego.New(rego.Query(q), rego.Compiler(compiler)).PrepareForEval(ctx); err != nil {
			return nil, fault.Wrap(fault.CodeInternal, err, "prepare %s", q)
		}
	}
	if e.policyFree, err = policyFreeActions(ctx, compiler); err != nil {
		return nil, err
	}
	return e, nil
}

// policyFreeActions reads from the logic the actions it may allow without
// an Allow statement.
func policyFreeActions(ctx context.Context, compiler *ast.Compiler) (map[string]bool, error) {
	rs, err := rego.New(rego.Query(policies.PolicyFreeQuery), rego.Compiler(compiler)).Eval(ctx)
	if err != nil {
		return nil, fault.Wrap(fault.CodeInternal, err, "read %s", policies.PolicyFreeQuery)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fault.Errorf(fault.CodeInternal, "read %s: undefined", policies.PolicyFreeQuery)
	}
	list, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		return nil, fault.Errorf(fault.CodeInternal, "read %s: a set of actions expected, got %T", policies.PolicyFreeQuery, rs[0].Expressions[0].Value)
	}
	out := map[string]bool{}
	for _, a := range list {
		s, ok := a.(string)
		if !ok {
			return nil, fault.Errorf(fault.CodeInternal, "read %s: an action string expected, got %T", policies.PolicyFreeQuery, a)
		}
		out[s] = true
	}
	return out, nil
}

// Modules parses the embedded Rego files; with tests it includes the
// _test.rego files.
func Modules(tests bool) (map[string]*ast.Module, error) {
	mods := map[string]*ast.Module{}
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fault.Internal(err) // the embedded file system
		}
		if d.IsDir() || !isRego(path) || (!tests && isRegoTest(path)) {
			return nil
		}
		src, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return fault.Wrap(fault.CodeInternal, err, "read %s", path)
		}
		m, err := ast.ParseModuleWithOpts(path, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		if err != nil {
			return fault.Wrap(fault.CodeInternal, err, "parse %s", path)
		}
		mods[path] = m
		return nil
	})
	return mods, err
}

func isRego(p string) bool     { return len(p) > 5 && p[len(p)-5:] == ".rego" }
func isRegoTest(p string) bool { return len(p) > 10 && p[len(p)-10:] == "_test.rego" }

// Compile compiles the embedded Rego in strict mode.
func Compile(tests bool) (*ast.Compiler, error) {
	mods, err := Modules(tests)
	if err != nil {
		return nil, err
	}
	c := ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(false)
	if c.Compile(mods); c.Failed() {
		return nil, fault.Wrap(fault.CodeInternal, c.Errors, "compile rego")
	}
	return c, nil
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
	in.build(req)
	t, err := e.evaluate(ctx, &e.query, in, req)
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

// evaluate runs a query of the decision logic (the explained decision or
// the lean verdict) on a built input. The evaluation's cancel fires when
// ctx ends (context.AfterFunc starts no goroutine until then), so a
// question whose client left stops inside OPA.
func (e *Engine) evaluate(ctx context.Context, q *rego.PreparedEvalQuery, in *builtInput, req *Request) (*ast.Term, error) {
	cancel := topdown.NewCancel()
	defer context.AfterFunc(ctx, cancel.Cancel)()
	var rs rego.ResultSet
	var err error
	if ctx.Err() == nil {
		rs, err = q.Eval(ctx, rego.EvalParsedInput(in.value), rego.EvalMetrics(metrics.NoOp()),
			rego.EvalExternalCancel(cancel), rego.EvalGenerateJSON(rawTerm))
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("evaluate %s on %s: %w", req.Action, req.Resource, context.Cause(ctx))
	} else if err != nil {
		return nil, fault.Wrap(fault.CodeInternal, err, "evaluate %s on %s", req.Action, req.Resource)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fault.Errorf(fault.CodeInternal, "evaluate %s on %s: decision undefined", req.Action, req.Resource)
	}
	t, ok := rs[0].Expressions[0].Value.(*ast.Term)
	if !ok {
		return nil, fault.Errorf(fault.CodeInternal, "evaluate: unexpected result %T", rs[0].Expressions[0].Value)
	}
	return t, nil
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

func rawTerm(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }

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
