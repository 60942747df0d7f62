package checks

import (
	"context"
	"errors"
	"fmt"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/clock"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/tree"
)

// CheckResult is the outcome of one scenario check.
type CheckResult struct {
	Check    *scenario.Check
	Chain    *sts.ChainResult // the walked chain, for checks with one
	Decision *engine.Decision // the final request's; nil when there is none
	Err      error
}

// ChainRefused is the answer of a check whose chain stops at a hop.
const ChainRefused = "chain-refused"

// Answer is what the engine answered: a decision, chain-refused,
// expired-token (credentials past their expiry: an error, which AWS
// returns before evaluating any policy), or "allow" for a chain check
// without a final request whose chain completed.
func (r CheckResult) Answer() string {
	switch {
	case errors.Is(r.Err, clock.ErrExpired):
		return scenario.ExpiredToken
	case r.Chain != nil && r.Chain.RefusedHop > 0:
		return ChainRefused
	case r.Decision != nil:
		return r.Decision.Decision
	case r.Chain != nil:
		return engine.Allow
	}
	return ""
}

// Passed reports whether the engine gave the expected answer.
func (r CheckResult) Passed() bool {
	if r.Answer() != r.Check.Expect {
		return false
	}
	if r.Answer() == scenario.ExpiredToken {
		return true
	}
	if r.Err != nil {
		return false
	}
	if r.Check.RefusedHop != 0 && r.Check.RefusedHop != r.Chain.RefusedHop {
		return false
	}
	return r.Check.BlockedBy == "" || r.Decision != nil && r.Check.BlockedBy == r.Decision.BlockedBy
}

// Problem says what went wrong with a failed check.
func (r CheckResult) Problem() string {
	switch {
	case r.Err != nil && r.Answer() != scenario.ExpiredToken:
		return fmt.Sprintf("error: %v", r.Err)
	case r.Answer() != r.Check.Expect:
		if r.Answer() == ChainRefused {
			h := r.Chain.Hops[r.Chain.RefusedHop-1]
			return fmt.Sprintf("expected %s, got chain-refused at hop %d (%s): %s", r.Check.Expect, h.Index, h.Op, h.Reason)
		}
		return fmt.Sprintf("expected %s, got %s", r.Check.Expect, r.Answer())
	case r.Check.RefusedHop != 0 && r.Check.RefusedHop != r.Chain.RefusedHop:
		return fmt.Sprintf("expected the chain refused at hop %d, got hop %d", r.Check.RefusedHop, r.Chain.RefusedHop)
	case r.Decision == nil:
		return fmt.Sprintf("expected blocked_by %s, but there is no final request", r.Check.BlockedBy)
	default:
		return fmt.Sprintf("expected blocked_by %s, got %q", r.Check.BlockedBy, r.Decision.BlockedBy)
	}
}

// OpenScenario loads a scenario's world into a new store and engine.
func OpenScenario(ctx context.Context, sc *scenario.Scenario) (*engine.Engine, error) {
	store, err := store.NewStore()
	if err != nil {
		return nil, fault.Internal(err)
	}
	if err := store.Load(sc.World); err != nil {
		if te := (*tree.Error)(nil); errors.As(err, &te) && te.Line > 0 {
			return nil, fault.Wrap(fault.CodeBadWorld, err, "") // it says where
		}
		return nil, fault.Wrap(fault.CodeBadWorld, err, "%s", sc.File)
	}
	return engine.New(ctx, store)
}

// RunScenario evaluates every check of a scenario.
func RunScenario(ctx context.Context, sc *scenario.Scenario) ([]CheckResult, error) {
	e, err := OpenScenario(ctx, sc)
	if err != nil {
		return nil, err
	}
	out := make([]CheckResult, 0, len(sc.Checks))
	for _, c := range sc.Checks {
		out = append(out, New(e).RunCheck(ctx, c))
	}
	return out, nil
}

// RunCheck evaluates one check: its chain, if any, then its request.
func (e *Runner) RunCheck(ctx context.Context, c *scenario.Check) CheckResult {
	a, err := e.Ask(ctx, QuestionOf(c))
	r := CheckResult{Check: c, Err: err}
	if a != nil {
		r.Chain, r.Decision = a.Chain, a.Decision
	}
	return r
}

// QuestionOf turns a scenario check into a question.
func QuestionOf(c *scenario.Check) *sts.Question {
	return &sts.Question{Chain: c.Chain, Request: engine.Request{
		Principal:       c.Principal,
		FederatedBy:     c.FederatedBy,
		SessionPolicy:   c.SessionPolicy,
		Action:          c.Action,
		Resource:        c.Resource,
		ResourceAccount: c.ResourceAccount,
		Context:         c.Context,
		Time:            c.Time,
		VPCEndpoint:     c.VPCEndpoint,
	}}
}
