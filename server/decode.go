package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

// header is what every client message starts with: its type and the id
// of the question it asks or concerns.
type header struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// decodeMessage reads one client message as strictly as the loader reads
// files: JSON with no duplicate key and no trailing data; then the members
// its type allows, written exactly (encoding/json alone would match them
// regardless of case), each of the right type. On error it still returns
// the message's type and id when it has them, so the error answer can
// carry the id.
func decodeMessage(data []byte) (any, header, error) {
	var h header
	n, err := tree.DecodeJSON("message", data)
	if err != nil {
		return nil, h, err
	}
	if n.Kind != tree.Object {
		return nil, h, fmt.Errorf("message: expected a mapping (a JSON object), got %s", n.Kind)
	}
	if v := n.Get("id"); v != nil && v.Kind == tree.String {
		h.ID = v.Str
	}
	t := n.Get("type")
	if t == nil || t.Kind != tree.String {
		return nil, h, fmt.Errorf("message: a string member \"type\" is required (one of %s)", strings.Join(messageTypes(), ", "))
	}
	h.Type = t.Str
	mk, ok := clientMessages[h.Type]
	if !ok {
		return nil, h, fmt.Errorf("message: unknown type %q (one of %s)", h.Type, strings.Join(messageTypes(), ", "))
	}
	msg := mk()
	if err := checkKeys(n, reflect.TypeOf(msg).Elem()); err != nil {
		return nil, h, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(msg); err != nil {
		return nil, h, fmt.Errorf("message: %w", err)
	}
	if h.ID == "" && h.Type != typeHello {
		return nil, h, fmt.Errorf("message: a non-empty string member \"id\" is required")
	}
	return msg, h, nil
}

// checkKeys refuses, in n and in every object nested in struct fields,
// members the struct t does not declare exactly as written. Maps and raw
// JSON (contexts, chains, documents) are read by their own strict readers.
func checkKeys(n *tree.Node, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || n.Kind != tree.Object || t == reflect.TypeOf(json.RawMessage{}) {
		return nil
	}
	fields := map[string]reflect.Type{}
	collectFields(t, fields)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	if _, err := tree.OpenObject(n, keys...); err != nil {
		return err
	}
	for name, ft := range fields {
		if v := n.Get(name); v != nil {
			if err := checkKeys(v, ft); err != nil {
				return err
			}
		}
	}
	return nil
}

// collectFields gathers the JSON members of struct t, those of its
// embedded structs included.
func collectFields(t reflect.Type, fields map[string]reflect.Type) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous && name == "":
			collectFields(f.Type, fields)
		case name != "" && name != "-":
			fields[name] = f.Type
		}
	}
}
