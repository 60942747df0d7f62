package tree

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxYAMLNodes bounds alias expansion ("billion laughs").
const maxYAMLNodes = 1 << 20

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
			return &Node{Kind: Null, Line: 1, Col: 1, Path: "$", File: file}, nil
		}
		return nil, yamlError(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		if err != nil {
			return nil, yamlError(file, err)
		}
		return nil, &Error{File: file, Path: "$", Line: extra.Line, Col: extra.Column, Code: CodeTrailingData,
			Msg: "a second YAML document follows the first; expected exactly one"}
	}
	b := &yamlBuilder{file: file}
	return b.node(&doc, "$", 0)
}

// yamlError turns a yaml.v3 error ("yaml: line 3: ...") into an *Error.
func yamlError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, tail, _ := strings.Cut(rest, ":")
		if l, perr := strconv.Atoi(num); perr == nil {
			line, msg = l, strings.TrimSpace(tail)
		}
	}
	return &Error{File: file, Line: line, Code: CodeInvalidYAML, Msg: "invalid YAML: " + msg, Err: err}
}

type yamlBuilder struct {
	file   string
	count  int                 // nodes built, including alias expansions
	active map[*yaml.Node]bool // anchors being expanded (to catch cycles)
}

func (b *yamlBuilder) errAt(y *yaml.Node, path, code, format string, args ...any) *Error {
	return &Error{File: b.file, Path: path, Line: y.Line, Col: y.Column, Code: code, Msg: fmt.Sprintf(format, args...)}
}

func (b *yamlBuilder) node(y *yaml.Node, path string, depth int) (*Node, error) {
	if depth >= maxDepth {
		return nil, b.errAt(y, path, CodeTooDeep, "document nested more than %d levels deep", maxDepth)
	}
	if b.count++; b.count > maxYAMLNodes {
		return nil, b.errAt(y, path, CodeInvalidYAML, "aliases expand to more than %d values", maxYAMLNodes)
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &Node{Kind: Null, Line: y.Line, Col: y.Column, Path: path, File: b.file}, nil
		}
		return b.node(y.Content[0], path, depth+1)
	case yaml.AliasNode:
		return b.alias(y, path, depth)
	case yaml.SequenceNode:
		return b.sequence(y, path, depth)
	case yaml.MappingNode:
		return b.mapping(y, path, depth)
	case yaml.ScalarNode:
		return b.scalar(y, path)
	}
	return nil, b.errAt(y, path, CodeInvalidYAML, "unsupported YAML node")
}

func (b *yamlBuilder) alias(y *yaml.Node, path string, depth int) (*Node, error) {
	if y.Alias == nil {
		return nil, b.errAt(y, path, CodeInvalidYAML, "alias to an unknown anchor")
	}
	return b.node(y.Alias, path, depth+1)
}

// enter marks a collection as being built; it fails when the collection is
// already being built (an alias or merge key refers to a value containing
// it).
func (b *yamlBuilder) enter(y *yaml.Node, path string) error {
	if b.active[y] {
		return b.errAt(y, path, CodeInvalidYAML, "an alias refers to a value that contains it")
	}
	if b.active == nil {
		b.active = map[*yaml.Node]bool{}
	}
	b.active[y] = true
	return nil
}

func (b *yamlBuilder) sequence(y *yaml.Node, path string, depth int) (*Node, error) {
	if err := b.enter(y, path); err != nil {
		return nil, err
	}
	defer delete(b.active, y)
	n := &Node{Kind: Array, Items: make([]*Node, 0, len(y.Content)), Line: y.Line, Col: y.Column, Path: path, File: b.file}
	for _, c := range y.Content {
		it, err := b.node(c, indexPath(path, len(n.Items)), depth+1)
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, it)
	}
	return n, nil
}

func (b *yamlBuilder) scalar(y *yaml.Node, path string) (*Node, error) {
	n := &Node{Line: y.Line, Col: y.Column, Path: path, File: b.file, Str: y.Value}
	switch tag := y.ShortTag(); tag {
	case "!!null":
		n.Kind, n.Str = Null, ""
	case "!!bool":
		v, ok := yamlBool(y.Value)
		if !ok {
			return nil, b.errAt(y, path, CodeInvalidYAML, "%q is not a boolean", y.Value)
		}
		n.Kind, n.Bool, n.Str = Bool, v, strconv.FormatBool(v)
	case "!!int", "!!float":
		n.Kind = Number
	case "!!str", "!!timestamp", "!!binary":
		n.Kind = String
	default:
		return nil, b.errAt(y, path, CodeInvalidYAML, "unsupported YAML tag %s; expected a plain value", tag)
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
func (b *yamlBuilder) mapping(y *yaml.Node, path string, depth int) (*Node, error) {
	if depth >= maxDepth {
		return nil, b.errAt(y, path, CodeTooDeep, "document nested more than %d levels deep", maxDepth)
	}
	if err := b.enter(y, path); err != nil {
		return nil, err
	}
	defer delete(b.active, y)
	n := &Node{Kind: Object, Line: y.Line, Col: y.Column, Path: path, File: b.file}
	if len(y.Content)%2 != 0 {
		return nil, b.errAt(y, path, CodeInvalidYAML, "mapping with a key and no value")
	}
	explicit, err := b.explicitKeys(y, path)
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
func (b *yamlBuilder) explicitKeys(y *yaml.Node, path string) (map[string]*yaml.Node, error) {
	keys := map[string]*yaml.Node{}
	for i := 0; i < len(y.Content); i += 2 {
		k := y.Content[i]
		if isMergeKey(k) {
			continue
		}
		rk := resolveAlias(k)
		if rk == nil || rk.Kind != yaml.ScalarNode {
			return nil, b.errAt(k, path, CodeInvalidYAML, "a mapping key must be a plain scalar")
		}
		if first, dup := keys[rk.Value]; dup {
			return nil, b.errAt(k, childPath(path, rk.Value), CodeDuplicateKey,
				"duplicate key %q (first at line %d, column %d)", rk.Value, first.Line, first.Column)
		}
		keys[rk.Value] = k
	}
	return keys, nil
}

func (b *yamlBuilder) member(n *Node, k, v *yaml.Node, seen map[string]bool, depth int) error {
	val, err := b.node(v, childPath(n.Path, k.Value), depth+1)
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
			return b.errAt(v, n.Path, CodeInvalidYAML, "a merge key (<<) takes a mapping or a list of mappings")
		}
		merged, err := b.mapping(m, n.Path, depth+1)
		if err != nil {
			return err
		}
		for i, k := range merged.Keys {
			if explicit[k] != nil || seen[k] {
				continue
			}
			seen[k] = true
			n.Keys, n.Vals = append(n.Keys, k), append(n.Vals, rebase(merged.Vals[i], childPath(n.Path, k)))
			n.KeyPos = append(n.KeyPos, merged.keyPos(i))
		}
	}
	if len(maps) == 0 {
		return b.errAt(v, n.Path, CodeInvalidYAML, "a merge key (<<) takes a mapping or a list of mappings")
	}
	return nil
}

// rebase rewrites the paths of a merged subtree to where it now lives.
func rebase(n *Node, path string) *Node {
	c := *n
	c.Path = path
	if len(n.Items) > 0 {
		c.Items = make([]*Node, len(n.Items))
		for i, it := range n.Items {
			c.Items[i] = rebase(it, indexPath(path, i))
		}
	}
	if len(n.Vals) > 0 {
		c.Vals = make([]*Node, len(n.Vals))
		for i, v := range n.Vals {
			c.Vals[i] = rebase(v, childPath(path, n.Keys[i]))
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
