package export

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// The OU tree, accounts and policies of an organization export, and the
// two layouts it is read from.

// walk reads the OUs and accounts under a parent, depth first; path is
// the OU names from the root.
func (x *orgReader) walk(parent *world.OrgUnit, path string) error {
	ous, err := x.listOf("list-organizational-units-for-parent", parent.ID, "OrganizationalUnits")
	if err != nil {
		return err
	}
	for _, n := range ous {
		u, err := x.unit(n)
		if err != nil {
			return err
		}
		parent.Children = append(parent.Children, u)
		if err := x.walk(u, strings.TrimPrefix(path+"/"+u.Name, "/")); err != nil {
			return err
		}
	}
	accts, err := x.listOf("list-accounts-for-parent", parent.ID, "Accounts")
	if err != nil {
		return err
	}
	for _, n := range accts {
		if err := x.account(n, path); err != nil {
			return err
		}
	}
	return nil
}

// unit reads one OU of list-organizational-units-for-parent; an id seen
// before (an OU listed under two parents, or under itself) is an error.
func (x *orgReader) unit(n *tree.Node) (*world.OrgUnit, error) {
	u := &world.OrgUnit{ID: strMember(n, "Id"), Name: strMember(n, "Name")}
	if u.ID == "" || u.Name == "" {
		return nil, tree.NodeError(n, "missing_element", "expected an organizational unit {Id, Name, Arn}")
	}
	if strings.Contains(u.Name, "/") {
		return nil, tree.NodeError(n, "invalid_value", "OU name %q: a \"/\" would make its accounts' org path ambiguous", u.Name)
	}
	if _, ok := x.units[u.ID]; ok {
		return nil, tree.NodeError(n, "duplicate", "organizational unit %s is listed twice (under two parents, or under itself)", u.ID)
	}
	x.units[u.ID] = u
	return u, nil
}

func (x *orgReader) account(n *tree.Node, path string) error {
	a := &world.Account{ID: strMember(n, "Id"), Name: strMember(n, "Name"), OrgPath: path}
	if !world.AccountIDPattern.MatchString(a.ID) {
		return tree.NodeError(n, "invalid_value", "account Id %q: expected 12 digits", a.ID)
	}
	at := fmt.Sprintf("%s:%d:%d %s", n.File, n.Line, n.Col, n.Path())
	if prev, ok := x.where[a.ID]; ok {
		return tree.NodeError(n, "duplicate", "account %s is listed twice (first at %s)", a.ID, prev)
	}
	x.where[a.ID] = at
	x.accounts[a.ID] = a
	return nil
}

// policies reads the SCPs and RCPs and attaches each to its targets.
func (x *orgReader) policies() ([]*world.OrgPolicy, error) {
	ids, err := x.policyIDs()
	if err != nil {
		return nil, err
	}
	var out []*world.OrgPolicy
	names := map[string]string{}
	for _, id := range ids {
		p, err := x.policy(id)
		if err != nil {
			return nil, err
		}
		if p == nil {
			continue
		}
		key := world.OrgPolicyName(p.Kind, p.Name)
		if prev, ok := names[key]; ok {
			return nil, fmt.Errorf("%s: %s %q has the name of policy %s; policies are attached by name", x.src.where("describe-policy", id), p.Kind, p.Name, prev)
		}
		names[key] = id
		out = append(out, p)
	}
	return out, nil
}

// policyIDs lists the policies to read: those list-policies names when
// it was saved, else every describe-policy output.
func (x *orgReader) policyIDs() ([]string, error) {
	var ids []string
	listed := false
	for _, filter := range []string{"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"} {
		n, err := x.src.output("list-policies", filter)
		if err != nil {
			return nil, err
		}
		listed = listed || n != nil
		items, err := x.listOf("list-policies", filter, "Policies")
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			ids = append(ids, strMember(it, "Id"))
		}
	}
	described, err := x.src.args("describe-policy")
	if err != nil || !listed {
		return described, err
	}
	return ids, x.allDescribed(ids, described)
}

func (x *orgReader) allDescribed(ids, described []string) error {
	have := map[string]bool{}
	for _, id := range described {
		have[id] = true
	}
	var missing []string
	for _, id := range ids {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("partial organization export: list-policies names %s but %s holds no describe-policy output for them",
			strings.Join(missing, ", "), x.src.where("describe-policy", ""))
	}
	return nil
}

func (x *orgReader) policy(id string) (*world.OrgPolicy, error) {
	n, err := x.src.output("describe-policy", id)
	if err != nil || n == nil {
		return nil, err
	}
	pn := n.Get("Policy")
	if pn == nil || pn.Kind != tree.Object {
		return nil, tree.NodeError(n, "missing_element", "expected {\"Policy\": {\"PolicySummary\": ..., \"Content\": ...}} (aws organizations describe-policy)")
	}
	sum := pn.Get("PolicySummary")
	if sum == nil || sum.Kind != tree.Object {
		return nil, tree.NodeError(pn, "missing_element", "expected PolicySummary {Id, Name, Type}")
	}
	kind, ok := policyKinds[strMember(sum, "Type")]
	if !ok {
		return nil, nil // tag, backup and AI opt-out policies do not authorize
	}
	op := &world.OrgPolicy{Name: strMember(sum, "Name"), Kind: kind}
	if op.Name == "" {
		return nil, tree.NodeError(sum, "missing_element", "PolicySummary: missing Name")
	}
	if why, off := x.disabled[kind]; off {
		x.out.Warnings = append(x.out.Warnings, fmt.Sprintf("%s %s (%s) is not applied: %s",
			kind, op.Name, x.src.where("describe-policy", id), why))
		return nil, nil
	}
	content := pn.Get("Content")
	if content == nil {
		return nil, tree.NodeError(pn, "missing_element", "policy %s: missing Content (the policy document)", op.Name)
	}
	if op.Policy, err = document(content, kind, world.OrgPolicyName(kind, op.Name)); err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, op.Name, err)
	}
	return op, x.attachAll(id, op)
}

func (x *orgReader) attachAll(id string, op *world.OrgPolicy) error {
	targets, err := x.listOf("list-targets-for-policy", id, "Targets")
	if err != nil {
		return err
	}
	for _, t := range targets {
		if err := x.attach(t, op); err != nil {
			return err
		}
	}
	return nil
}

// attach adds a policy to the level a target names.
func (x *orgReader) attach(t *tree.Node, p *world.OrgPolicy) error {
	id := strMember(t, "TargetId")
	var names *[]string
	if a, ok := x.accounts[id]; ok {
		names = map[policy.PolicyKind]*[]string{policy.KindSCP: &a.SCPs, policy.KindRCP: &a.RCPs}[p.Kind]
	} else if u, ok := x.units[id]; ok {
		names = map[policy.PolicyKind]*[]string{policy.KindSCP: &u.SCPs, policy.KindRCP: &u.RCPs}[p.Kind]
	} else {
		return tree.NodeError(t, "invalid_value", "policy %s targets %q, which the export's roots, OUs and accounts do not hold", p.Name, id)
	}
	if !slices.Contains(*names, p.Name) {
		*names = append(*names, p.Name)
	}
	return nil
}

// orgDir is the directory layout.
type orgDir struct {
	dir string
	rd  *files.Reader
}

func (d *orgDir) where(cmd, arg string) string {
	if arg == "" {
		if cmd == "describe-policy" {
			return filepath.Join(d.dir, cmd)
		}
		return filepath.Join(d.dir, cmd+".json")
	}
	return filepath.Join(d.dir, cmd, arg+".json")
}

func (d *orgDir) output(cmd, arg string) (*tree.Node, error) {
	path := d.where(cmd, arg)
	data, err := d.rd.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && cmd != "list-roots" {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("organization export: %w", err)
	}
	return tree.Decode(path, data)
}

func (d *orgDir) args(cmd string) ([]string, error) {
	entries, err := d.rd.ReadDir(filepath.Join(d.dir, cmd))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("organization export: %w", err)
	}
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok && !e.IsDir() {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}

// orgBundle is the one-file layout.
type orgBundle struct{ root *tree.Node }

func (b *orgBundle) where(cmd, arg string) string {
	if arg == "" {
		return fmt.Sprintf("%s: $.%s", b.root.File, cmd)
	}
	return fmt.Sprintf("%s: $.%s[%q]", b.root.File, cmd, arg)
}

func (b *orgBundle) output(cmd, arg string) (*tree.Node, error) {
	n := b.root.Get(cmd)
	if n == nil {
		if cmd == "list-roots" {
			return nil, tree.NodeError(b.root, "missing_element", "missing \"list-roots\" (aws organizations list-roots)")
		}
		return nil, nil
	}
	if arg == "" {
		return n, nil
	}
	if n.Kind != tree.Object {
		return nil, tree.NodeError(n, "wrong_type", "%s: expected a mapping of id to the command's output", cmd)
	}
	return n.Get(arg), nil
}

func (b *orgBundle) args(cmd string) ([]string, error) {
	n := b.root.Get(cmd)
	if n == nil {
		return nil, nil
	}
	if n.Kind != tree.Object {
		return nil, tree.NodeError(n, "wrong_type", "%s: expected a mapping of id to the command's output", cmd)
	}
	out := append([]string(nil), n.Keys...)
	sort.Strings(out)
	return out, nil
}
