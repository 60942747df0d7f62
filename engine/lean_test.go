package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/query/querytest"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// The lean verdict (Engine.Verdict, rego/clearance/authz/lean.rego) answers
// what the explained decision answers: on every corpus check's request, as
// the check asks it (through its chain's final session when it has one)
// and as principals of the check's world would make it. The conformance
// tests (conformance_*_test.go: sameVerdict) and the generated worlds
// (querytest's brute force: SameVerdict) check the same on theirs. (The
// resource index is held to the answers without it by TestAllowIndexAgrees,
// which compares the explained decisions of who-can and the audit, and by
// TestResourceIndex.)
func TestLeanVerdictAgrees(t *testing.T) {
	n, allowed := 0, 0
	for _, f := range enginetest.CorpusFiles(t) {
		sc, err := scenario.LoadScenarioFile(f)
		e := enginetest.OpenParsed(t, sc, err)
		principals := query.PrincipalsOf(e.Store().Snapshot())
		for _, c := range sc.Checks {
			if c.Action == "" {
				continue
			}
			q := checks.QuestionOf(c)
			var reqs []*engine.Request
			if final := finalRequest(t, e, q); final != nil {
				reqs = append(reqs, final)
			}
			for _, p := range spread(principals, perCheck) {
				r := q.Request
				r.Principal, r.FederatedBy, r.SessionPolicy = p.Arn, "", nil
				reqs = append(reqs, &r)
			}
			for _, req := range reqs {
				d, ok := agree(t, e, req)
				if ok {
					n++
				}
				if d != nil && d.Decision == engine.Allow {
					allowed++
				}
			}
		}
	}
	// Thousands of requests, both answers among them: a test of fewer
	// could pass by deciding nothing.
	if n < 2000 || allowed < 200 {
		t.Errorf("compared %d requests (%d allowed), want at least 2,000 (200)", n, allowed)
	}
	t.Logf("lean verdict = explained decision on %d corpus requests (%d allowed)", n, allowed)
}

// perCheck bounds the principals each check's request is made as (the
// corpus has ~1,300 checks; every principal of every world would be
// ~6,000 requests, most of the time spent deciding twice).
const perCheck = 4

// spread picks n of the principals, spread over the list (all when fewer).
func spread(ps []query.Candidate, n int) []query.Candidate {
	if len(ps) <= n {
		return ps
	}
	out := make([]query.Candidate, 0, n)
	for i := range n {
		out = append(out, ps[i*len(ps)/n])
	}
	return out
}

// finalRequest is the request the check makes: its own, or made with its
// chain's final session (sts.Ask); nil when the chain is refused.
func finalRequest(t *testing.T, e *engine.Engine, q *sts.Question) *engine.Request {
	req := q.Request
	if q.Chain == nil {
		return &req
	}
	chain := *q.Chain
	if chain.Time.IsZero() {
		chain.Time = req.Time
	}
	res, err := sts.New(e).Walk(context.Background(), &chain)
	if err != nil || res.Final == nil {
		return nil // the chain checks themselves say why (engine/checks)
	}
	if req.Time.IsZero() {
		req.Time = res.Final.Issued
	}
	req.Principal, req.FederatedBy, req.SessionPolicy, req.Session = "", "", nil, res.Final
	return &req
}

// agree decides req with the explained decision and the lean verdict, and
// fails t unless they agree; ok is false when the request is an error (for
// both).
func agree(t *testing.T, e *engine.Engine, req *engine.Request) (*engine.Decision, bool) {
	t.Helper()
	ctx := context.Background()
	if req.Time.IsZero() && !hasTimeKey(req.Context) {
		r := *req
		r.Time = enginetest.T0 // one time for the three answers
		req = &r
	}
	d, err := e.Decide(ctx, req)
	if _, verr := e.Verdict(ctx, req); (err == nil) != (verr == nil) {
		t.Errorf("%s %s on %s: errors differ: decision %v, verdict %v", req.Principal, req.Action, req.Resource, err, verr)
		return nil, false
	}
	if err != nil {
		return nil, false
	}
	if err := querytest.SameVerdict(e, req, d); err != nil {
		t.Error(err)
	}
	return d, true
}

func hasTimeKey(c map[string]any) bool {
	for k := range c {
		if strings.EqualFold(k, "aws:CurrentTime") || strings.EqualFold(k, "aws:EpochTime") {
			return true
		}
	}
	return false
}
