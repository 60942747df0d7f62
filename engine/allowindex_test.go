package engine_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// The allow index (mayAllow) only spares decisions: who-can over every
// principal of every corpus world, for every check's request, and the
// audits of the example worlds give the same answers with and without it.
func TestAllowIndexAgrees(t *testing.T) {
	files := enginetest.CorpusFiles(t)
	pruned, reached, shared := 0, 0, int64(0)
	for _, f := range files {
		sc, err := scenario.LoadScenarioFile(f)
		e := enginetest.OpenParsed(t, sc, err)
		for _, c := range sc.Checks {
			if c.Action == "" {
				continue
			}
			req := &checks.QuestionOf(c).Request
			q := query.WhoCanRequest{Action: req.Action, Resource: req.Resource, ResourceAccount: req.ResourceAccount,
				Context: req.Context, Time: req.Time}
			with, without := whoCanBoth(t, e, q)
			if !slices.Equal(with, without) {
				t.Errorf("%s:%d %s: who-can with the index %q, without %q", c.File, c.Line, c.Name, with, without)
			}
			pruned += len(query.PrincipalsOf(e.Store().Snapshot())) - len(with)
		}
		shared += e.Shared()
		reached += reachBoth(t, e, f)
	}
	if reached == 0 {
		t.Error("no corpus world exercised reach")
	}
	pruned += indexWorld(t)
	if shared == 0 {
		t.Error("the corpus never exercised the decision memo (no decision shared)")
	}
	if pruned == 0 {
		t.Error("the corpus never exercised the index (no principal denied)")
	}
	for _, f := range []string{"../corpus/example/company.yaml", "testdata/chain_world.yaml", "testdata/index_world.yaml"} {
		with, without := auditBoth(t, enginetest.OpenFile(t, f))
		if !slices.Equal(with, without) {
			t.Errorf("%s: audit with the index\n%q\nwithout\n%q", f, with, without)
		}
	}
}

// bothWays runs answer with the indexes and without them.
func bothWays(e *engine.Engine, answer func(*engine.Engine) []string) (with, without []string) {
	twin, err := engine.NewWithOptions(context.Background(), e.Store(), engine.Options{NoIndex: true})
	if err != nil {
		panic(err)
	}
	return answer(e), answer(twin)
}

// explained renders what a decision says: the answer, its stage and
// blocker, the statements that matched, the context keys used and missing.
func explained(d *engine.Decision) string {
	if d == nil {
		return "-"
	}
	return fmt.Sprintf("%s/%s/%s %v %v %v %s", d.Decision, d.Stage, d.BlockedBy, d.Matched, d.Context, d.MissingKeys, d.Principal.ARN)
}

func whoCanBoth(t *testing.T, e *engine.Engine, q query.WhoCanRequest) (with, without []string) {
	t.Helper()
	return bothWays(e, func(e *engine.Engine) []string {
		grants, err := query.New(e).WhoCan(context.Background(), q)
		if err != nil {
			t.Fatalf("who-can %s %s: %v", q.Action, q.Resource, err)
		}
		var got []string
		for _, g := range grants {
			got = append(got, fmt.Sprintf("%s %s %s by %s except %v %s %s", g.Principal, g.Kind, g.Pattern, g.FederatedBy,
				g.Except, strings.Join(g.Conditions, ","), explained(g.Decision)))
		}
		return got
	})
}

func auditBoth(t *testing.T, e *engine.Engine) (with, without []string) {
	t.Helper()
	return bothWays(e, func(e *engine.Engine) []string {
		rep, err := audit.New(e).Audit(context.Background(), audit.AuditOptions{Time: enginetest.T0,
			Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			got = append(got, fmt.Sprintf("%s %s %s %d", f.Severity, f.Title, f.Principal, len(f.Evidence)))
			for _, ev := range f.Evidence {
				got = append(got, fmt.Sprintf("  %s %s %s %s %v", ev.Action, ev.Resource, ev.Decision, ev.Summary, ev.Matched))
			}
		}
		return got
	})
}

// reachBoth compares the reach of every user, root and role session of
// the world with and without the indexes.
func reachBoth(t *testing.T, e *engine.Engine, file string) (paths int) {
	t.Helper()
	for _, p := range query.PrincipalsOf(e.Store().Snapshot()) {
		with, without := bothWays(e, func(e *engine.Engine) []string {
			reached, err := sts.New(e).Reach(context.Background(), &scenario.Chain{As: p.Arn, Time: enginetest.T0}, 0)
			if err != nil {
				t.Fatalf("%s: reach %s: %v", file, p.Arn, err)
			}
			var got []string
			for _, r := range reached {
				got = append(got, fmt.Sprint(r.Path, r.Needs))
			}
			return got
		})
		if !slices.Equal(with, without) {
			t.Errorf("%s: reach of %s with the indexes %q, without %q", file, p.Arn, with, without)
		}
		paths += len(without)
	}
	return paths
}

// indexWorld compares who-can and reach on testdata/index_world.yaml.
func indexWorld(t *testing.T) (pruned int) {
	t.Helper()
	e := enginetest.OpenFile(t, "testdata/index_world.yaml")
	n := len(query.PrincipalsOf(e.Store().Snapshot()))
	for _, q := range []query.WhoCanRequest{
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::index-bucket/a.txt"},
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::index-bucket/shared/a.txt"},
		{Action: "s3:ListBucket", Resource: "arn:aws:s3:::index-bucket"},
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::index-bucket/a.txt"},
		{Action: "s3:PutObject", Resource: "arn:aws:s3:::index-bucket/drop/a.txt"},
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::index-bucket/twins/a.txt"},
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::index-bucket/sessions/a.txt"},
		{Action: "s3:GetObject", Resource: "arn:aws:s3:::index-bucket/fed/a.txt"},
		{Action: "sts:AssumeRole", Resource: "arn:aws:iam::111111111111:role/open-org"},
		{Action: "sts:AssumeRole", Resource: "arn:aws:iam::111111111111:role/account-trust"},
		{Action: "sts:AssumeRole", Resource: "arn:aws:iam::111111111111:role/for-bob"},
		{Action: "sts:AssumeRole", Resource: "arn:aws:iam::111111111111:role/named-alice"},
		{Action: "sts:AssumeRole", Resource: "arn:aws:iam::222222222222:role/partner", Context: map[string]any{"sts:ExternalId": "x-1"}},
		{Action: "sts:GetCallerIdentity", Resource: "*"},
		{Action: "sts:GetSessionToken", Resource: "*"},
		{Action: "iam:CreateUser", Resource: "*"},
	} {
		q.Time = enginetest.T0
		with, without := whoCanBoth(t, e, q)
		if !slices.Equal(with, without) {
			t.Errorf("index world: who-can %s %s with the index %q, without %q", q.Action, q.Resource, with, without)
		}
		pruned += n - len(with)
	}
	if reachBoth(t, e, "index world") == 0 {
		t.Error("index world: nothing reached")
	}
	return pruned
}
