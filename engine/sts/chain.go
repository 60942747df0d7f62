package sts

import (
	"context"
	"fmt"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/explain"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
)

// Hop is one STS step of a chain: the requests that authorized it and the
// session it produced, or why it was refused.
type Hop struct {
	Index  int    `json:"hop"` // 1-based
	Op     string `json:"operation"`
	Caller string `json:"caller"`
	Target string `json:"target,omitempty"` // the role, or the federated user
	// Checks are the authorization requests the hop made (sts:AssumeRole,
	// sts:TagSession, ...), each a full decision.
	Checks  []*engine.Decision `json:"checks,omitempty"`
	Refused bool               `json:"refused"`
	Reason  string             `json:"reason,omitempty"`
	// Notes record choices where AWS's pages disagree, and adjustments AWS
	// makes silently (a root session's duration cut to one hour).
	Notes   []string        `json:"notes,omitempty"`
	Session *engine.Session `json:"session,omitempty"`
}

// ChainResult is a walked chain.
type ChainResult struct {
	Hops []*Hop `json:"hops"`
	// Final is the last session, nil when a hop was refused.
	Final      *engine.Session `json:"final,omitempty"`
	RefusedHop int             `json:"refused_hop,omitempty"`
}

// Walk follows a chain hop by hop. Each hop is authorized by the same
// decision logic as any request; a refused hop ends the chain. Bad input
// (an unknown role, a chain that starts nowhere) is an error.
func (e *Walker) Walk(ctx context.Context, c *scenario.Chain) (*ChainResult, error) {
	snap := e.Store().Snapshot()
	at := c.Time
	if at.IsZero() {
		at = time.Now().UTC().Truncate(time.Second)
	}
	var cur *engine.Session
	if c.As != "" {
		var err error
		if cur, err = engine.StartSession(snap, c.As); err != nil {
			return nil, err
		}
	}
	res := &ChainResult{}
	for i, st := range c.Steps {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("chain step %d (%s): %w", i+1, st.Op, context.Cause(ctx))
		}
		h := &Hop{Index: i + 1, Op: st.Op, Caller: CallerName(cur)}
		next, err := e.Hop(ctx, snap, h, cur, st, at)
		if err != nil {
			return nil, fmt.Errorf("chain step %d (%s): %w", i+1, st.Op, err) // coded by Hop
		}
		res.Hops = append(res.Hops, h)
		if h.Refused {
			res.RefusedHop = i + 1
			return res, nil
		}
		h.Session, cur = next, next
	}
	res.Final = cur
	return res, nil
}

func CallerName(s *engine.Session) string {
	if s == nil {
		return "an outside identity"
	}
	return s.ARN
}

func (e *Walker) Hop(ctx context.Context, snap *store.Snapshot, h *Hop, caller *engine.Session, st *scenario.Step, at time.Time) (*engine.Session, error) {
	signed := st.Op == scenario.OpAssumeRole || st.Op == scenario.OpGetFederationToken || st.Op == scenario.OpGetSessionToken
	if signed && caller == nil {
		return nil, fault.Errorf(fault.CodeChainInput, "%s is a signed call: give the chain a starting identity (as: an IAM user or root ARN)", st.Op)
	}
	if !signed && caller != nil {
		h.Notes = append(h.Notes, st.Op+" is unsigned: the previous session plays no part in it")
	}
	switch st.Op {
	case scenario.OpAssumeRole:
		return e.assumeRole(ctx, snap, h, caller, st, at)
	case scenario.OpAssumeRoleWithSAML:
		return e.assumeRoleWithSAML(ctx, snap, h, st, at)
	case scenario.OpAssumeRoleWithWebID:
		return e.assumeRoleWithWebIdentity(ctx, snap, h, st, at)
	case scenario.OpCognitoCredentials:
		return e.cognitoCredentials(ctx, snap, h, st, at)
	case scenario.OpGetFederationToken:
		return e.getFederationToken(ctx, snap, h, caller, st, at)
	case scenario.OpGetSessionToken:
		return e.getSessionToken(ctx, h, caller, st, at)
	}
	return nil, fault.Errorf(fault.CodeChainInput, "unknown STS operation %q", st.Op)
}

// refuse ends the chain at this hop.
func (h *Hop) refuse(format string, args ...any) {
	h.Refused = true
	h.Reason = fmt.Sprintf(format, args...)
}

// authorize makes one request with the caller's credentials and records
// it; it refuses the hop unless the decision is allow.
func (e *Walker) authorize(ctx context.Context, h *Hop, req *engine.Request) (bool, error) {
	if e.lean { // no reasons kept: h.Checks stays empty
		v, err := e.Verdict(ctx, req)
		if err == nil && v.Decision != engine.Allow {
			h.refuse("%s on %s: %s (blocked by %s).", req.Action, req.Resource, v.Decision, v.BlockedBy)
		}
		return err == nil && v.Decision == engine.Allow, err
	}
	d, err := e.Decide(ctx, req)
	if err != nil {
		return false, err
	}
	h.Checks = append(h.Checks, d)
	if d.Decision == engine.Allow {
		return true, nil
	}
	h.refuse("%s on %s: %s (blocked by %s). %s", req.Action, req.Resource, d.Decision, d.BlockedBy, explain.Summary(d))
	return false, nil
}
