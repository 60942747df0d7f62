package engine

import (
	"cmp"
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/engine/bundle"
	"github.com/clearance-dev/clearance/engine/fault"
)

// The evaluators of the decision logic (Options.Evaluator).
const (
	EvaluatorTopdown = bundle.EvaluatorTopdown // OPA's interpreter: the reference
	EvaluatorPlan    = bundle.EvaluatorPlan    // engine/plan on the bundle's planned IR
	EvaluatorBoth    = bundle.EvaluatorBoth    // both, an internal error when they differ (tests)
)

// evaluate runs a query of the decision logic (the explained decision or
// the lean verdict: q prepared from query) on an input with the engine's
// evaluator; with EvaluatorBoth, with both, failing when they differ.
func (e *Engine) evaluate(ctx context.Context, q *bundle.Query, query string, in *builtInput, req *Request) (*ast.Term, error) {
	var t *ast.Term
	var err error
	if e.prog != nil {
		t, err = e.evalPlan(query, in, req)
	}
	if e.prog == nil || e.opts.Evaluator == EvaluatorBoth {
		in.build(req)
		ref, err2 := q.Eval(ctx, in.value)
		if err = cmp.Or(err, err2); err == nil && t != nil && ref.Value.Compare(t.Value) != 0 {
			err = fmt.Errorf("evaluators differ:\ntopdown %v\nplan    %v", ref, t)
		}
		t = ref
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("evaluate %s on %s: %w", req.Action, req.Resource, context.Cause(ctx))
	} else if err != nil {
		return nil, fault.Wrap(fault.CodeInternal, err, "evaluate %s on %s", req.Action, req.Resource)
	}
	return t, nil
}

func (e *Engine) evalPlan(query string, in *builtInput, req *Request) (*ast.Term, error) {
	input, err := in.planInput(e.current(), req)
	if err != nil {
		return nil, err
	}
	v, err := e.prog.Eval(bundle.EntryOf(query), input)
	if err == nil && v == nil {
		err = bundle.ErrUndefined
	}
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(bundle.ToAST(v)), nil
}
