package engine

import (
	"context"
	"testing"

	"github.com/clearance-dev/clearance/engine/fault"
)

const fuzzWorld = `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: alice
          policies: [{name: p, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "s3:*", Resource: "*"}}}]
      roles:
        - name: app
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: "111122223333"}, Action: "sts:AssumeRole"}}
      resources:
        - {arn: "arn:aws:s3:::b", policy: {Version: "2012-10-17", Statement: {Effect: Deny, Principal: "*", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/*"}}}
`

// FuzzResolveRequest: whatever strings name the principal, the action
// and the resource, Decide answers or refuses them as bad input; it never
// panics and never reports an internal fault.
func FuzzResolveRequest(f *testing.F) {
	for _, s := range [][3]string{
		{"arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::b/k"},
		{"arn:aws:sts::111122223333:assumed-role/app/s", "s3:DeleteObject", "arn:aws:s3:::b/k"},
		{"arn:aws:sts::111122223333:federated-user/Carol", "sts:GetCallerIdentity", "*"},
		{"arn:aws:iam::111122223333:root", "iam:CreateUser", "arn:aws:iam::111122223333:user/x"},
		{"s3.amazonaws.com", "s3:PutObject", "arn:aws:s3:::b"},
		{"anonymous", "s3:GetObject", "arn:aws:s3:::b/*"},
		{"arn:aws:iam::111122223333:user/", ":", "arn:aws:s3::"},
		{"arn:aws:sts::1:assumed-role//", "s3:*", "arn:aws:kms:us-east-1:111122223333:key/"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	e := openTestEngine(f, fuzzWorld)
	f.Fuzz(func(t *testing.T, principal, action, resource string) {
		req := &Request{Principal: principal, Action: action, Resource: resource, Time: t0,
			FederatedBy: "arn:aws:iam::111122223333:user/alice"}
		d, err := e.Decide(context.Background(), req)
		if err != nil {
			if fault.IsInternal(err) || !fault.IsBadInput(err) {
				t.Fatalf("%q %q %q: not coded as bad input: %v", principal, action, resource, err)
			}
			return
		}
		if d.Decision != Allow && d.Decision != ExplicitDeny && d.Decision != ImplicitDeny {
			t.Fatalf("decision %q", d.Decision)
		}
	})
}
