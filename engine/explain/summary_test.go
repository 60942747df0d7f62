package explain

import (
	"context"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
)

// summaryWorld: alice has no identity policy.
const summaryWorld = `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: alice
      resources:
        - {arn: "arn:aws:s3:::data"}
`

// The one-sentence summary names the entity whose policies were missing.
func TestSummaryNamesTheEntity(t *testing.T) {
	e := enginetest.Open(t, summaryWorld)
	d, err := e.Decide(context.Background(), &engine.Request{Principal: "arn:aws:sts::111122223333:federated-user/Carol",
		FederatedBy: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::data",
		SessionPolicy: nil})
	if err != nil {
		t.Fatal(err)
	}
	// No identity policy for alice: identity is the first missing allow (EVAL-DENYALLOW order).
	if d.BlockedBy != "identity" || !strings.Contains(Summary(d), "arn:aws:iam::111122223333:user/alice") {
		t.Errorf("blocked by %s: %s", d.BlockedBy, Summary(d))
	}
}

// A request the VPC endpoint's policy does not allow, or denies, is
// explained by the endpoint (vpc-endpoints-access.html).
func TestSummaryNamesTheEndpoint(t *testing.T) {
	e := enginetest.Open(t, `
world:
  accounts:
    - id: "111122223333"
      users:
        - {name: alice, policies: [{name: all, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "s3:*", Resource: "*"}}}]}
      vpc_endpoints:
        - id: vpce-0a1b2c3d4e5f67890
          vpc: vpc-1a2b3c4d
          service: s3
          policy: {Statement: [{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "*"}, {Sid: NoDeletes, Effect: Deny, Principal: "*", Action: s3:DeleteObject, Resource: "*"}]}
`)
	for action, want := range map[string]string{
		"s3:PutObject":    "goes through the VPC endpoint vpce-0a1b2c3d4e5f67890, whose endpoint policy has no Allow",
		"s3:DeleteObject": `An explicit Deny in the VPC endpoint policy wins over every Allow: vpce-0a1b2c3d4e5f67890 (endpoint policy), Sid "NoDeletes"`,
	} {
		d, err := e.Decide(context.Background(), &engine.Request{Principal: "arn:aws:iam::111122223333:user/alice",
			Action: action, Resource: "arn:aws:s3:::data/k", ResourceAccount: "111122223333", VPCEndpoint: "vpce-0a1b2c3d4e5f67890"})
		if err != nil {
			t.Fatal(err)
		}
		if d.BlockedBy != "endpoint" || !strings.Contains(Summary(d), want) {
			t.Errorf("%s: blocked by %s: %s", action, d.BlockedBy, Summary(d))
		}
	}
}

// protectWorld: an administrator, and a service-linked role.
const protectWorld = `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: admin
          policies: [{name: all, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "*", Resource: "*"}}}]
      roles:
        - name: AWSServiceRoleForSupport
          path: /aws-service-role/support.amazonaws.com/
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {Service: support.amazonaws.com}, Action: sts:AssumeRole}}
`

// What AWS protects is said as such, with the page; a resource whose
// policy must allow but the world does not hold says so.
func TestSummaryProtectedAndUnknownPolicy(t *testing.T) {
	e := enginetest.Open(t, protectWorld)
	cases := []struct {
		action, resource string
		want             []string
	}{
		{"iam:DeleteRole", "arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport",
			[]string{"Protected by AWS", "service-linked role", "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html#troubleshoot_roles_cant-edit-delete-role"}},
		{"iam:DeletePolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess",
			[]string{"Protected by AWS", "AWS managed policy", "access_policies_manage-delete.html#delete-managed-policy"}},
		{"kms:CreateAlias", "arn:aws:kms:us-east-1:111122223333:alias/aws/s3",
			[]string{"Protected by AWS", "alias/aws/", "API_CreateAlias.html"}},
		{"kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k", []string{"the world holds none", "declare the resource"}},
	}
	for _, c := range cases {
		d, err := e.Decide(context.Background(), &engine.Request{Principal: "arn:aws:iam::111122223333:user/admin",
			Action: c.action, Resource: c.resource})
		if err != nil {
			t.Fatal(err)
		}
		s := Summary(d)
		for _, w := range c.want {
			if d.Decision != engine.ImplicitDeny || !strings.Contains(s, w) {
				t.Errorf("%s on %s: %s: %q lacks %q", c.action, c.resource, d.Decision, s, w)
			}
		}
	}
}
