package engine

import (
	"time"

	"github.com/clearance-dev/clearance/loader/policy"
)

// Request is one question: may Principal perform Action on Resource?
type Request struct {
	// Principal is an IAM user ARN, an account root ARN, a role session ARN
	// (arn:aws:sts::ACCT:assumed-role/ROLE/SESSION), a federated user ARN
	// (arn:aws:sts::ACCT:federated-user/NAME), a service principal
	// (s3.amazonaws.com) or "anonymous".
	Principal string
	// FederatedBy is the IAM user whose GetFederationToken call created a
	// federated user session.
	FederatedBy string
	// Session, when set, is the requester: a session an STS chain produced
	// (see Walk). Principal, FederatedBy and SessionPolicy are then unused.
	Session *Session

	// SessionPolicy is the session policy of a role or federated session
	// (nil: none was passed).
	SessionPolicy *policy.Policy

	Action   string
	Resource string
	// ResourceAccount is the account owning the resource when its ARN does
	// not say (S3); otherwise it may be empty.
	ResourceAccount string

	// Context holds request context keys given by the caller; they add to
	// or override the keys derived from the world. Values are string, bool,
	// float64/int, or []any for multivalued keys.
	Context map[string]any
	// Time is when the request is made (engine/clock): zero means the
	// context's aws:CurrentTime or aws:EpochTime, or now.
	Time time.Time
	// VPCEndpoint is the id of the VPC endpoint the request goes through.
	VPCEndpoint string
}
