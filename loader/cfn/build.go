package cfn

import (
	"sort"
	"strconv"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/tree"
)

// builder makes the Edits of one resource type.
type builder struct {
	// props are the type's properties, when the type's schema refuses
	// any other (CloudFormation then rejects the template: "extraneous
	// key"); nil when unknown properties are ignored.
	props    []string
	required []string
	edits    func(t *template, r *resource) ([]change.Edit, error)
}

// build adds a resource's Edits to the Set.
func (t *template) build(r *resource) error {
	b, ok := builders[r.typ]
	if !ok {
		return nil // a type that grants no access: not part of the review
	}
	made, err := t.created(r)
	if err != nil || made == isFalse {
		return err
	}
	t.current, t.assumes = r.id, map[string]bool{}
	if made == isUnknown {
		t.assumes[r.cond.str] = true
	}
	if err := t.checkProps(r, b); err != nil {
		return err
	}
	edits, err := b.edits(t, r)
	if err != nil {
		return err
	}
	var assumes []string
	for c := range t.assumes {
		assumes = append(assumes, c)
	}
	sort.Strings(assumes)
	for i := range edits {
		edits[i].Op, edits[i].At, edits[i].Assumes = change.Put, t.source(r), assumes
	}
	t.set.Edits = append(t.set.Edits, edits...)
	return nil
}

func (t *template) source(r *resource) change.Source {
	return change.Source{File: t.file, Line: r.key.Line, Col: r.key.Col, Address: r.id}
}

// checkProps refuses properties the type does not have and requires the
// ones it needs.
func (t *template) checkProps(r *resource, b builder) error {
	if r.props != nil && b.props != nil {
		known := map[string]bool{}
		for _, p := range b.props {
			known[p] = true
		}
		for i, k := range r.props.keys {
			if !known[k] {
				return t.keyErr(r.props, i, tree.CodeUnknownElement, "%s has no property %q (CloudFormation rejects it); its properties are %v", r.typ, k, b.props)
			}
		}
	}
	for _, k := range b.required {
		v, err := t.prop(r, k)
		if err != nil {
			return err
		}
		if v == nil {
			return t.missing(r, k)
		}
	}
	return nil
}

// propsNode is the resource's Properties (or the resource, without them).
func propsNode(r *resource) *rnode {
	if r.props != nil {
		return r.props
	}
	return r.node
}

func (t *template) missing(r *resource, key string) error {
	return t.errAt(propsNode(r), tree.CodeMissingElement, "%s %s needs the property %s", r.typ, r.id, key)
}

// rawProp is where a property is written (or the resource, when absent).
func (t *template) rawProp(r *resource, key string) *rnode {
	if v := r.props.get(key); v != nil {
		return v
	}
	return r.node
}

// text reads a string property ("" when absent).
func (t *template) text(r *resource, key string) (string, error) {
	v, err := t.prop(r, key)
	if err != nil || v == nil {
		return "", err
	}
	if v.Kind != tree.String && v.Kind != tree.Number && v.Kind != tree.Bool {
		return "", t.errAt(t.rawProp(r, key), tree.CodeWrongType, "%s must be a string; got %s", key, v.Kind)
	}
	return v.Str, nil
}

// texts reads a list of strings property.
func (t *template) texts(r *resource, key string) ([]string, error) {
	v, err := t.prop(r, key)
	if err != nil || v == nil {
		return nil, err
	}
	if expr, ok := t.unknownLists[v]; ok {
		return nil, t.errAt(t.rawProp(r, key), tree.CodeInvalidValue, "%s is a list known only at deployment (%s); the change cannot be reviewed without it", key, expr)
	}
	if v.Kind != tree.Array {
		return nil, t.errAt(t.rawProp(r, key), tree.CodeWrongType, "%s must be a list of strings; got %s", key, v.Kind)
	}
	out := make([]string, 0, len(v.Items))
	for _, it := range v.Items {
		if it.Kind != tree.String && it.Kind != tree.Number {
			return nil, &tree.Error{File: t.file, Line: it.Line, Col: it.Col, Path: t.rawProp(r, key).at.String(), Code: tree.CodeWrongType,
				Msg: key + " must be a list of strings; an item is a " + it.Kind.String()}
		}
		out = append(out, it.Str)
	}
	return out, nil
}

// integer reads a whole-number property (0 when absent).
func (t *template) integer(r *resource, key string) (int, error) {
	s, err := t.text(r, key)
	if err != nil || s == "" {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, t.errAt(t.rawProp(r, key), tree.CodeWrongType, "%s must be a whole number; got %q", key, s)
	}
	return n, nil
}

// tags reads Tags: a list of {Key, Value}.
func (t *template) tags(r *resource) (map[string]string, error) {
	v, err := t.prop(r, "Tags")
	if err != nil || v == nil {
		return nil, err
	}
	bad := t.errAt(t.rawProp(r, "Tags"), tree.CodeWrongType, "Tags is a list of {Key, Value}")
	if v.Kind != tree.Array {
		return nil, bad
	}
	out := map[string]string{}
	for _, it := range v.Items {
		k, val := it.Get("Key"), it.Get("Value")
		if k == nil || val == nil || k.Kind == tree.Array || k.Kind == tree.Object || val.Kind == tree.Array || val.Kind == tree.Object {
			return nil, bad
		}
		out[k.Str] = val.Str
	}
	return out, nil
}

// path reads an IAM Path ("/" when absent).
func (t *template) path(r *resource) (string, error) {
	p, err := t.text(r, "Path")
	if p == "" {
		p = "/"
	}
	return p, err
}

// steps is the JSON path of a property of r, for Placed.
func propSteps(r *resource, more ...any) []any {
	return append([]any{"Resources", r.id, "Properties"}, more...)
}
