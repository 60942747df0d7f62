package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// BenchmarkGeneratedRuleShape measures, on this OPA version, the floor of
// the fastest shape shared/reference/engine-research.md describes: each
// statement generated as its own rule, guarded by an input equality OPA's
// rule index selects on, and a verdict of three else branches over one
// policy type. It is not Clearance's logic (which has six policy types,
// SCP/RCP levels, credential rules and reasons): it bounds from below what
// generating rules could reach (benchmarks/README.md, issue 2).
func BenchmarkGeneratedRuleShape(b *testing.B) {
	for _, n := range []int{25, 200, 2000} {
		b.Run(fmt.Sprintf("statements=%d", n), func(b *testing.B) {
			ctx := context.Background()
			pq, err := rego.New(rego.Query("data.shape.decision"),
				rego.Module("gen.rego", generatedStatements(n)), rego.Module("shape.rego", shapeLogic)).PrepareForEval(ctx)
			if err != nil {
				b.Fatal(err)
			}
			in := ast.NewObject(
				item("action", ast.StringTerm("s3:getobject")),
				item("resource", ast.StringTerm("arn:aws:s3:::data-bucket/reports/q3.csv")),
				item("same_account", ast.BooleanTerm(true)),
				item("context", ast.ObjectTerm(item("aws:principaltag/team", ast.StringTerm("data")))),
			)
			rs, err := pq.Eval(ctx, rego.EvalParsedInput(in))
			if err != nil || len(rs) != 1 || rs[0].Expressions[0].Value.(map[string]any)["decision"] != "allow" {
				b.Fatalf("the shape's answer: %v %v, want allow", err, rs)
			}
			cancel := topdown.NewCancel()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rs, err := pq.Eval(ctx, rego.EvalParsedInput(in), rego.EvalMetrics(metrics.NoOp()),
					rego.EvalExternalCancel(cancel), rego.EvalGenerateJSON(rawTerm))
				if err != nil || len(rs) != 1 {
					b.Fatalf("eval: %v %v", err, rs)
				}
			}
		})
	}
}

// generatedStatements writes n rules for other services' actions and the
// one statement that allows the request.
func generatedStatements(n int) string {
	var sb strings.Builder
	sb.WriteString("package shape.gen\n")
	actions := []string{"ec2:describeinstances", "dynamodb:getitem", "sqs:sendmessage", "lambda:invokefunction", "s3:putobject"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "identity contains {\"policy\": \"p%d\", \"idx\": %d, \"effect\": \"Allow\"} if {\n\tinput.action == %q\n"+
			"\tglob.match(\"arn:aws:*:*:*:thing/*\", null, input.resource)\n}\n", i/5, i%5, actions[i%len(actions)])
	}
	sb.WriteString(`identity contains {"policy": "px", "idx": 0, "effect": "Allow"} if {
	startswith(input.action, "s3:get")
	glob.match("arn:aws:s3:::data-bucket/*", null, input.resource)
	input.context["aws:principaltag/team"] == "data"
}
`)
	return sb.String()
}

const shapeLogic = `package shape
import data.shape.gen
verdict := "allow" if input.action == "sts:getcalleridentity"
else := "explicit-deny" if {
	some m in gen.identity
	m.effect == "Deny"
} else := "allow" if {
	input.same_account
	some m in gen.identity
	m.effect == "Allow"
} else := "implicit-deny"
decision := {"decision": verdict, "matched": gen.identity}
`

func rawTerm(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }
