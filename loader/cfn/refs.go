package cfn

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

// unknownList returns a list known only at deployment, registering the
// symbol of the expression that gives it.
func (t *template) unknownList(n *rnode, expr string) (*tree.Node, error) {
	if _, err := t.symbol(n, expr); err != nil {
		return nil, err
	}
	l := &tree.Node{Kind: tree.Array, Items: []*tree.Node{}, File: t.file, Line: n.line, Col: n.col}
	t.unknownLists[l] = expr
	return l, nil
}

// ref is Ref: a parameter's value, a pseudo parameter, or what Ref
// returns for a resource
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-ref.html,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html).
func (t *template) ref(arg, n *rnode) (*tree.Node, error) {
	name, err := t.literalName("Ref", arg, n)
	if err != nil {
		return nil, err
	}
	if v, ok, err := t.pseudo(name, n); ok || err != nil {
		return v, err
	}
	if list, ok := t.unknownParams[name]; ok {
		if list {
			return t.unknownList(n, "!Ref "+name)
		}
		return t.symbol(n, "!Ref "+name)
	}
	if v, ok := t.params[name]; ok {
		if _, unknown := t.unknownLists[v]; unknown || v.Kind != tree.String {
			return v, nil
		}
		c := *v
		c.Line, c.Col = n.line, n.col
		return &c, nil
	}
	if r, ok := t.resources[name]; ok {
		if err := t.mustExist(r, n); err != nil {
			return nil, err
		}
		return t.resourceRef(r, n)
	}
	return nil, t.errAt(n, tree.CodeUnknownReference, "Ref %s: no parameter, pseudo parameter or resource of that name", name)
}

// pseudo resolves the pseudo parameters.
func (t *template) pseudo(name string, n *rnode) (*tree.Node, bool, error) {
	var v string
	switch name {
	case "AWS::AccountId":
		if t.opts.Account == "" {
			s, err := t.symbol(n, "!Ref AWS::AccountId")
			return s, true, err
		}
		v = t.opts.Account
	case "AWS::Region":
		v = t.opts.Region
	case "AWS::Partition":
		v = t.opts.Partition
	case "AWS::StackName":
		v = t.opts.StackName
	case "AWS::URLSuffix":
		v = urlSuffix(t.opts.Partition)
	case "AWS::NoValue":
		return noValue, true, nil
	case "AWS::StackId":
		s, err := t.symbol(n, "!Ref AWS::StackId")
		return s, true, err
	case "AWS::NotificationARNs":
		l, err := t.unknownList(n, "!Ref AWS::NotificationARNs")
		return l, true, err
	default:
		if strings.HasPrefix(name, "AWS::") {
			return nil, true, t.errAt(n, tree.CodeUnknownReference, "Ref %s: no such pseudo parameter", name)
		}
		return nil, false, nil
	}
	s, err := t.str(n, v)
	return s, true, err
}

// urlSuffix is AWS::URLSuffix for a partition.
func urlSuffix(partition string) string {
	switch partition {
	case "aws-cn":
		return "amazonaws.com.cn"
	case "aws-iso":
		return "c2s.ic.gov"
	case "aws-iso-b":
		return "sc2s.sgov.gov"
	}
	return "amazonaws.com"
}

// getAtt is Fn::GetAtt: "ID.Attribute" or [ID, Attribute]
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getatt.html).
func (t *template) getAtt(arg, n *rnode) (*tree.Node, error) {
	var id, attr string
	switch {
	case arg.kind == tree.String && arg.tag == "":
		var ok bool
		if id, attr, ok = strings.Cut(arg.str, "."); !ok {
			return nil, t.errAt(n, tree.CodeWrongType, "Fn::GetAtt takes ID.Attribute or [ID, Attribute]; got %q", arg.str)
		}
	case arg.kind == tree.Array && arg.tag == "" && len(arg.items) == 2:
		var err error
		if id, err = t.literalName("Fn::GetAtt", arg.items[0], n); err != nil {
			return nil, err
		}
		if attr, _, err = t.scalarText(arg.items[1], "Fn::GetAtt's attribute"); err != nil {
			return nil, err
		}
	default:
		return nil, t.errAt(n, tree.CodeWrongType, "Fn::GetAtt takes ID.Attribute or [ID, Attribute]")
	}
	r, ok := t.resources[id]
	if !ok {
		return nil, t.errAt(n, tree.CodeUnknownReference, "Fn::GetAtt %s.%s: no resource %s in the template", id, attr, id)
	}
	if err := t.mustExist(r, n); err != nil {
		return nil, err
	}
	return t.resourceAtt(r, attr, n)
}

// mustExist refuses a reference to a resource whose condition is false:
// CloudFormation does not create it.
func (t *template) mustExist(r *resource, n *rnode) error {
	v, err := t.created(r)
	if err != nil {
		return err
	}
	if v == isFalse {
		return t.errAt(n, tree.CodeUnknownReference, "%s is not created (its condition %s is false), so it cannot be referenced here", r.id, r.cond.str)
	}
	return nil
}

// created says whether a resource is created: its condition's value.
func (t *template) created(r *resource) (tri, error) {
	if r.cond == nil {
		return isTrue, nil
	}
	return t.condition(r.cond.str, r.cond)
}
