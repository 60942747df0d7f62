package tfplan

import (
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/clearance-dev/clearance/loader/tree"
)

// splitAddr splits a Terraform address or reference at its dots, keeping
// index keys (["a.b"]) whole.
func splitAddr(s string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// cutIndex splits "name[0]" into "name" and "[0]".
func cutIndex(tok string) (string, string) {
	if i := strings.IndexByte(tok, '['); i >= 0 {
		return tok[:i], tok[i:]
	}
	return tok, ""
}

// qualify prefixes a module-relative reference with its module's address.
func qualify(module, ref string) string {
	if module == "" {
		return ref
	}
	return module + "." + ref
}

// configModule returns the configuration of the module at a module
// address (module.a[0].module.b), or nil.
func (r *reader) configModule(module string) *tree.Node {
	m := r.root.Get("configuration").Get("root_module")
	if module == "" {
		return m
	}
	toks := splitAddr(module)
	for i := 0; i+1 < len(toks); i += 2 {
		name, _ := cutIndex(toks[i+1])
		m = m.Get("module_calls").Get(name).Get("module")
	}
	return m
}

// configResource returns the configuration of a resource instance: its
// module's resource of the same mode, type and name.
func (r *reader) configResource(module, mode, typ, name string) *tree.Node {
	for _, res := range items(r.configModule(module).Get("resources")) {
		if str(res.Get("type")) == typ && str(res.Get("name")) == name && (str(res.Get("mode")) == mode || str(res.Get("mode")) == "") {
			return res
		}
	}
	return nil
}

func str(n *tree.Node) string {
	if n == nil || n.Kind != tree.String {
		return ""
	}
	return n.Str
}

// attrRefs are the references of a resource's configured expression for
// attr.
func (r *reader) attrRefs(in *instance, attr string) []string {
	return refsOf(r.configResource(in.module, in.mode, in.typ, in.name).Get("expressions").Get(attr))
}

// refsOf reads an expression's references, leaving out those another
// one extends (Terraform lists aws_iam_role.x.arn and aws_iam_role.x).
func refsOf(expr *tree.Node) []string {
	var all []string
	for _, it := range items(expr.Get("references")) {
		if it.Kind == tree.String {
			all = append(all, it.Str)
		}
	}
	var out []string
	for _, a := range all {
		extended := false
		for _, b := range all {
			if b != a && (strings.HasPrefix(b, a+".") || strings.HasPrefix(b, a+"[")) {
				extended = true
			}
		}
		if !extended {
			out = append(out, a)
		}
	}
	return out
}

// blockExprs is the configuration of the nested block attr (in exprs)
// that holds the value block v: the one whose name matches, or the only
// one when the values have one too.
func blockExprs(exprs *tree.Node, attr string, v *tree.Node, values int) *tree.Node {
	blocks := items(exprs.Get(attr))
	for _, b := range blocks {
		if c := b.Get("name").Get("constant_value"); c != nil && c.Kind == tree.String && c.Str == str(v.Get("name")) {
			return b
		}
	}
	if len(blocks) == 1 && values == 1 {
		return blocks[0]
	}
	return nil
}

// ref is a parsed reference to a resource's attribute.
type ref struct {
	mode, typ, name, index, attr string
}

func parseRef(s string) (ref, bool) {
	toks := splitAddr(s)
	mode := string(tfjson.ManagedResourceMode)
	if len(toks) > 0 && toks[0] == "data" {
		mode, toks = string(tfjson.DataResourceMode), toks[1:]
	}
	if len(toks) < 3 || !strings.Contains(toks[0], "_") {
		return ref{}, false // var.x, local.y, module.m.out, each.value: no resource
	}
	name, index := cutIndex(toks[1])
	attr, _ := cutIndex(toks[2])
	return ref{mode: mode, typ: toks[0], name: name, index: index, attr: attr}, true
}

func (x ref) base() string {
	if x.mode == string(tfjson.DataResourceMode) {
		return "data." + x.typ + "." + x.name
	}
	return x.typ + "." + x.name
}

// resolve returns the value a reference of in's configuration has, when
// the plan knows it or it can be built from known values. A reference to
// a resource the plan deletes does not resolve: a delete wins.
func (r *reader) resolve(in *instance, s string) (string, bool) {
	if name, ok := strings.CutPrefix(s, "var."); ok && in.module == "" {
		return str(r.root.Get("variables").Get(name).Get("value")), str(r.root.Get("variables").Get(name).Get("value")) != ""
	}
	x, ok := parseRef(s)
	if !ok {
		return "", false
	}
	t := r.target(qualify(in.module, x.base()), x.index)
	switch {
	case t != nil && t.acts.Delete():
		return "", false
	case t != nil:
		return r.derive(t, x.attr)
	}
	if vals := r.state[qualify(in.module, x.base())+x.index]; vals != nil {
		v := str(vals.Get(x.attr))
		return v, v != ""
	}
	return "", false
}

// target finds the changed instance base+index, or base's only instance.
func (r *reader) target(base, index string) *instance {
	if t := r.byAddr[base+index]; t != nil || index != "" {
		return t
	}
	var found *instance
	for _, in := range r.changes {
		if strings.HasPrefix(in.addr, base+"[") {
			if found != nil {
				return nil
			}
			found = in
		}
	}
	return found
}
