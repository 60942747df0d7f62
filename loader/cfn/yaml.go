package cfn

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
	"go.yaml.in/yaml/v3"
)

// The short-form tags of the intrinsic functions
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html)
// and the long form each stands for.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr", "!FindInMap": "Fn::FindInMap", "!GetAtt": "Fn::GetAtt",
	"!GetAZs": "Fn::GetAZs", "!ImportValue": "Fn::ImportValue", "!Join": "Fn::Join", "!Select": "Fn::Select",
	"!Split": "Fn::Split", "!Sub": "Fn::Sub", "!Transform": "Fn::Transform",
	"!And": "Fn::And", "!Equals": "Fn::Equals", "!If": "Fn::If", "!Not": "Fn::Not", "!Or": "Fn::Or",
}

// converter turns a parsed document into rnodes, within the bounds.
type converter struct {
	file    string
	lines   [][]byte // the YAML text's lines, to find block scalars' indentation
	count   int
	inAlias int
	aliased int
	active  map[*yaml.Node]bool
}

func (c *converter) errAt(line, col int, at *rstep, code, format string, args ...any) *tree.Error {
	return &tree.Error{File: c.file, Line: line, Col: col, Path: at.String(), Code: code, Msg: fmt.Sprintf(format, args...)}
}

func (c *converter) fromYAML(y *yaml.Node, at *rstep, depth int) (*rnode, error) {
	if depth >= maxDepth {
		return nil, c.errAt(y.Line, y.Column, at, tree.CodeTooDeep, "the template nests more than %d levels deep", maxDepth)
	}
	if c.count++; c.count > maxNodes {
		return nil, c.errAt(y.Line, y.Column, at, tree.CodeLimitExceeded, "the template holds more than %d values", maxNodes)
	}
	if c.inAlias > 0 {
		if c.aliased++; c.aliased > maxAliasNodes {
			return nil, c.errAt(y.Line, y.Column, at, tree.CodeLimitExceeded, "aliases expand to more than %d values", maxAliasNodes)
		}
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &rnode{kind: tree.Null, line: y.Line, col: y.Column, at: at}, nil
		}
		return c.fromYAML(y.Content[0], at, depth+1)
	case yaml.AliasNode:
		if y.Alias == nil {
			return nil, c.errAt(y.Line, y.Column, at, tree.CodeInvalidYAML, "alias to an unknown anchor")
		}
		if c.active[y.Alias] {
			return nil, c.errAt(y.Line, y.Column, at, tree.CodeInvalidYAML, "an alias refers to a value that contains it")
		}
		c.inAlias++
		defer func() { c.inAlias-- }()
		return c.fromYAML(y.Alias, at, depth+1)
	}
	r := &rnode{line: y.Line, col: y.Column, at: at}
	if err := c.tag(y, r); err != nil {
		return nil, err
	}
	if c.active == nil {
		c.active = map[*yaml.Node]bool{}
	}
	c.active[y] = true
	defer delete(c.active, y)
	switch y.Kind {
	case yaml.SequenceNode:
		r.kind = tree.Array
		for i, it := range y.Content {
			v, err := c.fromYAML(it, at.item(i), depth+1)
			if err != nil {
				return nil, err
			}
			r.items = append(r.items, v)
		}
		return r, nil
	case yaml.MappingNode:
		r.kind = tree.Object
		return r, c.mapping(y, r, depth)
	case yaml.ScalarNode:
		return r, c.scalar(y, r)
	}
	return nil, c.errAt(y.Line, y.Column, at, tree.CodeInvalidYAML, "unsupported YAML node")
}

// tag records an intrinsic's short-form tag; other application tags are
// errors.
func (c *converter) tag(y *yaml.Node, r *rnode) error {
	t := y.ShortTag()
	if !strings.HasPrefix(t, "!") || strings.HasPrefix(t, "!!") {
		return nil
	}
	if _, ok := shortForms[t]; !ok {
		return c.errAt(y.Line, y.Column, r.at, tree.CodeInvalidYAML, "unknown tag %s; CloudFormation's tags are the intrinsic functions' short forms (!Ref, !Sub, !GetAtt, ...)", t)
	}
	r.tag = t
	return nil
}

func (c *converter) scalar(y *yaml.Node, r *rnode) error {
	r.str = y.Value
	if r.tag != "" {
		r.kind = tree.String
	} else {
		switch y.ShortTag() {
		case "!!null":
			r.kind, r.str = tree.Null, ""
		case "!!bool":
			r.kind, r.str = tree.Bool, strings.ToLower(y.Value)
		case "!!int", "!!float":
			r.kind = tree.Number
		default:
			r.kind = tree.String
		}
	}
	if y.Style&yaml.LiteralStyle != 0 && y.Line < len(c.lines) {
		r.block = blockIndent(c.lines[y.Line:])
	}
	return nil
}

// blockIndent is the indentation of a block scalar's first non-blank line.
func blockIndent(lines [][]byte) int {
	for _, l := range lines {
		t := strings.TrimLeft(string(l), " ")
		if strings.TrimSpace(t) != "" {
			return len(l) - len(t)
		}
	}
	return 0
}

// mapping reads a mapping's members: keys are plain scalars, each once;
// merge keys (<<) add the members of the mappings they name that the
// mapping does not define.
func (c *converter) mapping(y *yaml.Node, r *rnode, depth int) error {
	if len(y.Content)%2 != 0 {
		return c.errAt(y.Line, y.Column, r.at, tree.CodeInvalidYAML, "mapping with a key and no value")
	}
	var merges []*yaml.Node
	for i := 0; i < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return c.errAt(k.Line, k.Column, r.at, tree.CodeInvalidYAML, "a mapping key must be a plain scalar")
		}
		if j := r.keyIndex(k.Value); j >= 0 {
			return c.errAt(k.Line, k.Column, r.at.child(k.Value), tree.CodeDuplicateKey,
				"duplicate key %q (first at line %d, column %d)", k.Value, r.keyPos[j].Line, r.keyPos[j].Col)
		}
		val, err := c.fromYAML(v, r.at.child(k.Value), depth+1)
		if err != nil {
			return err
		}
		r.keys, r.vals = append(r.keys, k.Value), append(r.vals, val)
		r.keyPos = append(r.keyPos, tree.Pos{Line: k.Line, Col: k.Column})
	}
	for _, m := range merges {
		if err := c.merge(r, m, depth); err != nil {
			return err
		}
	}
	return nil
}

func (c *converter) merge(r *rnode, v *yaml.Node, depth int) error {
	src, err := c.fromYAML(v, r.at, depth+1)
	if err != nil {
		return err
	}
	maps := []*rnode{src}
	if src.kind == tree.Array {
		maps = src.items
	}
	for _, m := range maps {
		if m.kind != tree.Object {
			return c.errAt(v.Line, v.Column, r.at, tree.CodeInvalidYAML, "a merge key (<<) takes a mapping or a list of mappings")
		}
		for i, k := range m.keys {
			if r.keyIndex(k) < 0 {
				r.keys, r.vals, r.keyPos = append(r.keys, k), append(r.vals, m.vals[i]), append(r.keyPos, m.keyPos[i])
			}
		}
	}
	return nil
}
