package loader

import (
	"fmt"
	"hash/fnv"
	"strings"
)

func decodeWorld(n *Node) (*World, error) {
	o, err := object(n, "organization", "accounts", "export")
	if err != nil {
		return nil, err
	}
	w := &World{}
	if on := o.get("organization"); on != nil {
		if w.Organization, err = decodeOrg(on); err != nil {
			return nil, err
		}
	}
	if an := o.get("accounts"); an != nil {
		items, err := list(an)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, it := range items {
			a, err := decodeAccount(it)
			if err != nil {
				return nil, err
			}
			if seen[a.ID] {
				return nil, nodeError(it, "duplicate", "account %s is declared twice", a.ID)
			}
			seen[a.ID] = true
			w.Accounts = append(w.Accounts, a)
		}
	}
	if xn := o.get("export"); xn != nil {
		if err := decodeExport(xn, w); err != nil {
			return nil, err
		}
	}
	return w, nil
}

func decodeOrg(n *Node) (*Organization, error) {
	o, err := object(n, "id", "management_account", "policies", "root")
	if err != nil {
		return nil, err
	}
	org := &Organization{}
	if org.ID, err = o.str("id", true); err != nil {
		return nil, err
	}
	if org.ManagementAccount, err = o.str("management_account", true); err != nil {
		return nil, err
	}
	if pn := o.get("policies"); pn != nil {
		items, err := list(pn)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			p, err := decodeOrgPolicy(it)
			if err != nil {
				return nil, err
			}
			org.Policies = append(org.Policies, p)
		}
	}
	rn := o.get("root")
	if rn == nil {
		return nil, nodeError(n, "missing_element", "organization: missing required key \"root\"")
	}
	if org.Root, err = decodeUnit(rn); err != nil {
		return nil, err
	}
	return org, nil
}

func decodeOrgPolicy(n *Node) (*OrgPolicy, error) {
	o, err := object(n, "name", "type", "document", "description")
	if err != nil {
		return nil, err
	}
	name, err := o.str("name", true)
	if err != nil {
		return nil, err
	}
	typ, err := o.str("type", true)
	if err != nil {
		return nil, err
	}
	kind := PolicyKind(strings.ToLower(typ))
	if kind != KindSCP && kind != KindRCP {
		return nil, o.errorf("type", "invalid_value", "type: expected scp or rcp, got %q", typ)
	}
	p, err := policyDoc(o, "document", kind, OrgPolicyName(kind, name), true)
	if err != nil {
		return nil, err
	}
	return &OrgPolicy{Name: name, Kind: kind, Policy: p}, nil
}

func decodeUnit(n *Node) (*OrgUnit, error) {
	o, err := object(n, "id", "name", "scps", "rcps", "children")
	if err != nil {
		return nil, err
	}
	u := &OrgUnit{}
	if u.ID, err = o.str("id", true); err != nil {
		return nil, err
	}
	if u.Name, err = o.str("name", false); err != nil {
		return nil, err
	}
	if u.SCPs, err = o.strs("scps"); err != nil {
		return nil, err
	}
	if u.RCPs, err = o.strs("rcps"); err != nil {
		return nil, err
	}
	if cn := o.get("children"); cn != nil {
		items, err := list(cn)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			c, err := decodeUnit(it)
			if err != nil {
				return nil, err
			}
			if c.Name == "" {
				return nil, nodeError(it, "missing_element", "an OU needs a name (accounts' org_path refers to OU names)")
			}
			u.Children = append(u.Children, c)
		}
	}
	return u, nil
}

// policyDoc parses the policy document under key: a mapping, or a string
// holding JSON.
func policyDoc(o *objReader, key string, kind PolicyKind, name string, required bool) (*Policy, error) {
	n := o.get(key)
	if n == nil || n.Kind == Null {
		if required {
			return nil, nodeError(o.n, "missing_element", "missing required key %q (a policy document)", key)
		}
		return nil, nil
	}
	if n.Kind == String {
		p, err := ParsePolicyBytes(n.File+" "+n.Path, []byte(n.Str), kind, name)
		if err != nil {
			return nil, fmt.Errorf("%s:%d:%d: %s: %w", n.File, n.Line, n.Col, n.Path, err)
		}
		return p, nil
	}
	return ParsePolicy(n.File, n, kind, name)
}

// uniqueID makes a stable IAM-style unique id for an entity the world did
// not give one (AIDA... for users, AROA... for roles).
func uniqueID(prefix, arn string) string {
	h := fnv.New64a()
	h.Write([]byte(arn))
	return prefix + strings.ToUpper(fmt.Sprintf("%016x", h.Sum64()))
}
