package benchmarks

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/query"
)

// BenchmarkCan10kNarrow works out the effective permissions of a session
// of svc-0001 in account 3 of the synthetic organization (10 accounts ×
// 1,000 roles; its managed policies app-02 and app-13 allow a few DynamoDB
// and SNS actions on app-* tables and topic-* topics), each run on a cold
// view (DropDerived: no decision or candidate kept).
func BenchmarkCan10kNarrow(b *testing.B) {
	benchCan(b, "arn:aws:sts::100000000003:assumed-role/svc-0001/bench")
}

// BenchmarkCan10kBroad does the same for svc-0007, whose app-07 allows
// every action but iam:* and organizations:* (NotAction) on "*".
func BenchmarkCan10kBroad(b *testing.B) {
	benchCan(b, "arn:aws:sts::100000000003:assumed-role/svc-0007/bench")
}

// BenchmarkCan10kRoot does the same for the root user of account 3.
func BenchmarkCan10kRoot(b *testing.B) {
	benchCan(b, "arn:aws:iam::100000000003:root")
}

func benchCan(b *testing.B, principal string) {
	e := openOrg(b, 10, 1000)
	req := &engine.Request{Principal: principal, Time: fixedTime,
		Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}}
	ctx := context.Background()
	eff, err := query.New(e).Can(ctx, req) // warm the catalog and the store's indexes
	if err != nil {
		b.Fatal(err)
	}
	var samples []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e.DropDerived(e.Store().Snapshot())
		b.StartTimer()
		start := time.Now()
		if eff, err = query.New(e).Can(ctx, req); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	b.ReportMetric(float64(samples[len(samples)/2].Milliseconds()), "median-ms")
	b.ReportMetric(float64(len(eff.Permissions)), "permissions")
	b.ReportMetric(float64(eff.Checked), "decided")
}
