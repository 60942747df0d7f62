package engine

import (
	"context"
	"testing"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
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
			sc, err := scenario.ParseScenario("after.yaml", []byte(after))
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

// Session policies come with requests, without end (a console): a view
// keeps the AST form of at most maxOutsideTerms of their statements and
// converts the rest on each use, with the same result.
func TestSessionTermsBounded(t *testing.T) {
	s, err := store.NewStore()
	if err != nil {
		t.Fatal(err)
	}
	v := newView(s.Snapshot(), 0, false)
	pol, err := policy.ParsePolicyBytes("session.json", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`), policy.KindSession, "session")
	if err != nil {
		t.Fatal(err)
	}
	st := &pol.Statements[0]
	v.outsideTerms.Store(maxOutsideTerms)
	got, err := v.sessionTerm(st)
	if err != nil {
		t.Fatal(err)
	}
	if _, kept := v.terms.Load(st); kept {
		t.Error("a statement past the bound was kept")
	}
	v.outsideTerms.Store(0)
	again, err := v.sessionTerm(st)
	if err != nil {
		t.Fatal(err)
	}
	if _, kept := v.terms.Load(st); !kept || !got.Equal(again) || v.outsideTerms.Load() != 1 {
		t.Errorf("under the bound: kept %v, equal %v, count %d", kept, got.Equal(again), v.outsideTerms.Load())
	}
}
