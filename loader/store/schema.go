package store

import (
	"github.com/clearance-dev/clearance/loader/policy"
	memdb "github.com/hashicorp/go-memdb"
)

// Table names of the store.
const (
	tableMeta        = "meta"
	tableAccounts    = "accounts"
	tableUsers       = "users"
	tableGroups      = "groups"
	tableRoles       = "roles"
	tablePolicies    = "managed_policies"
	tableResources   = "resources"
	tableProviders   = "providers"
	tablePools       = "identity_pools"
	tableEndpoints   = "vpc_endpoints"
	tableOrg         = "organization"
	tableOrgNodes    = "org_nodes"
	tableOrgPolicies = "org_policies"
	tableStatements  = "statements"
	tableAttachments = "attachments"
)

// Attachment records that a policy is attached to an entity: a managed
// policy or permissions boundary to a user, group or role, a user's
// membership of a group, or an SCP/RCP to a level of the organization.
type Attachment struct {
	ID     string // Target + "|" + Kind + "|" + Policy
	Target string // user, group or role ARN, or org node id
	Kind   string // "managed", "boundary", "group", "scp", "rcp"
	Policy string // policy ARN, group ARN, or SCP/RCP name
}

// metaRow holds store-wide values, such as the write generation.
type metaRow struct {
	ID    string
	Value uint64
}

// orgRow is the organization itself (one row).
type orgRow struct {
	ID                string
	ManagementAccount string
}

// OrgNode is a level of the organization tree: the root, an OU or an
// account. SCPs and RCPs name org policies attached at that level.
type OrgNode struct {
	ID     string
	Name   string
	Kind   string // "root", "ou" or "account"
	Parent string // "" for the root
	SCPs   []string
	RCPs   []string
}

// StatementRow is one compiled statement, indexed by the policy it belongs
// to and by the service prefixes its actions can concern.
type StatementRow struct {
	ID        string // policy name + "#" + index
	Policy    string
	Services  []string
	Statement *policy.Statement
}

func idIndex(field string) *memdb.IndexSchema {
	return &memdb.IndexSchema{Name: "id", Unique: true, Indexer: &memdb.StringFieldIndex{Field: field}}
}

func fieldIndex(name, field string) *memdb.IndexSchema {
	return &memdb.IndexSchema{Name: name, Indexer: &memdb.StringFieldIndex{Field: field}}
}

// accountName indexes entities by (account, lower-cased name): IAM names
// are unique case-insensitively within an account.
func accountName() *memdb.IndexSchema {
	return &memdb.IndexSchema{
		Name: "account_name",
		Indexer: &memdb.CompoundIndex{Indexes: []memdb.Indexer{
			&memdb.StringFieldIndex{Field: "Account"},
			&memdb.StringFieldIndex{Field: "Name", Lowercase: true},
		}},
	}
}

func table(name string, idx ...*memdb.IndexSchema) *memdb.TableSchema {
	t := &memdb.TableSchema{Name: name, Indexes: map[string]*memdb.IndexSchema{}}
	for _, i := range idx {
		t.Indexes[i.Name] = i
	}
	return t
}

// Schema is the store's memdb schema.
func Schema() *memdb.DBSchema {
	tables := []*memdb.TableSchema{
		table(tableMeta, idIndex("ID")),
		table(tableAccounts, idIndex("ID")),
		table(tableUsers, idIndex("ARN"), accountName(), fieldIndex("account", "Account")),
		table(tableGroups, idIndex("ARN"), accountName()),
		table(tableRoles, idIndex("ARN"), accountName(), fieldIndex("account", "Account")),
		table(tablePolicies, idIndex("ARN")),
		table(tableResources, idIndex("ARN"), fieldIndex("account", "Account")),
		table(tableProviders, idIndex("ARN"), fieldIndex("account", "Account")),
		table(tablePools, idIndex("ID"), fieldIndex("account", "Account")),
		table(tableEndpoints, idIndex("ID")),
		table(tableOrg, idIndex("ID")),
		table(tableOrgNodes, idIndex("ID")),
		table(tableOrgPolicies, idIndex("ID")),
		table(tableAttachments, idIndex("ID"), fieldIndex("target", "Target"), fieldIndex("policy", "Policy")),
		table(tableStatements, idIndex("ID"), fieldIndex("policy", "Policy"), &memdb.IndexSchema{
			Name: "policy_service",
			Indexer: &memdb.CompoundMultiIndex{Indexes: []memdb.Indexer{
				&memdb.StringFieldIndex{Field: "Policy"},
				&memdb.StringSliceFieldIndex{Field: "Services"},
			}},
		}),
	}
	s := &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{}}
	for _, t := range tables {
		s.Tables[t.Name] = t
	}
	return s
}
