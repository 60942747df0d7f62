package main

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/clearance-dev/clearance/engine"
)

// evaluatorCommands take --evaluator: which evaluator runs the decision
// logic (engine.Options.Evaluator).
var evaluatorCommands = map[string]bool{"why": true, "who-can": true, "can": true, "audit": true}

func evaluatorFlag(fs *pflag.FlagSet) {
	fs.String("evaluator", engine.EvaluatorTopdown, "the evaluator of the decision logic: topdown (OPA's) or plan (Clearance's, on OPA's compiled plan)")
}

// withEvaluator reopens e with the evaluator --evaluator names, when the
// command has the flag and it is not topdown. A name other than topdown
// or plan is a usage error.
func withEvaluator(ctx context.Context, fs *pflag.FlagSet, e *engine.Engine) (*engine.Engine, error) {
	f := fs.Lookup("evaluator")
	if f == nil || f.Value.String() == engine.EvaluatorTopdown {
		return e, nil
	}
	if name := f.Value.String(); name != engine.EvaluatorPlan {
		return nil, usageError{fmt.Errorf("--evaluator %q: expected %s or %s", name, engine.EvaluatorTopdown, engine.EvaluatorPlan)}
	}
	return engine.NewWithOptions(ctx, e.Store(), engine.Options{Evaluator: engine.EvaluatorPlan})
}
