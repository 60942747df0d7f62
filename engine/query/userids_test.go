package query

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine/enginetest"
)

// useridWorld is the broker role of reference_identifiers.html ("Unique
// identifiers"), whose example condition is StringLike aws:userId
// ["AROADBQP57FF2AEXAMPLE:role-session-name", "AROA1234567890EXAMPLE:*"];
// the home folder is
// reference_policies_examples_s3_federated-home-directory-console.html's
// ("The ${aws:userid} variable in this policy resolves to
// role-id:specified-name").
const useridWorld = `
world:
  accounts:
    - id: "111122223333"
      roles:
        - name: broker
          id: AROADBQP57FF2AEXAMPLE
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: "arn:aws:iam::111122223333:root"}, Action: sts:AssumeRole}}
          policies:
            - name: p
              document:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action: s3:GetObject
                    Resource: "arn:aws:s3:::docs/*"
                    Condition: {StringLike: {"aws:userId": ["AROADBQP57FF2AEXAMPLE:role-session-name", "AROADBQP57FF2AEXAMPLE:app-*"]}}
                  - Effect: Deny
                    Action: s3:GetObject
                    Resource: "arn:aws:s3:::docs/*"
                    Condition: {StringEquals: {"aws:userid": "AROADBQP57FF2AEXAMPLE:app-blocked"}}
                  - Effect: Allow
                    Action: s3:PutObject
                    Resource: "arn:aws:s3:::docs/home/${aws:userid}/*"
        - name: other
          id: AROA1234567890EXAMPLE
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: "arn:aws:iam::111122223333:root"}, Action: sts:AssumeRole}}
      resources:
        - arn: arn:aws:s3:::docs
`

// A role session's aws:userid is role-id:caller-specified-role-name
// (reference_policies_variables.html, "Principal key values";
// reference_policies_condition-keys.html#condition-keys-userid: "For IAM
// roles, this value format can vary"): a condition naming
// AROADBQP57FF2AEXAMPLE:role-session-name names that one session of the
// broker role, which who-can lists by itself; AROADBQP57FF2AEXAMPLE:app-*
// names the sessions whose name starts with app-, listed as that pattern
// less app-blocked, which a Deny names ("an explicit deny in any policy
// overrides any allows", reference_policies_evaluation-logic.html). Any
// other session of broker is refused (no statement allows it), so there
// is no "any session" grant.
func TestWhoCanUserIDCondition(t *testing.T) {
	e := New(enginetest.Open(t, useridWorld))
	grants, err := e.WhoCan(context.Background(), WhoCanRequest{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/x",
		Time: enginetest.T0})
	if err != nil {
		t.Fatal(err)
	}
	got := grantList(grants)
	want := []string{
		"arn:aws:iam::111122223333:root",
		"arn:aws:sts::111122223333:assumed-role/broker/app-* [any-session] except [arn:aws:sts::111122223333:assumed-role/broker/app-blocked]",
		"arn:aws:sts::111122223333:assumed-role/broker/role-session-name",
	}
	if !slices.Equal(got, want) {
		t.Errorf("who-can s3:GetObject docs/x:\n got %q\nwant %q", got, want)
	}
}

// "${aws:userid}" in a Resource names, for a request on
// docs/home/AROADBQP57FF2AEXAMPLE:John/x, the session John of the role
// whose id that is (the federated-home-directory example: "the federated
// user ID is AROAXXT2NJT7D3SIQN7Z6:John. This policy then allows the
// federated user John to access the Amazon S3 bucket with prefix
// AROAXXT2NJT7D3SIQN7Z6:John"); a userid of no role of the world names
// nobody.
func TestWhoCanUserIDResource(t *testing.T) {
	e := New(enginetest.Open(t, useridWorld))
	for resource, want := range map[string][]string{
		"arn:aws:s3:::docs/home/AROADBQP57FF2AEXAMPLE:John/x": {"arn:aws:iam::111122223333:root",
			"arn:aws:sts::111122223333:assumed-role/broker/John"},
		"arn:aws:s3:::docs/home/AROA1234567890EXAMPLE:John/x": {"arn:aws:iam::111122223333:root"},
		"arn:aws:s3:::docs/home/AROANOSUCHROLEEXAMPLE:John/x": {"arn:aws:iam::111122223333:root"},
	} {
		grants, err := e.WhoCan(context.Background(), WhoCanRequest{Action: "s3:PutObject", Resource: resource, Time: enginetest.T0})
		if err != nil {
			t.Fatal(err)
		}
		if got := grantList(grants); !slices.Equal(got, want) {
			t.Errorf("who-can s3:PutObject %s:\n got %q\nwant %q", resource, got, want)
		}
	}
}

// grantList renders grants as "principal [pattern] except [...]".
func grantList(grants []Grant) []string {
	var out []string
	for _, g := range grants {
		s := g.Principal
		if g.Pattern != "" {
			s += " [" + g.Pattern + "]"
		}
		if len(g.Except) > 0 {
			s += " except [" + strings.Join(g.Except, ", ") + "]"
		}
		out = append(out, s)
	}
	return out
}
