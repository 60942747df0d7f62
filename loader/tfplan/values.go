package tfplan

import (
	"strconv"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/tree"
)

// side reads the attributes of one side of a resource change: after (with
// after_unknown) or before (all known).
type side struct {
	r      *reader
	in     *instance
	vals   *tree.Node
	before bool
	// prefix names a nested block's attributes (inline_policy[0].); exprs
	// is that block's configuration (nil: the resource's).
	prefix string
	exprs  *tree.Node
}

// refs are the configuration's references for attr.
func (s *side) refs(attr string) []string {
	if s.prefix != "" {
		return refsOf(s.exprs.Get(attr))
	}
	return s.r.attrRefs(s.in, attr)
}

// expr names attr of this side for a symbol.
func (s *side) expr(attr string) string { return s.in.addr + "." + s.prefix + attr }

func (r *reader) side(in *instance, before bool) *side {
	if before {
		return &side{r: r, in: in, vals: in.before, before: true}
	}
	return &side{r: r, in: in, vals: in.after}
}

// unknown reports whether the value at path (member names and list
// indexes) is known only after apply.
func (s *side) unknown(path ...any) bool {
	if s.before {
		return false
	}
	u := s.in.unknown
	for _, step := range path {
		if u == nil || u.Kind == tree.Bool {
			break
		}
		switch k := step.(type) {
		case string:
			u = u.Get(k)
		case int:
			if u.Kind != tree.Array || k >= len(u.Items) {
				return false
			}
			u = u.Items[k]
		}
	}
	return u != nil && u.Kind == tree.Bool && u.Bool
}

// missing is the error for a required attribute without a value.
func (s *side) missing(attr string) error {
	at := s.vals
	if at == nil {
		at = s.in.node
	}
	return tree.ErrAt(at, "", tree.CodeMissingElement, "%s: missing required attribute %q", s.in.addr, attr)
}

// str reads a string attribute. An unknown value resolves through the
// configuration's references, else becomes a symbol (passed through wrap,
// which builds an ARN around it where one is needed).
func (s *side) str(attr string, required bool, wrap wrapper) (string, error) {
	if s.unknown(attr) {
		return s.unknownValue(attr, wrap), nil
	}
	n := s.vals.Get(attr)
	if n == nil || n.Kind == tree.Null || n.Kind == tree.String && n.Str == "" {
		if required {
			return "", s.missing(attr)
		}
		return "", nil
	}
	if n.Kind != tree.String && n.Kind != tree.Number {
		return "", tree.ErrAt(n, "", tree.CodeWrongType, "%s: %s must be a string; got %s", s.in.addr, attr, n.Kind)
	}
	return n.Str, nil
}

// unknownValue resolves attr's first configuration reference that leads
// to a known value, or returns a symbol for it.
func (s *side) unknownValue(attr string, wrap wrapper) string {
	refs := s.refs(attr)
	for _, ref := range refs {
		if v, ok := s.r.resolve(s.in, ref); ok {
			return v
		}
	}
	expr := s.expr(attr)
	if len(refs) > 0 {
		expr = qualify(s.in.module, refs[0])
	}
	return s.r.symbolFor(expr, s.in.at, wrap)
}

// symbolFor returns the symbol of expr passed through wrap (nil: as is).
func (r *reader) symbolFor(expr string, at change.Source, wrap wrapper) string {
	t := r.symbol(expr, at)
	if wrap != nil {
		return wrap(expr, t)
	}
	return t
}

// strs reads a list (or set) of strings. A list known only after apply
// stands for the values its configuration references (each resolved or a
// symbol), or for one symbol; an unknown item is a symbol.
func (s *side) strs(attr string, wrap wrapper) ([]string, error) {
	if s.unknown(attr) {
		var out []string
		for _, ref := range s.refs(attr) {
			v, ok := s.r.resolve(s.in, ref)
			if !ok {
				v = s.r.symbolFor(qualify(s.in.module, ref), s.in.at, wrap)
			}
			out = append(out, v)
		}
		if len(out) == 0 {
			out = []string{s.r.symbolFor(s.expr(attr), s.in.at, wrap)}
		}
		return out, nil
	}
	n := s.vals.Get(attr)
	if n == nil || n.Kind == tree.Null {
		return nil, nil
	}
	if n.Kind != tree.Array {
		return nil, tree.ErrAt(n, "", tree.CodeWrongType, "%s: %s must be a list of strings; got %s", s.in.addr, attr, n.Kind)
	}
	out := make([]string, 0, len(n.Items))
	for i, it := range n.Items {
		switch {
		case s.unknown(attr, i):
			out = append(out, s.r.symbolFor(s.expr(attr)+"["+strconv.Itoa(i)+"]", s.in.at, wrap))
		case it.Kind == tree.String:
			out = append(out, it.Str)
		case it.Kind == tree.Null:
		default:
			return nil, tree.ErrAt(it, "", tree.CodeWrongType, "%s: %s must hold strings; got %s", s.in.addr, attr, it.Kind)
		}
	}
	return out, nil
}

// num reads an integer attribute (0 when absent; an unknown one is
// recorded as a symbol and read as 0, the default).
func (s *side) num(attr string) (int, error) {
	if s.unknown(attr) {
		s.r.symbol(s.expr(attr), s.in.at)
		return 0, nil
	}
	n := s.vals.Get(attr)
	if n == nil || n.Kind == tree.Null {
		return 0, nil
	}
	v, err := strconv.Atoi(n.Str)
	if n.Kind != tree.Number || err != nil {
		return 0, tree.ErrAt(n, "", tree.CodeWrongType, "%s: %s must be an integer; got %s", s.in.addr, attr, describe(n))
	}
	return v, nil
}

// tags reads tags_all (the tags AWS holds, provider default tags
// included), or tags when tags_all is unknown. Unknown values are symbols;
// a map unknown as a whole is recorded as a symbol and read as no tags.
func (s *side) tags() (map[string]string, error) {
	attr := "tags_all"
	if s.unknown(attr) || s.vals.Get(attr) == nil {
		attr = "tags"
	}
	if s.unknown(attr) {
		s.r.symbol(s.in.addr+"."+attr, s.in.at)
		return nil, nil
	}
	n := s.vals.Get(attr)
	if n == nil || n.Kind == tree.Null {
		return nil, nil
	}
	if n.Kind != tree.Object {
		return nil, tree.ErrAt(n, "", tree.CodeWrongType, "%s: %s must be a map of strings; got %s", s.in.addr, attr, n.Kind)
	}
	out := map[string]string{}
	for i, k := range n.Keys {
		v := n.Vals[i]
		switch {
		case s.unknown(attr, k):
			out[k] = s.r.symbol(s.in.addr+"."+attr+"["+strconv.Quote(k)+"]", s.in.at)
		case v.Kind == tree.String:
			out[k] = v.Str
		case v.Kind != tree.Null:
			return nil, tree.ErrAt(v, "", tree.CodeWrongType, "%s: tag %q must be a string; got %s", s.in.addr, k, v.Kind)
		}
	}
	return out, nil
}

// blocks reads a list of nested blocks (a role's inline_policy), each
// with a side of its own.
func (s *side) blocks(attr string) ([]*side, error) {
	n := s.vals.Get(attr)
	if s.unknown(attr) || n == nil || n.Kind == tree.Null {
		return nil, nil
	}
	if n.Kind != tree.Array {
		return nil, tree.ErrAt(n, "", tree.CodeWrongType, "%s: %s must be a list of blocks; got %s", s.in.addr, attr, n.Kind)
	}
	var out []*side
	for i, it := range n.Items {
		if it.Kind != tree.Object {
			return nil, tree.ErrAt(it, "", tree.CodeWrongType, "%s: %s must hold blocks; got %s", s.in.addr, attr, it.Kind)
		}
		sub := *s.in
		if !s.before {
			sub.unknown = stepInto(s.in.unknown, attr, i)
		}
		exprs := s.exprs
		if s.prefix == "" {
			exprs = s.r.configResource(s.in.module, s.in.mode, s.in.typ, s.in.name).Get("expressions")
		}
		out = append(out, &side{r: s.r, in: &sub, vals: it, before: s.before,
			prefix: s.prefix + attr + "[" + strconv.Itoa(i) + "].", exprs: blockExprs(exprs, attr, it, len(n.Items))})
	}
	return out, nil
}

func stepInto(u *tree.Node, attr string, i int) *tree.Node {
	u = u.Get(attr)
	if u == nil || u.Kind != tree.Array || i >= len(u.Items) {
		return nil
	}
	return u.Items[i]
}
