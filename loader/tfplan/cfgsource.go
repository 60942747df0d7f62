package tfplan

import (
	"strconv"

	"github.com/clearance-dev/clearance/loader/tree"
)

// cfgSource reads a data source's configured arguments: each is
// {"constant_value": V} or {"references": [...]} (a value computed from
// other objects: resolved when the plan knows it, else a symbol), and a
// nested block is a list of objects of arguments.
type cfgSource struct {
	r      *reader
	in     *instance // the resource the document is built for (module, position)
	exprs  *tree.Node
	prefix string // names the arguments in symbols
}

func (c *cfgSource) has(attr string) bool {
	e := c.exprs.Get(attr)
	if e == nil {
		return false
	}
	cv := e.Get("constant_value")
	return len(refsOf(e)) > 0 || e.Kind == tree.Array && len(e.Items) > 0 ||
		cv != nil && cv.Kind != tree.Null && !(cv.Kind == tree.Array && len(cv.Items) == 0) && !(cv.Kind == tree.String && cv.Str == "")
}

// ref resolves a reference or returns its symbol.
func (c *cfgSource) ref(ref string, wrap wrapper) string {
	if v, ok := c.r.resolve(c.in, ref); ok {
		return v
	}
	return c.r.symbolFor(qualify(c.in.module, ref), c.in.at, wrap)
}

func (c *cfgSource) str(attr string, required bool, wrap wrapper) (string, error) {
	e := c.exprs.Get(attr)
	if refs := refsOf(e); len(refs) > 0 {
		return c.ref(refs[0], wrap), nil
	}
	cv := e.Get("constant_value")
	switch {
	case cv == nil || cv.Kind == tree.Null:
		if required {
			return "", tree.ErrAt(orNode(e, c.exprs), "", tree.CodeMissingElement, "%s: missing required argument %q", c.prefix, attr)
		}
		return "", nil
	case cv.Kind == tree.String || cv.Kind == tree.Number || cv.Kind == tree.Bool:
		return cv.Str, nil
	}
	return "", tree.ErrAt(cv, "", tree.CodeWrongType, "%s%s must be a string; got %s", c.prefix, attr, cv.Kind)
}

func (c *cfgSource) strs(attr string, wrap wrapper) ([]string, error) {
	e := c.exprs.Get(attr)
	if refs := refsOf(e); len(refs) > 0 {
		out := make([]string, len(refs))
		for i, r := range refs {
			out[i] = c.ref(r, wrap)
		}
		return out, nil
	}
	cv := e.Get("constant_value")
	switch {
	case cv == nil || cv.Kind == tree.Null:
		return nil, nil
	case cv.Kind == tree.String:
		return []string{cv.Str}, nil
	case cv.Kind != tree.Array:
		return nil, tree.ErrAt(cv, "", tree.CodeWrongType, "%s%s must be a list of strings; got %s", c.prefix, attr, cv.Kind)
	}
	out := make([]string, 0, len(cv.Items))
	for _, it := range cv.Items {
		if it.Kind != tree.String {
			return nil, tree.ErrAt(it, "", tree.CodeWrongType, "%s%s must hold strings; got %s", c.prefix, attr, it.Kind)
		}
		out = append(out, it.Str)
	}
	return out, nil
}

func (c *cfgSource) nested(attr string) ([]docSource, error) {
	e := c.exprs.Get(attr)
	if e == nil || e.Kind == tree.Null {
		return nil, nil
	}
	if e.Kind != tree.Array {
		return nil, tree.ErrAt(e, "", tree.CodeWrongType, "%s%s must be a list of blocks; got %s", c.prefix, attr, e.Kind)
	}
	out := make([]docSource, 0, len(e.Items))
	for i, it := range e.Items {
		if it.Kind != tree.Object {
			return nil, tree.ErrAt(it, "", tree.CodeWrongType, "%s%s must hold blocks; got %s", c.prefix, attr, it.Kind)
		}
		out = append(out, &cfgSource{r: c.r, in: c.in, exprs: it, prefix: c.prefix + attr + "[" + strconv.Itoa(i) + "]."})
	}
	return out, nil
}
