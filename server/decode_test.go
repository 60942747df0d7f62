package server

import (
	"context"
	"testing"

	"github.com/clearance-dev/clearance/engine/enginetest"
)

// FuzzDecodeQuestion: any message is decoded strictly or refused, never a
// panic; a decoded question is answered (never a panic) with its own id.
func FuzzDecodeQuestion(f *testing.F) {
	for _, s := range []string{
		`{"id": "1", "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}`,
		`{"id": "2", "chain": {"as": "arn:aws:iam::111122223333:user/alice", "steps": [{"GetSessionToken": {}}]}, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}`,
		`{"id": "3", "principal": "anonymous", "action": "s3:GetObject", "resource": "*", "context": {"aws:SourceIp": "10.0.0.1"}, "time": "2026-01-01T00:00:00Z"}`,
		`{"id": "4", "session_policy": {"Version": "2012-10-17", "Statement": []}}`,
		`{"id": 5}`, `[]`, `{"id": "6", "chain": 7}`, "",
	} {
		f.Add([]byte(s))
	}
	s := New(enginetest.Open(f, world))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, _, err := decodeQuestion(data)
		if err != nil {
			return
		}
		if a := s.answer(context.Background(), q); a.ID != q.ID {
			t.Fatalf("answer id %q for question %q", a.ID, q.ID)
		}
	})
}
