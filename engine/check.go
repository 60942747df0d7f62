package engine

import (
	"context"
	"fmt"

	"github.com/clearance-dev/clearance/loader"
)

// CheckResult is the outcome of one scenario check.
type CheckResult struct {
	Check    *loader.Check
	Decision *Decision // nil when the check could not be evaluated
	Err      error
}

// Passed reports whether the engine gave the expected answer.
func (r CheckResult) Passed() bool {
	if r.Err != nil || r.Decision == nil {
		return false
	}
	if r.Decision.Decision != r.Check.Expect {
		return false
	}
	return r.Check.BlockedBy == "" || r.Check.BlockedBy == r.Decision.BlockedBy
}

// Problem says what went wrong with a failed check.
func (r CheckResult) Problem() string {
	switch {
	case r.Err != nil:
		return fmt.Sprintf("error: %v", r.Err)
	case r.Decision.Decision != r.Check.Expect:
		return fmt.Sprintf("expected %s, got %s", r.Check.Expect, r.Decision.Decision)
	default:
		return fmt.Sprintf("expected blocked_by %s, got %q", r.Check.BlockedBy, r.Decision.BlockedBy)
	}
}

// OpenScenario loads a scenario's world into a new store and engine.
func OpenScenario(ctx context.Context, sc *loader.Scenario) (*Engine, error) {
	store, err := loader.NewStore()
	if err != nil {
		return nil, err
	}
	if err := store.Load(sc.World); err != nil {
		return nil, fmt.Errorf("%s: %w", sc.File, err)
	}
	return New(ctx, store)
}

// RunScenario evaluates every check of a scenario.
func RunScenario(ctx context.Context, sc *loader.Scenario) ([]CheckResult, error) {
	e, err := OpenScenario(ctx, sc)
	if err != nil {
		return nil, err
	}
	out := make([]CheckResult, 0, len(sc.Checks))
	for _, c := range sc.Checks {
		d, err := e.Decide(ctx, RequestOf(c))
		out = append(out, CheckResult{Check: c, Decision: d, Err: err})
	}
	return out, nil
}

// RequestOf turns a scenario check into a request.
func RequestOf(c *loader.Check) *Request {
	return &Request{
		Principal:       c.Principal,
		FederatedBy:     c.FederatedBy,
		SessionPolicy:   c.SessionPolicy,
		Action:          c.Action,
		Resource:        c.Resource,
		ResourceAccount: c.ResourceAccount,
		Context:         c.Context,
	}
}
