package tree

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxYAMLNodes bounds the values a YAML document may decode to, and
// maxAliasNodes the values its aliases may expand to ("billion laughs"):
// no policy or world needs anywhere near either.
const (
	maxYAMLNodes  = 1 << 20
	maxAliasNodes = 100_000
)

// DecodeYAML decodes one YAML document into a tree. Anchors and aliases are
// expanded and merge keys (<<) applied; a repeated key, a second document,
// a key that is not a scalar and an application tag (such as
// CloudFormation's !Ref) are errors. Tags map to kinds: !!null, !!bool,
// !!int and !!float as themselves, !!str, !!timestamp and !!binary as
// strings (so an unquoted 2012-10-17 stays the text "2012-10-17").
// An empty document decodes to a null node.
func DecodeYAML(file string, data []byte) (n *Node, err error) {
	defer func() { // yaml.v3 has panicked on hostile input before
		if r := recover(); r != nil {
			n, err = nil, &Error{File: file, Code: CodeInvalidYAML, Msg: fmt.Sprintf("invalid YAML: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return &Node{Kind: Null, Line: 1, Col: 1, File: file}, nil
		}
		return nil, yamlError(file, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		if err != nil {
			return nil, yamlError(file, data, err)
		}
		return nil, &Error{File: file, Path: "$", Line: extra.Line, Col: extra.Column, Code: CodeTrailingData,
			Msg: "a second YAML document follows the first; expected exactly one"}
	}
	b := &yamlBuilder{file: file}
	return b.node(&doc, nil, 0)
}

// yamlError turns a yaml.v3 error ("yaml: line 3: ...") into an *Error.
func yamlError(file string, data []byte, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, tail, _ := strings.Cut(rest, ":")
		if l, perr := strconv.Atoi(num); perr == nil {
			line, msg = l, strings.TrimSpace(tail)
		}
	}
	e := &Error{File: file, Line: line, Code: CodeInvalidYAML, Msg: "invalid YAML: " + msg, Err: err}
	if off := yamlOffset(msg, data); off >= 0 {
		e.Line, e.Col = lineCol(data, off)
	} else if off := yamlSyntaxOffset(msg, data, line); off >= 0 {
		e.Line, e.Col = lineCol(data, off)
	} else if line > 0 {
		e.Col = firstColumn(data, line) // yaml.v3 says the line only
	}
	if e.Line > 0 {
		e.Path = "$"
	}
	return e
}

type yamlBuilder struct {
	file    string
	count   int                 // nodes built, including alias expansions
	inAlias int                 // aliases being expanded
	aliased int                 // nodes built inside an alias
	active  map[*yaml.Node]bool // anchors being expanded (to catch cycles)
}

func (b *yamlBuilder) errAt(y *yaml.Node, at *step, code, format string, args ...any) *Error {
	return &Error{File: b.file, Path: at.String(), Line: y.Line, Col: y.Column, Code: code, Msg: fmt.Sprintf(format, args...)}
}

func (b *yamlBuilder) node(y *yaml.Node, at *step, depth int) (*Node, error) {
	if depth >= maxDepth {
		return nil, b.errAt(y, at, CodeTooDeep, "document nested more than %d levels deep", maxDepth)
	}
	if b.count++; b.count > maxYAMLNodes {
		return nil, b.errAt(y, at, CodeInvalidYAML, "the document decodes to more than %d values", maxYAMLNodes)
	}
	if b.inAlias > 0 {
		if b.aliased++; b.aliased > maxAliasNodes {
			return nil, b.errAt(y, at, CodeInvalidYAML, "aliases expand to more than %d values", maxAliasNodes)
		}
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &Node{Kind: Null, Line: y.Line, Col: y.Column, at: at, File: b.file}, nil
		}
		return b.node(y.Content[0], at, depth+1)
	case yaml.AliasNode:
		return b.alias(y, at, depth)
	case yaml.SequenceNode:
		return b.sequence(y, at, depth)
	case yaml.MappingNode:
		return b.mapping(y, at, depth)
	case yaml.ScalarNode:
		return b.scalar(y, at)
	}
	return nil, b.errAt(y, at, CodeInvalidYAML, "unsupported YAML node")
}

func (b *yamlBuilder) alias(y *yaml.Node, at *step, depth int) (*Node, error) {
	if y.Alias == nil {
		return nil, b.errAt(y, at, CodeInvalidYAML, "alias to an unknown anchor")
	}
	b.inAlias++
	defer func() { b.inAlias-- }()
	return b.node(y.Alias, at, depth+1)
}

// enter marks a collection as being built; it fails when the collection is
// already being built (an alias or merge key refers to a value containing
// it).
func (b *yamlBuilder) enter(y *yaml.Node, at *step) error {
	if b.active[y] {
		return b.errAt(y, at, CodeInvalidYAML, "an alias refers to a value that contains it")
	}
	if b.active == nil {
		b.active = map[*yaml.Node]bool{}
	}
	b.active[y] = true
	return nil
}

func (b *yamlBuilder) sequence(y *yaml.Node, at *step, depth int) (*Node, error) {
	if err := b.enter(y, at); err != nil {
		return nil, err
	}
	defer delete(b.active, y)
	n := &Node{Kind: Array, Items: make([]*Node, 0, len(y.Content)), Line: y.Line, Col: y.Column, at: at, File: b.file}
	for _, c := range y.Content {
		it, err := b.node(c, item(at, len(n.Items)), depth+1)
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, it)
	}
	return n, nil
}

func (b *yamlBuilder) scalar(y *yaml.Node, at *step) (*Node, error) {
	n := &Node{Line: y.Line, Col: y.Column, at: at, File: b.file, Str: y.Value}
	switch tag := y.ShortTag(); tag {
	case "!!null":
		n.Kind, n.Str = Null, ""
	case "!!bool":
		v, ok := yamlBool(y.Value)
		if !ok {
			return nil, b.errAt(y, at, CodeInvalidYAML, "%q is not a boolean", y.Value)
		}
		n.Kind, n.Bool, n.Str = Bool, v, strconv.FormatBool(v)
	case "!!int", "!!float":
		n.Kind = Number
	case "!!str", "!!timestamp", "!!binary":
		n.Kind = String
	default:
		return nil, b.errAt(y, at, CodeInvalidYAML, "unsupported YAML tag %s; expected a plain value", tag)
	}
	return n, nil
}

func yamlBool(s string) (v, ok bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "y":
		return true, true
	case "false", "no", "off", "n":
		return false, true
	}
	return false, false
}

// mapping builds an object. Explicit keys win over merged ones; among
// merged mappings the first wins, as the YAML merge-key spec says.
func (b *yamlBuilder) mapping(y *yaml.Node, at *step, depth int) (*Node, error) {
	if depth >= maxDepth {
		return nil, b.errAt(y, at, CodeTooDeep, "document nested more than %d levels deep", maxDepth)
	}
	if err := b.enter(y, at); err != nil {
		return nil, err
	}
	defer delete(b.active, y)
	n := &Node{Kind: Object, Line: y.Line, Col: y.Column, at: at, File: b.file}
	if len(y.Content)%2 != 0 {
		return nil, b.errAt(y, at, CodeInvalidYAML, "mapping with a key and no value")
	}
	explicit, err := b.explicitKeys(y, at)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i := 0; i < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		if isMergeKey(k) {
			if err := b.merge(n, v, explicit, seen, depth); err != nil {
				return nil, err
			}
			continue
		}
		if err := b.member(n, resolveAlias(k), v, seen, depth); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// explicitKeys checks the keys written in the mapping itself: scalars, each
// once.
func (b *yamlBuilder) explicitKeys(y *yaml.Node, at *step) (map[string]*yaml.Node, error) {
	keys := map[string]*yaml.Node{}
	for i := 0; i < len(y.Content); i += 2 {
		k := y.Content[i]
		if isMergeKey(k) {
			continue
		}
		rk := resolveAlias(k)
		if rk == nil || rk.Kind != yaml.ScalarNode {
			return nil, b.errAt(k, at, CodeInvalidYAML, "a mapping key must be a plain scalar")
		}
		if first, dup := keys[rk.Value]; dup {
			return nil, b.errAt(k, child(at, rk.Value), CodeDuplicateKey,
				"duplicate key %q (first at line %d, column %d)", rk.Value, first.Line, first.Column)
		}
		keys[rk.Value] = k
	}
	return keys, nil
}

func (b *yamlBuilder) member(n *Node, k, v *yaml.Node, seen map[string]bool, depth int) error {
	val, err := b.node(v, child(n.at, k.Value), depth+1)
	if err != nil {
		return err
	}
	seen[k.Value] = true
	n.Keys, n.Vals = append(n.Keys, k.Value), append(n.Vals, val)
	n.KeyPos = append(n.KeyPos, Pos{k.Line, k.Column})
	return nil
}

// merge adds the members of the mapping(s) v that n does not define.
func (b *yamlBuilder) merge(n *Node, v *yaml.Node, explicit map[string]*yaml.Node, seen map[string]bool, depth int) error {
	src := resolveAlias(v)
	var maps []*yaml.Node
	switch {
	case src != nil && src.Kind == yaml.MappingNode:
		maps = []*yaml.Node{src}
	case src != nil && src.Kind == yaml.SequenceNode:
		for _, c := range src.Content {
			maps = append(maps, resolveAlias(c))
		}
	}
	for _, m := range maps {
		if m == nil || m.Kind != yaml.MappingNode {
			return b.errAt(v, n.at, CodeInvalidYAML, "a merge key (<<) takes a mapping or a list of mappings")
		}
		merged, err := b.mapping(m, n.at, depth+1)
		if err != nil {
			return err
		}
		for i, k := range merged.Keys {
			if explicit[k] != nil || seen[k] {
				continue
			}
			seen[k] = true
			n.Keys, n.Vals = append(n.Keys, k), append(n.Vals, rebase(merged.Vals[i], child(n.at, k)))
			n.KeyPos = append(n.KeyPos, merged.keyPos(i))
		}
	}
	if len(maps) == 0 {
		return b.errAt(v, n.at, CodeInvalidYAML, "a merge key (<<) takes a mapping or a list of mappings")
	}
	return nil
}

// rebase rewrites the paths of a merged subtree to where it now lives.
func rebase(n *Node, at *step) *Node {
	c := *n
	c.at = at
	if len(n.Items) > 0 {
		c.Items = make([]*Node, len(n.Items))
		for i, it := range n.Items {
			c.Items[i] = rebase(it, item(at, i))
		}
	}
	if len(n.Vals) > 0 {
		c.Vals = make([]*Node, len(n.Vals))
		for i, v := range n.Vals {
			c.Vals[i] = rebase(v, child(at, n.Keys[i]))
		}
	}
	return &c
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge"
}

// resolveAlias follows aliases (bounded, in case of a cycle).
func resolveAlias(y *yaml.Node) *yaml.Node {
	for i := 0; y != nil && y.Kind == yaml.AliasNode && i < 100; i++ {
		y = y.Alias
	}
	if y != nil && y.Kind == yaml.AliasNode {
		return nil
	}
	return y
}
