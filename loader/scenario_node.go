package loader

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// objReader reads the members of an object node, having checked that it
// has no member outside the allowed ones.
type objReader struct {
	n *Node
}

func nodeError(n *Node, code, format string, args ...any) error {
	return &Error{File: n.File, Path: n.Path, Line: n.Line, Col: n.Col, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// object checks n is a mapping whose keys are all allowed.
func object(n *Node, allowed ...string) (*objReader, error) {
	if n == nil || n.Kind != Object {
		if n == nil {
			return nil, fmt.Errorf("expected a mapping")
		}
		return nil, nodeError(n, "wrong_type", "expected a mapping with keys %s", strings.Join(allowed, ", "))
	}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for i, k := range n.Keys {
		if !ok[k] {
			sorted := append([]string(nil), allowed...)
			sort.Strings(sorted)
			return nil, nodeError(n.Vals[i], "unknown_element", "unknown key %q; expected one of %s", k, strings.Join(sorted, ", "))
		}
	}
	return &objReader{n: n}, nil
}

func (o *objReader) get(key string) *Node { return o.n.Get(key) }

func (o *objReader) errorf(key, code, format string, args ...any) error {
	at := o.n
	if v := o.get(key); v != nil {
		at = v
	}
	return nodeError(at, code, format, args...)
}

// str reads a string member; numbers are accepted as their text (account
// ids written without quotes in YAML).
func (o *objReader) str(key string, required bool) (string, error) {
	v := o.get(key)
	if v == nil {
		if required {
			return "", nodeError(o.n, "missing_element", "missing required key %q", key)
		}
		return "", nil
	}
	switch v.Kind {
	case String:
		return v.Str, nil
	case Number:
		return v.Str, nil
	}
	return "", nodeError(v, "wrong_type", "%s: expected a string", key)
}

// strs reads a list of strings (a single string is a one-element list).
func (o *objReader) strs(key string) ([]string, error) {
	v := o.get(key)
	if v == nil || v.Kind == Null {
		return nil, nil
	}
	if v.Kind == String {
		return []string{v.Str}, nil
	}
	if v.Kind != Array {
		return nil, nodeError(v, "wrong_type", "%s: expected a list of strings", key)
	}
	out := make([]string, 0, len(v.Items))
	for _, it := range v.Items {
		if it.Kind != String && it.Kind != Number {
			return nil, nodeError(it, "wrong_type", "%s: expected a string", key)
		}
		out = append(out, it.Str)
	}
	return out, nil
}

// tags reads a mapping of tag key to value.
func (o *objReader) tags(key string) (map[string]string, error) {
	v := o.get(key)
	if v == nil || v.Kind == Null {
		return nil, nil
	}
	if v.Kind != Object {
		return nil, nodeError(v, "wrong_type", "%s: expected a mapping of tag key to value", key)
	}
	out := make(map[string]string, len(v.Keys))
	for i, k := range v.Keys {
		val := v.Vals[i]
		if val.Kind == Array || val.Kind == Object {
			return nil, nodeError(val, "wrong_type", "%s.%s: a tag value is a string", key, k)
		}
		out[k] = val.Str
	}
	return out, nil
}

func (o *objReader) integer(key string) (int, error) {
	v := o.get(key)
	if v == nil {
		return 0, nil
	}
	if v.Kind != Number && v.Kind != String {
		return 0, nodeError(v, "wrong_type", "%s: expected a whole number", key)
	}
	n, err := strconv.Atoi(v.Str)
	if err != nil {
		return 0, nodeError(v, "wrong_type", "%s: expected a whole number, got %q", key, v.Str)
	}
	return n, nil
}

func (o *objReader) boolean(key string) (bool, error) {
	v := o.get(key)
	if v == nil {
		return false, nil
	}
	if v.Kind != Bool {
		return false, nodeError(v, "wrong_type", "%s: expected true or false", key)
	}
	return v.Bool, nil
}

func list(n *Node) ([]*Node, error) {
	if n.Kind == Null {
		return nil, nil
	}
	if n.Kind != Array {
		return nil, nodeError(n, "wrong_type", "expected a list")
	}
	return n.Items, nil
}

func numberValue(n *Node) (any, error) {
	if i, err := strconv.ParseInt(n.Str, 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(n.Str, 64)
	if err != nil {
		return nil, nodeError(n, "wrong_type", "not a number: %q", n.Str)
	}
	return f, nil
}

// strs reads string members into their destinations; required names the
// keys that must be present.
func strs(o *objReader, dst map[string]*string, required ...string) error {
	for k, p := range dst {
		v, err := o.str(k, slices.Contains(required, k))
		if err != nil {
			return err
		}
		*p = v
	}
	return nil
}
