// JSON encoding of a tree: Node.JSON writes compact JSON in document order,
// with its own string escaping (no HTML escaping, unlike encoding/json).

package tree

import (
	"strconv"
	"unicode/utf8"
)

// JSON returns the compact JSON text of the tree, members in document
// order. Numbers that are not valid JSON numbers (YAML's 0x1F, .inf) are
// written as strings.
func (n *Node) JSON() []byte {
	var b []byte
	return n.appendJSON(b)
}

func (n *Node) appendJSON(b []byte) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	switch n.Kind {
	case Bool:
		return strconv.AppendBool(b, n.Bool)
	case Number:
		if IsNumber(n.Str, JSONNumber) {
			return append(b, n.Str...)
		}
		return appendJSONString(b, n.Str)
	case String:
		return appendJSONString(b, n.Str)
	case Array:
		b = append(b, '[')
		for i, it := range n.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = it.appendJSON(b)
		}
		return append(b, ']')
	case Object:
		b = append(b, '{')
		for i, k := range n.Keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			var v *Node
			if i < len(n.Vals) {
				v = n.Vals[i]
			}
			b = v.appendJSON(b)
		}
		return append(b, '}')
	}
	return append(b, "null"...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string literal, without the HTML
// escaping encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20 || r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u')
			for shift := 12; shift >= 0; shift -= 4 {
				b = append(b, hexDigits[(r>>uint(shift))&0xf])
			}
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
