package bundle

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/engine/plan"
	policies "github.com/clearance-dev/clearance/rego"
)

// The bundle plans with every public rule of clearance.authz as an entry
// point, and the evaluator loads the plan (it implements every statement
// type and built-in the plan uses).
func TestPlanLoads(t *testing.T) {
	start := time.Now()
	p, err := Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	planned := time.Since(start)
	prog, err := plan.Load(p, EntryOf(policies.Query), EntryOf(policies.PolicyFreeQuery))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("planned in %v, loaded in %v: entry points %v", planned, time.Since(start)-planned, prog.Entrypoints())
	free, err := prog.Eval(EntryOf(policies.PolicyFreeQuery), plan.NewObject(0))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(false)
	if err != nil {
		t.Fatal(err)
	}
	want, err := PolicyFree(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	set, ok := free.(*plan.Set)
	if !ok || set.Len() != len(want) {
		t.Fatalf("policy_free_actions: plan %v, topdown %v", free, want)
	}
	for i := range set.Len() {
		if s, _ := set.Elem(i).(plan.String); !want[string(s)] {
			t.Errorf("policy_free_actions: plan has %v, topdown does not", s)
		}
	}
}

func TestConvertRoundTrip(t *testing.T) {
	v := ast.MustParseTerm(`{"a": [1, 2.5, "x", true, null], "b": {"c": {"d"}}, "n": 1700000000000000000}`).Value
	pv, err := FromAST(v)
	if err != nil {
		t.Fatal(err)
	}
	if back := ToAST(pv); back.Compare(v) != 0 {
		t.Errorf("round trip: %v, want %v", back, v)
	}
	if _, err := FromAST(ast.MustParseTerm("x").Value); err == nil {
		t.Error("a variable converted")
	}
}

func TestEntryOf(t *testing.T) {
	if got := EntryOf("data.clearance.authz.decision"); got != "clearance/authz/decision" {
		t.Errorf("EntryOf: %s", got)
	}
	if !slices.Contains([]string{EntryPoint("decision")}, "clearance/authz/decision") {
		t.Error("EntryPoint")
	}
}
