package store

import (
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
	memdb "github.com/hashicorp/go-memdb"
)

// Snapshot is a consistent, read-only view of a Store. It never changes,
// whatever is written to the store after it was taken.
type Snapshot struct {
	txn *memdb.Txn
}

// Generation counts the writes the store had seen when the snapshot was
// taken. Caches derived from a snapshot are valid for one generation.
func (s *Snapshot) Generation() uint64 {
	raw, err := s.txn.First(tableMeta, "id", "generation")
	if err != nil || raw == nil {
		return 0
	}
	return raw.(*metaRow).Value
}

func first[T any](s *Snapshot, table, index string, args ...any) (T, bool) {
	var zero T
	raw, err := s.txn.First(table, index, args...)
	if err != nil || raw == nil {
		return zero, false
	}
	return raw.(T), true
}

func all[T any](s *Snapshot, table, index string, args ...any) []T {
	it, err := s.txn.Get(table, index, args...)
	if err != nil {
		return nil
	}
	var out []T
	for raw := it.Next(); raw != nil; raw = it.Next() {
		out = append(out, raw.(T))
	}
	return out
}

// Accounts lists every account of the world, ordered by id.
func (s *Snapshot) Accounts() []*world.Account { return all[*world.Account](s, tableAccounts, "id") }

// Account returns the account with this id.
func (s *Snapshot) Account(id string) (*world.Account, bool) {
	return first[*world.Account](s, tableAccounts, "id", id)
}

// User returns the IAM user with this ARN.
func (s *Snapshot) User(arn string) (*world.User, bool) {
	return first[*world.User](s, tableUsers, "id", arn)
}

// UserByName returns the IAM user with this name in the account.
func (s *Snapshot) UserByName(account, name string) (*world.User, bool) {
	return first[*world.User](s, tableUsers, "account_name", account, name)
}

// Group returns the group with this name in the account.
func (s *Snapshot) Group(account, name string) (*world.Group, bool) {
	return first[*world.Group](s, tableGroups, "account_name", account, name)
}

// Role returns the role with this ARN.
func (s *Snapshot) Role(arn string) (*world.Role, bool) {
	return first[*world.Role](s, tableRoles, "id", arn)
}

// RoleByName returns the role with this name in the account (session ARNs
// carry the role name without its path).
func (s *Snapshot) RoleByName(account, name string) (*world.Role, bool) {
	return first[*world.Role](s, tableRoles, "account_name", account, name)
}

// ManagedPolicy returns the managed policy with this ARN.
func (s *Snapshot) ManagedPolicy(arn string) (*world.ManagedPolicy, bool) {
	return first[*world.ManagedPolicy](s, tablePolicies, "id", arn)
}

// Resource returns the resource with this ARN.
func (s *Snapshot) Resource(arn string) (*world.Resource, bool) {
	return first[*world.Resource](s, tableResources, "id", arn)
}

// Provider returns the identity provider with this ARN.
func (s *Snapshot) Provider(arn string) (*world.Provider, bool) {
	return first[*world.Provider](s, tableProviders, "id", arn)
}

// IdentityPool returns a Cognito identity pool by id.
func (s *Snapshot) IdentityPool(id string) (*world.IdentityPool, bool) {
	return first[*world.IdentityPool](s, tablePools, "id", id)
}

// Providers lists the identity providers of an account.
func (s *Snapshot) Providers(account string) []*world.Provider {
	return all[*world.Provider](s, tableProviders, "account", account)
}

// Roles lists the roles of an account.
func (s *Snapshot) Roles(account string) []*world.Role {
	return all[*world.Role](s, tableRoles, "account", account)
}

// IdentityPools lists the Cognito identity pools of an account.
func (s *Snapshot) IdentityPools(account string) []*world.IdentityPool {
	return all[*world.IdentityPool](s, tablePools, "account", account)
}

// ManagementAccount returns the organization's id and management account,
// or ok=false when the world has no organization.
func (s *Snapshot) ManagementAccount() (orgID, account string, ok bool) {
	row, ok := first[*orgRow](s, tableOrg, "id")
	if !ok {
		return "", "", false
	}
	return row.ID, row.ManagementAccount, true
}

// OrgNode returns a level of the organization tree by id.
func (s *Snapshot) OrgNode(id string) (*OrgNode, bool) {
	return first[*OrgNode](s, tableOrgNodes, "id", id)
}

// OrgPath returns the levels from the root down to the account, or nil
// when the account is not a member of the organization.
func (s *Snapshot) OrgPath(account string) []*OrgNode {
	n, ok := s.OrgNode(account)
	if !ok || n.Kind != "account" {
		return nil
	}
	path := []*OrgNode{n}
	for n.Parent != "" && len(path) < 16 { // AWS allows five OU levels
		n, ok = s.OrgNode(n.Parent)
		if !ok {
			break
		}
		path = append(path, n)
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// OrgPolicy returns an SCP or RCP by kind and name.
func (s *Snapshot) OrgPolicy(kind policy.PolicyKind, name string) (*world.OrgPolicy, bool) {
	return first[*world.OrgPolicy](s, tableOrgPolicies, "id", world.OrgPolicyName(kind, name))
}

// OrgPolicies lists every SCP and RCP of the world, AWS's default ones
// included, ordered by kind and name.
func (s *Snapshot) OrgPolicies() []*world.OrgPolicy {
	return all[*world.OrgPolicy](s, tableOrgPolicies, "id")
}

// Statements returns the statements of the named policy that can concern
// an action of the service: those naming the service and those whose
// actions can match any service ("*" statements).
func (s *Snapshot) Statements(name, service string) []*policy.Statement {
	var out []*policy.Statement
	for _, svc := range []string{service, "*"} {
		it, err := s.txn.Get(tableStatements, "policy_service", name, svc)
		if err != nil {
			continue
		}
		for raw := it.Next(); raw != nil; raw = it.Next() {
			out = append(out, raw.(*StatementRow).Statement)
		}
	}
	return out
}

// AllStatements returns every statement of the named policy.
func (s *Snapshot) AllStatements(name string) []*policy.Statement {
	it, err := s.txn.Get(tableStatements, "policy", name)
	if err != nil {
		return nil
	}
	var out []*policy.Statement
	for raw := it.Next(); raw != nil; raw = it.Next() {
		out = append(out, raw.(*StatementRow).Statement)
	}
	return out
}

// AttachmentsOf lists what is attached to a user, group, role or org node.
func (s *Snapshot) AttachmentsOf(target string) []*Attachment {
	return s.attachments("target", target)
}

// AttachedTo lists where a policy (or group, or SCP/RCP name) is attached.
func (s *Snapshot) AttachedTo(policy string) []*Attachment {
	return s.attachments("policy", policy)
}

func (s *Snapshot) attachments(index, value string) []*Attachment {
	it, err := s.txn.Get(tableAttachments, index, value)
	if err != nil {
		return nil
	}
	var out []*Attachment
	for raw := it.Next(); raw != nil; raw = it.Next() {
		out = append(out, raw.(*Attachment))
	}
	return out
}
