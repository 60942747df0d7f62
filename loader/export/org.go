package export

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// Organizations exports: the outputs of the `aws organizations` CLI (JSON,
// as `--output json` prints them; an output may also be a JSON array of
// pages), in one of two layouts.
//
// A directory, one file per call, named after the command and the id it
// was called with:
//
//	describe-organization.json                   optional: Id, MasterAccountId
//	list-roots.json
//	list-organizational-units-for-parent/PARENT_ID.json
//	list-accounts-for-parent/PARENT_ID.json
//	list-policies/SERVICE_CONTROL_POLICY.json    optional (--filter value)
//	list-policies/RESOURCE_CONTROL_POLICY.json   optional
//	describe-policy/POLICY_ID.json               Content is the document as a JSON string
//	list-targets-for-policy/POLICY_ID.json
//
// Or one JSON (or YAML) bundle file with the same names as keys:
//
//	{"describe-organization": {...}, "list-roots": {...},
//	 "list-organizational-units-for-parent": {"r-ab12": {...}, "ou-ab12-x": {...}},
//	 "list-accounts-for-parent": {PARENT_ID: {...}},
//	 "list-policies": {"SERVICE_CONTROL_POLICY": {...}},
//	 "describe-policy": {POLICY_ID: {...}}, "list-targets-for-policy": {POLICY_ID: {...}}}
//
// PARENT_ID is a root or OU id, POLICY_ID a policy id (p-...). The tree is
// walked from the root: a parent without a list-*-for-parent output has no
// children of that kind. When list-policies outputs are present every
// policy they list must be described (a partial export is an error);
// otherwise every describe-policy output is read. Tag, backup and other
// policy types do not authorize and are skipped. The management account
// and the organization id come from describe-organization, else from the
// root's ARN (arn:aws:organizations::MANAGEMENT:root/o-ID/r-ID); when
// neither is there the export says so in Warnings. A policy type the
// root's PolicyTypes does not show ENABLED (or every type, when
// describe-organization gives a FeatureSet other than ALL) applies no
// policy: those policies are skipped, and Warnings names each.

// OrgExport is an organization with the accounts it lists.
type OrgExport struct {
	Organization *world.Organization
	Accounts     []*world.Account // id, name and OU path (and SCPs/RCPs attached to the account)
	Warnings     []string
}

var policyKinds = map[string]policy.PolicyKind{"SERVICE_CONTROL_POLICY": policy.KindSCP, "RESOURCE_CONTROL_POLICY": policy.KindRCP}

// orgSource gives the saved output of one call; arg is the parent or
// policy id, "" for calls without one. A call not saved is (nil, nil).
type orgSource interface {
	output(cmd, arg string) (*tree.Node, error)
	args(cmd string) ([]string, error) // the ids a command was saved for
	where(cmd, arg string) string      // the file (or bundle key) for messages
}

// LoadOrgExport reads an organization export: a directory or a bundle file.
func LoadOrgExport(rd *files.Reader, path string) (*OrgExport, error) {
	info, err := rd.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("organization export: %w (expected a directory with list-roots.json, or a bundle file)", err)
	}
	if info.IsDir() {
		return readOrg(&orgDir{dir: path, rd: rd})
	}
	data, err := rd.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("organization export: %w", err)
	}
	return ParseOrgBundle(path, data)
}

// ParseOrgBundle decodes an organization export bundle.
func ParseOrgBundle(file string, data []byte) (*OrgExport, error) {
	root, err := tree.Decode(file, data)
	if err != nil {
		return nil, err
	}
	if _, err := tree.OpenObject(root, orgCommands...); err != nil {
		return nil, err
	}
	return readOrg(&orgBundle{root: root})
}

var orgCommands = []string{"describe-organization", "list-roots", "list-organizational-units-for-parent",
	"list-accounts-for-parent", "list-policies", "describe-policy", "list-targets-for-policy"}

// orgReader builds the organization from a source.
type orgReader struct {
	src      orgSource
	units    map[string]*world.OrgUnit
	accounts map[string]*world.Account
	where    map[string]string // account id -> the output that lists it
	out      *OrgExport
	// disabled holds the policy types the export shows not enabled: the
	// root's PolicyTypes, or an organization without all features.
	disabled map[policy.PolicyKind]string
}

func readOrg(src orgSource) (*OrgExport, error) {
	x := &orgReader{src: src, units: map[string]*world.OrgUnit{}, accounts: map[string]*world.Account{},
		where: map[string]string{}, out: &OrgExport{Organization: &world.Organization{}}}
	org := x.out.Organization
	if err := x.describe(org); err != nil {
		return nil, err
	}
	root, err := x.root(org)
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
	for _, id := range sortedAccountIDs(x.accounts) {
		x.out.Accounts = append(x.out.Accounts, x.accounts[id])
	}
	x.checkManagement(org)
	return x.out, nil
}

// describe reads describe-organization when it was saved.
func (x *orgReader) describe(org *world.Organization) error {
	n, err := x.src.output("describe-organization", "")
	if err != nil || n == nil {
		return err
	}
	o := n.Get("Organization")
	if o == nil || o.Kind != tree.Object {
		return tree.NodeError(n, "missing_element", "expected {\"Organization\": {\"Id\": ..., \"MasterAccountId\": ...}} (aws organizations describe-organization)")
	}
	org.ID, org.ManagementAccount = strMember(o, "Id"), strMember(o, "MasterAccountId")
	// "Consolidated billing features ... don't include ... authorization
	// policies" (orgs_getting-started_concepts.html, feature sets).
	if fs := strMember(o, "FeatureSet"); fs != "" && fs != "ALL" {
		for _, k := range policyKinds {
			x.disable(k, "the organization's FeatureSet is "+fs+", not ALL")
		}
	}
	return nil
}

func (x *orgReader) disable(k policy.PolicyKind, why string) {
	if x.disabled == nil {
		x.disabled = map[policy.PolicyKind]string{}
	}
	if _, ok := x.disabled[k]; !ok {
		x.disabled[k] = why
	}
}

// policyTypes reads the root's PolicyTypes (list-roots): a policy type
// applies only while its Status is ENABLED. A root listed without
// PolicyTypes leaves every type as the policies found say.
func (x *orgReader) policyTypes(root *tree.Node) error {
	pt := root.Get("PolicyTypes")
	if pt == nil || pt.Kind == tree.Null {
		return nil
	}
	items, err := tree.List(pt)
	if err != nil {
		return err
	}
	status := map[string]string{}
	for _, it := range items {
		status[strMember(it, "Type")] = strMember(it, "Status")
	}
	for name, k := range policyKinds {
		if st := status[name]; st != "ENABLED" {
			if st == "" {
				st = "absent"
			}
			x.disable(k, fmt.Sprintf("list-roots PolicyTypes: %s is %s", name, st))
		}
	}
	return nil
}

// checkManagement reports a management account the export does not name:
// SCPs and RCPs would then apply to it, which AWS does not do.
func (x *orgReader) checkManagement(org *world.Organization) {
	if org.ManagementAccount != "" {
		return
	}
	x.out.Warnings = append(x.out.Warnings, fmt.Sprintf("organization %s: the management account is unknown (no describe-organization output and no ARN): "+
		"SCPs and RCPs are applied to every listed account, though AWS exempts the management account", org.ID))
}

func strMember(n *tree.Node, key string) string {
	if v := n.Get(key); v != nil {
		return v.Str
	}
	return ""
}

// listOf reads the list member of a saved output ({"Roots": [...]}), or
// of each page when the output is an array of pages. A call not saved
// has an empty list.
func (x *orgReader) listOf(cmd, arg, key string) ([]*tree.Node, error) {
	n, err := x.src.output(cmd, arg)
	if err != nil || n == nil {
		return nil, err
	}
	pages := []*tree.Node{n}
	if n.Kind == tree.Array {
		pages = n.Items
	}
	var out []*tree.Node
	for _, p := range pages {
		l := p.Get(key)
		if l == nil {
			return nil, tree.NodeError(p, "missing_element", "expected {%q: [...]} (the output of aws organizations %s)", key, cmd)
		}
		items, err := tree.List(l)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

func (x *orgReader) root(org *world.Organization) (*world.OrgUnit, error) {
	roots, err := x.listOf("list-roots", "", "Roots")
	if err != nil {
		return nil, err
	}
	if len(roots) != 1 {
		return nil, fmt.Errorf("%s: expected one root (aws organizations list-roots), got %d", x.src.where("list-roots", ""), len(roots))
	}
	n := roots[0]
	r := &world.OrgUnit{ID: strMember(n, "Id"), Name: strMember(n, "Name")}
	if !strings.HasPrefix(r.ID, "r-") {
		return nil, tree.NodeError(n, "invalid_value", "root Id: expected r-..., got %q", r.ID)
	}
	x.fromRootARN(org, strMember(n, "Arn"))
	if err := x.policyTypes(n); err != nil {
		return nil, err
	}
	x.units[r.ID] = r
	return r, nil
}

// fromRootARN fills in what describe-organization did not give from the
// root's ARN: arn:aws:organizations::MANAGEMENT:root/o-ID/r-ID.
func (x *orgReader) fromRootARN(org *world.Organization, arn string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && org.ManagementAccount == "" && world.AccountIDPattern.MatchString(parts[4]) {
		org.ManagementAccount = parts[4]
	}
	if f := strings.Split(parts[len(parts)-1], "/"); org.ID == "" && len(f) == 3 && strings.HasPrefix(f[1], "o-") {
		org.ID = f[1]
	}
	if org.ID == "" {
		org.ID = "o-unknown"
		x.out.Warnings = append(x.out.Warnings, "organization id unknown (no describe-organization output, no root ARN): named o-unknown; aws:PrincipalOrgID conditions naming the real id will not match")
	}
}
