package tree

import "fmt"

// Placed returns a deep copy of n whose JSON path is $ followed by steps
// (a string names an object member, an int an array item), its members'
// and items' paths following from it; positions and files are kept. A
// reader that builds a tree from another document (a CloudFormation
// template's evaluated property) uses it to give each node the path where
// it sits in that document, so errors about it read as the document's.
// A step of another type is written as text.
func Placed(n *Node, steps ...any) *Node {
	var at *step
	for _, s := range steps {
		switch s := s.(type) {
		case string:
			at = child(at, s)
		case int:
			at = item(at, max(s, 0))
		default:
			at = child(at, fmt.Sprint(s))
		}
	}
	return placed(n, at)
}

func placed(n *Node, at *step) *Node {
	if n == nil {
		return nil
	}
	c := *n
	c.at = at
	if n.Items != nil {
		c.Items = make([]*Node, len(n.Items))
		for i, it := range n.Items {
			c.Items[i] = placed(it, item(at, i))
		}
	}
	if n.Vals != nil {
		c.Keys = append([]string(nil), n.Keys...)
		c.KeyPos = append([]Pos(nil), n.KeyPos...)
		c.Vals = make([]*Node, len(n.Vals))
		for i, v := range n.Vals {
			key := ""
			if i < len(n.Keys) {
				key = n.Keys[i]
			}
			c.Vals[i] = placed(v, child(at, key))
		}
	}
	return &c
}
