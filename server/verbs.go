package server

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/engine/sts"
)

// dispatch routes one decoded message.
func (c *conn) dispatch(msg any, h header) {
	switch m := msg.(type) {
	case *Hello:
		c.reply(errorOut(h.ID, fmt.Errorf("hello: already authenticated")))
	case *Cancel:
		c.cancelQuestion(m.ID)
	case *OverlayOp:
		c.overlayOp(m)
	case *Edit:
		c.edit(m)
	case *Complete:
		c.reply(complete(c.current(), m))
	case *PolicyGet:
		c.reply(policyDocument(c.current(), m))
	default:
		c.question(msg, h.ID)
	}
}

// question starts a verb that runs in its own goroutine; a subscribed
// question is kept, with its verdict, to be re-decided after overlay edits.
func (c *conn) question(msg any, id string) {
	v := c.current()
	run := c.verb(msg, id, true)
	sub := subscribed(msg)
	c.start(id, false, func(ctx context.Context) (Out, bool) {
		o := run(ctx, v)
		if sub && o.Type != outError {
			c.record(id, msg, o.Verdict, v)
		}
		return o, true
	})
}

// verb returns what answers msg on a view; with stream, progress and
// partial answers are sent too (not when a subscription is re-decided).
func (c *conn) verb(msg any, id string, stream bool) func(context.Context, *view) Out {
	var s *streamer
	if stream {
		s = c.streamer(id)
	}
	switch m := msg.(type) {
	case *Ask:
		return func(ctx context.Context, v *view) Out { return ask(ctx, v, m) }
	case *WhoCan:
		return func(ctx context.Context, v *view) Out { return whoCan(ctx, v, m, s) }
	case *Can:
		return func(ctx context.Context, v *view) Out { return can(ctx, v, m, s) }
	case *Reach:
		return func(ctx context.Context, v *view) Out { return reach(ctx, v, m) }
	case *Audit:
		return func(ctx context.Context, v *view) Out { return auditWorld(ctx, v, m, s) }
	}
	return func(context.Context, *view) Out { return errorOut(id, fmt.Errorf("unexpected message %T", msg)) }
}

// streamer sends the progress and the partial answers of question id:
// progress at most every 100ms per stage (and always the last one), so a
// fast question does not flood the queue.
type streamer struct {
	c    *conn
	id   string
	mu   sync.Mutex
	last map[string]time.Time
}

func (c *conn) streamer(id string) *streamer {
	return &streamer{c: c, id: id, last: map[string]time.Time{}}
}

func (s *streamer) progress(stage string, done, total int) {
	if s == nil {
		return
	}
	s.mu.Lock()
	now := time.Now()
	if done < total && now.Sub(s.last[stage]) < 100*time.Millisecond {
		s.mu.Unlock()
		return
	}
	s.last[stage] = now
	s.mu.Unlock()
	s.c.reply(Out{Type: outProgress, ID: s.id, Stage: stage, Done: done, Total: total})
}

func (s *streamer) found(g query.Grant) {
	if s != nil {
		s.c.reply(Out{Type: outPartial, ID: s.id, Grant: &g})
	}
}

// request turns the wire's request into the engine's, with its chain and
// session policy read from the message alone (no file is ever read).
func request(r *Request) (*sts.Question, error) {
	q := &sts.Question{Request: engine.Request{Principal: r.Principal, FederatedBy: r.FederatedBy,
		Action: r.Action, Resource: r.Resource, ResourceAccount: r.ResourceAccount, Context: r.Context,
		Time: r.Time, VPCEndpoint: r.VPCEndpoint}}
	if len(r.SessionPolicy) > 0 {
		p, err := sts.ParseSessionPolicy("session_policy", r.SessionPolicy)
		if err != nil {
			return nil, err
		}
		q.SessionPolicy = p
	}
	if len(r.Chain) > 0 {
		ch, err := sts.DecodeChain("chain", r.Chain)
		if err != nil {
			return nil, err
		}
		q.Chain = ch
	}
	return q, nil
}

func ask(ctx context.Context, v *view, m *Ask) Out {
	q, err := request(&m.Request)
	if err != nil {
		return errorOut(m.ID, err)
	}
	ans, err := v.walker.Ask(ctx, q)
	if err != nil {
		return errorOut(m.ID, err)
	}
	var sb strings.Builder
	if ans.Chain != nil {
		render.Chain(&sb, ans.Chain)
	}
	verdict := ""
	if ans.Decision != nil {
		render.Decision(&sb, ans.Decision)
		verdict = ans.Decision.Decision
	} else if ans.Chain != nil && ans.Chain.RefusedHop > 0 {
		verdict = fmt.Sprintf("chain refused at hop %d", ans.Chain.RefusedHop)
	}
	return Out{Type: outAnswer, ID: m.ID, Decision: ans.Decision, Chain: ans.Chain, Text: sb.String(), Verdict: verdict, Overlay: v.version}
}

func whoCan(ctx context.Context, v *view, m *WhoCan, s *streamer) Out {
	q := query.WhoCanRequest{Action: m.Action, Resource: m.Resource, ResourceAccount: m.ResourceAccount,
		Context: m.Context, Time: m.Time, Reach: m.Reach}
	if s != nil {
		q.Progress, q.Found = s.progress, s.found
	}
	grants, err := v.q.WhoCan(ctx, q)
	if err != nil {
		return errorOut(m.ID, err)
	}
	var sb strings.Builder
	render.Grants(&sb, q, grants)
	var names []string
	for _, g := range grants {
		names = append(names, strings.TrimSpace(g.Principal+" "+g.FederatedBy))
	}
	verdict := fmt.Sprintf("%d allowed: %s", len(grants), strings.Join(names, ", "))
	return Out{Type: outDone, ID: m.ID, Grants: grants, Text: sb.String(), Verdict: verdict, Overlay: v.version}
}

func can(ctx context.Context, v *view, m *Can, s *streamer) Out {
	q, err := request(&Request{Principal: m.Principal, Chain: m.Chain, Context: m.Context, Time: m.Time})
	if err != nil {
		return errorOut(m.ID, err)
	}
	req := q.Request
	if q.Chain != nil {
		ans, err := v.walker.Ask(ctx, q)
		if err != nil {
			return errorOut(m.ID, err)
		}
		if ans.Chain.Final == nil {
			return errorOut(m.ID, fmt.Errorf("the chain was refused at hop %d", ans.Chain.RefusedHop))
		}
		req = engine.Request{Session: ans.Chain.Final, Context: m.Context, Time: ans.At}
	}
	var progress func(string, int, int)
	if s != nil {
		progress = s.progress
	}
	eff, err := v.q.CanProgress(ctx, &req, progress)
	if err != nil {
		return errorOut(m.ID, err)
	}
	var sb strings.Builder
	render.Effective(&sb, eff)
	var perms []string
	for _, p := range eff.Permissions {
		perms = append(perms, p.Action+" on "+p.Resource)
	}
	sort.Strings(perms)
	verdict := fmt.Sprintf("%d permissions: %s", len(perms), strings.Join(perms, ", "))
	return Out{Type: outDone, ID: m.ID, Can: eff, Text: sb.String(), Verdict: verdict, Overlay: v.version}
}

func reach(ctx context.Context, v *view, m *Reach) Out {
	start := &sts.Chain{As: m.As}
	if len(m.Chain) > 0 {
		ch, err := sts.DecodeChain("chain", m.Chain)
		if err != nil {
			return errorOut(m.ID, err)
		}
		start = ch
	}
	if m.Depth < 0 || m.Depth > 10 {
		return errorOut(m.ID, fmt.Errorf("reach: depth %d is outside 1..10", m.Depth))
	}
	got, err := v.walker.Reach(ctx, start, m.Depth)
	if err != nil {
		return errorOut(m.ID, err)
	}
	var sb strings.Builder
	render.Reached(&sb, got)
	return Out{Type: outDone, ID: m.ID, Reached: got, Text: sb.String(), Verdict: fmt.Sprintf("%d sessions", len(got)), Overlay: v.version}
}

func auditWorld(ctx context.Context, v *view, m *Audit, s *streamer) Out {
	opts := audit.AuditOptions{}
	if s != nil {
		opts.Progress = s.progress
	}
	rep, err := audit.New(v.eng).Audit(ctx, opts)
	if err != nil {
		return errorOut(m.ID, err)
	}
	var sb strings.Builder
	render.Audit(&sb, rep)
	return Out{Type: outDone, ID: m.ID, Audit: rep, Text: sb.String(), Verdict: fmt.Sprintf("%d findings", len(rep.Findings)), Overlay: v.version}
}
