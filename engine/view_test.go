package engine

import (
	"context"
	"testing"

	"github.com/clearance-dev/clearance/loader"
)

// A write to the store is seen by the next decision: the engine's caches
// belong to one store generation.
func TestDecisionSeesStoreWrites(t *testing.T) {
	const before = `
world:
  accounts:
    - id: "111111111111"
      users:
        - name: dana
checks: []
`
	const after = `
world:
  accounts:
    - id: "111111111111"
      users:
        - name: dana
          policies:
            - name: read
              document:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Action: "s3:GetObject", Resource: "*"}
checks: []
`
	e := openTestEngine(t, before)
	req := &Request{Principal: "arn:aws:iam::111111111111:user/dana", Action: "s3:GetObject",
		Resource: "arn:aws:s3:::b/k", ResourceAccount: "111111111111", Time: t0}
	for i, want := range []string{ImplicitDeny, Allow} {
		if i == 1 {
			sc, err := loader.ParseScenario("after.yaml", []byte(after))
			if err != nil {
				t.Fatal(err)
			}
			if err := e.store.Load(sc.World); err != nil {
				t.Fatal(err)
			}
		}
		d, err := e.Decide(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		// An identity policy allowing the action is enough in the same
		// account (reference_policies_evaluation-logic_policy-eval-denyallow.html).
		if d.Decision != want {
			t.Errorf("write %d: %s, want %s", i, d.Decision, want)
		}
	}
}
