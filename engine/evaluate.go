package engine

import (
	"cmp"
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/engine/bundle"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/plan"
	policies "github.com/clearance-dev/clearance/rego"
)

// The evaluators of the decision logic (Options.Evaluator).
const (
	EvaluatorTopdown = "topdown" // OPA's interpreter: the reference
	EvaluatorPlan    = "plan"    // engine/plan on the bundle's planned IR
	EvaluatorBoth    = "both"    // both, an internal error when they differ (tests)
)

// loadPlan returns the plan evaluator's program (nil for topdown).
func loadPlan(name string) (*plan.Program, error) {
	switch name {
	case "", EvaluatorTopdown:
		return nil, nil
	case EvaluatorPlan, EvaluatorBoth:
		return bundle.Program()
	}
	return nil, fault.Errorf(fault.CodeBadRequest, "evaluator %q: expected %s or %s", name, EvaluatorTopdown, EvaluatorPlan)
}

// evaluate runs the decision logic on an input with the engine's
// evaluator; with EvaluatorBoth, with both, failing when they differ.
func (e *Engine) evaluate(ctx context.Context, in *builtInput, req *Request) (*Decision, error) {
	var t *ast.Term
	var err error
	if e.prog != nil {
		t, err = e.evalPlan(in, req)
	}
	if e.prog == nil || e.opts.Evaluator == EvaluatorBoth {
		in.build(req)
		ref, err2 := e.query.Eval(ctx, in.value)
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
	return decodeDecision(t)
}

func (e *Engine) evalPlan(in *builtInput, req *Request) (*ast.Term, error) {
	input, err := in.planInput(e.current(), req)
	if err != nil {
		return nil, err
	}
	v, err := e.prog.Eval(bundle.EntryOf(policies.Query), input)
	if err == nil && v == nil {
		err = bundle.ErrUndefined
	}
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(bundle.ToAST(v)), nil
}
