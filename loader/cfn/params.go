package cfn

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

// Parameters: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
// A parameter's value is its override (Options.Params), else its Default;
// with neither, a symbol. CommaDelimitedList and List<...> values are lists
// of the comma-separated items, each space-trimmed. An SSM parameter type
// (AWS::SSM::Parameter::Value<...>) holds the name of a Systems Manager
// parameter whose value is read at deployment: a symbol.

var paramKeys = map[string]bool{
	"Type": true, "Default": true, "AllowedValues": true, "AllowedPattern": true, "ConstraintDescription": true,
	"Description": true, "MaxLength": true, "MinLength": true, "MaxValue": true, "MinValue": true, "NoEcho": true,
}

func (t *template) readParams() error {
	ps := t.root.get("Parameters")
	if ps == nil {
		return nil
	}
	for i, name := range ps.keys {
		p := ps.vals[i]
		if !alnum(name) {
			return t.keyErr(ps, i, tree.CodeInvalidName, "parameter %q: CloudFormation allows letters and digits only", name)
		}
		if p.kind != tree.Object {
			return t.errAt(p, tree.CodeWrongType, "parameter %s is a mapping with Type and Default; got %s", name, p.kind)
		}
		for j, k := range p.keys {
			if !paramKeys[k] {
				return t.keyErr(p, j, tree.CodeUnknownElement, "unknown parameter property %q (CloudFormation rejects it)", k)
			}
		}
		v, err := t.paramValue(name, p, ps.keyPos[i])
		if err != nil {
			return err
		}
		if v != nil {
			t.params[name] = v
		}
	}
	return nil
}

func (t *template) paramValue(name string, p *rnode, key tree.Pos) (*tree.Node, error) {
	typ := p.get("Type")
	if typ == nil || typ.kind != tree.String || typ.tag != "" {
		return nil, &tree.Error{File: t.file, Line: key.Line, Col: key.Col, Path: p.at.String(), Code: tree.CodeMissingElement,
			Msg: "parameter " + name + " needs a Type (String, Number, CommaDelimitedList, List<...>, AWS::...)"}
	}
	at := p // where the value comes from, for errors and positions
	raw, given := t.opts.Params[name]
	if !given {
		d := p.get("Default")
		if d == nil {
			t.unknownParams[name] = isList(typ.str)
			return nil, nil
		}
		if d.kind == tree.Array || d.kind == tree.Object || d.tag != "" {
			return nil, t.errAt(d, tree.CodeWrongType, "a parameter's Default is a plain value")
		}
		raw, at = d.str, d
	}
	if strings.HasPrefix(typ.str, "AWS::SSM::Parameter::Value<") {
		t.unknownParams[name] = strings.Contains(typ.str, "<List<") || strings.Contains(typ.str, "<CommaDelimitedList>")
		return nil, nil
	}
	if err := t.checkParam(name, p, at, raw, given); err != nil {
		return nil, err
	}
	if isList(typ.str) {
		list := &tree.Node{Kind: tree.Array, Items: []*tree.Node{}, File: t.file, Line: at.line, Col: at.col}
		if raw != "" {
			for _, s := range strings.Split(raw, ",") {
				list.Items = append(list.Items, &tree.Node{Kind: tree.String, Str: strings.TrimSpace(s), File: t.file, Line: at.line, Col: at.col})
			}
		}
		return list, nil
	}
	return t.str(at, raw)
}

// checkParam applies the parameter's constraints, as CloudFormation does
// before it creates the stack.
func (t *template) checkParam(name string, p, at *rnode, raw string, given bool) error {
	src := "default"
	if given {
		src = "value given for it"
	}
	fail := func(format string, args ...any) error {
		e := t.errAt(at, tree.CodeInvalidValue, format, args...)
		e.Msg = "parameter " + name + ": the " + src + " " + strconv.Quote(raw) + " " + e.Msg
		return e
	}
	typ := p.get("Type").str
	items := []string{raw}
	if isList(typ) {
		items = strings.Split(raw, ",")
		for i := range items {
			items[i] = strings.TrimSpace(items[i])
		}
	}
	for _, v := range items {
		if typ == "Number" || typ == "List<Number>" {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				return fail("is not a number")
			}
		}
		if av := p.get("AllowedValues"); av != nil && av.kind == tree.Array && !allowed(av, v) {
			return fail("is not one of its AllowedValues")
		}
		if ap := p.get("AllowedPattern"); ap != nil && ap.kind == tree.String {
			// CloudFormation's patterns are Java regular expressions; one
			// Go cannot compile is not checked.
			if re, err := regexp.Compile(`^(?:` + ap.str + `)$`); err == nil && !re.MatchString(v) {
				return fail("does not match its AllowedPattern %s", ap.str)
			}
		}
	}
	return t.checkBounds(p, raw, fail)
}

func (t *template) checkBounds(p *rnode, raw string, fail func(string, ...any) error) error {
	bound := func(key string) (float64, bool) {
		b := p.get(key)
		if b == nil {
			return 0, false
		}
		f, err := strconv.ParseFloat(b.str, 64)
		return f, err == nil
	}
	if n, ok := bound("MinLength"); ok && float64(len(raw)) < n {
		return fail("is shorter than its MinLength %v", n)
	}
	if n, ok := bound("MaxLength"); ok && float64(len(raw)) > n {
		return fail("is longer than its MaxLength %v", n)
	}
	if f, err := strconv.ParseFloat(raw, 64); err == nil {
		if n, ok := bound("MinValue"); ok && f < n {
			return fail("is below its MinValue %v", n)
		}
		if n, ok := bound("MaxValue"); ok && f > n {
			return fail("is above its MaxValue %v", n)
		}
	}
	return nil
}

func allowed(av *rnode, v string) bool {
	for _, a := range av.items {
		if a.str == v {
			return true
		}
	}
	return false
}

func isList(typ string) bool { return typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<") }
