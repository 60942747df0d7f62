package loader

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Organizations exports: the outputs of the `aws organizations` CLI saved
// in a directory, one file per call, named after the command:
//
//	describe-organization.json                 (optional: Id, MasterAccountId)
//	list-roots.json
//	list-organizational-units-for-parent/PARENT_ID.json
//	list-accounts-for-parent/PARENT_ID.json
//	describe-policy/POLICY_ID.json             (SCPs and RCPs, Content as a JSON string)
//	list-targets-for-policy/POLICY_ID.json
//
// PARENT_ID is a root or OU id; POLICY_ID a policy id (p-...).

// OrgExport is an organization with the accounts it lists.
type OrgExport struct {
	Organization *Organization
	Accounts     []*Account // id, name and OU path (and SCPs/RCPs attached to the account)
}

var policyKinds = map[string]PolicyKind{"SERVICE_CONTROL_POLICY": KindSCP, "RESOURCE_CONTROL_POLICY": KindRCP}

// LoadOrgExport reads an organization export directory.
func LoadOrgExport(dir string) (*OrgExport, error) {
	x := &orgReader{dir: dir, units: map[string]*OrgUnit{}, accounts: map[string]*Account{}}
	org := &Organization{}
	if n, err := x.file("describe-organization.json"); err == nil {
		if o := n.Get("Organization"); o != nil && o.Kind == Object {
			org.ID, org.ManagementAccount = strMember(o, "Id"), strMember(o, "MasterAccountId")
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	root, err := x.root()
	if err != nil {
		return nil, err
	}
	org.Root = root
	if err := x.walk(root, ""); err != nil {
		return nil, err
	}
	if org.Policies, err = x.policies(); err != nil {
		return nil, err
	}
	if org.ID == "" {
		org.ID = "o-" + strings.TrimPrefix(root.ID, "r-")
	}
	out := &OrgExport{Organization: org}
	for _, id := range sortedAccountIDs(x.accounts) {
		out.Accounts = append(out.Accounts, x.accounts[id])
	}
	if org.ManagementAccount == "" && len(out.Accounts) > 0 {
		return nil, fmt.Errorf("%s: describe-organization.json is needed to know the management account (SCPs and RCPs do not apply to it)", dir)
	}
	return out, nil
}

type orgReader struct {
	dir      string
	units    map[string]*OrgUnit
	accounts map[string]*Account
}

func (x *orgReader) file(rel string) (*Node, error) {
	path := filepath.Join(x.dir, rel)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Decode(path, data)
}

func strMember(n *Node, key string) string {
	if v := n.Get(key); v != nil {
		return v.Str
	}
	return ""
}

// listOf reads the list member of a CLI output ({"Roots": [...]}).
func (x *orgReader) listOf(rel, key string) ([]*Node, error) {
	n, err := x.file(rel)
	if err != nil {
		return nil, fmt.Errorf("organization export: %w", err)
	}
	l := n.Get(key)
	if l == nil {
		return nil, nodeError(n, "missing_element", "expected %q (the output of aws organizations %s)", key, strings.TrimSuffix(filepath.Dir(rel+"/x"), "/"))
	}
	return list(l)
}

func (x *orgReader) root() (*OrgUnit, error) {
	roots, err := x.listOf("list-roots.json", "Roots")
	if err != nil {
		return nil, err
	}
	if len(roots) != 1 {
		return nil, fmt.Errorf("%s: expected one root, got %d", filepath.Join(x.dir, "list-roots.json"), len(roots))
	}
	r := &OrgUnit{ID: strMember(roots[0], "Id"), Name: strMember(roots[0], "Name")}
	if r.ID == "" {
		return nil, nodeError(roots[0], "missing_element", "root without Id")
	}
	x.units[r.ID] = r
	return r, nil
}

// walk reads the OUs and accounts under a parent, depth first; path is
// the OU names from the root.
func (x *orgReader) walk(parent *OrgUnit, path string) error {
	ous, err := x.optionalList(filepath.Join("list-organizational-units-for-parent", parent.ID+".json"), "OrganizationalUnits")
	if err != nil {
		return err
	}
	for _, n := range ous {
		u := &OrgUnit{ID: strMember(n, "Id"), Name: strMember(n, "Name")}
		if u.ID == "" || u.Name == "" {
			return nodeError(n, "missing_element", "organizational unit without Id or Name")
		}
		x.units[u.ID] = u
		parent.Children = append(parent.Children, u)
		if err := x.walk(u, strings.TrimPrefix(path+"/"+u.Name, "/")); err != nil {
			return err
		}
	}
	accts, err := x.optionalList(filepath.Join("list-accounts-for-parent", parent.ID+".json"), "Accounts")
	if err != nil {
		return err
	}
	for _, n := range accts {
		a := &Account{ID: strMember(n, "Id"), Name: strMember(n, "Name"), OrgPath: path}
		if !accountIDPattern.MatchString(a.ID) {
			return nodeError(n, "invalid_value", "account Id %q: expected 12 digits", a.ID)
		}
		x.accounts[a.ID] = a
	}
	return nil
}

// optionalList reads a per-parent listing; a parent without a file has
// no children of that kind.
func (x *orgReader) optionalList(rel, key string) ([]*Node, error) {
	if _, err := os.Stat(filepath.Join(x.dir, rel)); os.IsNotExist(err) {
		return nil, nil
	}
	return x.listOf(rel, key)
}

func (x *orgReader) policies() ([]*OrgPolicy, error) {
	files, err := filepath.Glob(filepath.Join(x.dir, "describe-policy", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []*OrgPolicy
	for _, f := range files {
		p, err := x.policy(f)
		if err != nil {
			return nil, err
		}
		if p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

func (x *orgReader) policy(file string) (*OrgPolicy, error) {
	rel, _ := filepath.Rel(x.dir, file)
	n, err := x.file(rel)
	if err != nil {
		return nil, err
	}
	pn := n.Get("Policy")
	if pn == nil || pn.Kind != Object {
		return nil, nodeError(n, "missing_element", "expected {\"Policy\": {\"PolicySummary\": ..., \"Content\": ...}} (aws organizations describe-policy)")
	}
	sum := pn.Get("PolicySummary")
	if sum == nil {
		return nil, nodeError(pn, "missing_element", "missing PolicySummary")
	}
	kind, ok := policyKinds[strMember(sum, "Type")]
	if !ok {
		return nil, nil // tag, backup and AI opt-out policies do not authorize
	}
	op := &OrgPolicy{Name: strMember(sum, "Name"), Kind: kind}
	if op.Policy, err = document(pn.Get("Content"), kind, OrgPolicyName(kind, op.Name)); err != nil {
		return nil, fmt.Errorf("%s: Content: %w", file, err)
	}
	id := strMember(sum, "Id")
	targets, err := x.optionalList(filepath.Join("list-targets-for-policy", id+".json"), "Targets")
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		if err := x.attach(t, op); err != nil {
			return nil, err
		}
	}
	return op, nil
}

// attach adds a policy to the level a target names.
func (x *orgReader) attach(t *Node, p *OrgPolicy) error {
	id := strMember(t, "TargetId")
	if a, ok := x.accounts[id]; ok {
		if p.Kind == KindSCP {
			a.SCPs = append(a.SCPs, p.Name)
		} else {
			a.RCPs = append(a.RCPs, p.Name)
		}
		return nil
	}
	u, ok := x.units[id]
	if !ok {
		return nodeError(t, "invalid_value", "policy %s targets %q, which the export's roots, OUs and accounts do not hold", p.Name, id)
	}
	if p.Kind == KindSCP {
		u.SCPs = append(u.SCPs, p.Name)
	} else {
		u.RCPs = append(u.RCPs, p.Name)
	}
	return nil
}
