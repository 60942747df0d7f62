package tree

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeJSONPositions(t *testing.T) {
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", 12, true, null]}\n  ]\n}"
	n, err := DecodeJSON("p.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	act := n.Get("Statement").Items[0].Get("Action")
	for _, c := range []struct {
		n         *Node
		kind      NodeKind
		str, path string
		line, col int
	}{
		{n, Object, "", "$", 1, 1},
		{n.Get("Version"), String, "2012-10-17", "$.Version", 2, 14},
		{n.Get("Statement").Items[0], Object, "", "$.Statement[0]", 4, 5},
		{act.Items[0], String, "s3:GetObject", "$.Statement[0].Action[0]", 4, 36},
		{act.Items[1], Number, "12", "$.Statement[0].Action[1]", 4, 52},
		{act.Items[2], Bool, "true", "$.Statement[0].Action[2]", 4, 56},
		{act.Items[3], Null, "", "$.Statement[0].Action[3]", 4, 62},
	} {
		if c.n.Kind != c.kind || c.n.Str != c.str || c.n.Path() != c.path || c.n.Line != c.line || c.n.Col != c.col || c.n.File != "p.json" {
			t.Errorf("got %s %q %s %d:%d, want %s %q %s %d:%d", c.n.Kind, c.n.Str, c.n.Path(), c.n.Line, c.n.Col,
				c.kind, c.str, c.path, c.line, c.col)
		}
	}
	if kp := n.Get("Statement").Items[0].KeyPos[1]; kp != (Pos{4, 25}) {
		t.Errorf("key position of Action = %v, want 4:25", kp)
	}
}

func TestDecodeJSONErrors(t *testing.T) {
	for _, c := range []struct {
		doc, code, want string
	}{
		{"{\"a\": 1,\n \"a\": 2}", CodeDuplicateKey, `p.json:2:2: $.a: duplicate key "a" (first at line 1, column 2)`},
		{`{"a": {"b": 1, "b": 1}}`, CodeDuplicateKey, `p.json:1:16: $.a.b: duplicate key "b"`},
		{`{"a": 1} x`, CodeInvalidJSON, "p.json:1:10: $: invalid JSON: invalid character 'x' after top-level value"},
		{`{"a": 1} {}`, CodeTrailingData, `p.json:1:10: $: unexpected "{" after the end of the JSON document`},
		{`{"a": tru}`, CodeInvalidJSON, "p.json:1:10: $.a: invalid JSON: invalid character '}' in literal true"},
		{"{\"a\":\n [1 2]}", CodeInvalidJSON, "p.json:2:5: $.a[1]: invalid JSON: invalid character '2' after array element"},
		// The path is the value being read when the error occurs.
		{`{"Statement": [{"Effect": "Allow", "Action": [s3:GetObject]}]}`, CodeInvalidJSON,
			"p.json:1:47: $.Statement[0].Action[0]: invalid JSON: invalid character 's' looking for beginning of value"},
		{`{"Statement": {"Effect": "Allow" "Action": "*"}}`, CodeInvalidJSON,
			`p.json:1:34: $.Statement: invalid JSON: invalid character '"' after object key:value pair`},
		{`{"a": {"b": [1, 2}}`, CodeInvalidJSON, "p.json:1:18: $.a.b: invalid JSON: invalid character '}' after array element"},
		{`{"a": [1,`, CodeInvalidJSON, "p.json:1:10: $.a[1]: invalid JSON: unexpected end of JSON input"},
		{``, CodeInvalidJSON, "p.json:1:1: $: invalid JSON"},
		{`This is not a json document`, CodeInvalidJSON, "p.json:1:1: $: invalid JSON: invalid character 'T'"},
		{strings.Repeat("[", maxDepth+1), CodeTooDeep, "nested more than"},
	} {
		_, err := DecodeJSON("p.json", []byte(c.doc))
		var e *Error
		if !errors.As(err, &e) || e.Code != c.code || !strings.Contains(err.Error(), c.want) {
			t.Errorf("DecodeJSON(%.30q) = %v, want %s error containing %q", c.doc, err, c.code, c.want)
		}
		if !errors.Is(err, &Error{Code: c.code}) {
			t.Errorf("errors.Is(%v, code %s) is false", err, c.code)
		}
	}
}

func TestDecodeJSONBOMAndUnicode(t *testing.T) {
	n, err := DecodeJSON("p.json", []byte("\xef\xbb\xbf{\"é\": \"ü\",\n\"b\": 1}"))
	if err != nil {
		t.Fatal(err)
	}
	if v := n.Get("é"); v == nil || v.Str != "ü" || v.Col != 8 {
		t.Errorf("é = %+v, want ü at column 8 (columns count characters)", v)
	}
}

func TestDecodeYAML(t *testing.T) {
	doc := `Version: 2012-10-17
Statement:
  - &st
    Effect: Allow
    Action: [s3:GetObject, 12, yes, true, ~, 0x1F]
    Resource: "*"
  - <<: *st
    Effect: Deny
`
	n, err := DecodeYAML("w.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject",12,"yes",true,null,"0x1F"],"Resource":"*"},` +
		`{"Action":["s3:GetObject",12,"yes",true,null,"0x1F"],"Resource":"*","Effect":"Deny"}]}`
	if got := string(n.JSON()); got != want {
		t.Errorf("JSON()\n got %s\nwant %s", got, want)
	}
	act := n.Get("Statement").Items[0].Get("Action")
	if act.Items[1].Kind != Number || act.Items[5].Kind != Number || act.Items[5].Str != "0x1F" {
		t.Errorf("YAML numbers keep their literal text: %+v %+v", act.Items[1], act.Items[5])
	}
	merged := n.Get("Statement").Items[1]
	if merged.Get("Action").Path() != "$.Statement[1].Action" || merged.Get("Effect").Str != "Deny" {
		t.Errorf("merged member: keys %v, path %s", merged.Keys, merged.Get("Action").Path())
	}
	if v := n.Get("Version"); v.Kind != String || v.Line != 1 || v.Col != 10 {
		t.Errorf("Version = %+v, want a string at 1:10", v)
	}
}

func TestDecodeYAMLErrors(t *testing.T) {
	for _, c := range []struct {
		doc, code, want string
	}{
		{"a: 1\nb: 2\na: 3\n", CodeDuplicateKey, `w.yaml:3:1: $.a: duplicate key "a" (first at line 1, column 1)`},
		{"a: !Ref x\n", CodeInvalidYAML, "w.yaml:1:4: $.a: unsupported YAML tag !Ref"},
		{"a: 1\n---\nb: 2\n", CodeTrailingData, "second YAML document"},
		{"a: [\n", CodeInvalidYAML, "w.yaml:1:1: $: invalid YAML"},
		// yaml.v3 says the line at most; where its message names the
		// character, the column is that character's.
		{"a: 1\nb: c: d\n", CodeInvalidYAML, "w.yaml:2:5: $: invalid YAML: mapping values are not allowed in this context"},
		{"a: 1\nb: @x\n", CodeInvalidYAML, "w.yaml:2:4: $: invalid YAML: found character that cannot start any token"},
		{"a: `x`\n", CodeInvalidYAML, "w.yaml:1:4: $: invalid YAML: found character that cannot start any token"},
		{"a:\n\t- x\n", CodeInvalidYAML, "w.yaml:2:1: $: invalid YAML: found character that cannot start any token"},
		{"a: 1\nb: \"x\\qy\"\n", CodeInvalidYAML, "w.yaml:2:6: $: invalid YAML: found unknown escape character"},
		{"a: 1\nb: !foo!bar x\n", CodeInvalidYAML, "w.yaml:2:4: $: invalid YAML: found undefined tag handle"},
		// a message that names no character keeps the line's first column
		{"a:\n  b: 1\n c: 2\n", CodeInvalidYAML, "w.yaml:2:3: $: invalid YAML: did not find expected key"},
		{"? [a]\n: 1\n", CodeInvalidYAML, "a mapping key must be a plain scalar"},
		{"a: &x [*x]\n", CodeInvalidYAML, "refers to a value that contains it"},
		{"a: &x {<<: *x}\n", CodeInvalidYAML, "refers to a value that contains it"},
		{"a: &x {b: &y {<<: [*x, *y]}}\n", CodeInvalidYAML, "refers to a value that contains it"},
	} {
		_, err := DecodeYAML("w.yaml", []byte(c.doc))
		var e *Error
		if !errors.As(err, &e) || e.Code != c.code || !strings.Contains(err.Error(), c.want) {
			t.Errorf("DecodeYAML(%q) = %v, want %s error containing %q", c.doc, err, c.code, c.want)
		}
	}
}

func TestDecodeYAMLAliasBomb(t *testing.T) {
	doc := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		doc += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	if _, err := DecodeYAML("bomb.yaml", []byte(doc)); err == nil || !strings.Contains(err.Error(), "aliases expand") {
		t.Errorf("alias bomb: err = %v, want an expansion limit error", err)
	}
}

func TestDecodeDispatch(t *testing.T) {
	for _, c := range []struct {
		file, doc string
		ok        bool
	}{
		{"p.json", `{"a": 1}`, true},
		{"p.json", "a: 1", false}, // .json is always JSON
		{"p.yaml", ` {"a": 1}`, true},
		{"p.yaml", "a: 1", true},
		{"p.yaml", "", true}, // empty YAML is null
	} {
		n, err := Decode(c.file, []byte(c.doc))
		if (err == nil) != c.ok {
			t.Errorf("Decode(%s, %q) = %v, %v", c.file, c.doc, n, err)
		}
	}
}

func TestNodeHelpers(t *testing.T) {
	n, err := DecodeJSON("p.json", []byte(`{"s": "a\"<>\u2028\u0001", "n": -1.5e3, "b": false, "z": null, "l": [1, {}], "o": {}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(n.JSON()), `{"s":"a\"<>\u2028\u0001","n":-1.5e3,"b":false,"z":null,"l":[1,{}],"o":{}}`; got != want {
		t.Errorf("JSON() = %s, want %s", got, want)
	}
	want := map[string]any{"s": "a\"<>\u2028\u0001", "n": json.Number("-1.5e3"), "b": false, "z": nil,
		"l": []any{json.Number("1"), map[string]any{}}, "o": map[string]any{}}
	if got := n.Interface(); !reflect.DeepEqual(got, want) {
		t.Errorf("Interface() = %#v, want %#v", got, want)
	}
	if n.Get("missing") != nil || n.Get("l").Get("x") != nil || (*Node)(nil).Get("x") != nil {
		t.Error("Get of an absent member is not nil")
	}
	var nilNode *Node
	if string(nilNode.JSON()) != "null" || nilNode.Interface() != nil {
		t.Error("nil node is not null")
	}
}
