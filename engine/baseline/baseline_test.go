package baseline

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/tree"
)

// An audit's entries (subject, policy) and a review's (action, resource)
// round-trip through one format, one entry per fingerprint, sorted.
func TestRoundTrip(t *testing.T) {
	b := New([]Entry{
		{Fingerprint: "b", Rule: "privilege-escalation", Principal: "arn:aws:iam::1:user/u", Subject: "iam:createaccesskey", Policy: "p"},
		{Fingerprint: "a", Rule: "new-access", Principal: "arn:aws:iam::1:role/r", Action: "s3:GetObject", Resource: "*"},
		{Fingerprint: "b", Rule: "dup"},
	})
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := Read("b.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Fingerprints) != 2 || again.Fingerprints[0].Fingerprint != "a" || again.Fingerprints[1].Subject != "iam:createaccesskey" ||
		!again.Has("a") || !again.Has("b") || again.Has("c") {
		t.Errorf("%+v", again.Fingerprints)
	}
	if strings.Contains(buf.String(), `"subject": ""`) {
		t.Errorf("empty subject written:\n%s", buf.String())
	}
	var nilB *Baseline
	if nilB.Has("a") {
		t.Error("a nil baseline holds nothing")
	}
}

func TestReadErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"version": 2, "fingerprints": []}`, "b.json:1:13: $.version: baseline version 2"},
		{`{"fingerprints": []}`, `missing "version"`},
		{`{"version": 1, "fingerprints": [{"fingerprint": "a", "verdict": "x"}]}`, `unknown key "verdict"`},
		{`{"version": 1, "fingerprints": [{"rule": "x"}]}`, `missing required key "fingerprint"`},
	} {
		_, err := Read("b.json", []byte(c.in))
		var te *tree.Error
		if !errors.As(err, &te) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.in, err, c.want)
		}
	}
}

// Read never panics; what it refuses is a positioned *tree.Error, and
// what it accepts writes back to the same set.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"version": 1, "fingerprints": [{"fingerprint": "a", "subject": "s", "policy": "p"}]}`))
	f.Add([]byte(`{"version": 1, "fingerprints": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Read("f.json", data)
		if err != nil {
			var te *tree.Error
			if !errors.As(err, &te) {
				t.Fatalf("not a positioned error: %T %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := b.Write(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := Read("f.json", buf.Bytes())
		if err != nil || len(again.Fingerprints) != len(b.Fingerprints) {
			t.Fatalf("rewrite: %v", err)
		}
	})
}
