package world

import (
	"regexp"
	"strings"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
)

// World is everything Clearance knows about: accounts with their IAM
// entities and resources, and the organization above them. It is the
// input form; Store holds it indexed for the engine.
type World struct {
	Organization *Organization
	Accounts     []*Account
	// Warnings name what an export described but could not be loaded
	// (reported to the user, never dropped silently).
	Warnings []string
	// Sources are the files and folders the world was read from: the
	// scenario file and every export it names (an output must never
	// overwrite one of them).
	Sources []string
	// AWSManaged, when the world has an aws_managed source (iam-dataset's
	// AWS managed policies), returns the AWS managed policy of an ARN, or
	// nil when the source lacks it: a change that attaches one the export
	// did not (clearance review) reads its document from there.
	AWSManaged func(arn string) (*ManagedPolicy, error) `json:"-"`
}

// Organization is an AWS Organizations organization: its OU tree and the
// SCPs and RCPs attached at each level.
type Organization struct {
	ID                string
	ManagementAccount string
	Policies          []*OrgPolicy
	Root              *OrgUnit
}

// OrgPolicy is an SCP or an RCP.
type OrgPolicy struct {
	ID     string // set by the store: OrgPolicyName(Kind, Name)
	Name   string
	Kind   policy.PolicyKind // KindSCP or KindRCP
	Policy *policy.Policy
}

// OrgUnit is the root or an organizational unit. SCPs and RCPs name
// OrgPolicy entries; a level with no SCP gets FullAWSAccess, and
// RCPFullAWSAccess is present at every level (AWS attaches it and it cannot
// be detached).
type OrgUnit struct {
	ID       string
	Name     string
	SCPs     []string
	RCPs     []string
	Children []*OrgUnit
	// At is where the unit is written; Refs where its SCPs and RCPs are.
	At   tree.Loc
	Refs Refs
}

// Account is one AWS account and what it holds.
type Account struct {
	ID      string
	Name    string
	OrgPath string // OU names from the root, "/"-separated; "" = under the root
	// OutsideOrg marks an account that is not a member of the organization
	// (a third party, a vendor): no SCP or RCP of the world applies to it.
	OutsideOrg bool
	SCPs       []string
	RCPs       []string

	Users           []*User
	Groups          []*Group
	Roles           []*Role
	ManagedPolicies []*ManagedPolicy
	Resources       []*Resource
	Providers       []*Provider
	IdentityPools   []*IdentityPool
	VPCEndpoints    []*VPCEndpoint
	// At is where the account is written; Refs where its org_path, SCPs
	// and RCPs are.
	At   tree.Loc
	Refs Refs
}

// User is an IAM user.
type User struct {
	ARN      string
	Account  string
	Name     string
	Path     string
	ID       string // unique id (AIDA...)
	Groups   []string
	Inline   []*policy.Policy
	Managed  []string // managed policy ARNs
	Boundary string   // managed policy ARN, or ""
	Tags     map[string]string
	// At is where the name is written; Refs where each group, managed
	// policy and boundary is named.
	At   tree.Loc
	Refs Refs
}

// Group is an IAM group.
type Group struct {
	ARN     string
	Account string
	Name    string
	Path    string
	Inline  []*policy.Policy
	Managed []string
	At      tree.Loc // where the name is written
	Refs    Refs     // where each managed policy is named
}

// Role is an IAM role.
type Role struct {
	ARN                string
	Account            string
	Name               string
	Path               string
	ID                 string // unique id (AROA...)
	Trust              *policy.Policy
	Inline             []*policy.Policy
	Managed            []string
	Boundary           string
	Tags               map[string]string
	MaxSessionDuration int // seconds; 3600 when not given
	// InstanceProfiles (their ARNs), LastUsed (RoleLastUsed.LastUsedDate,
	// as the export writes it) and LastUsedRegion come from account exports.
	InstanceProfiles []string
	LastUsed         string
	LastUsedRegion   string
	// UsageTracked says the export carried RoleLastUsed (IAM's last-used
	// tracking: {} when the role was not used in the tracking period), so
	// that an empty LastUsed means "not used", not "not known". Created is
	// the role's CreateDate as the export writes it ("" when not given).
	UsageTracked bool
	Created      string
	// At is where the name is written; Refs where each managed policy,
	// the boundary and each instance profile is named.
	At   tree.Loc
	Refs Refs
}

// ServiceLinked reports whether the role is a service-linked role, which
// SCPs and RCPs do not restrict.
func (r *Role) ServiceLinked() bool {
	return len(r.Path) >= len("/aws-service-role/") && r.Path[:len("/aws-service-role/")] == "/aws-service-role/"
}

// ManagedPolicy is a customer or AWS managed policy.
type ManagedPolicy struct {
	ARN     string
	Account string // "aws" for AWS managed policies
	Name    string
	Path    string
	Policy  *policy.Policy
	// Source says where the document came from when it is not the
	// world's own data (an AWS managed policy filled in from a third-party
	// snapshot); "" for policies the scenario or the export holds.
	Source string
	At     tree.Loc // where the name is written
}

// AWSAccount is the account an AWS managed policy's ARN names
// (arn:aws:iam::aws:policy/NAME): the policy is AWS's, for every account.
const AWSAccount = "aws"

// Resource is an AWS resource, optionally with a resource-based policy.
type Resource struct {
	ARN     string
	Account string
	Type    string // one of the types of types.go, or "" when its ARN names none
	Policy  *policy.Policy
	Tags    map[string]string
}

// PolicyRequired reports whether the resource's policy must explicitly
// allow a request (KMS key policies; role trust policies are handled by the
// engine since the role is the resource).
func (r *Resource) PolicyRequired() bool { return PolicyRequired(r.Type) }

// VPCEndpoint is a VPC endpoint for an AWS service. A request made through
// it is evaluated against its endpoint policy as well, and carries
// aws:SourceVpce and aws:SourceVpc
// (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
type VPCEndpoint struct {
	ID      string // vpce-...
	Account string
	VPC     string // vpc-...
	// Service is the endpoint's service name as given
	// (com.amazonaws.us-east-1.s3, or s3); Prefix is the IAM service
	// prefix of the actions it serves (s3).
	Service string
	Prefix  string
	// Policy is the endpoint policy; the store gives an endpoint declared
	// without one the default policy (DefaultEndpointPolicy).
	Policy *policy.Policy
}

// DefaultEndpointPolicy is the policy AWS attaches to an endpoint created
// without one: "The default endpoint policy grants full access through the
// endpoint" (vpc-endpoints-access.html#default-endpoint-policy).
const DefaultEndpointPolicy = `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}`

// EndpointPolicyName names an endpoint's policy.
func EndpointPolicyName(id string) string { return id + " (endpoint policy)" }

// Provider is an IAM identity provider (SAML or OIDC).
type Provider struct {
	ARN       string
	Account   string
	Type      string // "saml" or "oidc"
	Name      string // SAML provider name, or OIDC provider URL without https://
	Audiences []string
}

// IdentityPool is an Amazon Cognito identity pool: the roles its
// identities receive through the enhanced (simplified) flow.
// https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
type IdentityPool struct {
	ID                   string // region:uuid
	Account              string
	AuthenticatedRole    string // role ARN, or ""
	UnauthenticatedRole  string // role ARN, or ""
	AllowUnauthenticated bool
	// Rules are the role-mapping rules, tried in order.
	Rules []RoleMappingRule
	// AmbiguousDeny makes an authenticated identity that no rule matches
	// fail instead of receiving the authenticated role.
	AmbiguousDeny bool
}

// RoleMappingRule maps a token claim to a role.
type RoleMappingRule struct {
	Claim string
	Match string // Equals, NotEqual, StartsWith or Contains
	Value string
	Role  string
}

var AccountIDPattern = regexp.MustCompile(`^\d{12}$`)

func NormPath(p string) string {
	if p == "" {
		return "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// InlinePolicyName names an inline policy of a user, group or role.
func InlinePolicyName(owner, name string) string { return owner + "#" + name }

// TrustPolicyName names a role's trust policy. The space keeps it apart
// from every inline policy name (IAM names have no spaces), so a role's
// inline policy named "trust" is its own document.
func TrustPolicyName(roleARN string) string { return roleARN + " (trust policy)" }

// OrgPolicyName is the name under which an SCP or RCP's statements are
// stored, e.g. "scp/FullAWSAccess" (policy.OrgPolicyName: the grammar
// knows RCPFullAWSAccess by it).
func OrgPolicyName(kind policy.PolicyKind, name string) string {
	return policy.OrgPolicyName(kind, name)
}

// WithBoundary lists the managed policies and the boundary, in a new slice.
func WithBoundary(managed []string, boundary string) []string {
	out := append([]string(nil), managed...)
	if boundary != "" {
		out = append(out, boundary)
	}
	return out
}

// MergeTags returns base with over's values replacing those of the same
// key, compared case-insensitively as AWS compares tag keys.
func MergeTags(base, over map[string]string) map[string]string {
	out := make(map[string]string, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		for bk := range out {
			if strings.EqualFold(bk, k) {
				delete(out, bk)
			}
		}
		out[k] = v
	}
	return out
}
