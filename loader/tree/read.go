package tree

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// ObjReader reads the members of an object node, having checked that it
// has no member outside the allowed ones.
type ObjReader struct {
	N *Node
}

func NodeError(n *Node, code, format string, args ...any) error {
	return &Error{File: n.File, Path: n.Path(), Line: n.Line, Col: n.Col, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// OpenObject checks n is a mapping whose keys are all allowed.
func OpenObject(n *Node, allowed ...string) (*ObjReader, error) {
	if n == nil || n.Kind != Object {
		if n == nil {
			return nil, fmt.Errorf("expected a mapping")
		}
		return nil, NodeError(n, "wrong_type", "expected a mapping with keys %s", strings.Join(allowed, ", "))
	}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for i, k := range n.Keys {
		if !ok[k] {
			sorted := append([]string(nil), allowed...)
			sort.Strings(sorted)
			return nil, NodeError(n.Vals[i], "unknown_element", "unknown key %q; expected one of %s", k, strings.Join(sorted, ", "))
		}
	}
	return &ObjReader{N: n}, nil
}

func (o *ObjReader) Get(key string) *Node { return o.N.Get(key) }

func (o *ObjReader) Errorf(key, code, format string, args ...any) error {
	at := o.N
	if v := o.Get(key); v != nil {
		at = v
	}
	return NodeError(at, code, format, args...)
}

// Str reads a string member; numbers are accepted as their text (account
// ids written without quotes in YAML).
func (o *ObjReader) Str(key string, required bool) (string, error) {
	v := o.Get(key)
	if v == nil {
		if required {
			return "", NodeError(o.N, "missing_element", "missing required key %q", key)
		}
		return "", nil
	}
	switch v.Kind {
	case String:
		return v.Str, nil
	case Number:
		return v.Str, nil
	}
	return "", NodeError(v, "wrong_type", "%s: expected a string", key)
}

// Strs reads a list of strings (a single string is a one-element list).
func (o *ObjReader) Strs(key string) ([]string, error) {
	v := o.Get(key)
	if v == nil || v.Kind == Null {
		return nil, nil
	}
	if v.Kind == String {
		return []string{v.Str}, nil
	}
	if v.Kind != Array {
		return nil, NodeError(v, "wrong_type", "%s: expected a list of strings", key)
	}
	out := make([]string, 0, len(v.Items))
	for _, it := range v.Items {
		if it.Kind != String && it.Kind != Number {
			return nil, NodeError(it, "wrong_type", "%s: expected a string", key)
		}
		out = append(out, it.Str)
	}
	return out, nil
}

// Tags reads a mapping of tag key to value.
func (o *ObjReader) Tags(key string) (map[string]string, error) {
	v := o.Get(key)
	if v == nil || v.Kind == Null {
		return nil, nil
	}
	if v.Kind != Object {
		return nil, NodeError(v, "wrong_type", "%s: expected a mapping of tag key to value", key)
	}
	out := make(map[string]string, len(v.Keys))
	for i, k := range v.Keys {
		val := v.Vals[i]
		if val.Kind == Array || val.Kind == Object {
			return nil, NodeError(val, "wrong_type", "%s.%s: a tag value is a string", key, k)
		}
		out[k] = val.Str
	}
	return out, nil
}

func (o *ObjReader) Integer(key string) (int, error) {
	v := o.Get(key)
	if v == nil {
		return 0, nil
	}
	if v.Kind != Number && v.Kind != String {
		return 0, NodeError(v, "wrong_type", "%s: expected a whole number", key)
	}
	n, err := strconv.Atoi(v.Str)
	if err != nil {
		return 0, NodeError(v, "wrong_type", "%s: expected a whole number, got %q", key, v.Str)
	}
	return n, nil
}

func (o *ObjReader) Boolean(key string) (bool, error) {
	v := o.Get(key)
	if v == nil {
		return false, nil
	}
	if v.Kind != Bool {
		return false, NodeError(v, "wrong_type", "%s: expected true or false", key)
	}
	return v.Bool, nil
}

func List(n *Node) ([]*Node, error) {
	if n.Kind == Null {
		return nil, nil
	}
	if n.Kind != Array {
		return nil, NodeError(n, "wrong_type", "expected a list")
	}
	return n.Items, nil
}

func NumberValue(n *Node) (any, error) {
	if i, err := strconv.ParseInt(n.Str, 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(n.Str, 64)
	if err != nil {
		return nil, NodeError(n, "wrong_type", "not a number: %q", n.Str)
	}
	return f, nil
}

// Strs reads string members into their destinations; required names the
// keys that must be present.
func Strs(o *ObjReader, dst map[string]*string, required ...string) error {
	for k, p := range dst {
		v, err := o.Str(k, slices.Contains(required, k))
		if err != nil {
			return err
		}
		*p = v
	}
	return nil
}
