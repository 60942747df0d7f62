package loader

import (
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"
)

// IAM account exports: the output of
// `aws iam get-account-authorization-details` (UserDetailList,
// GroupDetailList, RoleDetailList, Policies), one page or a JSON array of
// pages. Policy documents may be objects or URL-encoded JSON strings.

// IAMExport is what an export file describes, per account.
type IAMExport struct {
	Accounts []*Account
	// Versions keeps every version of each managed policy (the default
	// one is the policy in force), by policy ARN.
	Versions map[string][]PolicyVersion
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	ID      string
	Default bool
	Policy  *Policy
}

// LoadIAMExportFile reads an authorization-details export.
func LoadIAMExportFile(path string) (*IAMExport, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read IAM export: %w", err)
	}
	return ParseIAMExport(path, data)
}

// ParseIAMExport decodes an authorization-details export.
func ParseIAMExport(file string, data []byte) (*IAMExport, error) {
	root, err := Decode(file, data)
	if err != nil {
		return nil, err
	}
	pages := []*Node{root}
	if root.Kind == Array {
		pages = root.Items
	}
	x := &exportReader{accounts: map[string]*Account{}, out: &IAMExport{Versions: map[string][]PolicyVersion{}}}
	for _, page := range pages {
		if err := x.page(page); err != nil {
			return nil, err
		}
	}
	for _, id := range sortedAccountIDs(x.accounts) {
		x.out.Accounts = append(x.out.Accounts, x.accounts[id])
	}
	return x.out, x.missing()
}

type exportReader struct {
	accounts map[string]*Account
	out      *IAMExport
	aws      []*ManagedPolicy // AWS managed policies, added to every account that uses them
}

var exportSections = []struct {
	key  string
	read func(*exportReader, *Node) error
}{
	{"Policies", (*exportReader).policy}, {"GroupDetailList", (*exportReader).group},
	{"UserDetailList", (*exportReader).user}, {"RoleDetailList", (*exportReader).role},
}

func (x *exportReader) page(n *Node) error {
	if _, err := object(n, "UserDetailList", "GroupDetailList", "RoleDetailList", "Policies", "Marker", "IsTruncated"); err != nil {
		return err
	}
	for _, s := range exportSections {
		ln := n.Get(s.key)
		if ln == nil {
			continue
		}
		items, err := list(ln)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := s.read(x, it); err != nil {
				return err
			}
		}
	}
	return nil
}

// account returns the account an ARN belongs to, creating it.
func (x *exportReader) account(n *Node, arn string) (*Account, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || !accountIDPattern.MatchString(parts[4]) {
		return nil, nodeError(n, "invalid_value", "Arn: expected arn:aws:iam::ACCOUNT:..., got %q", arn)
	}
	a, ok := x.accounts[parts[4]]
	if !ok {
		a = &Account{ID: parts[4]}
		x.accounts[parts[4]] = a
	}
	return a, nil
}

func sortedAccountIDs(m map[string]*Account) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// document parses a policy document given as an object or as a
// (URL-encoded) JSON string.
func document(n *Node, kind PolicyKind, name string) (*Policy, error) {
	if n == nil {
		return nil, fmt.Errorf("missing policy document")
	}
	if n.Kind != String {
		return ParsePolicy(n.File, n, kind, name)
	}
	text := n.Str
	if !strings.HasPrefix(strings.TrimSpace(text), "{") {
		dec, err := url.QueryUnescape(text)
		if err != nil {
			return nil, nodeError(n, "invalid_value", "policy document: not JSON and not URL-encoded JSON: %v", err)
		}
		text = dec
	}
	p, err := ParsePolicyBytes(n.File+" "+n.Path, []byte(text), kind, name)
	if err != nil {
		return nil, fmt.Errorf("%s:%d:%d: %s: %w", n.File, n.Line, n.Col, n.Path, err)
	}
	return p, nil
}

func (x *exportReader) policy(n *Node) error {
	o, err := object(n, "PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId", "AttachmentCount",
		"PermissionsBoundaryUsageCount", "IsAttachable", "CreateDate", "UpdateDate", "PolicyVersionList", "Description")
	if err != nil {
		return err
	}
	arn, err := o.str("Arn", true)
	if err != nil {
		return err
	}
	name, err := o.str("PolicyName", true)
	if err != nil {
		return err
	}
	mp := &ManagedPolicy{ARN: arn, Name: name}
	versions, err := x.versions(o.get("PolicyVersionList"), arn)
	if err != nil {
		return err
	}
	for _, v := range versions {
		if v.Default {
			mp.Policy = v.Policy
		}
	}
	if mp.Policy == nil {
		return nodeError(n, "missing_element", "policy %s: no version has IsDefaultVersion true", arn)
	}
	x.out.Versions[arn] = versions
	if strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") {
		mp.Account = "aws"
		x.aws = append(x.aws, mp)
		return nil
	}
	a, err := x.account(n, arn)
	if err != nil {
		return err
	}
	mp.Account = a.ID
	a.ManagedPolicies = append(a.ManagedPolicies, mp)
	return nil
}

func (x *exportReader) versions(n *Node, arn string) ([]PolicyVersion, error) {
	if n == nil {
		return nil, fmt.Errorf("policy %s: missing PolicyVersionList", arn)
	}
	items, err := list(n)
	if err != nil {
		return nil, err
	}
	var out []PolicyVersion
	for _, it := range items {
		vo, err := object(it, "Document", "VersionId", "IsDefaultVersion", "CreateDate")
		if err != nil {
			return nil, err
		}
		id, err := vo.str("VersionId", false)
		if err != nil {
			return nil, err
		}
		def, err := vo.boolean("IsDefaultVersion")
		if err != nil {
			return nil, err
		}
		name := arn
		if !def {
			name = arn + "?version=" + id // a non-default version is not in force
		}
		p, err := document(vo.get("Document"), KindIdentity, name)
		if err != nil {
			return nil, fmt.Errorf("policy %s version %s: %w", arn, id, err)
		}
		out = append(out, PolicyVersion{ID: id, Default: def, Policy: p})
	}
	return out, nil
}
