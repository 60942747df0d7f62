package sts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// Reached is a session a starting identity can obtain, with its path.
type Reached struct {
	Session string   `json:"session"`
	Role    string   `json:"role"`
	Path    []string `json:"path"` // one entry per hop
	Depth   int      `json:"depth"`
	// Needs lists what a caller must supply on the way that the walk
	// assumed (MFA, the external id a trust policy names): the session is
	// reachable only by a caller who can supply them.
	Needs []string `json:"needs,omitempty"`
}

// DefaultReachDepth bounds role chaining in Reach.
const DefaultReachDepth = 5

// reachSession is the RoleSessionName reachability uses.
const ReachSession = "clearance-reach"

type frontier struct {
	s     *engine.Session
	path  []string
	needs []string // what-if parameters used along the path
}

// Reach enumerates every role session start can reach: the first steps of
// start (an outside identity's way in, or none for an IAM user) and then
// AssumeRole to every role of the world, breadth first, each role at most
// once, at most depth hops.
func (e *Walker) Reach(ctx context.Context, start *scenario.Chain, depth int) ([]Reached, error) {
	return e.ReachProgress(ctx, start, depth, nil)
}

// StageReach is the stage ReachProgress reports.
const StageReach = "reach"

// ReachProgress is Reach, telling progress (if not nil) after each session
// it has tried every role from: how many of the sessions found so far
// (the total grows as sessions are reached).
func (e *Walker) ReachProgress(ctx context.Context, start *scenario.Chain, depth int, progress func(stage string, done, total int)) ([]Reached, error) {
	if depth <= 0 {
		depth = DefaultReachDepth
	}
	snap := e.Store().Snapshot()
	at := start.Time
	if at.IsZero() {
		at = time.Now().UTC().Truncate(time.Second)
	}
	var out []Reached
	seen := map[string]bool{}
	queue, err := e.reachStart(ctx, snap, start, at, seen, &out)
	if err != nil {
		return nil, err
	}
	expanded := 0
	for len(queue) > 0 && len(queue[0].path) < depth {
		f := queue[0]
		queue = queue[1:]
		roles, err := e.hopCandidates(snap, f.s)
		if err != nil {
			return nil, err
		}
		for _, r := range roles {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("reach: %w", context.Cause(ctx))
			}
			if seen[r.ARN] {
				continue
			}
			st := &scenario.Step{Op: scenario.OpAssumeRole, Role: r.ARN, Session: ReachSession}
			next, err := e.tryHop(ctx, snap, f, st, at, &out)
			if err != nil {
				return nil, err
			}
			if next != nil {
				seen[r.ARN] = true
				queue = append(queue, *next)
			}
		}
		if expanded++; progress != nil {
			progress(StageReach, expanded, expanded+len(queue))
		}
	}
	if n := expanded + len(queue); progress != nil && len(queue) > 0 {
		progress(StageReach, n, n) // the sessions at the depth limit: nothing tried from them
	}
	return out, nil
}

// reachStart walks the start: an IAM identity as is, or an outside
// identity's first step (the steps of start, then every role trusting
// it when start has no step).
func (e *Walker) reachStart(ctx context.Context, snap *store.Snapshot, start *scenario.Chain, at time.Time, seen map[string]bool, out *[]Reached) ([]frontier, error) {
	if start.As != "" && len(start.Steps) == 0 {
		s, err := engine.StartSession(snap, start.As)
		if err != nil {
			return nil, err
		}
		return []frontier{{s: s}}, nil
	}
	if len(start.Steps) == 1 && start.Steps[0].Role == "" && start.Steps[0].Op != scenario.OpCognitoCredentials {
		return e.reachEntryPoints(ctx, snap, start.Steps[0], at, seen, out)
	}
	res, err := e.Walk(ctx, start)
	if err != nil {
		return nil, err
	}
	if res.RefusedHop > 0 {
		h := res.Hops[res.RefusedHop-1]
		return nil, fault.Errorf(fault.CodeChainInput, "the starting chain is refused at hop %d (%s): %s", h.Index, h.Op, h.Reason)
	}
	f := frontier{s: res.Final}
	for _, h := range res.Hops {
		f.path = append(f.path, hopLabel(h))
	}
	if res.Final.Kind == engine.KindSession {
		seen[res.Final.EntityARN] = true
		*out = append(*out, Reached{Session: res.Final.ARN, Role: res.Final.EntityARN, Path: f.path, Depth: len(f.path)})
	}
	return []frontier{f}, nil
}

// entryActions are the trust-policy actions of the federation entry points.
var entryActions = map[string]string{
	scenario.OpAssumeRoleWithSAML:  "sts:assumerolewithsaml",
	scenario.OpAssumeRoleWithWebID: "sts:assumerolewithwebidentity",
}

// reachEntryPoints tries an outside identity's step (no role named)
// against every role whose trust policy can concern it.
func (e *Walker) reachEntryPoints(ctx context.Context, snap *store.Snapshot, tmpl *scenario.Step, at time.Time, seen map[string]bool, out *[]Reached) ([]frontier, error) {
	action, ok := entryActions[tmpl.Op]
	if !ok {
		return nil, fault.Errorf(fault.CodeChainInput, "reach: %s needs a role, or start from an IAM identity", tmpl.Op)
	}
	var queue []frontier
	for _, a := range snap.Accounts() {
		for _, r := range snap.Roles(a.ID) {
			if !engine.TrustMentions(r.Trust, action) {
				continue
			}
			st := *tmpl
			st.Role = r.ARN
			if st.Session == "" {
				st.Session = ReachSession
			}
			next, err := e.tryHop(ctx, snap, frontier{}, &st, at, out)
			if err != nil {
				return nil, err
			}
			if next != nil {
				seen[r.ARN] = true
				queue = append(queue, *next)
			}
		}
	}
	return queue, nil
}

func (e *Walker) tryHop(ctx context.Context, snap *store.Snapshot, f frontier, st *scenario.Step, at time.Time, out *[]Reached) (*frontier, error) {
	o, err := e.HopOnce(ctx, snap, f.s, st, at)
	if err != nil || o.S == nil {
		return nil, err
	}
	path := append(append([]string(nil), f.path...), o.label)
	needs := f.needs
	if len(o.Asked) > 0 {
		needs = append(append([]string(nil), needs...), o.Asked...)
	}
	*out = append(*out, Reached{Session: o.S.ARN, Role: o.S.EntityARN, Path: path, Depth: len(path), Needs: needs})
	return &frontier{s: o.S, path: path, needs: needs}, nil
}

// hopOutcome is what trying a step from a session gives: the session it
// makes (nil: refused, even with what whatIf supplies), the hop's label,
// the step that worked (the second try's, with what it asked for), and how
// many hops were decided.
type hopOutcome struct {
	S     *engine.Session
	label string
	Step  *scenario.Step
	Asked []string
	Tries int
}

// maxHopEntries bounds the hop outcomes a view keeps.
const maxHopEntries = 500_000

// hopOnce tries a step, kept per store generation under the calling
// session's state (every field but its cache id), the step and the time: a
// hop's answer depends on nothing else, and reach from every principal of
// an account walks the same chained sessions again and again. Sessions and
// steps holding session policies are not kept (their policies are compared
// by identity).
func (e *Walker) HopOnce(ctx context.Context, snap *store.Snapshot, s *engine.Session, st *scenario.Step, at time.Time) (*hopOutcome, error) {
	keep := st.Policy == nil && len(st.PolicyARNs) == 0 && (s == nil || len(s.Policies) == 0)
	hops := e.Cache(snap, hopSlot{})
	key := ""
	if keep {
		key = SessionState(s) + "\x00" + fmt.Sprintf("%+v", *st) + "\x00" + at.UTC().Format(time.RFC3339Nano)
		if o, ok := hops.Load(key); ok {
			return o.(*hopOutcome), nil
		}
	}
	o, err := e.tryStep(ctx, snap, s, st, at)
	if err != nil {
		return nil, err
	}
	if keep && hops.Admit(maxHopEntries) {
		hops.Store(key, o)
	}
	return o, nil
}

// tryStep decides a step and, when it is refused, again with what the
// caller controls and the trust policy asks for: MFA, and the external id
// it names.
func (e *Walker) tryStep(ctx context.Context, snap *store.Snapshot, s *engine.Session, st *scenario.Step, at time.Time) (*hopOutcome, error) {
	h := &Hop{Index: 1, Op: st.Op, Caller: CallerName(s)}
	e = &Walker{Engine: e.Engine, lean: true} // the outcome keeps no reasons
	next, err := e.Hop(ctx, snap, h, s, st, at)
	if err != nil {
		return nil, err
	}
	o := &hopOutcome{S: next, label: hopLabel(h), Step: st, Tries: 1}
	if !h.Refused {
		return o, nil
	}
	o.S = nil
	retry, asked := whatIf(snap, st, s)
	if retry == nil {
		return o, nil
	}
	h = &Hop{Index: 1, Op: st.Op, Caller: h.Caller}
	o.Tries++
	if next, err = e.Hop(ctx, snap, h, s, retry, at); err != nil || h.Refused {
		return o, err
	}
	o.S, o.Step, o.Asked = next, retry, asked
	return o, nil
}

// sessionState renders every field of a session but its cache id ("" for
// none).
func SessionState(s *engine.Session) string {
	if s == nil {
		return ""
	}
	state := *s
	state.ID = ""
	return fmt.Sprintf("%+v", state)
}

// whatIf returns the step with the parameters the role's trust policy
// conditions on and the caller could pass (MFA for an IAM user, the
// external id or session name it names), and says which; nil when the trust
// asks for none.
func whatIf(snap *store.Snapshot, st *scenario.Step, caller *engine.Session) (*scenario.Step, []string) {
	role, ok := snap.Role(st.Role)
	if !ok || role.Trust == nil || st.Op != scenario.OpAssumeRole {
		return nil, nil
	}
	retry := *st
	var asked []string
	for _, stmt := range role.Trust.Statements {
		if stmt.Effect != "Allow" {
			continue
		}
		for _, c := range stmt.Conditions {
			if c.Negated {
				continue
			}
			switch c.Key {
			case "aws:multifactorauthpresent", "aws:multifactorauthage":
				// SerialNumber names the MFA device of the calling user:
				// role sessions have none.
				if !retry.MFA && caller != nil && (caller.Kind == engine.KindUser || caller.Kind == engine.KindRoot) {
					retry.MFA, asked = true, append(asked, "MFA")
				}
			case "sts:externalid":
				if v, ok := firstString(c.Values); ok && retry.ExternalID == "" {
					retry.ExternalID, asked = v, append(asked, "sts:ExternalId "+v)
				}
			case "sts:rolesessionname":
				if v, ok := sessionNameFor(c.Values, caller); ok && retry.Session == ReachSession {
					retry.Session, asked = v, append(asked, "RoleSessionName "+v)
				}
			}
		}
	}
	if len(asked) == 0 {
		return nil, nil
	}
	return &retry, asked
}

// sessionNameFor picks a session name a trust condition accepts: a literal
// value, or the caller's user name for ${aws:username}.
func sessionNameFor(vals []any, caller *engine.Session) (string, bool) {
	if v, ok := firstString(vals); ok {
		return v, true
	}
	for _, v := range vals {
		t, ok := v.(policy.Template)
		if ok && len(t.Parts) == 1 && t.Parts[0].Var == "aws:username" && caller != nil && caller.Kind == engine.KindUser {
			return caller.ARN[strings.LastIndex(caller.ARN, "/")+1:], true
		}
	}
	return "", false
}

func firstString(vals []any) (string, bool) {
	for _, v := range vals {
		if s, ok := v.(string); ok && !strings.ContainsAny(s, "*?") {
			return s, true
		}
	}
	return "", false
}

func hopLabel(h *Hop) string {
	if h.Target == "" {
		return h.Op
	}
	return h.Op + " " + h.Target
}

// hopCandidates lists, in world order, the roles the session may assume
// (Engine.RoleCandidates), kept per session state like hopOnce. Each hop
// is still decided by the logic.
func (e *Walker) hopCandidates(snap *store.Snapshot, s *engine.Session) ([]*world.Role, error) {
	cands := e.Cache(snap, candidateSlot{})
	keep := len(s.Policies) == 0
	key := SessionState(s)
	if rs, ok := cands.Load(key); keep && ok {
		return rs.([]*world.Role), nil
	}
	out, err := e.RoleCandidates(snap, s)
	if err == nil && keep && cands.Admit(maxHopEntries) {
		cands.Store(key, out)
	}
	return out, err
}

// hopSlot and candidateSlot name reach's caches in a generation's view.
type (
	hopSlot       struct{}
	candidateSlot struct{}
)
