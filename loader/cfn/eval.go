package cfn

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/tree"
)

// Bounds on evaluation: how deeply references may chain, and how much a
// template may expand to (Fn::Join, Fn::Sub and Fn::FindInMap can copy
// values many times over).
const (
	maxEvalDepth = 5000
	maxProduced  = 1 << 24 // values and string bytes produced, in all
	maxString    = 1 << 20 // bytes in one string
)

// template is one template being evaluated.
type template struct {
	file       string
	opts       Options
	root       *rnode
	mappings   *rnode
	conditions *rnode
	params     map[string]*tree.Node
	// unknownParams are the parameters with neither value nor default
	// (or of an SSM type): true for a list type. Their symbols are
	// registered where they are used.
	unknownParams map[string]bool
	resources     map[string]*resource
	order         []string
	set           *change.Set

	condVal  map[string]tri
	condBusy map[string]bool
	symbols  map[string]bool
	// unknownLists holds the lists whose items cannot be known before
	// deployment, with the expression that gives them.
	unknownLists map[*tree.Node]string
	// blocks holds the strings written as YAML literal block scalars
	// (or computed from one), for mapping a JSON document in them back to
	// the template's lines.
	blocks   map[*tree.Node]block
	assumes  map[string]bool // conditions assumed true while building one resource
	current  string          // the logical ID whose Edits are being built
	depth    int
	produced int
}

// block is where a literal block scalar's text starts: its first line and
// the indentation of its lines.
type block struct{ line, indent int }

// resource is one entry of Resources.
type resource struct {
	id    string
	typ   string
	node  *rnode
	props *rnode
	cond  *rnode
	key   tree.Pos
	memo  map[string]*tree.Node // evaluated properties
	busy  map[string]bool
}

// tri is a condition's value: false, true, or unknown before deployment.
type tri int

const (
	isFalse tri = iota
	isTrue
	isUnknown
)

// noValue is AWS::NoValue: the member or item holding it is removed.
var noValue = &tree.Node{Kind: tree.Null}

func newTemplate(file string, root *rnode, opts Options) *template {
	return &template{file: file, opts: opts, root: root, params: map[string]*tree.Node{},
		resources: map[string]*resource{}, unknownParams: map[string]bool{}, condVal: map[string]tri{}, condBusy: map[string]bool{},
		symbols: map[string]bool{}, unknownLists: map[*tree.Node]string{}, blocks: map[*tree.Node]block{},
		assumes: map[string]bool{},
		set:     &change.Set{Account: opts.Account, Region: opts.Region, Partition: opts.Partition, Files: []string{file}}}
}

func (t *template) errAt(n *rnode, code, format string, args ...any) *tree.Error {
	return &tree.Error{File: t.file, Line: n.line, Col: n.col, Path: n.at.String(), Code: code, Msg: fmt.Sprintf(format, args...)}
}

// keyErr is an error about the i-th member name of n.
func (t *template) keyErr(n *rnode, i int, code, format string, args ...any) *tree.Error {
	return &tree.Error{File: t.file, Line: n.keyPos[i].Line, Col: n.keyPos[i].Col, Path: n.at.child(n.keys[i]).String(),
		Code: code, Msg: fmt.Sprintf(format, args...)}
}

// str builds a string value at n's place.
func (t *template) str(n *rnode, s string) (*tree.Node, error) {
	if len(s) > maxString {
		return nil, t.errAt(n, tree.CodeLimitExceeded, "the value is longer than %d bytes", maxString)
	}
	if err := t.spend(n, 1+len(s)/64); err != nil {
		return nil, err
	}
	return &tree.Node{Kind: tree.String, Str: s, File: t.file, Line: n.line, Col: n.col}, nil
}

func (t *template) spend(n *rnode, cost int) error {
	if t.produced += cost; t.produced > maxProduced {
		return t.errAt(n, tree.CodeLimitExceeded, "the template evaluates to more than %d values", maxProduced)
	}
	return nil
}

// symbol returns the value of an expression unknown before deployment,
// registering its symbol the first time.
func (t *template) symbol(n *rnode, expr string) (*tree.Node, error) {
	text := change.SymbolText(expr)
	if !t.symbols[text] {
		t.symbols[text] = true
		t.set.Symbols = append(t.set.Symbols, change.Symbol{Text: text, Expr: expr,
			At: change.Source{File: t.file, Line: n.line, Col: n.col, Address: t.current}})
	}
	return t.str(n, text)
}

// holdsSymbol reports whether s contains a symbol's text.
func (t *template) holdsSymbol(s string) bool {
	if !strings.Contains(s, "UNKNOWN-") {
		return false
	}
	for text := range t.symbols {
		if strings.Contains(s, text) {
			return true
		}
	}
	return false
}

// eval evaluates a value of the template: literals as themselves,
// intrinsic functions (short or long form) to their results, AWS::NoValue
// members and items removed.
func (t *template) eval(n *rnode) (*tree.Node, error) {
	if t.depth++; t.depth > maxEvalDepth {
		return nil, t.errAt(n, tree.CodeTooDeep, "references chain more than %d levels deep", maxEvalDepth)
	}
	defer func() { t.depth-- }()
	if fn, arg, ok := intrinsic(n); ok {
		return t.call(fn, arg, n)
	}
	if err := t.spend(n, 1); err != nil {
		return nil, err
	}
	out := &tree.Node{Kind: n.kind, Str: n.str, File: t.file, Line: n.line, Col: n.col}
	switch n.kind {
	case tree.Bool:
		out.Bool = n.str == "true"
	case tree.String:
		if n.block > 0 {
			t.blocks[out] = block{line: n.line + 1, indent: n.block}
		}
	case tree.Array:
		out.Items = []*tree.Node{}
		for _, it := range n.items {
			v, err := t.eval(it)
			if err != nil {
				return nil, err
			}
			if v != noValue {
				out.Items = append(out.Items, v)
			}
		}
	case tree.Object:
		for i, k := range n.keys {
			v, err := t.eval(n.vals[i])
			if err != nil {
				return nil, err
			}
			if v != noValue {
				out.Keys, out.Vals, out.KeyPos = append(out.Keys, k), append(out.Vals, v), append(out.KeyPos, n.keyPos[i])
			}
		}
	}
	return out, nil
}

// intrinsic recognizes a function call: a short-form tag, or a mapping of
// one member named Ref or Fn::NAME.
func intrinsic(n *rnode) (fn string, arg *rnode, ok bool) {
	if n.tag != "" {
		a := *n
		a.tag = ""
		return shortForms[n.tag], &a, true
	}
	if n.kind == tree.Object && len(n.keys) == 1 && (n.keys[0] == "Ref" || strings.HasPrefix(n.keys[0], "Fn::")) {
		return n.keys[0], n.vals[0], true
	}
	return "", nil, false
}

// call applies the intrinsic fn to its argument; n is the call.
func (t *template) call(fn string, arg, n *rnode) (*tree.Node, error) {
	switch fn {
	case "Ref":
		return t.ref(arg, n)
	case "Fn::GetAtt":
		return t.getAtt(arg, n)
	case "Fn::Sub":
		return t.sub(arg, n)
	case "Fn::Join":
		return t.join(arg, n)
	case "Fn::Select":
		return t.selectFn(arg, n)
	case "Fn::Split":
		return t.split(arg, n)
	case "Fn::FindInMap":
		return t.findInMap(arg, n)
	case "Fn::If":
		return t.ifFn(arg, n)
	case "Fn::ImportValue":
		return t.importValue(arg, n)
	case "Fn::Base64":
		return t.base64(arg, n)
	case "Fn::GetAZs":
		return t.getAZs(arg, n)
	case "Fn::Cidr":
		return t.cidr(arg, n)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition":
		return nil, t.errAt(n, tree.CodeForbiddenElement, "%s is a condition function: it is used in the Conditions section (and inside other condition functions), not in a value", fn)
	case "Fn::Transform":
		return nil, t.errAt(n, tree.CodeForbiddenElement, "Fn::Transform runs a macro at deployment; review the processed template")
	}
	return nil, t.errAt(n, tree.CodeUnknownElement, "unknown intrinsic function %s (the AWS::LanguageExtensions functions need a Transform; review the processed template)", fn)
}

// scalarText evaluates n to a string: a string, a number or a boolean.
func (t *template) scalarText(n *rnode, what string) (string, *tree.Node, error) {
	v, err := t.eval(n)
	if err != nil {
		return "", nil, err
	}
	switch v.Kind {
	case tree.String, tree.Number, tree.Bool:
		return v.Str, v, nil
	}
	return "", nil, t.errAt(n, tree.CodeWrongType, "%s must be a string; got %s", what, kindName(v))
}

func kindName(v *tree.Node) string {
	if v == noValue {
		return "AWS::NoValue"
	}
	return v.Kind.String()
}

// args checks that an intrinsic's argument is a list of count items
// (or between min and max).
func (t *template) args(fn string, arg, n *rnode, min, max int) ([]*rnode, error) {
	if arg.kind != tree.Array || arg.tag != "" || len(arg.items) < min || len(arg.items) > max {
		want := fmt.Sprintf("%d", min)
		if max != min {
			want = fmt.Sprintf("%d to %d", min, max)
		}
		return nil, t.errAt(n, tree.CodeWrongType, "%s takes a list of %s items", fn, want)
	}
	return arg.items, nil
}

// literalName reads an argument that must be written as a plain string.
func (t *template) literalName(fn string, arg, n *rnode) (string, error) {
	if arg.kind != tree.String || arg.tag != "" {
		return "", t.errAt(n, tree.CodeWrongType, "%s takes a name written as a plain string", fn)
	}
	return arg.str, nil
}
