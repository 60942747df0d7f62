package query

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync/atomic"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/parallel"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/store"
)

// Permission is what a principal may do with one action (or a set of
// actions) on a resource pattern, less its exceptions.
type Permission struct {
	// Action is an action; "svc:*" stands for every other action of the
	// service, "*" for every other action (other: not named by a
	// permission of the answer nor by ExceptActions).
	Action  string `json:"action"`
	Service string `json:"service"`
	Access  string `json:"access"`
	// Resource is a resource or resource pattern; Account the account it
	// is in (for "*" and S3 patterns, the account they were decided in).
	Resource string `json:"resource"`
	Account  string `json:"account,omitempty"`
	// Except lists the resources within Resource the action is not allowed
	// on (a Deny, a boundary, an SCP or RCP, a resource policy, a key or
	// trust policy that does not allow).
	Except []string `json:"except,omitempty"`
	// ExceptActions lists, for "*" and "svc:*", the actions (or "svc:*"
	// for whole services) the permission leaves to other permissions of
	// the answer, or that are not allowed at all.
	ExceptActions []string `json:"except_actions,omitempty"`
	// Conditions are the request keys the deciding statements conditioned
	// on (the grant holds only when they hold).
	Conditions []string `json:"conditions,omitempty"`
}

// Effective is what a principal or session can do.
type Effective struct {
	Principal   string       `json:"principal"`
	Permissions []Permission `json:"permissions"`
	// Unknown lists granting action patterns that match no action of the
	// catalog (a typo, or an action newer than the catalog).
	Unknown []string `json:"unknown_actions,omitempty"`
	Checked int      `json:"checked"` // (action, resource) pairs decided
}

// Can works out a principal's effective permissions: every action a
// statement that can grant covers (its identity policies, a resource or
// trust policy naming it, its own account for the root user), each on the
// resources the statements and the world single out (see actionPlan and
// candidates), decided by the full logic; an allowed pattern lists as
// exceptions the candidates inside it that are refused.
func (e *Querier) Can(ctx context.Context, req *engine.Request) (*Effective, error) {
	return e.CanProgress(ctx, req, nil)
}

// The stages of Can that CanProgress reports: the first phase's
// decisions, then the second's.
const (
	StageFirst  = "first"
	StageSecond = "second"
)

// CanProgress is Can, telling progress (if not nil; from several
// goroutines at once) after each decision how many of the stage's are
// done.
func (e *Querier) CanProgress(ctx context.Context, req *engine.Request, progress func(stage string, done, total int)) (*Effective, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, fault.Internal(err) // embedded data
	}
	snap := e.Store().Snapshot()
	id, err := e.Identify(snap, req)
	if err != nil {
		return nil, err
	}
	s := newScope(snap, e.universe(snap), id, req)
	if s.ctx, err = e.RequestContext(&engine.Request{Principal: req.Principal, FederatedBy: req.FederatedBy,
		Session: req.Session, SessionPolicy: req.SessionPolicy, Action: "sts:GetCallerIdentity", Resource: "*",
		Context: req.Context, Time: req.Time}); err != nil {
		return nil, err
	}
	p := s.plan(e, cat)
	actions := append(append([]catalog.Action(nil), p.each...), p.reps...)
	outs, checked, err := e.decideAll(ctx, req, s, e.universe(snap), actions, progress)
	if err != nil {
		return nil, err
	}
	each := make([][]Permission, len(p.each))
	for i, a := range p.each {
		each[i] = permissionsOf(a, outs[i])
	}
	reps := map[string][]Permission{}
	for i, a := range p.reps {
		reps[a.Service] = permissionsOf(a, outs[len(p.each)+i])
	}
	perms := otherActions(p, each, reps, cat)
	sort.SliceStable(perms, func(i, j int) bool {
		if perms[i].Action != perms[j].Action {
			return perms[i].Action < perms[j].Action
		}
		return perms[i].Resource < perms[j].Resource
	})
	return &Effective{Principal: id.ARN, Permissions: perms, Unknown: p.unknown, Checked: checked}, nil
}

// universeSlot is the cache slot of the declared resources.
type universeSlot struct{}

// universe returns the world's declared resources, gathered once per store
// generation.
func (e *Querier) universe(snap *store.Snapshot) *universe {
	c := e.Cache(snap, universeSlot{})
	if u, ok := c.Load(universeSlot{}); ok {
		return u.(*universe)
	}
	u, _ := c.LoadOrStore(universeSlot{}, newUniverse(snap))
	return u.(*universe)
}

// decideAll decides every action on its candidates: the first phase, then
// the second phase's resources that lie within an allowed candidate.
func (e *Querier) decideAll(ctx context.Context, base *engine.Request, s *scope, u *universe, actions []catalog.Action,
	progress func(string, int, int)) ([][]outcome, int, error) {
	cands := make([]candidates, len(actions))
	for i, a := range actions {
		cands[i] = s.resourcesFor(u, a.String(), e.PolicyFree(a.String()))
		cands[i].meet(u, s.id.Account)
	}
	outs := make([][]outcome, len(actions))
	first := func(i int) []string { return cands[i].first }
	if err := e.decidePhase(ctx, base, s, u, actions, outs, first, stageTeller(StageFirst, progress)); err != nil {
		return nil, 0, err
	}
	second := func(i int) []string {
		var in []string
		for _, r := range cands[i].second {
			d := outcome{resource: r, account: u.accountOf(r, s.id.Account)}
			if slices.ContainsFunc(outs[i], func(c outcome) bool { return c.allowed && within(d, c) }) {
				in = append(in, r)
			}
		}
		return in
	}
	if err := e.decidePhase(ctx, base, s, u, actions, outs, second, stageTeller(StageSecond, progress)); err != nil {
		return nil, 0, err
	}
	checked := 0
	for _, o := range outs {
		checked += len(o)
	}
	return outs, checked, nil
}

// decidePhase decides, in parallel, each action on the resources the
// phase lists for it, appending the outcomes.
func (e *Querier) decidePhase(ctx context.Context, base *engine.Request, s *scope, u *universe,
	actions []catalog.Action, outs [][]outcome, list func(int) []string, tell func(done, total int)) error {
	type job struct{ action, resource int }
	var jobs []job
	lists := make([][]string, len(actions))
	for i := range actions {
		lists[i] = list(i)
		for j := range lists[i] {
			jobs = append(jobs, job{i, j})
		}
	}
	results := make([]outcome, len(jobs))
	var done atomic.Int64
	err := parallel.ForEach(len(jobs), func(k int) (err error) {
		j := jobs[k]
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("can: %w", context.Cause(ctx))
		}
		if results[k], err = e.decideOn(ctx, base, s, u, actions[j.action].String(), lists[j.action][j.resource]); err == nil {
			tell(int(done.Add(1)), len(jobs))
		}
		return err
	})
	if err != nil {
		return err
	}
	for k, j := range jobs {
		outs[j.action] = append(outs[j.action], results[k])
	}
	return nil
}

// decideOn decides the action on one resource (or pattern), in the account
// it belongs to.
func (e *Querier) decideOn(ctx context.Context, base *engine.Request, s *scope, u *universe, action, resource string) (outcome, error) {
	req := *base
	req.Action, req.Resource = action, resource
	req.ResourceAccount = u.accountOf(resource, s.id.Account)
	o := outcome{resource: resource, account: req.ResourceAccount}
	may, err := e.MayAllow(&req)
	if err != nil || !may {
		return o, wrapProbe(err, action, resource)
	}
	v, err := e.VerdictShared(ctx, &req)
	if err != nil {
		return o, wrapProbe(err, action, resource)
	}
	if o.allowed = v.Decision == engine.Allow; o.allowed {
		o.conds = v.Conditions
		sort.Strings(o.conds)
	}
	return o, nil
}

func wrapProbe(err error, action, resource string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s on %s: %w", action, resource, err)
}

// stageTeller tells progress of one stage, or nothing when progress is nil.
func stageTeller(stage string, progress func(string, int, int)) func(int, int) {
	return func(done, total int) {
		if progress != nil {
			progress(stage, done, total)
		}
	}
}
