package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

// questionKeys are the members a question may have, exactly as written
// (encoding/json alone would match them regardless of case).
var questionKeys = func() []string {
	var keys []string
	t := reflect.TypeOf(Question{})
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys = append(keys, name)
	}
	return keys
}()

// decodeQuestion reads one message as strictly as the loader reads files:
// JSON with no duplicate key, no trailing data, no unknown member and no
// member named in another case. On error it still returns the message's
// id when it has one, so the error answer can carry it.
func decodeQuestion(data []byte) (*Question, string, error) {
	n, err := tree.DecodeJSON("message", data)
	if err != nil {
		return nil, "", err
	}
	id := ""
	if v := n.Get("id"); v != nil && v.Kind == tree.String {
		id = v.Str
	}
	if _, err := tree.OpenObject(n, questionKeys...); err != nil {
		return nil, id, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var q Question
	if err := dec.Decode(&q); err != nil {
		return nil, id, fmt.Errorf("message: %w", err)
	}
	return &q, id, nil
}
