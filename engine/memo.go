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

// memoKey builds the key of a built input (see above).
func (b *builtInput) memoKey(req *Request) string {
	if req.SessionPolicy != nil || len(b.principal.sessionPolicies) > 0 {
		return ""
	}
	obj, ok := b.value.(ast.Object)
	if !ok {
		return ""
	}
	var sb strings.Builder
	for _, k := range []string{"action", "resource", "resource_account", "resource_in_management_account",
		"resource_policy_required", "has_resource_policy"} {
		writeField(&sb, obj, k)
	}
	names := false
	for _, c := range b.stmts {
		if c.st.ResVars || hasVars(c) {
			return ""
		}
		names = names || c.st.NotPrincipal || (c.st.Principal != nil && !c.st.Principal.Any)
	}
	if p, ok := obj.Get(ast.StringTerm("principal")).Value.(ast.Object); ok {
		p.Foreach(func(k, v *ast.Term) {
			if ks, _ := k.Value.(ast.String); names || !identityFields[string(ks)] {
				sb.WriteString(k.String() + "=" + v.String() + "\x00")
			}
		})
	}
	if !b.writeStatements(&sb, obj) {
		return ""
	}
	b.writeContext(&sb, obj)
	return sb.String()
}

func hasVars(c candidate) bool {
	for _, cond := range c.st.Conditions {
		if cond.HasVars {
			return true
		}
	}
	return false
}

func writeField(sb *strings.Builder, obj ast.Object, key string) {
	if t := obj.Get(ast.StringTerm(key)); t != nil {
		sb.WriteString(t.String())
	}
	sb.WriteByte(0)
}

// writeStatements names the candidates of each policy type by policy and
// index, and the SCP/RCP levels by name; false when a candidate is not
// one of b.stmts.
func (b *builtInput) writeStatements(sb *strings.Builder, obj ast.Object) bool {
	byTerm := make(map[*ast.Term]string, len(b.stmts))
	for _, c := range b.stmts {
		byTerm[c.term] = c.st.Policy + "#" + strconv.Itoa(c.st.Index)
	}
	pols, ok := obj.Get(ast.StringTerm("policies")).Value.(ast.Object)
	if !ok {
		return false
	}
	complete := true
	name := func(t *ast.Term) {
		n, ok := byTerm[t]
		complete = complete && ok
		sb.WriteString(n + ",")
	}
	for _, typ := range PolicyTypes {
		sb.WriteString(typ + ":")
		arr, _ := pols.Get(ast.StringTerm(typ)).Value.(*ast.Array)
		for i := 0; arr != nil && i < arr.Len(); i++ {
			if typ != "scp" && typ != "rcp" {
				name(arr.Elem(i))
				continue
			}
			level, _ := arr.Elem(i).Value.(ast.Object)
			if level == nil {
				return false
			}
			writeField(sb, level, "name")
			st, _ := level.Get(ast.StringTerm("statements")).Value.(*ast.Array)
			for j := 0; st != nil && j < st.Len(); j++ {
				name(st.Elem(j))
			}
			sb.WriteString(";")
		}
		sb.WriteByte(0)
	}
	return complete
}

// writeContext writes the value of every context key a candidate's
// conditions test (absent keys as "-").
func (b *builtInput) writeContext(sb *strings.Builder, obj ast.Object) {
	ctx, _ := obj.Get(ast.StringTerm("context")).Value.(ast.Object)
	seen := map[string]bool{}
	for _, c := range b.stmts {
		for _, cond := range c.st.Conditions {
			if seen[cond.Key] {
				continue
			}
			seen[cond.Key] = true
			sb.WriteString(cond.Key + "=")
			if v := ctx.Get(ast.StringTerm(cond.Key)); ctx != nil && v != nil {
				sb.WriteString(v.String())
			} else {
				sb.WriteString("-")
			}
			sb.WriteByte(0)
		}
	}
}

// Shared reports how many decisions reused an earlier evaluation
// (decideShared) since the engine was made.
func (e *Engine) Shared() int64 { return e.shared.Load() }

// maxMemoEntries bounds the decisions a view keeps.
const maxMemoEntries = 200_000

// decideShared is Decide for the bulk queries: a request whose input
// agrees with an earlier one in everything the logic reads (memoKey)
// reuses that evaluation; the request's own principal, context report and
// missing keys are filled in as Decide does. The returned Decision's
// Matched and Applies may be shared: read them, do not change them.
func (e *Engine) decideShared(ctx context.Context, req *Request) (*Decision, error) {
	if e.noIndex {
		return e.Decide(ctx, req)
	}
	v := e.current()
	in, err := v.input(req)
	if err != nil {
		return nil, err
	}
	key := in.memoKey(req)
	if key != "" {
		if d, ok := v.memo.Load(key); ok {
			e.shared.Add(1)
			return in.complete(*d.(*Decision), req, v.gen), nil
		}
	}
	d, err := e.evaluate(ctx, in, req)
	if err != nil {
		return nil, err
	}
	if key != "" && v.memoCount.Add(1) <= maxMemoEntries {
		shared := *d
		shared.Request, shared.Context, shared.MissingKeys = nil, nil, nil
		v.memo.Store(key, &shared)
	}
	return in.complete(*d, req, v.gen), nil
}
