package benchmarks

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader"
)

func openOrg(b *testing.B, accounts, roles int) *engine.Engine {
	b.Helper()
	w, err := OrgWorld(accounts, roles, 1)
	if err != nil {
		b.Fatal(err)
	}
	store, err := loader.NewStore()
	if err != nil {
		b.Fatal(err)
	}
	if err := store.Load(w); err != nil {
		b.Fatal(err)
	}
	e, err := engine.New(context.Background(), store)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkOrgLoad loads the synthetic organization (10 accounts × 1,000
// roles) into a store: parsing included.
func BenchmarkOrgLoad(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		openOrg(b, 10, 1000)
	}
}

// BenchmarkWhoCan10k asks who can read one object over 10,000 role
// sessions and 10 roots (10 accounts × 1,000 roles), without reach.
// Target: 200 ms.
func BenchmarkWhoCan10k(b *testing.B) {
	e := openOrg(b, 10, 1000)
	q := engine.WhoCanRequest{Action: "s3:GetObject", Resource: "arn:aws:s3:::data-100000000003/report.csv",
		ResourceAccount: "100000000003", Time: fixedTime,
		Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}}
	ctx := context.Background()
	grants, err := e.WhoCan(ctx, q) // warm
	if err != nil || len(grants) == 0 {
		b.Fatalf("who-can: %v, %d grants", err, len(grants))
	}
	var samples []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := e.WhoCan(ctx, q); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	b.ReportMetric(float64(samples[len(samples)/2].Milliseconds()), "median-ms")
	b.ReportMetric(float64(len(grants)), "grants")
}

// BenchmarkAuditAccount audits one synthetic account of 1,000 roles.
func BenchmarkAuditAccount(b *testing.B) {
	e := openOrg(b, 1, 1000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		rep, err := e.Audit(context.Background(), engine.AuditOptions{Time: fixedTime,
			Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.Decisions), "decisions")
		b.ReportMetric(float64(len(rep.Findings)), "findings")
	}
}

// BenchmarkLoadCloudsplaining parses the cloudsplaining example export and
// loads it into a store (target: under one second). It needs ../shared.
func BenchmarkLoadCloudsplaining(b *testing.B) {
	path := "../../shared/conformance/cloudsplaining/examples/files/example.json"
	if _, err := os.Stat(path); err != nil {
		b.Skip("shared/ not beside the repository: ", err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		x, err := loader.LoadIAMExportFile(path)
		if err != nil {
			b.Fatal(err)
		}
		store, err := loader.NewStore()
		if err != nil {
			b.Fatal(err)
		}
		if err := store.Load(&loader.World{Accounts: x.Accounts}); err != nil {
			b.Fatal(err)
		}
	}
}
