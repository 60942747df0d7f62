package engine

import (
	"testing"

	"github.com/clearance-dev/clearance/loader/scenario"
)

// The memo key names each candidate statement by its policy's name and
// index with lengths first: a policy named like a list of two others
// ("...#p#0,...#p", a legal scenario ARN) cannot give the key of that
// list. Here x's inline policy p has a Deny then an Allow, and y's managed
// policy, so named, has an EC2 statement then the same Allow: written
// without lengths, both keys read ",x#p#0,x#p#1", and who-can would give
// one user the other's answer.
func TestMemoKeyNamesAreUnambiguous(t *testing.T) {
	const world = `
world:
  accounts:
    - id: "111111111111"
      users:
        - name: x
          policies:
            - name: p
              document:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Deny, Action: "s3:GetObject", Resource: "*"}
                  - {Effect: Allow, Action: "s3:GetObject", Resource: "*"}
        - name: y
          managed_policies: ["arn:aws:iam::111111111111:policy/odd"]
      managed_policies:
        - name: odd
          document:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "ec2:*", Resource: "*"}
              - {Effect: Allow, Action: "s3:GetObject", Resource: "*"}
checks: []
`
	sc, err := scenario.ParseScenario("test.yaml", []byte(world))
	if err != nil {
		t.Fatal(err)
	}
	// The loader refuses such a name (IAM names hold no # or ,); a world
	// built in code can still hold one, and the key must stay unambiguous.
	odd := "arn:aws:iam::111111111111:user/x#p#0,arn:aws:iam::111111111111:user/x#p"
	a := sc.World.Accounts[0]
	a.ManagedPolicies[0].ARN, a.ManagedPolicies[0].Policy.Name = odd, odd
	a.Users[1].Managed = []string{odd}
	v := openParsed(t, sc, nil).current()
	keys := map[string]string{}
	for _, u := range []string{"x", "y"} {
		req := &Request{Principal: "arn:aws:iam::111111111111:user/" + u, Action: "s3:GetObject",
			Resource: "arn:aws:s3:::b/k", ResourceAccount: "111111111111", Time: t0}
		b, err := v.prepare(req)
		if err != nil {
			t.Fatal(err)
		}
		keys[u] = b.memoKey(req)
		if keys[u] == "" {
			t.Fatalf("%s: no key", u)
		}
	}
	if keys["x"] == keys["y"] {
		t.Errorf("x and y share the key %q", keys["x"])
	}
}
