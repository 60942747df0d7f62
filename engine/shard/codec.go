package shard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/clearance-dev/clearance/loader/tree"
)

// MaxFileSize bounds a file Decode reads (a partial of a large shard is
// tens of megabytes).
const MaxFileSize = 1 << 30

// Encode writes the file as JSON.
func Encode(w io.Writer, f *File) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(f)
}

// Decode reads a file of the format. It refuses, with a *tree.Error that
// says where, what is not JSON, a version other than Version, an unknown
// kind or member, a value of the wrong type, and a shard that does not
// fit its count or a missing section.
func Decode(name string, data []byte) (*File, error) {
	if len(data) > MaxFileSize {
		return nil, &tree.Error{File: name, Code: tree.CodeLimitExceeded, Msg: fmt.Sprintf("the file is over %d bytes", MaxFileSize)}
	}
	root, err := tree.DecodeJSON(name, data)
	if err != nil {
		return nil, err
	}
	if root.Kind != tree.Object {
		return nil, tree.ErrAt(root, name, tree.CodeWrongType, "expected an object (a Clearance partial or trusts file)")
	}
	v := root.Get("version")
	if v == nil {
		return nil, tree.ErrAt(root, name, tree.CodeInvalidVersion, "no version: not a Clearance partial or trusts file")
	}
	if v.Kind != tree.Number || v.Str != fmt.Sprint(Version) {
		return nil, tree.ErrAt(v, name, tree.CodeInvalidVersion, "version %s: this Clearance reads version %d", v.Str, Version)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, jsonError(name, data, err)
	}
	return &f, check(root, name, &f)
}

// jsonError places a decoding error at its offset.
func jsonError(name string, data []byte, err error) error {
	te := &tree.Error{File: name, Code: tree.CodeWrongType, Msg: err.Error(), Err: err}
	var ut *json.UnmarshalTypeError
	if errors.As(err, &ut) {
		te.Line, te.Col = position(data, int(ut.Offset))
		te.Path = "$." + ut.Field
		te.Msg = fmt.Sprintf("expected %s, got %s", ut.Type, ut.Value)
	} else {
		te.Code = tree.CodeUnknownElement // DisallowUnknownFields: `json: unknown field "x"`
	}
	return te
}

func position(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

// check validates what the types do not.
func check(root *tree.Node, name string, f *File) error {
	at := func(key string) *tree.Node {
		if n := root.Get(key); n != nil {
			return n
		}
		return root
	}
	switch {
	case f.Kind != KindTrusts && f.Kind != KindPartial:
		return tree.ErrAt(at("kind"), name, tree.CodeInvalidValue, "kind %q: expected %q or %q", f.Kind, KindTrusts, KindPartial)
	case f.Shards < 1 || f.Shards > MaxShards:
		return tree.ErrAt(at("shards"), name, tree.CodeInvalidValue, "shards %d: expected 1 to %d", f.Shards, MaxShards)
	case f.Shard < 0 || f.Shard >= f.Shards:
		return tree.ErrAt(at("shard"), name, tree.CodeInvalidValue, "shard %d: expected 0 to %d", f.Shard, f.Shards-1)
	case f.Kind == KindPartial && f.Audit == nil:
		return tree.ErrAt(root, name, tree.CodeMissingElement, "a partial without its audit")
	}
	for i, a := range f.Accounts {
		if Of(a, f.Shards) != f.Shard {
			return tree.ErrAt(at("accounts").Items[i], name, tree.CodeInvalidValue, "account %s is in shard %d/%d, not %d", a, Of(a, f.Shards), f.Shards, f.Shard)
		}
	}
	if f.Audit != nil {
		for i, c := range f.Audit.Callers {
			if Of(c.Account, f.Shards) != f.Shard || c.ARN == "" {
				n := at("audit").Get("callers").Items[i]
				return tree.ErrAt(n, name, tree.CodeInvalidValue, "caller %q of account %q is not the shard's", c.ARN, c.Account)
			}
		}
	}
	return nil
}
