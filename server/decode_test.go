package server

import (
	"context"
	"testing"

	"github.com/clearance-dev/clearance/engine/enginetest"
)

// FuzzDecodeMessage: any message is decoded strictly or refused, never a
// panic; a decoded question is answered (never a panic) with its own id.
func FuzzDecodeMessage(f *testing.F) {
	for _, s := range []string{
		askMsg("1", alice, "s3:GetObject", "arn:aws:s3:::b/k"),
		`{"type":"ask","id":"2","chain":{"as":"` + alice + `","steps":[{"GetSessionToken":{}}]},"action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}`,
		`{"type":"ask","id":"3","principal":"anonymous","action":"s3:GetObject","resource":"*","context":{"aws:SourceIp":"10.0.0.1"},"time":"2026-01-01T00:00:00Z"}`,
		`{"type":"ask","id":"4","session_policy":{"Version":"2012-10-17","Statement":[]}}`,
		`{"type":"edit","id":"5","op":"put","kind":"inline","target":"` + alice + `","name":"read","document":"{}"}`,
		`{"type":"hello","version":1,"token":"x"}`, `{"type":"complete","id":"6","kind":"action","prefix":"s3:Get"}`,
		`{"id": 5}`, `[]`, `{"type":"ask","id":"6","chain":7}`, "",
	} {
		f.Add([]byte(s))
	}
	v := newView(enginetest.Open(f, testWorld), nil, 0)
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, h, err := decodeMessage(data)
		if err != nil {
			return
		}
		if a, ok := msg.(*Ask); ok {
			if o := ask(context.Background(), v, a); o.ID != h.ID {
				t.Fatalf("answer id %q for question %q", o.ID, h.ID)
			}
		}
	})
}
