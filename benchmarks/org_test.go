package benchmarks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/export"
	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

func openOrg(b testing.TB, accounts, roles int) *engine.Engine {
	b.Helper()
	w, err := OrgWorld(accounts, roles, 1)
	if err != nil {
		b.Fatal(err)
	}
	store, err := store.NewStore()
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

// BenchmarkWhoCan10k asks who can read one object of a private bucket
// over 10,000 role sessions and 10 roots (10 accounts × 1,000 roles),
// without reach. Target: 200 ms.
func BenchmarkWhoCan10k(b *testing.B) {
	benchWhoCan(b, "100000000003")
}

// BenchmarkWhoCan10kShared asks the same about the bucket account 5
// shares with the whole organization: every principal with an S3 allow
// must be decided.
func BenchmarkWhoCan10kShared(b *testing.B) {
	benchWhoCan(b, "100000000005")
}

func benchWhoCan(b *testing.B, account string) {
	e := openOrg(b, 10, 1000)
	q := query.WhoCanRequest{Action: "s3:GetObject", Resource: "arn:aws:s3:::data-" + account + "/report.csv",
		ResourceAccount: account, Time: fixedTime,
		Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}}
	ctx := context.Background()
	grants, err := query.New(e).WhoCan(ctx, q) // warm
	if err != nil || len(grants) == 0 {
		b.Fatalf("who-can: %v, %d grants", err, len(grants))
	}
	var samples []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A new object each time: a question not asked before, so no
		// decision comes from an earlier query's (the warm-up's) memo;
		// what the world's principals and policies derive stays cached.
		q.Resource = fmt.Sprintf("arn:aws:s3:::data-%s/report-%d.csv", account, i)
		start := time.Now()
		if _, err := query.New(e).WhoCan(ctx, q); err != nil {
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
		rep, err := audit.New(e).Audit(context.Background(), audit.AuditOptions{Time: fixedTime,
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
		x, err := export.LoadIAMExportFile(files.Confined(0, filepath.Dir(path)), path)
		if err != nil {
			b.Fatal(err)
		}
		store, err := store.NewStore()
		if err != nil {
			b.Fatal(err)
		}
		if err := store.Load(&world.World{Accounts: x.Accounts}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuditOrg audits the whole synthetic organization: by default 10
// accounts × 1,000 roles; CLEARANCE_ORG_ACCOUNTS=100 gives the issue's
// 100 × 1,000 (several minutes: run it with -benchtime 1x, under
// /usr/bin/time -v for the peak memory). Target for 100 accounts: 5
// minutes, 8 GB.
func BenchmarkAuditOrg(b *testing.B) {
	accounts := 10
	if s := os.Getenv("CLEARANCE_ORG_ACCOUNTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("CLEARANCE_ORG_ACCOUNTS=%q: a positive number of accounts expected", s)
		}
		accounts = n
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// What `clearance audit` does by default (--memory-limit 7GiB).
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(7 << 30))
	}
	start := time.Now()
	e := openOrg(b, accounts, 1000)
	load := time.Since(start)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		last := time.Now()
		rep, err := audit.New(e).Audit(context.Background(), audit.AuditOptions{Time: fixedTime,
			Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true},
			Progress: func(stage string, done, total int) {
				if time.Since(last) > 30*time.Second {
					last = time.Now()
					b.Logf("%s %d/%d after %s", stage, done, total, time.Since(start).Round(time.Second))
				}
			}})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.Decisions), "decisions")
		b.ReportMetric(float64(rep.Indexed), "indexed")
		b.ReportMetric(float64(rep.Shared), "shared")
		b.ReportMetric(float64(len(rep.Findings)), "findings")
		b.ReportMetric(float64(countRule(rep, "reaches-administrator")), "reach-findings")
	}
	b.StopTimer()
	b.ReportMetric(load.Seconds(), "load-s") // after the loop: ResetTimer drops reported metrics
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/(1<<30), "sys-GiB")
}

func countRule(rep *audit.Report, rule string) int {
	n := 0
	for _, f := range rep.Findings {
		if f.Rule == rule {
			n++
		}
	}
	return n
}

// reachPrincipals is how many roles of the account BenchmarkReachAccount
// starts from (CLEARANCE_REACH_PRINCIPALS=1000: every role).
const reachPrincipals = 50

// BenchmarkReachAccount runs reach from the first reachPrincipals roles
// of one member account of the 10 × 1,000 organization (issue 3: reach
// must be fast enough to run for every principal of an account).
func BenchmarkReachAccount(b *testing.B) {
	e := openOrg(b, 10, 1000)
	ctx := context.Background()
	n := reachPrincipals
	if s := os.Getenv("CLEARANCE_REACH_PRINCIPALS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 1000 {
			b.Fatalf("CLEARANCE_REACH_PRINCIPALS=%q: 1 to 1000 expected", s)
		}
		n = v
	}
	var sessions []string
	for j := 0; j < n; j++ {
		name := fmt.Sprintf("svc-%04d", j)
		if j%10 == 0 {
			name = fmt.Sprintf("cross-%04d", j)
		}
		sessions = append(sessions, "arn:aws:sts::"+accountID(3)+":assumed-role/"+name+"/reach")
	}
	b.ReportAllocs()
	b.ResetTimer()
	reached := 0
	for i := 0; i < b.N; i++ {
		reached = 0
		for _, s := range sessions {
			r, err := sts.New(e).Reach(ctx, &scenario.Chain{As: s, Time: fixedTime}, 0)
			if err != nil {
				b.Fatal(err)
			}
			reached += len(r)
		}
	}
	b.ReportMetric(float64(reached), "sessions-reached")
}
