package bundle

import (
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/plan"
)

// The evaluators of the decision logic (engine.Options.Evaluator).
const (
	EvaluatorTopdown = "topdown" // OPA's interpreter: the reference
	EvaluatorPlan    = "plan"    // engine/plan on the bundle's planned IR
	EvaluatorBoth    = "both"    // both, an internal error when they differ (tests)
)

// ProgramFor returns the plan evaluator's program for an evaluator's name
// (nil for topdown); an unknown name is bad input.
func ProgramFor(name string) (*plan.Program, error) {
	switch name {
	case "", EvaluatorTopdown:
		return nil, nil
	case EvaluatorPlan, EvaluatorBoth:
		return Program()
	}
	return nil, fault.Errorf(fault.CodeBadRequest, "evaluator %q: expected %s or %s", name, EvaluatorTopdown, EvaluatorPlan)
}
