package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/parallel"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// caller is a user or role as the start of a chain: the user itself, or a
// session of the role (the audit's own session name).
type caller struct {
	arn, start, kind string
}

// link is the first hop of a caller's way to an administrator role.
type link struct {
	step  *scenario.Step
	needs []string
}

// reachAdmins reports users and roles that are not administrators but
// reach an administrator role's session through AssumeRole. It searches
// backwards from the administrator roles: the callers a role's trust
// policy may name (trustIndex's names), ruled in by the allow index, each
// hop decided by the logic; the roles found become targets in turn, up to
// DefaultReachDepth hops. Every path of more than one hop is then walked
// forwards as the chain it is, and only a path the walk allows is
// reported.
func (a *auditor) reachAdmins(ctx context.Context) error {
	if len(a.admins) == 0 || a.opts.SkipReach {
		return nil
	}
	links, order, err := a.reverseReach(ctx)
	if err != nil {
		return err
	}
	var done atomic.Int64
	return parallel.ForEach(len(order), func(i int) error {
		err := a.reportReach(ctx, order[i], links)
		a.progress(StageChains, int(done.Add(1)), len(order))
		return err
	})
}

func (a *auditor) reverseReach(ctx context.Context) (map[string]link, []caller, error) {
	byName, all := a.callers()
	links := map[string]link{}
	var found []caller
	var level []string
	for _, c := range all {
		if c.kind == "role" && a.admins[c.arn] {
			level = append(level, c.arn)
		}
	}
	for depth := 1; len(level) > 0 && depth <= sts.DefaultReachDepth; depth++ {
		tries, order := a.levelTries(level, links, byName, all)
		got := make([]*link, len(order))
		var done atomic.Int64
		a.restart(StageReach)
		err := parallel.ForEach(len(order), func(i int) error {
			l, err := a.firstAssumable(ctx, order[i], tries[order[i].arn])
			got[i] = l
			a.progress(StageReach, int(done.Add(1)), len(order))
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		a.e.DropDerived(a.snap) // the level's sessions are not asked about again
		level = nil
		for i, c := range order {
			if got[i] == nil {
				continue
			}
			links[c.arn] = *got[i]
			found = append(found, c)
			if c.kind == "role" {
				level = append(level, c.arn)
			}
		}
	}
	slices.SortStableFunc(found, func(x, y caller) int { return strings.Compare(x.arn, y.arn) })
	return links, found, nil
}

// levelTries lists, for each caller not yet linked that a target's trust
// may name, the targets to try in order (callers in world order).
func (a *auditor) levelTries(targets []string, links map[string]link, byName map[string][]int, all []caller) (map[string][]string, []caller) {
	tries := map[string][]string{}
	var order []caller
	for _, target := range targets {
		for _, c := range a.trustedCallers(target, byName, all) {
			if _, linked := links[c.arn]; linked || a.admins[c.arn] || c.arn == target {
				continue
			}
			if _, ok := tries[c.arn]; !ok {
				order = append(order, c)
			}
			tries[c.arn] = append(tries[c.arn], target)
		}
	}
	return tries, order
}

// firstAssumable returns the link to the first target the caller may
// assume, or nil. A target of a hop class the caller was already refused
// is not tried (audit_hopclass.go).
func (a *auditor) firstAssumable(ctx context.Context, c caller, targets []string) (*link, error) {
	s, err := engine.StartSession(a.snap, c.start)
	if err != nil {
		return nil, err
	}
	refused := map[string]bool{} // hop classes (hopClass) already refused
	for _, t := range targets {
		st, needs, err := a.assumes(ctx, s, t, refused)
		if err != nil {
			return nil, err
		}
		if st != nil {
			return &link{step: st, needs: needs}, nil
		}
	}
	return nil, nil
}

// callers lists the world's users and roles, in world order, and indexes
// them by every name a trust policy may give them.
func (a *auditor) callers() (map[string][]int, []caller) {
	byName := map[string][]int{}
	var all []caller
	add := func(c caller, names ...string) {
		for _, n := range names {
			if n != "" {
				byName[n] = append(byName[n], len(all))
			}
		}
		all = append(all, c)
	}
	for _, acct := range a.snap.Accounts() {
		root := "arn:aws:iam::" + acct.ID + ":root"
		for _, u := range acct.Users {
			add(caller{arn: u.ARN, start: u.ARN, kind: "user"}, u.ARN, u.ID, root, acct.ID)
		}
		for _, r := range acct.Roles {
			add(caller{arn: r.ARN, start: "arn:aws:sts::" + r.Account + ":assumed-role/" + r.Name + "/" + auditSession, kind: "role"},
				r.ARN, r.ID, root, acct.ID)
		}
	}
	return byName, all
}

// trustedCallers lists, in world order, the callers the role's trust
// policy may name for sts:AssumeRole.
func (a *auditor) trustedCallers(role string, byName map[string][]int, all []caller) []caller {
	r, ok := a.snap.Role(role)
	if !ok || r.Trust == nil {
		return nil
	}
	names, open := engine.TrustNames(r.Trust)
	if open {
		return all
	}
	var idx []int
	for _, n := range names {
		idx = append(idx, byName[n]...)
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	out := make([]caller, len(idx))
	for i, j := range idx {
		out[i] = all[j]
	}
	return out
}

// assumes decides whether the caller may assume the role (trying again
// with the MFA, external id or session name the trust asks for) and
// returns the step that works, or nil. A role of a hop class in refused
// is not tried; a refusal adds the role's class.
func (a *auditor) assumes(ctx context.Context, s *engine.Session, role string, refused map[string]bool) (*scenario.Step, []string, error) {
	may, err := a.e.MayAllow(&engine.Request{Session: s, Action: "sts:AssumeRole", Resource: role})
	if err != nil || !may {
		return nil, nil, err
	}
	class, err := a.e.HopClass(a.snap, s, role, a.opts.Time)
	if err != nil {
		return nil, nil, err
	}
	if class != "" && refused[class] {
		a.indexed.Add(1)
		return nil, nil, nil
	}
	o, err := a.e.HopOnce(ctx, a.snap, s, &scenario.Step{Op: scenario.OpAssumeRole, Role: role, Session: sts.ReachSession}, a.opts.Time)
	if err != nil {
		return nil, nil, err
	}
	a.decisions.Add(int64(o.Tries))
	if o.S == nil {
		if class != "" {
			refused[class] = true
		}
		return nil, nil, nil
	}
	return o.Step, o.Asked, nil
}

// reportReach walks the caller's path to its administrator role as one
// chain and reports it when every hop is allowed.
func (a *auditor) reportReach(ctx context.Context, c caller, links map[string]link) error {
	chain := &scenario.Chain{As: c.start, Time: a.opts.Time}
	var path, needs []string
	admin := ""
	for at := c.arn; admin == ""; {
		l, ok := links[at]
		if !ok {
			return fault.Errorf(fault.CodeInternal, "reach %s: no link from %s", c.arn, at)
		}
		chain.Steps = append(chain.Steps, l.step)
		path = append(path, "AssumeRole "+l.step.Role)
		needs = append(needs, l.needs...)
		if a.admins[l.step.Role] {
			admin = l.step.Role
		}
		at = l.step.Role
	}
	if len(chain.Steps) > 1 { // one hop is the chain the search decided
		start, err := engine.StartSession(a.snap, c.start)
		if err != nil {
			return err
		}
		ok, err := a.chainHolds(ctx, start, chain.Steps)
		if err != nil || !ok {
			return err // !ok: the hops hold one by one but not as a chain
		}
	}
	note := ""
	if len(needs) > 0 {
		note = " (with " + strings.Join(needs, ", ") + ")"
	}
	steps := make([]string, len(chain.Steps))
	for i, st := range chain.Steps {
		steps[i] = "--step " + quote(stepFlag(st))
	}
	a.add(Finding{Rule: "reaches-administrator", Severity: High, Principal: c.arn, Subject: admin,
		Title:  fmt.Sprintf("%s %s reaches the administrator role %s%s", c.kind, c.arn, admin, note),
		Detail: "Path: " + strings.Join(path, " -> "),
		Evidence: []Evidence{{Action: "sts:AssumeRole", Resource: admin, Decision: engine.Allow,
			Summary: "every hop is allowed", Why: fmt.Sprintf("clearance why %s --as %s %s", a.opts.worldFlags(), quote(c.start), strings.Join(steps, " "))}}})
	return nil
}

// chainHolds walks the steps from session s, as Walk does, and reports
// whether every hop is allowed. A hop's answer depends only on the calling
// session's state and the step, so the walk of a suffix is kept under the
// session's state (its every field but the cache id): reachers whose paths
// share a tail walk it once.
func (a *auditor) chainHolds(ctx context.Context, s *engine.Session, steps []*scenario.Step) (bool, error) {
	if len(steps) == 0 {
		return true, nil
	}
	keep := len(s.Policies) == 0 // session policies are compared by identity
	key := sts.SessionState(s)
	for _, st := range steps {
		key += "\x00" + stepFlag(st)
	}
	if ok, found := a.walks.Load(key); keep && found {
		return ok.(bool), nil
	}
	h := &sts.Hop{Index: 1, Op: steps[0].Op, Caller: sts.CallerName(s)}
	next, err := a.e.Hop(ctx, a.snap, h, s, steps[0], a.opts.Time)
	a.decisions.Add(1)
	if err != nil {
		return false, err
	}
	ok := !h.Refused
	if ok {
		if ok, err = a.chainHolds(ctx, next, steps[1:]); err != nil {
			return false, err
		}
	}
	if keep {
		a.walks.Store(key, ok)
	}
	return ok, nil
}

// stepFlag renders an AssumeRole step as a --step value.
func stepFlag(st *scenario.Step) string {
	s := "AssumeRole role=" + st.Role + " session=" + st.Session
	if st.ExternalID != "" {
		s += " external-id=" + st.ExternalID
	}
	if st.MFA {
		s += " mfa=true"
	}
	return s
}
