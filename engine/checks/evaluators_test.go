package checks_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// TestCorpusBothEvaluators decides every check of every corpus scenario
// (its chain's hops included) with OPA's topdown and with the plan
// evaluator (engine.EvaluatorBoth fails a decision on which their
// decision objects differ), and requires each check to pass as it does
// under TestCorpus. Expected answers and their sources are the corpus
// checks' own.
func TestCorpusBothEvaluators(t *testing.T) {
	ctx := context.Background()
	total := 0
	for _, f := range enginetest.CorpusFiles(t) {
		sc, err := scenario.LoadScenarioFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := checks.OpenScenario(ctx, sc)
		if err != nil {
			t.Fatal(err)
		}
		e, err := engine.NewWithOptions(ctx, ref.Store(), engine.Options{Evaluator: engine.EvaluatorBoth})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range sc.Checks {
			r := checks.New(e).RunCheck(ctx, c)
			if r.Err != nil && strings.Contains(r.Err.Error(), "evaluators differ") {
				t.Errorf("%s:%d %s: %v", c.File, c.Line, c.Name, r.Err)
			} else if !r.Passed() {
				t.Errorf("%s:%d %s: %s (source: %s)", c.File, c.Line, c.Name, r.Problem(), c.Source)
			}
			total++
		}
	}
	if total == 0 {
		t.Fatal("no corpus check ran")
	}
	t.Logf("%d checks decided by both evaluators", total)
}
