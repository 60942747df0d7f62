package cfn

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

// sub is Fn::Sub: "text ${Name} ${ID.Attribute} ${!Literal}" or
// [text, {Name: value}]; a name is a variable of the map, a parameter, a
// pseudo parameter or a resource (its Ref), ID.Attribute a resource's
// attribute (its Fn::GetAtt); ${!x} writes ${x}
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html).
func (t *template) sub(arg, n *rnode) (*tree.Node, error) {
	text, vars := arg, (*rnode)(nil)
	if arg.kind == tree.Array && arg.tag == "" {
		items, err := t.args("Fn::Sub", arg, n, 2, 2)
		if err != nil {
			return nil, err
		}
		text, vars = items[0], items[1]
		if vars.kind != tree.Object || vars.tag != "" {
			return nil, t.errAt(vars, tree.CodeWrongType, "Fn::Sub's second item is a mapping of variable names to values")
		}
	}
	if text.kind != tree.String || text.tag != "" {
		return nil, t.errAt(n, tree.CodeWrongType, "Fn::Sub takes a string, or [string, {variables}]")
	}
	var b strings.Builder
	s := text.str
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		name := s[i+2 : i+end]
		s = s[i+end+1:]
		if lit, ok := strings.CutPrefix(name, "!"); ok {
			b.WriteString("${" + lit + "}")
			continue
		}
		v, err := t.subVar(strings.TrimSpace(name), vars, n)
		if err != nil {
			return nil, err
		}
		b.WriteString(v)
		if b.Len() > maxString {
			return nil, t.errAt(n, tree.CodeLimitExceeded, "the value is longer than %d bytes", maxString)
		}
	}
	out, err := t.str(n, b.String())
	if err == nil && text.block > 0 {
		t.blocks[out] = block{line: text.line + 1, indent: text.block}
	}
	return out, err
}

// subVar resolves one ${...} of Fn::Sub.
func (t *template) subVar(name string, vars, n *rnode) (string, error) {
	if v := vars.get(name); v != nil {
		s, _, err := t.scalarText(v, "Fn::Sub's variable "+name)
		return s, err
	}
	ref := &rnode{kind: tree.String, str: name, line: n.line, col: n.col, at: n.at}
	var v *tree.Node
	var err error
	if id, attr, dotted := strings.Cut(name, "."); dotted && t.resources[id] != nil {
		_ = attr
		v, err = t.getAtt(ref, n)
	} else if t.isParam(name) || t.resources[name] != nil || strings.HasPrefix(name, "AWS::") {
		v, err = t.ref(ref, n)
	} else {
		return "", t.errAt(n, tree.CodeUnknownReference, "Fn::Sub ${%s}: no variable, parameter, pseudo parameter, resource or resource attribute of that name", name)
	}
	if err != nil {
		return "", err
	}
	if v == noValue || v.Kind == tree.Array || v.Kind == tree.Object {
		return "", t.errAt(n, tree.CodeWrongType, "Fn::Sub ${%s}: a %s cannot be substituted into a string", name, kindName(v))
	}
	return v.Str, nil
}

// list evaluates n to a list; unknown is the expression of a list known
// only at deployment.
func (t *template) list(n *rnode, what string) (items []*tree.Node, unknown string, err error) {
	v, err := t.eval(n)
	if err != nil {
		return nil, "", err
	}
	if expr, ok := t.unknownLists[v]; ok {
		return nil, expr, nil
	}
	if v.Kind != tree.Array {
		return nil, "", t.errAt(n, tree.CodeWrongType, "%s must be a list; got %s", what, kindName(v))
	}
	return v.Items, "", nil
}

// join is Fn::Join: [delimiter, [values]]
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-join.html).
func (t *template) join(arg, n *rnode) (*tree.Node, error) {
	items, err := t.args("Fn::Join", arg, n, 2, 2)
	if err != nil {
		return nil, err
	}
	delim, _, err := t.scalarText(items[0], "Fn::Join's delimiter")
	if err != nil {
		return nil, err
	}
	vals, unknown, err := t.list(items[1], "Fn::Join's values")
	if err != nil {
		return nil, err
	}
	if unknown != "" {
		return t.symbol(n, "!Join ["+strconv.Quote(delim)+", "+unknown+"]")
	}
	parts := make([]string, 0, len(vals))
	size := 0
	for _, v := range vals {
		if v.Kind == tree.Array || v.Kind == tree.Object {
			return nil, t.errAt(items[1], tree.CodeWrongType, "Fn::Join joins strings; an item is a %s", v.Kind)
		}
		if size += len(v.Str) + len(delim); size > maxString {
			return nil, t.errAt(n, tree.CodeLimitExceeded, "the value is longer than %d bytes", maxString)
		}
		parts = append(parts, v.Str)
	}
	return t.str(n, strings.Join(parts, delim))
}

// selectFn is Fn::Select: [index, list], the index from 0
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-select.html).
func (t *template) selectFn(arg, n *rnode) (*tree.Node, error) {
	items, err := t.args("Fn::Select", arg, n, 2, 2)
	if err != nil {
		return nil, err
	}
	idx, _, err := t.scalarText(items[0], "Fn::Select's index")
	if err != nil {
		return nil, err
	}
	i, err := strconv.Atoi(idx)
	if err != nil || i < 0 {
		return nil, t.errAt(items[0], tree.CodeWrongType, "Fn::Select's index must be a whole number from 0; got %q", idx)
	}
	vals, unknown, err := t.list(items[1], "Fn::Select's list")
	if err != nil {
		return nil, err
	}
	if unknown != "" {
		return t.symbol(n, "!Select ["+idx+", "+unknown+"]")
	}
	if i >= len(vals) {
		return nil, t.errAt(n, tree.CodeInvalidValue, "Fn::Select: index %d is beyond the list's %d items", i, len(vals))
	}
	c := *vals[i]
	c.Line, c.Col = n.line, n.col
	return &c, nil
}

// split is Fn::Split: [delimiter, text]
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-split.html).
func (t *template) split(arg, n *rnode) (*tree.Node, error) {
	items, err := t.args("Fn::Split", arg, n, 2, 2)
	if err != nil {
		return nil, err
	}
	delim, _, err := t.scalarText(items[0], "Fn::Split's delimiter")
	if err != nil {
		return nil, err
	}
	if delim == "" {
		return nil, t.errAt(items[0], tree.CodeInvalidValue, "Fn::Split's delimiter is empty")
	}
	text, _, err := t.scalarText(items[1], "Fn::Split's source")
	if err != nil {
		return nil, err
	}
	if t.holdsSymbol(text) {
		return t.unknownList(n, "!Split ["+strconv.Quote(delim)+", "+text+"]")
	}
	out := &tree.Node{Kind: tree.Array, Items: []*tree.Node{}, File: t.file, Line: n.line, Col: n.col}
	for _, s := range strings.Split(text, delim) {
		v, err := t.str(n, s)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, v)
	}
	return out, nil
}

// importValue is Fn::ImportValue: another stack's export, known only at
// deployment
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html).
func (t *template) importValue(arg, n *rnode) (*tree.Node, error) {
	name, _, err := t.scalarText(arg, "Fn::ImportValue's export name")
	if err != nil {
		return nil, err
	}
	return t.symbol(n, "!ImportValue "+name)
}

// base64 is Fn::Base64
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-base64.html).
func (t *template) base64(arg, n *rnode) (*tree.Node, error) {
	s, _, err := t.scalarText(arg, "Fn::Base64's value")
	if err != nil {
		return nil, err
	}
	return t.str(n, base64.StdEncoding.EncodeToString([]byte(s)))
}

// getAZs is Fn::GetAZs: the Availability Zones of a region, which depend
// on the account, so a list known only at deployment
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getavailabilityzones.html).
func (t *template) getAZs(arg, n *rnode) (*tree.Node, error) {
	region, _, err := t.scalarText(arg, "Fn::GetAZs's region")
	if err != nil {
		return nil, err
	}
	if region == "" {
		region = t.opts.Region
	}
	return t.unknownList(n, "!GetAZs "+region)
}

// ifFn is Fn::If: [condition, value if true, value if false]
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-if).
// A condition unknown before deployment takes the true branch and is
// recorded as assumed.
func (t *template) ifFn(arg, n *rnode) (*tree.Node, error) {
	items, err := t.args("Fn::If", arg, n, 3, 3)
	if err != nil {
		return nil, err
	}
	name, err := t.literalName("Fn::If's condition", items[0], items[0])
	if err != nil {
		return nil, err
	}
	v, err := t.condition(name, items[0])
	if err != nil {
		return nil, err
	}
	switch v {
	case isFalse:
		return t.eval(items[2])
	case isUnknown:
		t.assumes[name] = true
	}
	return t.eval(items[1])
}

func (t *template) isParam(name string) bool {
	_, known := t.params[name]
	_, unknown := t.unknownParams[name]
	return known || unknown
}
