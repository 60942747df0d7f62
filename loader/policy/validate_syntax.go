// Stage 1 of ValidateCreatePolicy, IAM's syntax check ("Syntax errors in
// policy."): known elements of the right types, Effect in any case, and
// condition blocks.

package policy

import (
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

// syntaxErr is a stage-1 failure, with what was wrong.
func (v *createValidator) syntaxErr(n *tree.Node, detail string) *tree.Error {
	e := v.fail(n, msgSyntax)
	e.Msg += " (" + detail + ")"
	return e
}

func (v *createValidator) syntax() *tree.Error {
	r := v.root
	if r.Kind != tree.Object {
		return v.syntaxErr(r, "a policy document is a JSON object")
	}
	for i, k := range r.Keys {
		if k != "Version" && k != "Id" && k != "Statement" {
			return v.syntaxErr(r.KeyNode(i), "unknown element "+k)
		}
	}
	if ver := r.Get("Version"); ver != nil && (ver.Kind != tree.String || ver.Str != Version2012 && ver.Str != Version2008) {
		return v.syntaxErr(ver, `Version must be "2012-10-17" or "2008-10-17"`)
	}
	if id := r.Get("Id"); id != nil && id.Kind != tree.String {
		return v.syntaxErr(id, "Id must be a string")
	}
	st := r.Get("Statement")
	switch {
	case st == nil:
		return v.syntaxErr(r, "missing Statement")
	case st.Kind == tree.Object:
		v.stmts = []*tree.Node{st}
	case st.Kind == tree.Array && len(st.Items) > 0:
		v.stmts = st.Items
	default:
		return v.syntaxErr(st, "Statement must be an object or a non-empty list")
	}
	for _, s := range v.stmts {
		if e := v.statementSyntax(s); e != nil {
			return e
		}
	}
	return nil
}

func (v *createValidator) statementSyntax(s *tree.Node) *tree.Error {
	if s.Kind != tree.Object {
		return v.syntaxErr(s, "a statement is an object")
	}
	for i, k := range s.Keys {
		if !slices.Contains(statementKeys, k) {
			return v.syntaxErr(s.KeyNode(i), "unknown statement element "+k)
		}
	}
	for _, pair := range [][2]string{{"Resource", "NotResource"}, {"Action", "NotAction"}} {
		if s.Get(pair[0]) != nil && s.Get(pair[1]) != nil {
			return v.syntaxErr(s.Get(pair[1]), pair[0]+" and "+pair[1]+" together")
		}
	}
	eff := s.Get("Effect")
	if eff == nil || eff.Kind != tree.String || !strings.EqualFold(eff.Str, "Allow") && !strings.EqualFold(eff.Str, "Deny") {
		return v.syntaxErr(orNode(eff, s), `Effect must be "Allow" or "Deny"`)
	}
	for _, k := range []string{"Action", "NotAction", "Resource", "NotResource"} {
		if e := v.stringsSyntax(s.Get(k), k); e != nil {
			return e
		}
	}
	if sid := s.Get("Sid"); sid != nil && sid.Kind != tree.String {
		return v.syntaxErr(sid, "Sid must be a string")
	}
	return v.conditionSyntax(s.Get("Condition"))
}

// stringsSyntax checks a string or a list of strings (null items allowed).
func (v *createValidator) stringsSyntax(n *tree.Node, elem string) *tree.Error {
	switch {
	case n == nil || n.Kind == tree.String:
		return nil
	case n.Kind != tree.Array:
		return v.syntaxErr(n, elem+" must be a string or a list of strings")
	}
	for _, it := range n.Items {
		if it.Kind != tree.String && it.Kind != tree.Null {
			return v.syntaxErr(it, elem+" must be a string or a list of strings")
		}
	}
	return nil
}

func (v *createValidator) conditionSyntax(c *tree.Node) *tree.Error {
	if c == nil {
		return nil
	}
	if c.Kind != tree.Object {
		return v.syntaxErr(c, "Condition must be an object")
	}
	for i, op := range c.Keys {
		block := c.Vals[i]
		if block.Kind != tree.Object {
			return v.syntaxErr(block, "condition operator "+op+" takes an object")
		}
		for _, val := range block.Vals {
			if val.Kind == tree.Object || val.Kind == tree.Null {
				return v.syntaxErr(val, "a condition value is a string or a list")
			}
		}
		if _, known := operators[stripOperator(op)]; !known && len(block.Keys) > 0 {
			return v.syntaxErr(block, "unknown condition operator "+op)
		}
	}
	return nil
}

// stripOperator removes one set qualifier and one IfExists, as IAM's
// legacy checks do (so NullIfExists passes them; the grammar rejects it).
func stripOperator(op string) string {
	for _, q := range []string{qualForAny + ":", qualForAll + ":"} {
		if r, ok := strings.CutPrefix(op, q); ok {
			op = r
			break
		}
	}
	op, _ = strings.CutSuffix(op, ifExists)
	return op
}
