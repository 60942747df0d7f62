package querytest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/engine/query/querytest"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// TestGeneratedWorldsBothEvaluators decides every brute-force request of
// generated worlds (organizations with SCPs and RCPs, boundaries,
// sessions, federated users, cross-account resource policies) with OPA's
// topdown and with the plan evaluator: engine.EvaluatorBoth fails a
// decision whose decision objects differ.
func TestGeneratedWorldsBothEvaluators(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5, 6} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w := querytest.Generate(seed, querytest.Size{Accounts: 3, Users: 1, Roles: 1, Buckets: 1})
			sc, err := scenario.ParseScenario(fmt.Sprintf("generated-%d.json", seed), w.Scenario)
			ref := enginetest.OpenParsed(t, sc, err)
			e, err := engine.NewWithOptions(context.Background(), ref.Store(), engine.Options{Evaluator: engine.EvaluatorBoth})
			if err != nil {
				t.Fatal(err)
			}
			reqs := w.Requests(t)
			decided := 0
			for _, req := range reqs {
				_, err := e.Decide(context.Background(), req)
				if err != nil && strings.Contains(err.Error(), "evaluators differ") {
					t.Fatalf("%s %s %s: %v", req.Principal, req.Action, req.Resource, err)
				}
				if err == nil {
					decided++
				}
			}
			if decided < len(reqs)/2 {
				t.Errorf("only %d of %d requests decided", decided, len(reqs))
			}
		})
	}
}
