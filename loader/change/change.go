// Package change models a proposed change to a world: what a pull
// request's CloudFormation templates, Terraform plans and bare policy files
// create, modify and delete. Readers (loader/cfn, loader/tfplan, and the
// review command's --policy files) produce a Set; Apply gives the world
// after the change, so a review can compare the effective access before and
// after it.
//
// A Set is a list of Edits in the order they were read. Each Edit names one
// entity of the target account by what AWS matches it by (IAM entities by
// name in the account, resources by ARN, organization policies by name) and
// says where the change wrote it, so every finding can point at the
// template's line or the plan's resource address.
package change

import (
	"github.com/clearance-dev/clearance/loader/policy"
)

// Op says what an Edit does to its entity.
type Op string

// The operations.
const (
	// Put creates the entity, or replaces the one of the same name (ARN)
	// with what the Edit says: for users, groups and roles, the fields the
	// Edit carries replace the existing ones, and the entity's policies,
	// attachments and memberships that the Set does not edit are kept.
	Put Op = "put"
	// Delete removes the entity. Deleting a user, group or role removes its
	// inline policies, attachments and memberships; deleting a managed
	// policy detaches it everywhere; deleting a resource policy leaves the
	// resource without one.
	Delete Op = "delete"
)

// Kind is the kind of entity an Edit concerns.
type Kind string

// The kinds of entities a change can touch, with the Edit fields each uses.
const (
	User  Kind = "user"  // Name, Path, Boundary, Tags
	Group Kind = "group" // Name, Path
	// Role uses Name, Path, Trust, Boundary, MaxSessionDuration, Tags.
	Role Kind = "role"
	// ManagedPolicy is a customer managed policy of the target account:
	// Name, Path, Policy (its default version).
	ManagedPolicy Kind = "managed-policy"
	// InlinePolicy is a user's, group's or role's inline policy: Owner,
	// Name, Policy.
	InlinePolicy Kind = "inline-policy"
	// Attachment attaches the managed policy PolicyARN to Owner (Delete
	// detaches it).
	Attachment Kind = "attachment"
	// Membership adds the user Owner to Group (Delete removes it).
	Membership Kind = "membership"
	// ResourcePolicy replaces the resource-based policy of the resource
	// Resource (an S3 bucket, SQS queue, SNS topic, KMS key, secret) with
	// Policy; the resource is created when the world lacks it.
	ResourcePolicy Kind = "resource-policy"
	// ResourceStatement adds Policy's statements to Resource's policy (a
	// Lambda permission adds one statement to the function's policy;
	// Delete removes the statements of the same Sid).
	ResourceStatement Kind = "resource-statement"
	// TrustPolicy replaces the trust policy of the existing role Name
	// with Trust (a bare policy file given with --resource ROLE-ARN); the
	// role's other fields are kept. Put only: a role always has one.
	TrustPolicy Kind = "trust-policy"
	// OrgPolicy is an SCP or RCP: Name, PolicyKind, Policy.
	OrgPolicy Kind = "org-policy"
	// OrgAttachment attaches the organization policy Name to Target: an
	// account ID, an OU's ID or name, or the root ("r-..." or "root").
	OrgAttachment Kind = "org-attachment"
)

// Owner names the user, group or role an inline policy, an attachment or a
// membership belongs to, by name in the target account.
type Owner struct {
	Kind Kind // User, Group or Role
	Name string
}

// Edit is one change to one entity.
type Edit struct {
	Op   Op
	Kind Kind
	// Name is the entity's name (user, group, role, managed policy, inline
	// policy, organization policy).
	Name string
	// Path is the IAM path of a user, group, role or managed policy ("/"
	// when empty).
	Path  string
	Owner *Owner
	// PolicyARN is the managed policy an Attachment attaches (customer
	// managed in any account, or AWS managed: arn:aws:iam::aws:policy/...).
	PolicyARN string
	// Group is the group a Membership adds Owner to.
	Group string
	// Resource is the ARN of the resource a ResourcePolicy or
	// ResourceStatement concerns.
	Resource string
	// Target is what an OrgAttachment attaches to.
	Target string
	// PolicyKind is KindSCP or KindRCP for an OrgPolicy.
	PolicyKind policy.PolicyKind
	// Policy is the document of a ManagedPolicy, InlinePolicy,
	// ResourcePolicy, ResourceStatement or OrgPolicy; Trust a Role's trust
	// policy. Their statements carry their positions in the change's file
	// (policy.Statement.At), where findings point.
	Policy *policy.Policy
	Trust  *policy.Policy
	// Unknown, when set, stands for the Edit's document (Policy, or Trust
	// for a Role) that cannot be known before deployment and could not be
	// built (a Terraform policy computed at apply): that field is then
	// nil, and a review reports the document as unknown, never as empty.
	// The symbol is also in Set.Symbols.
	Unknown *Symbol
	// Boundary is the permissions boundary's managed policy ARN of a User
	// or Role ("" for none).
	Boundary string
	// MaxSessionDuration is a Role's, in seconds (0: the default, 3600).
	MaxSessionDuration int
	Tags               map[string]string
	// At is where the change writes the entity.
	At Source
	// Assumes lists the template conditions the Edit depends on whose
	// value cannot be known before deployment (they test a symbol): the
	// reader assumed each true (created the resource, took the Fn::If
	// branch for true), and a finding about the Edit says so. Each entry
	// names the condition as written ("IsProd").
	Assumes []string
}

// Source is where a change writes something: a template's resource (file,
// line, column and logical ID) or a plan's resource (address, and the .tf
// file and line where the plan's configuration has them).
type Source struct {
	File      string
	Line, Col int
	// Address is the CloudFormation logical ID or the Terraform resource
	// address (module.x.aws_iam_role.y).
	Address string
}

// Symbol is a value that cannot be known before deployment: an attribute
// of a resource the change creates, an imported value, a Terraform value
// known only after apply, a parameter with neither value nor default. It
// stands in the Edits as Text, a string that matches only itself (a
// wildcard pattern still matches it, as it would match the value it
// becomes), and is shown in every finding that involves it.
type Symbol struct {
	// Text is the string written into the Edits in the value's place.
	Text string
	// Expr is the expression that could not be resolved, as written
	// (!GetAtt Bucket.Arn, module.x.aws_iam_role.y.arn).
	Expr string
	At   Source
}

// Set is a change: the Edits of every file read, in order, with the
// symbols they hold.
type Set struct {
	// Account is the account the change deploys to; Region and Partition
	// resolve AWS::Region and AWS::Partition.
	Account, Region, Partition string
	Edits                      []Edit
	Symbols                    []Symbol
	// Files are the files the change was read from.
	Files []string
}

// SymbolText is the Text of the symbol for expr: "UNKNOWN-" and expr with
// every character an IAM name or an ARN's resource part cannot hold
// replaced by '.', so the symbol can stand for a name, an ID or a part of
// an ARN without breaking the grammar around it (a reader that needs a
// whole ARN builds one around it, e.g. arn:aws:iam::ACCOUNT:role/TEXT).
func SymbolText(expr string) string {
	b := []byte(policy.SymbolPrefix)
	for _, c := range []byte(expr) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			b = append(b, c)
		default:
			b = append(b, '.')
		}
	}
	return string(b)
}
