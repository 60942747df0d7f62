package benchmarks

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/loader/scenario"
)

func openWorld(b *testing.B, yaml string) *engine.Engine {
	b.Helper()
	sc, err := scenario.ParseScenario("bench.yaml", []byte(yaml))
	if err != nil {
		b.Fatal(err)
	}
	e, err := checks.OpenScenario(context.Background(), sc)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

var fixedTime = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// benchDecide measures, in the same run, the explained decision (Decide)
// and the lean verdict (Verdict) of one request, one per iteration, and
// also reports the median, which the performance targets are stated in.
func benchDecide(b *testing.B, e *engine.Engine, req *engine.Request, want string) {
	ctx := context.Background()
	b.Run("explained", func(b *testing.B) {
		benchOne(b, want, func() (string, error) {
			d, err := e.Decide(ctx, req)
			if err != nil {
				return "", err
			}
			return d.Decision, nil
		})
	})
	b.Run("lean", func(b *testing.B) {
		benchOne(b, want, func() (string, error) {
			v, err := e.Verdict(ctx, req)
			return v.Decision, err
		})
	})
}

// benchOne times decide, which answers want.
func benchOne(b *testing.B, want string, decide func() (string, error)) {
	got, err := decide() // warm the caches, check the answer
	if err != nil {
		b.Fatal(err)
	}
	if got != want {
		b.Fatalf("decision %s, want %s", got, want)
	}
	samples := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := decide(); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	b.ReportMetric(float64(samples[len(samples)/2].Nanoseconds()), "median-ns")
}

func smallRequest() *engine.Request {
	return &engine.Request{
		Principal: "arn:aws:iam::" + Account + ":user/alice",
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::data-bucket/reports/q3.csv",
		// The bucket is not declared in the small world, so its account is given.
		ResourceAccount: Account,
		Context:         map[string]any{"aws:RequestedRegion": "us-east-1"},
		Time:            fixedTime,
	}
}

// BenchmarkDecisionSmall: a user with 5 inline policies (26 statements),
// decided by each evaluator in the same run.
func BenchmarkDecisionSmall(b *testing.B) {
	bothEvaluators(b, SmallWorld(26), smallRequest())
}

// BenchmarkDecisionLarge: a role session with 200 statements, a permissions
// boundary, a bucket policy and three SCP levels (root, OU, account),
// decided by each evaluator in the same run.
func BenchmarkDecisionLarge(b *testing.B) {
	bothEvaluators(b, LargeWorld(), largeRequest())
}

// bothEvaluators runs a decision benchmark on OPA's topdown and on the
// plan evaluator (engine/plan), one sub-benchmark each.
func bothEvaluators(b *testing.B, world string, req *engine.Request) {
	base := openWorld(b, world)
	for _, ev := range []string{engine.EvaluatorTopdown, engine.EvaluatorPlan} {
		b.Run(ev, func(b *testing.B) {
			e, err := engine.NewWithOptions(context.Background(), base.Store(), engine.Options{Evaluator: ev})
			if err != nil {
				b.Fatal(err)
			}
			benchDecide(b, e, req, engine.Allow)
		})
	}
}

func largeRequest() *engine.Request {
	return &engine.Request{
		Principal: "arn:aws:sts::" + Account + ":assumed-role/app/i-0abc",
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::data-bucket/reports/q3.csv",
		Context:   map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true},
		Time:      fixedTime,
	}
}

// BenchmarkDecisionAccountGrowth: the small request while the account holds
// 100 to 10,000 statements; the time should stay flat.
func BenchmarkDecisionAccountGrowth(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("statements=%d", n), func(b *testing.B) {
			benchDecide(b, openWorld(b, SmallWorld(n)), smallRequest(), engine.Allow)
		})
	}
}
