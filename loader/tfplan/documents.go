package tfplan

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
)

// document reads the policy document a resource holds in attr, a JSON
// string. Unknown until apply, it is built from the aws_iam_policy_document
// data source the configuration references, or it is a symbol (returned,
// and recorded in the Set). Before values are not parsed: only the
// entities they name matter (what an update no longer has).
func (s *side) document(attr string, kind policy.PolicyKind, name string) (*policy.Policy, *change.Symbol, error) {
	if s.before {
		return nil, nil, nil
	}
	if s.unknown(attr) {
		p, err := s.r.fromDataSource(s, attr, kind, name)
		if p != nil || err != nil {
			return p, nil, err
		}
		expr := s.expr(attr)
		if refs := s.refs(attr); len(refs) > 0 {
			expr = qualify(s.in.module, refs[0])
		}
		sym := change.Symbol{Text: s.r.symbol(expr, s.in.at), Expr: expr, At: s.in.at}
		return nil, &sym, nil
	}
	n := s.vals.Get(attr)
	if n == nil || n.Kind == tree.Null || n.Kind == tree.String && n.Str == "" {
		return nil, nil, nil
	}
	if n.Kind != tree.String {
		return nil, nil, tree.ErrAt(n, "", tree.CodeWrongType, "%s: %s must be a JSON policy document in a string; got %s", s.in.addr, attr, n.Kind)
	}
	return parseHeld(n, []byte(n.Str), kind, name, s.in.addr+"."+s.prefix+attr)
}

// parseHeld parses a policy document whose text is held at n (a string
// of the plan, or the resource or data source it was built for): the
// statements' positions are in the text, HeldIn says where n is, and an
// error is placed at n, naming what and where in the text.
func parseHeld(n *tree.Node, text []byte, kind policy.PolicyKind, name, what string) (*policy.Policy, *change.Symbol, error) {
	doc, err := tree.DecodeJSON(n.File, text)
	if err == nil {
		var p *policy.Policy
		if p, err = policy.ParsePolicy(n.File, doc, kind, name); err == nil {
			p.Source = text
			p.HeldIn = &policy.Place{File: n.File, Path: n.Path(), Line: n.Line, Col: n.Col}
			return p, nil, nil
		}
	}
	var pe *tree.Error
	if !errors.As(err, &pe) {
		return nil, nil, &tree.Error{File: n.File, Path: n.Path(), Line: n.Line, Col: n.Col, Code: tree.CodeInvalidValue, Err: err,
			Msg: fmt.Sprintf("%s: not a valid %s policy: %v", what, kind, err)}
	}
	return nil, nil, &tree.Error{File: n.File, Path: n.Path(), Line: n.Line, Col: n.Col, Code: pe.Code, Err: err,
		Msg: fmt.Sprintf("%s: not a valid %s policy: at %d:%d %s of the document: %s", what, kind, pe.Line, pe.Col, pe.Path, pe.Msg)}
}

// fromDataSource builds the document of attr, unknown until apply, from
// the aws_iam_policy_document data source its configuration references:
// the data source's rendered json when the plan does not read it again
// at apply, else its planned statement blocks (its resource change),
// else its configured ones. It returns nil when there is no such data
// source or it cannot be built (source or override documents).
func (r *reader) fromDataSource(s *side, attr string, kind policy.PolicyKind, name string) (*policy.Policy, error) {
	for _, ref := range s.refs(attr) {
		x, ok := parseRef(ref)
		if !ok || x.mode != "data" || x.typ != "aws_iam_policy_document" {
			continue
		}
		addr := qualify(s.in.module, x.base())
		what := fmt.Sprintf("%s.%s%s (built from %s%s)", s.in.addr, s.prefix, attr, addr, x.index)
		pending := r.target(addr, x.index)
		if pending != nil && pending.acts.Read() {
			if text, ok, err := r.render(r.side(pending, false)); ok || err != nil {
				return parseBuilt(pending.node, text, kind, name, what, err)
			}
		} else if vals := r.state[addr+x.index]; vals != nil {
			if j := vals.Get("json"); j != nil && j.Kind == tree.String && j.Str != "" {
				p, _, err := parseHeld(j, []byte(j.Str), kind, name, what)
				return p, err
			}
		}
		if cfg := r.configResource(s.in.module, "data", x.typ, x.name); cfg != nil {
			src := &cfgSource{r: r, in: s.in, exprs: cfg.Get("expressions"), prefix: addr + "."}
			if text, ok, err := r.render(src); ok || err != nil {
				return parseBuilt(cfg, text, kind, name, what, err)
			}
		}
	}
	return nil, nil
}

func parseBuilt(at *tree.Node, text []byte, kind policy.PolicyKind, name, what string, err error) (*policy.Policy, error) {
	if err != nil {
		return nil, err
	}
	p, _, err := parseHeld(at, text, kind, name, what)
	return p, err
}

// docSource reads the arguments of an aws_iam_policy_document: its
// planned values (a side) or its configuration (cfgSource).
type docSource interface {
	str(attr string, required bool, wrap wrapper) (string, error)
	strs(attr string, wrap wrapper) ([]string, error)
	nested(attr string) ([]docSource, error)
	has(attr string) bool
}

func (s *side) nested(attr string) ([]docSource, error) {
	bs, err := s.blocks(attr)
	out := make([]docSource, len(bs))
	for i, b := range bs {
		out[i] = b
	}
	return out, err
}

func (s *side) has(attr string) bool {
	if s.unknown(attr) {
		return true
	}
	n := s.vals.Get(attr)
	return n != nil && n.Kind != tree.Null && !(n.Kind == tree.Array && len(n.Items) == 0) && !(n.Kind == tree.String && n.Str == "")
}

type docJSON struct {
	Version   string     `json:"Version"`
	ID        string     `json:"Id,omitempty"`
	Statement []stmtJSON `json:"Statement"`
}

type stmtJSON struct {
	Sid          string                         `json:"Sid,omitempty"`
	Effect       string                         `json:"Effect"`
	Principal    any                            `json:"Principal,omitempty"`
	NotPrincipal any                            `json:"NotPrincipal,omitempty"`
	Action       []string                       `json:"Action,omitempty"`
	NotAction    []string                       `json:"NotAction,omitempty"`
	Resource     []string                       `json:"Resource,omitempty"`
	NotResource  []string                       `json:"NotResource,omitempty"`
	Condition    map[string]map[string][]string `json:"Condition,omitempty"`
}

// render writes the JSON an aws_iam_policy_document renders from its
// arguments (version, policy_id, statement blocks with sid, effect,
// actions, not_actions, resources, not_resources, principals,
// not_principals and condition). ok is false when it has source or
// override documents, which the plan does not hold.
func (r *reader) render(src docSource) (text []byte, ok bool, err error) {
	for _, a := range []string{"source_policy_documents", "override_policy_documents", "source_json", "override_json"} {
		if src.has(a) {
			return nil, false, nil
		}
	}
	doc := docJSON{Statement: []stmtJSON{}}
	if doc.Version, err = src.str("version", false, nil); err != nil {
		return nil, false, err
	}
	if doc.Version == "" {
		doc.Version = policy.Version2012
	}
	if doc.ID, err = src.str("policy_id", false, nil); err != nil {
		return nil, false, err
	}
	sts, err := src.nested("statement")
	if err != nil {
		return nil, false, err
	}
	for _, st := range sts {
		js, err := r.statement(st)
		if err != nil {
			return nil, false, err
		}
		doc.Statement = append(doc.Statement, js)
	}
	text, err = json.MarshalIndent(doc, "", "  ")
	return text, err == nil, err
}

func (r *reader) statement(st docSource) (stmtJSON, error) {
	var js stmtJSON
	var err error
	get := func(dst *[]string, attr string, w wrapper) {
		if err == nil {
			*dst, err = st.strs(attr, w)
		}
	}
	if js.Sid, err = st.str("sid", false, nil); err != nil {
		return js, err
	}
	if js.Effect, err = st.str("effect", false, nil); err != nil {
		return js, err
	}
	if js.Effect == "" {
		js.Effect = "Allow"
	}
	get(&js.Action, "actions", nil)
	get(&js.NotAction, "not_actions", nil)
	get(&js.Resource, "resources", r.asARN(false))
	get(&js.NotResource, "not_resources", r.asARN(false))
	if err != nil {
		return js, err
	}
	if js.Principal, err = r.principals(st, "principals"); err != nil {
		return js, err
	}
	if js.NotPrincipal, err = r.principals(st, "not_principals"); err != nil {
		return js, err
	}
	js.Condition, err = conditions(st)
	return js, err
}

// principals renders principals blocks: type "*" with identifiers ["*"]
// is Principal "*"; others group identifiers by type.
func (r *reader) principals(st docSource, attr string) (any, error) {
	blocks, err := st.nested(attr)
	if err != nil || len(blocks) == 0 {
		return nil, err
	}
	out := map[string][]string{}
	for _, b := range blocks {
		typ, err := b.str("type", true, nil)
		if err != nil {
			return nil, err
		}
		var w wrapper
		if typ == "AWS" {
			w = r.asARN(true)
		}
		ids, err := b.strs("identifiers", w)
		if err != nil {
			return nil, err
		}
		if typ == "*" {
			return "*", nil
		}
		out[typ] = append(out[typ], ids...)
	}
	return out, nil
}

func conditions(st docSource) (map[string]map[string][]string, error) {
	blocks, err := st.nested("condition")
	if err != nil || len(blocks) == 0 {
		return nil, err
	}
	out := map[string]map[string][]string{}
	for _, b := range blocks {
		test, err := b.str("test", true, nil)
		if err != nil {
			return nil, err
		}
		variable, err := b.str("variable", true, nil)
		if err != nil {
			return nil, err
		}
		values, err := b.strs("values", nil)
		if err != nil {
			return nil, err
		}
		if out[test] == nil {
			out[test] = map[string][]string{}
		}
		out[test][variable] = append(out[test][variable], values...)
	}
	return out, nil
}
