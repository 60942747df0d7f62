package sts

import (
	"context"

	"github.com/clearance-dev/clearance/engine"
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
// asked (Request.Time; zero means now).
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
}

// Ask answers a question. Its one clock rule: a question's time fixes the
// walk's clock when the chain gives none, and the final request is made at
// the question's time, or when the final session was issued if the
// question gives no time.
func (w *Walker) Ask(ctx context.Context, q *Question) (*Answer, error) {
	req := q.Request
	if q.Chain == nil {
		d, err := w.Decide(ctx, &req)
		if err != nil {
			return nil, err
		}
		return &Answer{Decision: d}, nil
	}
	chain := *q.Chain
	if chain.Time.IsZero() {
		chain.Time = req.Time
	}
	res, err := w.Walk(ctx, &chain)
	if err != nil {
		return nil, err
	}
	a := &Answer{Chain: res}
	if res.Final == nil || req.Action == "" {
		return a, nil
	}
	req.Principal, req.FederatedBy, req.SessionPolicy = "", "", nil
	req.Session = res.Final
	if req.Time.IsZero() {
		req.Time = res.Final.Issued
	}
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
