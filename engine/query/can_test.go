package query

import (
	"context"
	"os"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
)

// bob's effective permissions in the example organization: his policy
// allows s3, sqs, ec2 and logs, his DeveloperBoundary s3, sqs, logs and
// cloudwatch, so the intersection is s3, sqs and logs
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html);
// his own Deny keeps s3:PutObject outside productionapp/payments/.
func TestCanExampleOrganization(t *testing.T) {
	data, err := os.ReadFile("../../corpus/example/company.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := New(enginetest.Open(t, string(data)))
	eff, err := e.Can(context.Background(), &engine.Request{Principal: "arn:aws:iam::111122223333:user/bob", Time: enginetest.T0,
		Context: map[string]any{"aws:SecureTransport": true, "aws:RequestedRegion": "us-east-1"}})
	if err != nil {
		t.Fatal(err)
	}
	services := map[string]bool{}
	has := map[string]bool{}
	for _, p := range eff.Permissions {
		services[p.Service] = true
		has[p.Action] = true
	}
	if !services["s3"] || !services["sqs"] || !services["logs"] || services["ec2"] || services["cloudwatch"] {
		t.Errorf("services %v: want s3, sqs, logs only", services)
	}
	if !has["s3:GetObject"] || has["s3:PutObject"] {
		t.Errorf("s3:GetObject %v (want true), s3:PutObject on * %v (want false: his Deny)", has["s3:GetObject"], has["s3:PutObject"])
	}
}
