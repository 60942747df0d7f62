package cfn

import (
	"errors"
	"strings"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
)

// document parses an evaluated policy document: an object, or JSON text
// (CloudFormation accepts both). Its nodes get the JSON path steps names
// (where it sits in the template) and keep the template's lines and
// columns; a document given as text is mapped back onto the template:
// line for line when it is written as a YAML literal block scalar (|,
// possibly through Fn::Sub), else every statement at the string itself.
// Grammar errors come back as positioned *tree.Error.
func (t *template) document(v *tree.Node, kind policy.PolicyKind, name string, steps ...any) (*policy.Policy, error) {
	doc := v
	switch v.Kind {
	case tree.Object:
	case tree.String:
		d, err := tree.DecodeJSON(t.file, []byte(v.Str))
		move := t.mover(v)
		if err != nil {
			var te *tree.Error
			if errors.As(err, &te) {
				c := *te
				c.Line, c.Col = move(te.Line, te.Col)
				c.Path = tree.Placed(&tree.Node{}, steps...).Path()
				c.Msg = "the policy document this string holds: " + te.Msg
				return nil, &c
			}
			return nil, err
		}
		relocate(d, move)
		doc = d
	default:
		return nil, &tree.Error{File: t.file, Line: v.Line, Col: v.Col, Path: tree.Placed(&tree.Node{}, steps...).Path(),
			Code: tree.CodeWrongType, Msg: "a policy document is an object, or its JSON text; got " + v.Kind.String()}
	}
	p, err := policy.ParsePolicy(t.file, tree.Placed(doc, steps...), kind, name)
	if err != nil {
		var te *tree.Error
		if errors.As(err, &te) && strings.Contains(te.Msg, "UNKNOWN-") {
			te.Msg += " (the value is unknown before deployment: give the parameter a value with --cfn-params, or write the value itself)"
		}
		return nil, err
	}
	return p, nil
}

// mover maps a position in a string's text to the template.
func (t *template) mover(v *tree.Node) func(line, col int) (int, int) {
	if b, ok := t.blocks[v]; ok {
		return func(line, col int) (int, int) { return b.line + line - 1, b.indent + col }
	}
	return func(int, int) (int, int) { return v.Line, v.Col }
}

// relocate moves every node (and member name) of a decoded tree.
func relocate(n *tree.Node, move func(line, col int) (int, int)) {
	n.Line, n.Col = move(n.Line, n.Col)
	for i, p := range n.KeyPos {
		n.KeyPos[i].Line, n.KeyPos[i].Col = move(p.Line, p.Col)
	}
	for _, it := range n.Items {
		relocate(it, move)
	}
	for _, v := range n.Vals {
		relocate(v, move)
	}
}
