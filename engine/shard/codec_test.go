package shard_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/shard"
	"github.com/clearance-dev/clearance/loader/tree"
)

// roundTrip encodes and decodes each file, as files on disk are.
func roundTrip(t *testing.T, fs []*shard.File) []*shard.File {
	t.Helper()
	out := make([]*shard.File, len(fs))
	for i, f := range fs {
		var b bytes.Buffer
		if err := shard.Encode(&b, f); err != nil {
			t.Fatal(err)
		}
		g, err := shard.Decode("p.json", b.Bytes())
		if err != nil {
			t.Fatalf("decode what Encode wrote: %v", err)
		}
		out[i] = g
	}
	return out
}

func TestDecodeRefuses(t *testing.T) {
	cases := []struct {
		name, doc, code, where string
	}{
		{"not json", `{"version": 1,`, tree.CodeInvalidJSON, "p.json:1:"},
		{"no version", `{"kind": "trusts"}`, tree.CodeInvalidVersion, "p.json:1:1"},
		{"future version", "{\n \"version\": 2, \"kind\": \"trusts\", \"shard\": 0, \"shards\": 1}", tree.CodeInvalidVersion, "p.json:2:13"},
		{"unknown kind", `{"version": 1, "kind": "x", "shard": 0, "shards": 1}`, tree.CodeInvalidValue, "p.json:1:24"},
		{"shard out of range", `{"version": 1, "kind": "trusts", "shard": 2, "shards": 2}`, tree.CodeInvalidValue, "p.json:1:43"},
		{"wrong type", "{\"version\": 1, \"kind\": \"trusts\",\n\"shard\": \"0\", \"shards\": 1}", tree.CodeWrongType, "p.json:2:"},
		{"unknown member", `{"version": 1, "kind": "trusts", "shard": 0, "shards": 1, "extra": true}`, tree.CodeUnknownElement, "p.json"},
		{"partial without audit", `{"version": 1, "kind": "partial", "shard": 0, "shards": 1}`, tree.CodeMissingElement, "p.json:1:1"},
		{"account of another shard", `{"version": 1, "kind": "trusts", "shard": 0, "shards": 2, "accounts": ["` + otherShard(0, 2) + `"]}`, tree.CodeInvalidValue, "p.json:1:72"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := shard.Decode("p.json", []byte(c.doc))
			var te *tree.Error
			if !errors.As(err, &te) || te.Code != c.code || !strings.HasPrefix(err.Error(), c.where) {
				t.Errorf("got %v (%T), want code %s at %s", err, err, c.code, c.where)
			}
		})
	}
}

// otherShard is an account id that is not in shard i of n.
func otherShard(i, n int) string {
	for a := 100000000000; ; a++ {
		id := strings.TrimSpace(strings.Repeat(" ", 0) + itoa(a))
		if shard.Of(id, n) != i {
			return id
		}
	}
}

func itoa(a int) string {
	var b []byte
	for ; a > 0; a /= 10 {
		b = append([]byte{byte('0' + a%10)}, b...)
	}
	return string(b)
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"version": 1, "kind": "trusts", "shard": 0, "shards": 1, "trusts": [{"arn": "a", "trust": "{}"}]}`))
	f.Add([]byte(`{"version": 1, "kind": "partial", "shard": 0, "shards": 1, "audit": {"callers": [{"arn": "x", "account": "1"}], "edges": [{}]}}`))
	f.Add([]byte(`{"version": 1, "kind": "partial", "shard": 0, "shards": 1, "audit": {"findings": [{"rule": "r", "evidence": [{"matched": [{}]}]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := shard.Decode("fuzz.json", data)
		if err != nil {
			var te *tree.Error
			if !errors.As(err, &te) {
				t.Fatalf("not a positioned error: %T %v", err, err)
			}
			return
		}
		var b bytes.Buffer
		if err := shard.Encode(&b, got); err != nil {
			t.Fatal(err)
		}
		if _, err := shard.Decode("again.json", b.Bytes()); err != nil {
			t.Fatalf("what Decode accepted, encoded, is refused: %v", err)
		}
	})
}

func TestOfIsFNV(t *testing.T) {
	// FNV-1a, 32 bits: offset basis 2166136261, for each byte xor then
	// multiply by 16777619 (RFC 9923, FNV; docs/partial-format.md).
	for _, id := range []string{"111122223333", "444455556666", "100000000000"} {
		h := uint32(2166136261)
		for _, b := range []byte(id) {
			h = (h ^ uint32(b)) * 16777619
		}
		for _, n := range []int{1, 2, 7, 50} {
			if got := shard.Of(id, n); got != int(h%uint32(n)) {
				t.Errorf("Of(%s, %d) = %d, want %d", id, n, got, h%uint32(n))
			}
		}
	}
}
