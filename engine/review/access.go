package review

import (
	"context"
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/explain"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/loader/pattern"
)

// side is one world of the comparison: its engine, wrapped for the bulk
// questions.
type side struct {
	e *engine.Engine
	q *query.Querier
}

// StageAccess is the Progress stage of the access comparison.
const StageAccess = "access"

// compareAccess asks who-can of every pair on both worlds (scoped by the
// change's impact unless unscoped) and reports the grants each world has
// that the other lacks.
func (r *run) compareAccess(ctx context.Context, pairs []pair) error {
	for i, p := range pairs {
		if err := ctx.Err(); err != nil {
			return err
		}
		q := query.WhoCanRequest{Action: p.action, Resource: p.resource, ResourceAccount: p.account,
			Context: r.opts.Context, Time: r.opts.Time}
		if !r.unscoped {
			q.Scope = r.impact.whoCanScope(p)
		}
		before, err := r.before.q.WhoCan(ctx, q)
		if err != nil {
			return fmt.Errorf("who can %s on %s before the change: %w", p.action, p.resource, err)
		}
		after, err := r.after.q.WhoCan(ctx, q)
		if err != nil {
			return fmt.Errorf("who can %s on %s after the change: %w", p.action, p.resource, err)
		}
		r.decisions += len(before) + len(after)
		for _, g := range after {
			if !covered(before, g) {
				if err := r.added(ctx, p, g); err != nil {
					return err
				}
			}
		}
		for _, g := range before {
			if !covered(after, g) {
				if err := r.removed(ctx, p, g); err != nil {
					return err
				}
			}
		}
		r.progress(StageAccess, i+1, len(pairs))
	}
	return nil
}

// covered reports whether the grants hold g: the same principal (and
// maker), or a pattern of sessions or federated users that covers it and
// does not except it.
func covered(grants []query.Grant, g query.Grant) bool {
	for _, h := range grants {
		if h.FederatedBy != g.FederatedBy {
			continue
		}
		if h.Principal == g.Principal && h.Pattern == g.Pattern {
			return true
		}
		if h.Pattern != "" && g.Pattern == "" && pattern.Glob(h.Principal, g.Principal) && !contains(h.Except, g.Principal) {
			return true
		}
	}
	return false
}

// subject is the principal a grant's decision was made for (a pattern's
// representative member), and its maker.
func subject(g query.Grant) (string, string) {
	if g.Decision != nil && g.Decision.Request != nil {
		return g.Decision.Request.Principal, g.Decision.Request.FederatedBy
	}
	return g.Principal, g.FederatedBy
}

func (r *run) probe(p pair, g query.Grant) *Probe {
	who, maker := subject(g)
	return &Probe{Principal: who, FederatedBy: maker, Action: p.action, Resource: p.resource, ResourceAccount: p.account}
}

// added reports access the change adds: at the severity of the rule it
// falls under (a principal of another account than the resource's:
// new-cross-account-access), else access-added.
func (r *run) added(ctx context.Context, p pair, g query.Grant) error {
	rule := RuleAccessAdded
	if crossAccount(g.Principal, p) {
		rule = RuleCrossAccount
	}
	f := Finding{Rule: rule, Change: Added, Principal: g.Principal, Action: p.action, Resource: p.resource,
		Message: fmt.Sprintf("%s may now %s on %s%s", describe(g), p.action, p.resource, conditions(g)),
		Why:     summary(g.Decision), Probe: r.probe(p, g)}
	loc, ok := r.loc.decision(g.Decision, "Allow")
	if !ok {
		loc = r.loc.fallback(g.Principal, p.resource)
	}
	f.Location = loc
	f.Replay = r.replay(f.Probe)
	r.gains = append(r.gains, gain{p: p, g: g, finding: len(r.findings)})
	r.add(f)
	return nil
}

// removed reports access the change removes, with the decision after it.
func (r *run) removed(ctx context.Context, p pair, g query.Grant) error {
	f := Finding{Rule: RuleAccessRemoved, Change: Removed, Principal: g.Principal, Action: p.action, Resource: p.resource,
		Message: fmt.Sprintf("%s may no longer %s on %s", describe(g), p.action, p.resource), Probe: r.probe(p, g)}
	d, err := r.after.e.Decide(ctx, f.Probe.request(r.opts))
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil: // the principal or the resource is gone
		d, f.Why = nil, "After the change the request cannot be made: "+err.Error()
	default:
		f.Why = summary(d)
	}
	loc, ok := r.loc.decision(d, "Deny")
	if !ok {
		loc, ok = r.loc.decision(g.Decision, "Allow")
	}
	if !ok {
		loc = r.loc.fallback(g.Principal, p.resource)
	}
	f.Location = loc
	f.Replay = r.replay(f.Probe)
	r.add(f)
	return nil
}

func summary(d *engine.Decision) string {
	if d == nil {
		return ""
	}
	return explain.Summary(d)
}

// describe names a grant's principal for a message.
func describe(g query.Grant) string {
	s := g.Principal
	switch g.Pattern {
	case query.PatternAnySession:
		s = "any session of " + roleOfSession(g.Principal)
	case query.PatternAnyFederated:
		s = "any federated user " + g.Principal
	}
	if g.FederatedBy != "" {
		s += " (made by " + g.FederatedBy + ")"
	}
	return s
}

// conditions says which request keys a grant depends on.
func conditions(g query.Grant) string {
	if len(g.Conditions) == 0 {
		return ""
	}
	return " (while " + strings.Join(g.Conditions, ", ") + " are as the request carries them)"
}

// crossAccount reports whether the principal belongs to another account
// than the resource of the pair.
func crossAccount(principal string, p pair) bool {
	pa, ok := pattern.SplitARN(principal)
	if !ok || pa.Account == "" {
		return false
	}
	res := p.account
	if a, ok := pattern.SplitARN(p.resource); ok && a.Account != "" {
		res = a.Account
	}
	return res != "" && pa.Account != res
}

// request is the probe as an engine request with the review's context.
func (p *Probe) request(o Options) *engine.Request {
	return &engine.Request{Principal: p.Principal, FederatedBy: p.FederatedBy, Action: p.Action, Resource: p.Resource,
		ResourceAccount: p.ResourceAccount, Context: o.Context, Time: o.Time}
}
