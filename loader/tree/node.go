package tree

import (
	"encoding/json"
	"strconv"
	"strings"
)

// NodeKind is the type of a value in a decoded document.
type NodeKind int

// The kinds of values.
const (
	Null NodeKind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

func (k NodeKind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "kind(" + strconv.Itoa(int(k)) + ")"
	}
	return kindNames[k]
}

// Node is one value of a decoded JSON or YAML document, with where it came
// from. Object members keep their document order.
type Node struct {
	Kind  NodeKind
	Str   string // the string value, or the literal text of a number or boolean
	Bool  bool
	Items []*Node  // Array elements
	Keys  []string // Object member names, in document order
	Vals  []*Node  // Object member values, parallel to Keys
	// KeyPos holds the position of each member name, parallel to Keys
	// (may be shorter when a Node is built by hand).
	KeyPos    []Pos
	Line, Col int // 1-based position of the value's first character
	File      string
	// at is where the node sits, its JSON path as a chain of steps: the
	// text is built only when an error asks for it (Path), so a document
	// of long nested keys does not hold a copy of every prefix per node.
	at *step
}

// Path returns the node's JSON path, e.g. $.Statement[0].Action.
func (n *Node) Path() string { return n.at.String() }

// step is one segment of a JSON path, linked to the one before it; nil is
// the root ($).
type step struct {
	parent *step
	key    string // a member's name, when index < 0
	index  int    // an array item's position
}

func child(at *step, key string) *step { return &step{parent: at, key: key, index: -1} }

func item(at *step, i int) *step { return &step{parent: at, index: i} }

// String writes the path: $ then each step, innermost last.
func (s *step) String() string {
	var steps []*step
	for ; s != nil; s = s.parent {
		steps = append(steps, s)
	}
	var b strings.Builder
	b.WriteByte('$')
	for i := len(steps) - 1; i >= 0; i-- {
		switch st := steps[i]; {
		case st.index >= 0:
			b.WriteString("[" + strconv.Itoa(st.index) + "]")
		case isIdent(st.key):
			b.WriteString("." + st.key)
		default:
			b.WriteString("[" + strconv.Quote(st.key) + "]")
		}
	}
	return b.String()
}

// Pos is a line and column, both 1-based.
type Pos struct{ Line, Col int }

// maxDepth bounds the nesting of decoded documents (no IAM document comes
// near it; it keeps recursion bounded on hostile input).
const maxDepth = 1000

// Get returns the value of the member key of an object node, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i, k := range n.Keys {
		if k == key && i < len(n.Vals) {
			return n.Vals[i]
		}
	}
	return nil
}

// keyPos returns the position of the i-th member name, falling back to the
// value's position.
func (n *Node) keyPos(i int) Pos {
	if i < len(n.KeyPos) {
		return n.KeyPos[i]
	}
	if i < len(n.Vals) && n.Vals[i] != nil {
		return Pos{n.Vals[i].Line, n.Vals[i].Col}
	}
	return Pos{n.Line, n.Col}
}

// KeyNode returns a value-less node at the i-th member name of n, to
// report errors about the name itself.
func (n *Node) KeyNode(i int) *Node {
	at := n.keyPos(i)
	return &Node{Kind: String, Str: n.Keys[i], Line: at.Line, Col: at.Col, at: child(n.at, n.Keys[i]), File: n.File}
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-'):
		default:
			return false
		}
	}
	return true
}

// Interface returns the tree as plain Go values: nil, bool, json.Number
// (string for non-JSON numbers), string, []any and map[string]any.
func (n *Node) Interface() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Bool:
		return n.Bool
	case Number:
		if IsNumber(n.Str, JSONNumber) {
			return json.Number(n.Str)
		}
		return n.Str
	case String:
		return n.Str
	case Array:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = it.Interface()
		}
		return out
	case Object:
		out := make(map[string]any, len(n.Keys))
		for i, k := range n.Keys {
			if i < len(n.Vals) {
				out[k] = n.Vals[i].Interface()
			}
		}
		return out
	}
	return nil
}

// EmptyObject returns an empty object at n's place: a null written where a
// mapping is expected is read as an empty one.
func (n *Node) EmptyObject() *Node {
	return &Node{Kind: Object, File: n.File, Line: n.Line, Col: n.Col, at: n.at}
}
