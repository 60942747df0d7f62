package engine

import (
	"context"
	"errors"
	"github.com/clearance-dev/clearance/engine/fault"
	"testing"
	"time"
)

// Every error a request can meet carries its code.
func TestRequestErrorCodes(t *testing.T) {
	e := openTestEngine(t, ctxWorld)
	snap := e.store.Snapshot()
	expired := &Session{ID: "s", Kind: KindUser, ARN: "arn:aws:iam::111122223333:user/alice",
		Issued: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		name string
		req  *Request
		code string
	}{
		{"unknown user", &Request{Principal: "arn:aws:iam::111122223333:user/bob", Action: "s3:GetObject", Resource: "*"}, fault.CodeUnknownPrincipal},
		{"unknown role", &Request{Principal: "arn:aws:sts::111122223333:assumed-role/nope/s", Action: "s3:GetObject", Resource: "*"}, fault.CodeUnknownPrincipal},
		{"unknown federating user", &Request{Principal: "arn:aws:sts::111122223333:federated-user/Carol", FederatedBy: "arn:aws:iam::111122223333:user/bob", Action: "s3:GetObject", Resource: "*"}, fault.CodeUnknownPrincipal},
		{"role as principal", &Request{Principal: "arn:aws:iam::111122223333:role/app", Action: "s3:GetObject", Resource: "*"}, fault.CodeBadRequest},
		{"federated without by", &Request{Principal: "arn:aws:sts::111122223333:federated-user/Carol", Action: "s3:GetObject", Resource: "*"}, fault.CodeBadRequest},
		{"no principal", &Request{Action: "s3:GetObject", Resource: "*"}, fault.CodeBadRequest},
		{"not an ARN", &Request{Principal: "alice", Action: "s3:GetObject", Resource: "*"}, fault.CodeBadRequest},
		{"action without prefix", &Request{Principal: "anonymous", Action: "GetObject", Resource: "*"}, fault.CodeBadRequest},
		{"no resource", &Request{Principal: "anonymous", Action: "s3:GetObject"}, fault.CodeBadRequest},
		{"unknown account", &Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::nobucket/k"}, fault.CodeBadRequest},
		{"nested context list", &Request{Principal: "anonymous", Action: "s3:GetObject", Resource: "*", Context: map[string]any{"k": []any{[]any{"x"}}}}, fault.CodeBadRequest},
		{"context of a wrong type", &Request{Principal: "anonymous", Action: "s3:GetObject", Resource: "*", Context: map[string]any{"k": struct{}{}}}, fault.CodeBadRequest},
		{"expired", &Request{Session: expired, Action: "s3:GetObject", Resource: "*", Time: expired.Expires.Add(time.Second)}, fault.CodeExpired},
		{"before the session", &Request{Session: expired, Action: "s3:GetObject", Resource: "*", Time: expired.Issued.Add(-time.Second)}, fault.CodeExpired},
	} {
		_, err := e.Decide(context.Background(), tc.req)
		if !errors.Is(err, &fault.Error{Code: tc.code}) || !fault.IsBadInput(err) {
			t.Errorf("%s: %v, want code %s", tc.name, err, tc.code)
		}
	}
	for arn, code := range map[string]string{
		"arn:aws:iam::111122223333:user/bob":            fault.CodeUnknownPrincipal,
		"arn:aws:iam::111122223333:role/app":            fault.CodeChainInput,
		"arn:aws:s3:::data":                             fault.CodeChainInput,
		"arn:aws:sts::111122223333:assumed-role/nope/s": fault.CodeUnknownPrincipal,
	} {
		if _, err := StartSession(snap, arn); !errors.Is(err, &fault.Error{Code: code}) {
			t.Errorf("StartSession(%s): %v, want code %s", arn, err, code)
		}
	}
}
