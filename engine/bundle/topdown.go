package bundle

import (
	"context"
	"errors"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Query is a rule prepared for OPA's topdown.
type Query struct{ pq rego.PreparedEvalQuery }

// Prepare prepares a query ("data.clearance.authz.decision") on the
// compiled bundle.
func Prepare(ctx context.Context, compiler *ast.Compiler, query string) (*Query, error) {
	pq, err := rego.New(rego.Query(query), rego.Compiler(compiler)).PrepareForEval(ctx)
	if err != nil {
		return nil, err
	}
	return &Query{pq}, nil
}

// ErrUndefined is a query without a value.
var ErrUndefined = errors.New("undefined")

// Eval evaluates the query on an input. Its cancel fires when ctx ends
// (context.AfterFunc starts no goroutine until then), so a question whose
// client left stops inside OPA; the caller tells that case by ctx.Err().
func (q *Query) Eval(ctx context.Context, input ast.Value) (*ast.Term, error) {
	cancel := topdown.NewCancel()
	defer context.AfterFunc(ctx, cancel.Cancel)()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rs, err := q.pq.Eval(ctx, rego.EvalParsedInput(input), rego.EvalMetrics(metrics.NoOp()),
		rego.EvalExternalCancel(cancel), rego.EvalGenerateJSON(rawTerm))
	if err != nil {
		return nil, err
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, ErrUndefined
	}
	t, ok := rs[0].Expressions[0].Value.(*ast.Term)
	if !ok {
		return nil, errors.New("unexpected result form")
	}
	return t, nil
}

func rawTerm(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }
