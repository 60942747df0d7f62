package engine

import (
	"context"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/engine/fault"
	policies "github.com/clearance-dev/clearance/rego"
)

// Verdict is a decision without its reasons: what the lean verdict of the
// logic (data.clearance.authz.verdict_lean, rego/clearance/authz/lean.rego)
// answers. It equals the explained Decision's Decision and BlockedBy for
// every request (lean_test.go holds them equal); the bulk questions ask it
// and ask Decide only for what they report.
type Verdict struct {
	Decision  string `json:"decision"`
	BlockedBy string `json:"blocked_by,omitempty"`
	// Conditions, for an allowed request, are the context keys given
	// with the request that the candidate statements' conditions look at
	// (Decision.RequestConditions): an allow holds only while they are as
	// the request carried them.
	Conditions []string `json:"conditions,omitempty"`
}

// Verdict evaluates one request's lean verdict: no matched-statement list
// is built, and each rule stops at the first statement that settles it.
func (e *Engine) Verdict(ctx context.Context, req *Request) (Verdict, error) {
	return e.verdict(ctx, req, false)
}

// VerdictShared is Verdict for the bulk queries, through the decision
// memo as DecideShared.
func (e *Engine) VerdictShared(ctx context.Context, req *Request) (Verdict, error) {
	return e.verdict(ctx, req, !e.opts.NoIndex)
}

func (e *Engine) verdict(ctx context.Context, req *Request, share bool) (Verdict, error) {
	v := e.current()
	in, err := v.prepare(req)
	if err != nil {
		return Verdict{}, err
	}
	key := ""
	if share {
		if key = in.memoKey(req); key != "" {
			key = "lean\x00" + key // a decision's key starts with a digit
		}
	}
	if key != "" {
		if got, ok := v.memo.Load(key); ok {
			e.shared.Add(1)
			return in.conditions(*got.(*Verdict)), nil
		}
	}
	t, err := e.evaluate(ctx, e.lean, policies.VerdictQuery, in, req)
	if err != nil {
		return Verdict{}, err
	}
	out, err := decodeVerdict(t)
	if err != nil {
		return Verdict{}, err
	}
	if key != "" && v.memoCount.Add(1) <= maxMemoEntries {
		v.memo.Store(key, &out)
	}
	return in.conditions(out), nil
}

// conditions fills in the request's conditions of an allowed verdict.
func (b *builtInput) conditions(out Verdict) Verdict {
	if out.Decision == Allow {
		out.Conditions = (&Decision{Context: b.used()}).RequestConditions()
	}
	return out
}

// decodeVerdict reads the Rego verdict_lean object.
func decodeVerdict(t *ast.Term) (Verdict, error) {
	obj, ok := t.Value.(ast.Object)
	if !ok {
		return Verdict{}, fault.Errorf(fault.CodeInternal, "verdict: expected an object, got %v", t)
	}
	out := Verdict{Decision: str(obj, "decision"), BlockedBy: str(obj, "blocked_by")}
	switch out.Decision {
	case Allow, ExplicitDeny, ImplicitDeny:
		return out, nil
	}
	return Verdict{}, fault.Errorf(fault.CodeInternal, "verdict: unexpected value %q", out.Decision)
}
