package sts

import (
	"context"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/clock"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/tree"
)

// Chain and Step are the STS chain a question may start from, in the
// scenario format (a starting identity and its steps).
type (
	Chain = scenario.Chain
	Step  = scenario.Step
)

// Question is one question: a principal (Request.Principal) or a chain
// whose final session makes the request, the request, and the time it is
// made at (Request.Time, or the context's aws:CurrentTime or aws:EpochTime;
// none means now).
type Question struct {
	engine.Request
	// Chain, when set, is walked first; the request (if it names an
	// action) is made with its final session.
	Chain *Chain
}

// Answer is what Ask answers: the walked chain (for a question with one)
// and the decision of the request (nil when a hop was refused or the
// question asked for the chain only).
type Answer struct {
	Chain    *ChainResult     `json:"chain,omitempty"`
	Decision *engine.Decision `json:"decision,omitempty"`
	// At is when the final session makes its requests (a question with a
	// chain whose walk completed).
	At time.Time `json:"at,omitzero"`
}

// Ask answers a question. A request has one time (engine/clock): the
// question's, given as Request.Time or in its context. A chain is walked
// at its own time, its sessions issued then, or at the request's time
// when it gives none; the final request is made at the request's time,
// or when the final session was issued if the question gives no time, so
// a session's expiry and aws:MultiFactorAuthAge are those of the final
// request. A request's time before its chain's is an error.
func (w *Walker) Ask(ctx context.Context, q *Question) (*Answer, error) {
	req, err := checkRequest(q.Request)
	if err != nil {
		return nil, err
	}
	if q.Chain == nil {
		d, err := w.Decide(ctx, &req)
		if err != nil {
			return nil, err
		}
		return &Answer{Decision: d}, nil
	}
	at, err := clock.Of(req.Time, req.Context)
	if err != nil {
		return nil, fault.Wrap(fault.CodeBadRequest, err, "")
	}
	chain := *q.Chain
	if chain.Time.IsZero() {
		chain.Time = at
	} else if !at.IsZero() && at.Before(chain.Time) {
		return nil, fault.Errorf(fault.CodeBadRequest, "the request's time %s precedes its chain's time %s, when the chain's sessions are issued",
			clock.Format(at), clock.Format(chain.Time))
	}
	res, err := w.Walk(ctx, &chain)
	if err != nil {
		return nil, err
	}
	a := &Answer{Chain: res}
	if res.Final == nil {
		return a, nil
	}
	if a.At = at; at.IsZero() {
		a.At = res.Final.Issued
	}
	if req.Action == "" {
		return a, nil
	}
	req.Principal, req.FederatedBy, req.SessionPolicy = "", "", nil
	req.Session, req.Time = res.Final, a.At
	if a.Decision, err = w.Decide(ctx, &req); err != nil {
		return nil, err
	}
	return a, nil
}

// DecodeChain reads a chain written in the scenario format, JSON or YAML
// ({as: ..., steps: [...]}); file names the source in errors.
func DecodeChain(file string, data []byte) (*Chain, error) {
	n, err := tree.Decode(file, data)
	if err != nil {
		return nil, err
	}
	return scenario.DecodeChain(n)
}

// DecodeStep reads one step written in the scenario format.
func DecodeStep(file string, data []byte) (*Step, error) {
	n, err := tree.Decode(file, data)
	if err != nil {
		return nil, err
	}
	return scenario.DecodeStep(n)
}

// ParseSessionPolicy reads a session policy document; file names the
// source in errors.
func ParseSessionPolicy(file string, data []byte) (*policy.Policy, error) {
	return policy.ParsePolicyBytes(file, data, policy.KindSession, file)
}

// The operations a step may name.
const (
	OpAssumeRole          = scenario.OpAssumeRole
	OpAssumeRoleWithSAML  = scenario.OpAssumeRoleWithSAML
	OpAssumeRoleWithWebID = scenario.OpAssumeRoleWithWebID
	OpGetFederationToken  = scenario.OpGetFederationToken
	OpGetSessionToken     = scenario.OpGetSessionToken
	OpCognitoCredentials  = scenario.OpCognitoCredentials
)

// DocumentJSON reads a JSON or YAML document (a policy given to a step)
// and returns it as JSON; file names the source in errors.
func DocumentJSON(file string, data []byte) ([]byte, error) {
	n, err := tree.Decode(file, data)
	if err != nil {
		return nil, err
	}
	return n.JSON(), nil
}
