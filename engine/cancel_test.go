package engine

import (
	"context"
	"errors"
	"testing"
	"time"
)

const cancelWorld = `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: alice
          policies:
            - name: read
              document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: s3:GetObject, Resource: "*"}}
`

// A question whose context has ended is not evaluated to the end: the
// evaluation's cancel fires and the error says why (the client left, or
// the question's deadline passed). With a live context the same request
// is decided: identity-policy Allow in the same account
// (reference_policies_evaluation-logic_policy-eval-denyallow.html).
func TestDecideHonoursContext(t *testing.T) {
	e := openTestEngine(t, cancelWorld)
	req := func() *Request {
		return &Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject",
			Resource: "arn:aws:s3:::b/k", ResourceAccount: "111122223333"}
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	for _, c := range []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"cancelled", cancelled, context.Canceled},
		{"deadline", expired, context.DeadlineExceeded},
		{"live", context.Background(), nil},
	} {
		d, err := e.Decide(c.ctx, req())
		if c.want == nil {
			if err != nil || d.Decision != Allow {
				t.Errorf("%s: got %v, %v; want Allow", c.name, d, err)
			}
			continue
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, %v; want %v", c.name, d, err, c.want)
		}
	}
}
