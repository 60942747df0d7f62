package store_test

import (
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

const endpointWorld = `
world:
  accounts:
    - id: "111122223333"
      vpc_endpoints:
        - {id: vpce-0a1b2c3d4e5f67890, vpc: vpc-1a2b3c4d, service: com.amazonaws.us-east-1.s3}
        - id: vpce-0a1b2c3d4e5f67891
          vpc: vpc-1a2b3c4d
          service: sqs
          policy: {Statement: [{Effect: Deny, Principal: "*", Action: "sqs:DeleteQueue", Resource: "*"}]}
`

// An endpoint declared without a policy has the default endpoint policy
// ("If you don't attach an endpoint policy, we attach the default endpoint
// policy", vpc-endpoints-access.html); a request reaches only the service
// the endpoint is for.
func TestStoreEndpoints(t *testing.T) {
	snap := loadStore(t, endpointWorld)
	ep, err := snap.EndpointFor("vpce-0a1b2c3d4e5f67890", "s3")
	if err != nil {
		t.Fatal(err)
	}
	stmts := snap.Statements(world.EndpointPolicyName(ep.ID), "s3")
	if len(stmts) != 1 || stmts[0].Effect != "Allow" || stmts[0].Principal == nil || !stmts[0].Principal.Any {
		t.Errorf("default endpoint policy: %+v", stmts)
	}
	if got := snap.Statements(world.EndpointPolicyName("vpce-0a1b2c3d4e5f67891"), "sqs"); len(got) != 1 || got[0].Effect != "Deny" {
		t.Errorf("declared endpoint policy: %+v", got)
	}
	for _, tc := range []struct{ id, service, want string }{
		{"vpce-0000000000000000f", "s3", "no such endpoint"},
		{"vpce-0a1b2c3d4e5f67891", "s3", "is for sqs (sqs actions): a request for a s3 action cannot go through it"},
	} {
		if _, err := snap.EndpointFor(tc.id, tc.service); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("EndpointFor(%s, %s): %v, want %q", tc.id, tc.service, err, tc.want)
		}
	}
}

// Two endpoints under one id would leave one of them silently replaced.
func TestStoreRejectsDuplicateEndpoint(t *testing.T) {
	doc := endpointWorld + `    - id: "444455556666"
      vpc_endpoints: [{id: vpce-0a1b2c3d4e5f67890, vpc: vpc-9a9b9c9d, service: s3}]
`
	// The scenario loader refuses it where it is written...
	if _, err := scenario.ParseScenario("w.yaml", []byte(doc)); err == nil || !strings.Contains(err.Error(), "w.yaml:12:28: $.world.accounts[1].vpc_endpoints[0].id: VPC endpoint vpce-0a1b2c3d4e5f67890 is declared twice") {
		t.Errorf("parse: %v", err)
	}
	// ...and the store refuses a world built in code that holds it.
	sc, err := scenario.ParseScenario("w.yaml", []byte(strings.Replace(doc, "{id: vpce-0a1b2c3d4e5f67890, vpc: vpc-9a9b9c9d", "{id: vpce-0a1b2c3d4e5f67899, vpc: vpc-9a9b9c9d", 1)))
	if err != nil {
		t.Fatal(err)
	}
	sc.World.Accounts[1].VPCEndpoints[0].ID = "vpce-0a1b2c3d4e5f67890"
	s, _ := store.NewStore()
	if err := s.Load(sc.World); err == nil || !strings.Contains(err.Error(), "declared twice") {
		t.Errorf("load: %v", err)
	}
}
