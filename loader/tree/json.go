package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Decode decodes JSON when the file name ends in .json or the content
// starts with '{' or '[', and YAML otherwise.
func Decode(file string, data []byte) (*Node, error) {
	if strings.EqualFold(filepath.Ext(file), ".json") || looksLikeJSON(data) {
		return DecodeJSON(file, data)
	}
	return DecodeYAML(file, data)
}

func looksLikeJSON(data []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, utf8BOM), " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

var utf8BOM = []byte("\xef\xbb\xbf")

// lineIndex maps byte offsets of a document to lines and columns. Lookups
// at increasing offsets on one line count only the characters in between,
// so a long minified document costs linear time.
type lineIndex struct {
	data   []byte
	starts []int // byte offset of each line's first byte
	last   struct{ line, off, col int }
}

func newLineIndex(data []byte) *lineIndex {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{data: data, starts: starts}
}

// pos returns the 1-based line and column (in characters) of offset off.
func (li *lineIndex) pos(off int) Pos {
	off = max(0, min(off, len(li.data)))
	lo, hi := 0, len(li.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if li.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	from, col := li.starts[lo], 1
	if li.last.line == lo+1 && li.last.off <= off {
		from, col = li.last.off, li.last.col
	}
	col += utf8.RuneCount(li.data[from:off])
	li.last.line, li.last.off, li.last.col = lo+1, off, col
	return Pos{Line: lo + 1, Col: col}
}

// DecodeJSON decodes one JSON document strictly: invalid JSON, a key
// repeated in an object (AWS rejects it; encoding/json would keep the last)
// and anything after the document are errors with line and column.
func DecodeJSON(file string, data []byte) (*Node, error) {
	base := 0
	if bytes.HasPrefix(data, utf8BOM) {
		base = len(utf8BOM)
	}
	d := &jsonDecoder{file: file, data: data, base: base, lines: newLineIndex(data)}
	d.dec = json.NewDecoder(bytes.NewReader(data[base:]))
	d.dec.UseNumber()
	root, err := d.next(nil, 0)
	if err != nil {
		return nil, err
	}
	start := d.offset()
	if tok, err := d.dec.Token(); err != io.EOF {
		if err != nil {
			return nil, d.syntaxError(err, nil)
		}
		return nil, d.errAt(start, "$", CodeTrailingData, "unexpected %s after the end of the JSON document", describeToken(tok))
	}
	return root, nil
}

type jsonDecoder struct {
	file  string
	data  []byte
	base  int // bytes skipped before the decoder's input (a BOM)
	dec   *json.Decoder
	lines *lineIndex
}

// offset returns the offset in data of the next token's first byte.
func (d *jsonDecoder) offset() int {
	off := d.base + int(d.dec.InputOffset())
	for off < len(d.data) {
		switch d.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (d *jsonDecoder) errAt(off int, path, code, format string, args ...any) *Error {
	p := d.lines.pos(off)
	return &Error{File: d.file, Path: path, Line: p.Line, Col: p.Col, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// syntaxError locates an error of encoding/json. The offsets a Decoder
// reports are relative to different origins depending on where the error
// was found, so the input is re-checked with json.Unmarshal, whose
// SyntaxError.Offset counts from the start (just past the bad byte). The
// path is that of the value being read when the error occurred (at; nil
// for the document).
func (d *jsonDecoder) syntaxError(err error, at *step) error {
	var raw json.RawMessage
	if uerr := json.Unmarshal(d.data[d.base:], &raw); uerr != nil {
		err = uerr
	}
	off := len(d.data)
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset > 0 && !strings.Contains(se.Error(), "end of JSON input") {
		off = d.base + int(se.Offset) - 1
	}
	e := d.errAt(off, at.String(), CodeInvalidJSON, "invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	e.Err = err
	return e
}

// next reads the value starting at the next token.
func (d *jsonDecoder) next(at *step, depth int) (*Node, error) {
	off := d.offset()
	tok, err := d.dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, d.syntaxError(err, at)
	}
	p := d.lines.pos(off)
	n := &Node{Line: p.Line, Col: p.Col, at: at, File: d.file}
	switch t := tok.(type) {
	case nil:
		n.Kind = Null
	case bool:
		n.Kind, n.Bool, n.Str = Bool, t, strconv.FormatBool(t)
	case json.Number:
		n.Kind, n.Str = Number, string(t)
	case string:
		n.Kind, n.Str = String, t
	case json.Delim:
		if depth >= maxDepth {
			return nil, d.errAt(off, at.String(), CodeTooDeep, "document nested more than %d levels deep", maxDepth)
		}
		if t == '[' {
			return n, d.array(n, depth)
		}
		return n, d.object(n, depth)
	}
	return n, nil
}

func (d *jsonDecoder) array(n *Node, depth int) error {
	n.Kind = Array
	n.Items = []*Node{}
	for d.dec.More() {
		it, err := d.next(item(n.at, len(n.Items)), depth+1)
		if err != nil {
			return err
		}
		n.Items = append(n.Items, it)
	}
	return d.closing(n.at)
}

func (d *jsonDecoder) object(n *Node, depth int) error {
	n.Kind = Object
	seen := map[string]int{}
	for d.dec.More() {
		off := d.offset()
		tok, err := d.dec.Token()
		if err != nil {
			return d.syntaxError(err, n.at)
		}
		key, ok := tok.(string)
		if !ok { // encoding/json reports this itself; be safe
			return d.errAt(off, n.at.String(), CodeInvalidJSON, "invalid JSON: expected an object key")
		}
		kp := d.lines.pos(off)
		path := child(n.at, key)
		if i, dup := seen[key]; dup {
			first := n.KeyPos[i]
			return d.errAt(off, path.String(), CodeDuplicateKey,
				"duplicate key %q (first at line %d, column %d); AWS rejects documents with repeated keys", key, first.Line, first.Col)
		}
		seen[key] = len(n.Keys)
		v, err := d.next(path, depth+1)
		if err != nil {
			return err
		}
		n.Keys, n.Vals, n.KeyPos = append(n.Keys, key), append(n.Vals, v), append(n.KeyPos, kp)
	}
	return d.closing(n.at)
}

// closing consumes the ']' or '}' ending the array or object at.
func (d *jsonDecoder) closing(at *step) error {
	if _, err := d.dec.Token(); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return d.syntaxError(err, at)
	}
	return nil
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return strconv.Quote(t.String())
	case string:
		return "string " + strconv.Quote(t)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}
