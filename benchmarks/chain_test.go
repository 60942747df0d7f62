package benchmarks

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// threeHops is alice → hop1 (tagging team=data, transitive) → hop2 → hop3.
func threeHops() *scenario.Chain {
	role := func(n string) string { return "arn:aws:iam::" + Account + ":role/" + n }
	return &scenario.Chain{As: "arn:aws:iam::" + Account + ":user/alice", Time: fixedTime, Steps: []*scenario.Step{
		{Op: scenario.OpAssumeRole, Role: role("hop1"), Session: "s-one", Tags: map[string]string{"team": "data"}, Transitive: []string{"team"}},
		{Op: scenario.OpAssumeRole, Role: role("hop2"), Session: "s-two"},
		{Op: scenario.OpAssumeRole, Role: role("hop3"), Session: "s-three"},
	}}
}

// BenchmarkChainWalk3 builds a three-hop chain: four authorization
// requests (hop 1 also needs sts:TagSession). Target: under 100 µs.
func BenchmarkChainWalk3(b *testing.B) {
	e := openWorld(b, ChainWorld())
	ctx := context.Background()
	res, err := sts.New(e).Walk(ctx, threeHops())
	if err != nil || res.Final == nil {
		b.Fatalf("walk: %v %+v", err, res)
	}
	samples := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := sts.New(e).Walk(ctx, threeHops()); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	b.ReportMetric(float64(samples[len(samples)/2].Nanoseconds()), "median-ns")
}

// BenchmarkChainFinalDecision is a request made with the final session of
// a cached chain. Target: no more than a plain decision (DecisionSmall).
func BenchmarkChainFinalDecision(b *testing.B) {
	e := openWorld(b, ChainWorld())
	res, err := sts.New(e).Walk(context.Background(), threeHops())
	if err != nil || res.Final == nil {
		b.Fatalf("walk: %v %+v", err, res)
	}
	req := smallRequest()
	req.Principal, req.Session, req.Time = "", res.Final, fixedTime
	benchDecide(b, e, req, engine.Allow)
}
