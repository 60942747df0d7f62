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
