package benchmarks

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/sts"
)

// loadQuestion is one question of the load test: its message (without
// type and id) and the answer the engine gives directly, as the CLI
// would (why: sts.Walker.Ask; who-can: query.Querier.WhoCan).
type loadQuestion struct {
	kind string // ask or who_can
	body map[string]any
	want string // the expected answer, canonical JSON (or "error: ...")
	// grants are who-can's expected principals: each partial answer must
	// be one of them.
	grants map[string]bool
}

const (
	loadTime = "2026-06-01T12:00:00Z"
	bobLoad  = "arn:aws:iam::111122223333:user/bob"
	reportsQ = "arn:aws:s3:::productionapp/reports/q3.csv"
	payQ     = "arn:aws:s3:::productionapp/payments/x.csv"
	release  = "arn:aws:s3:::productionapp/releases/web-1.4.2.tgz"
	deployQ  = "arn:aws:iam::111122223333:role/deploy"
	ciUser   = "arn:aws:iam::444455556666:user/ci"
)

// loadQuestions are the mixed questions on corpus/example/company.yaml:
// plain asks, chains and who-cans, every one at a fixed time so that the
// direct answer and the server's are comparable.
func loadQuestions() []*loadQuestion {
	ctx := map[string]any{"aws:SecureTransport": true, "aws:RequestedRegion": "us-east-1"}
	ask := func(principal, action, resource string, c map[string]any) *loadQuestion {
		return &loadQuestion{kind: "ask", body: map[string]any{"principal": principal, "action": action,
			"resource": resource, "context": c, "time": loadTime}}
	}
	chain := func(as string, steps []any, action, resource string) *loadQuestion {
		return &loadQuestion{kind: "ask", body: map[string]any{"chain": map[string]any{"as": as, "steps": steps},
			"action": action, "resource": resource, "context": ctx, "time": loadTime}}
	}
	whoCan := func(action, resource string, reach bool) *loadQuestion {
		return &loadQuestion{kind: "who_can", body: map[string]any{"action": action, "resource": resource,
			"context": ctx, "time": loadTime, "reach": reach}}
	}
	return []*loadQuestion{
		ask(bobLoad, "s3:PutObject", payQ, ctx),
		ask(bobLoad, "s3:PutObject", reportsQ, ctx),
		ask("arn:aws:iam::111122223333:user/alice", "s3:GetObject", reportsQ, ctx),
		ask("arn:aws:iam::111122223333:user/carol-the-auditor", "s3:GetObject", reportsQ, ctx),
		ask(ciUser, "sts:AssumeRole", deployQ, map[string]any{"sts:ExternalId": "exco-ci-7f3a"}),
		ask(ciUser, "sts:AssumeRole", deployQ, ctx),
		chain("arn:aws:iam::111122223333:user/token-app", []any{map[string]any{"GetFederationToken": map[string]any{"name": "Carol"}}},
			"s3:GetObject", reportsQ),
		chain(ciUser, []any{map[string]any{"AssumeRole": map[string]any{"role": deployQ, "session": "ci", "external_id": "exco-ci-7f3a"}}},
			"s3:PutObject", release),
		chain(ciUser, []any{map[string]any{"AssumeRole": map[string]any{"role": deployQ, "session": "ci"}}},
			"s3:PutObject", release),
		whoCan("s3:GetObject", reportsQ, true),
		whoCan("s3:PutObject", payQ, false),
		whoCan("sts:AssumeRole", deployQ, true),
	}
}

// expect fills each question's direct answer from eng.
func expect(t testing.TB, eng *engine.Engine, qs []*loadQuestion) {
	t.Helper()
	ctx := context.Background()
	walker, querier := sts.New(eng), query.New(eng)
	for _, q := range qs {
		raw, _ := json.Marshal(q.body)
		var r struct {
			Principal, Action, Resource, ResourceAccount string
			Context                                      map[string]any
			Time                                         time.Time
			Chain                                        json.RawMessage
			Reach                                        bool
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		if q.kind == "who_can" {
			grants, err := querier.WhoCan(ctx, query.WhoCanRequest{Action: r.Action, Resource: r.Resource,
				ResourceAccount: r.ResourceAccount, Context: r.Context, Time: r.Time, Reach: r.Reach})
			if len(grants) == 0 {
				grants = nil // the server leaves an empty list out
			}
			q.want = canonical(grants, err)
			q.grants = map[string]bool{}
			for _, g := range grants {
				q.grants[g.Principal] = true
			}
			continue
		}
		sq := &sts.Question{Request: engine.Request{Principal: r.Principal, Action: r.Action, Resource: r.Resource,
			ResourceAccount: r.ResourceAccount, Context: r.Context, Time: r.Time}}
		if len(r.Chain) > 0 {
			ch, err := sts.DecodeChain("chain", r.Chain)
			if err != nil {
				t.Fatal(err)
			}
			sq.Chain = ch
		}
		ans, err := walker.Ask(ctx, sq)
		if err != nil {
			q.want = canonical(nil, err)
			continue
		}
		q.want = canonical(askAnswer{ans.Decision, ans.Chain}, nil)
	}
}

// askAnswer is what an ask's answer is compared on: the decision and
// the chain, as the server sends them.
type askAnswer struct {
	Decision *engine.Decision `json:"decision"`
	Chain    *sts.ChainResult `json:"chain"`
}

func canonical(v any, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	b, mErr := json.Marshal(v)
	if mErr != nil {
		return "error: " + mErr.Error()
	}
	return string(b)
}

// got is the server's final message for a question, canonical as its
// expected answer is.
func got(kind string, data []byte) (string, error) {
	var o struct {
		Type     string           `json:"type"`
		Error    string           `json:"error"`
		Decision *engine.Decision `json:"decision"`
		Chain    *sts.ChainResult `json:"chain"`
		Grants   []query.Grant    `json:"grants"`
	}
	if err := json.Unmarshal(data, &o); err != nil {
		return "", err
	}
	switch {
	case o.Type == "error":
		return "error: " + o.Error, nil
	case o.Type == "answer" && kind == "ask":
		return canonical(askAnswer{o.Decision, o.Chain}, nil), nil
	case o.Type == "done" && kind == "who_can":
		return canonical(o.Grants, nil), nil
	}
	return "", fmt.Errorf("a %s message answers a %s question", o.Type, kind)
}
