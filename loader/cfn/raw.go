package cfn

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
	"go.yaml.in/yaml/v3"
)

// Bounds on hostile templates. CloudFormation accepts a template body of
// at most 1 MB from S3 ("Template body size in an Amazon S3 object",
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html);
// nothing it deploys nests near maxDepth; aliases (which CloudFormation's
// YAML has no use for) may expand to maxAliasNodes values in all, so a
// "billion laughs" document is refused at the alias that crosses the bound.
const (
	maxTemplateSize = 1 << 20
	maxDepth        = 200
	maxNodes        = 1 << 20
	maxAliasNodes   = 10_000
)

// rnode is one value of the template as written: a scalar, sequence or
// mapping, with the short-form intrinsic tag it carries (!Ref, ...).
type rnode struct {
	kind   tree.NodeKind
	tag    string // "!Ref", "!Sub", ...; "" for none
	str    string
	items  []*rnode
	keys   []string
	keyPos []tree.Pos
	vals   []*rnode
	line   int
	col    int
	at     *rstep
	// block is the indentation of a YAML literal block scalar's text (|),
	// whose lines start on the line after line; 0 otherwise.
	block int
}

// get returns the value of member key, or nil.
func (n *rnode) get(key string) *rnode {
	if n == nil || n.kind != tree.Object {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// keyIndex returns the index of member key, or -1.
func (n *rnode) keyIndex(key string) int {
	for i, k := range n.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// rstep is one step of a JSON path, linked to the one before it (nil: $).
type rstep struct {
	parent *rstep
	key    string
	index  int // >= 0 for an array item
}

func (s *rstep) child(key string) *rstep { return &rstep{parent: s, key: key, index: -1} }
func (s *rstep) item(i int) *rstep       { return &rstep{parent: s, index: i} }

func (s *rstep) String() string {
	var steps []*rstep
	for ; s != nil; s = s.parent {
		steps = append(steps, s)
	}
	var b strings.Builder
	b.WriteByte('$')
	for i := len(steps) - 1; i >= 0; i-- {
		st := steps[i]
		switch {
		case st.index >= 0:
			b.WriteString("[" + strconv.Itoa(st.index) + "]")
		case plainKey(st.key):
			b.WriteString("." + st.key)
		default:
			b.WriteString("[" + strconv.Quote(st.key) + "]")
		}
	}
	return b.String()
}

// steps returns the path as Placed's steps.
func (s *rstep) steps() []any {
	var out []any
	for ; s != nil; s = s.parent {
		if s.index >= 0 {
			out = append(out, s.index)
		} else {
			out = append(out, s.key)
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func plainKey(s string) bool {
	for i, r := range s {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '-')
		if !ok {
			return false
		}
	}
	return s != ""
}

// decode reads a template: JSON (strictly, with tree's positioned JSON
// errors) when it starts with '{', YAML otherwise.
func decode(file string, data []byte) (*rnode, error) {
	if len(data) > maxTemplateSize {
		return nil, &tree.Error{File: file, Line: 1, Col: 1, Path: "$", Code: tree.CodeLimitExceeded,
			Msg: fmt.Sprintf("the template is %d bytes; CloudFormation accepts at most %d", len(data), maxTemplateSize)}
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		n, err := tree.DecodeJSON(file, data)
		if err != nil {
			return nil, err
		}
		c := &converter{file: file}
		return c.fromTree(n, nil, 0)
	}
	return decodeYAML(file, data)
}

// fromTree converts a decoded JSON document.
func (c *converter) fromTree(n *tree.Node, at *rstep, depth int) (*rnode, error) {
	if depth >= maxDepth {
		return nil, c.errAt(n.Line, n.Col, at, tree.CodeTooDeep, "the template nests more than %d levels deep", maxDepth)
	}
	r := &rnode{kind: n.Kind, str: n.Str, line: n.Line, col: n.Col, at: at}
	if n.Kind == tree.Bool {
		r.str = strconv.FormatBool(n.Bool)
	}
	for i, it := range n.Items {
		v, err := c.fromTree(it, at.item(i), depth+1)
		if err != nil {
			return nil, err
		}
		r.items = append(r.items, v)
	}
	for i, k := range n.Keys {
		v, err := c.fromTree(n.Vals[i], at.child(k), depth+1)
		if err != nil {
			return nil, err
		}
		r.keys, r.vals = append(r.keys, k), append(r.vals, v)
		kn := n.KeyNode(i)
		r.keyPos = append(r.keyPos, tree.Pos{Line: kn.Line, Col: kn.Col})
	}
	return r, nil
}

// decodeYAML parses with yaml.v3 (which keeps each node's tag, line and
// column) and converts, expanding aliases within bounds.
func decodeYAML(file string, data []byte) (r *rnode, err error) {
	defer func() { // yaml.v3 has panicked on hostile input before
		if p := recover(); p != nil {
			r, err = nil, &tree.Error{File: file, Line: 1, Col: 1, Path: "$", Code: tree.CodeInvalidYAML, Msg: fmt.Sprintf("invalid YAML: %v", p)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &rnode{kind: tree.Null, line: 1, col: 1}, nil
		}
		return nil, yamlError(file, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			return nil, yamlError(file, data, err)
		}
		return nil, &tree.Error{File: file, Line: line, Col: 1, Path: "$", Code: tree.CodeTrailingData,
			Msg: "a second YAML document follows the template; a template is one document"}
	}
	c := &converter{file: file, lines: bytes.Split(data, []byte("\n"))}
	return c.fromYAML(&doc, nil, 0)
}

// yamlError places a yaml.v3 error ("yaml: line 3: ...") at its line.
// tree's YAML decoder, reading the same bytes, fails on the same syntax
// error and places it at a column too: its error is preferred.
func yamlError(file string, data []byte, err error) error {
	if _, terr := tree.DecodeYAML(file, data); terr != nil {
		var te *tree.Error
		if errors.As(terr, &te) && te.Code == tree.CodeInvalidYAML && te.Line > 0 {
			return te
		}
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, tail, _ := strings.Cut(rest, ":")
		if l, perr := strconv.Atoi(num); perr == nil {
			line, msg = l, strings.TrimSpace(tail)
		}
	}
	return &tree.Error{File: file, Line: line, Col: 1, Path: "$", Code: tree.CodeInvalidYAML, Msg: "invalid YAML: " + msg, Err: err}
}
