package engine

import (
	"context"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The decision memo lets the bulk queries (who-can, can, the audit's
// probes) share one evaluation of the decision logic among requests whose
// inputs agree in everything the logic reads: the request and resource
// facts, the principal's facts (and its names, when a candidate statement
// has a Principal to match them against), the candidate statements of each
// policy type (by policy and position), and the values of the context keys
// their conditions test. Who-can asks the same question of thousands of
// principals whose policies are the same managed policies; each distinct
// input is evaluated once per store generation.
//
// memoKey returns "" when it cannot name everything the logic reads:
// session policies (they are not store rows, so their statements have no
// stable name) and policy variables (they read any context key).

// identityFields are the principal's names, read only to match a
// Principal or NotPrincipal element (statement.principal_match,
// not_principal_applies).
var identityFields = map[string]bool{
	"arn": true, "account_arn": true, "entity_arn": true, "unique_id": true,
	"entity_unique_id": true, "enclosing": true,
}

// memoFacts renders the principal's input object (without a session
// policy) for the key, with or without its names; computed once, for the
// principals the memo is asked about.
func (p *principal) memoFacts(names bool) string {
	p.factsOnce.Do(func() { p.facts = renderFacts(p.inputs[0]) })
	return p.facts[boolIndex(names)]
}

func renderFacts(v ast.Value) [2]string {
	var without, with strings.Builder
	if obj, ok := v.(ast.Object); ok {
		obj.Foreach(func(k, t *ast.Term) {
			field := k.String() + "=" + t.String() + "\x00"
			with.WriteString(field)
			if ks, _ := k.Value.(ast.String); !identityFields[string(ks)] {
				without.WriteString(field)
			}
		})
	}
	return [2]string{without.String(), with.String()}
}

// memoKey builds the key of a prepared input (see above).
func (b *builtInput) memoKey(req *Request) string {
	if req.SessionPolicy != nil || len(b.principal.sessionPolicies) > 0 {
		return ""
	}
	names := false
	for _, c := range b.stmts {
		if c.st.ResVars || hasVars(c) {
			return ""
		}
		names = names || c.st.NotPrincipal || (c.st.Principal != nil && !c.st.Principal.Any)
	}
	// Every part is written with its length first, so that no two
	// different inputs give one key, whatever characters names hold.
	ri := b.resource
	var sb strings.Builder
	for _, f := range []string{b.action, req.Resource, ri.account, strconv.FormatBool(b.inMgmt),
		strconv.FormatBool(ri.required), strconv.FormatBool(ri.policy != nil),
		b.principal.memoFacts(names)} {
		part(&sb, f)
	}
	for _, set := range b.sets {
		sb.WriteString(strconv.Itoa(len(set)))
		for _, c := range set {
			part(&sb, c.st.Policy)
			part(&sb, strconv.Itoa(c.st.Index))
		}
	}
	// The SCP and RCP levels are those of the principal's and the
	// resource's accounts for the action (view.levels).
	part(&sb, b.principal.account)
	part(&sb, ri.account)
	part(&sb, req.VPCEndpoint) // its policy's candidates are in b.stmts
	b.writeContext(&sb)
	return sb.String()
}

// part writes s to the key preceded by its length.
func part(sb *strings.Builder, s string) {
	sb.WriteString(strconv.Itoa(len(s)))
	sb.WriteByte(':')
	sb.WriteString(s)
}

func hasVars(c candidate) bool {
	for _, cond := range c.st.Conditions {
		if cond.HasVars {
			return true
		}
	}
	return false
}

// writeContext writes every context key a candidate's conditions test
// and its value as the logic sees it ("-" when absent).
func (b *builtInput) writeContext(sb *strings.Builder) {
	seen := map[string]bool{}
	for _, c := range b.stmts {
		for _, cond := range c.st.Conditions {
			if seen[cond.Key] {
				continue
			}
			seen[cond.Key] = true
			part(sb, cond.Key)
			if cv, ok := b.ctx[cond.Key]; ok {
				part(sb, contextTerm(cv.Value).String())
			} else {
				sb.WriteString("-") // no length can start with "-"
			}
		}
	}
}

// Shared reports how many decisions reused an earlier evaluation
// (decideShared) since the engine was made.
func (e *Engine) Shared() int64 { return e.shared.Load() }

// maxMemoEntries bounds the decisions a view keeps.
const maxMemoEntries = 200_000

// DecideShared is Decide for the bulk queries: a request whose input
// agrees with an earlier one in everything the logic reads (memoKey)
// reuses that evaluation; the request's own principal, context report and
// missing keys are filled in as Decide does. The returned Decision's
// Matched and Applies may be shared: read them, do not change them.
func (e *Engine) DecideShared(ctx context.Context, req *Request) (*Decision, error) {
	return e.decide(ctx, req, !e.opts.NoIndex)
}
