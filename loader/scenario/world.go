package scenario

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

func decodeWorld(n *tree.Node, rd *files.Reader) (*world.World, error) {
	o, err := tree.OpenObject(n, "organization", "accounts", "export")
	if err != nil {
		return nil, err
	}
	w := &world.World{}
	if on := o.Get("organization"); on != nil {
		if w.Organization, err = decodeOrg(on); err != nil {
			return nil, err
		}
	}
	if an := o.Get("accounts"); an != nil {
		items, err := tree.List(an)
		if err != nil {
			return nil, err
		}
		if err := uniqueIDs(items); err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, it := range items {
			a, err := decodeAccount(it)
			if err != nil {
				return nil, err
			}
			if seen[a.ID] {
				return nil, tree.NodeError(it, "duplicate", "account %s is declared twice", a.ID)
			}
			seen[a.ID] = true
			w.Accounts = append(w.Accounts, a)
		}
	}
	if xn := o.Get("export"); xn != nil {
		if err := decodeExport(xn, w, rd); err != nil {
			return nil, err
		}
	}
	return w, nil
}

func decodeOrg(n *tree.Node) (*world.Organization, error) {
	o, err := tree.OpenObject(n, "id", "management_account", "policies", "root")
	if err != nil {
		return nil, err
	}
	org := &world.Organization{}
	if org.ID, err = o.Str("id", true); err != nil {
		return nil, err
	}
	if org.ManagementAccount, err = o.Str("management_account", true); err != nil {
		return nil, err
	}
	if pn := o.Get("policies"); pn != nil {
		items, err := tree.List(pn)
		if err != nil {
			return nil, err
		}
		names := map[string]*tree.Node{}
		for _, it := range items {
			p, err := decodeOrgPolicy(it)
			if err != nil {
				return nil, err
			}
			if err := uniqueName(names, string(p.Kind)+"/"+p.Name, it.Get("name"), string(p.Kind), p.Name); err != nil {
				return nil, err
			}
			org.Policies = append(org.Policies, p)
		}
	}
	rn := o.Get("root")
	if rn == nil {
		return nil, tree.NodeError(n, "missing_element", "organization: missing required key \"root\"")
	}
	if org.Root, err = decodeUnit(rn); err != nil {
		return nil, err
	}
	return org, nil
}

func decodeOrgPolicy(n *tree.Node) (*world.OrgPolicy, error) {
	o, err := tree.OpenObject(n, "name", "type", "document", "description")
	if err != nil {
		return nil, err
	}
	name, err := o.Str("name", true)
	if err != nil {
		return nil, err
	}
	typ, err := o.Str("type", true)
	if err != nil {
		return nil, err
	}
	kind := policy.PolicyKind(strings.ToLower(typ))
	if kind != policy.KindSCP && kind != policy.KindRCP {
		return nil, o.Errorf("type", "invalid_value", "type: expected scp or rcp, got %q", typ)
	}
	p, err := policyDoc(o, "document", kind, world.OrgPolicyName(kind, name), true)
	if err != nil {
		return nil, err
	}
	return &world.OrgPolicy{Name: name, Kind: kind, Policy: p}, nil
}

func decodeUnit(n *tree.Node) (*world.OrgUnit, error) {
	o, err := tree.OpenObject(n, "id", "name", "scps", "rcps", "children")
	if err != nil {
		return nil, err
	}
	u := &world.OrgUnit{At: n.Loc()}
	if u.ID, err = o.Str("id", true); err != nil {
		return nil, err
	}
	if u.Name, err = o.Str("name", false); err != nil {
		return nil, err
	}
	if u.SCPs, err = o.Strs("scps"); err != nil {
		return nil, err
	}
	if u.RCPs, err = o.Strs("rcps"); err != nil {
		return nil, err
	}
	recordRefs(o, "scps", world.RefSCP, &u.Refs)
	recordRefs(o, "rcps", world.RefRCP, &u.Refs)
	if cn := o.Get("children"); cn != nil {
		items, err := tree.List(cn)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			c, err := decodeUnit(it)
			if err != nil {
				return nil, err
			}
			if c.Name == "" {
				return nil, tree.NodeError(it, "missing_element", "an OU needs a name (accounts' org_path refers to OU names)")
			}
			u.Children = append(u.Children, c)
		}
	}
	return u, nil
}

// policyDoc parses the policy document under key: a mapping, or a string
// holding JSON.
func policyDoc(o *tree.ObjReader, key string, kind policy.PolicyKind, name string, required bool) (*policy.Policy, error) {
	n := o.Get(key)
	if n == nil || n.Kind == tree.Null {
		if required {
			return nil, tree.NodeError(o.N, "missing_element", "missing required key %q (a policy document)", key)
		}
		return nil, nil
	}
	if n.Kind == tree.String {
		p, err := policy.ParsePolicyBytes(n.File+" "+n.Path(), []byte(n.Str), kind, name)
		if err != nil {
			return nil, fmt.Errorf("%s:%d:%d: %s: %w", n.File, n.Line, n.Col, n.Path(), err)
		}
		p.HeldIn = &policy.Place{File: n.File, Path: n.Path(), Line: n.Line, Col: n.Col}
		return p, nil
	}
	return policy.ParsePolicy(n.File, n, kind, name)
}

// uniqueID makes a stable IAM-style unique id for an entity the world did
// not give one (AIDA... for users, AROA... for roles).
func uniqueID(prefix, arn string) string {
	h := fnv.New64a()
	h.Write([]byte(arn))
	return prefix + strings.ToUpper(fmt.Sprintf("%016x", h.Sum64()))
}
