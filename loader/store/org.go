package store

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// The policies AWS attaches by default: FullAWSAccess (an SCP, attached to
// every entity unless replaced) and RCPFullAWSAccess (attached to every
// entity, cannot be detached).
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
const (
	FullAWSAccess    = "FullAWSAccess"
	RCPFullAWSAccess = policy.RCPFullAWSAccess
)

const fullAccessDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

const rcpFullAccessDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`

func (w *writer) organization(o *world.Organization, accounts []*world.Account) error {
	if err := w.insert(tableOrg, &orgRow{ID: o.ID, ManagementAccount: o.ManagementAccount}); err != nil {
		return err
	}
	defaults, err := defaultOrgPolicies(o)
	if err != nil {
		return err
	}
	for _, p := range append(defaults, o.Policies...) {
		if p == nil {
			continue
		}
		p.ID = world.OrgPolicyName(p.Kind, p.Name)
		if p.Policy == nil || p.Policy.Name != p.ID {
			// The statements are indexed under the document's name; a
			// mismatch would leave the level without its statements.
			return fmt.Errorf("%s %q: its document must be named %q (loader.OrgPolicyName)", p.Kind, p.Name, p.ID)
		}
		if err := w.insert(tableOrgPolicies, p); err != nil {
			return err
		}
		if err := w.policy(p.Policy); err != nil {
			return err
		}
	}
	if o.Root == nil {
		return fmt.Errorf("the organization has no root")
	}
	paths := map[string]string{} // OU path -> node id
	if err := w.unit(o.Root, "", "", "root", paths); err != nil {
		return err
	}
	for _, a := range accounts {
		if a.OutsideOrg {
			continue
		}
		parent, ok := paths[strings.Trim(a.OrgPath, "/")]
		if !ok {
			at := a.Refs.At(world.RefOU, a.OrgPath)
			if !at.Known() {
				at = a.At
			}
			return tree.LocError(at, tree.CodeUnknownReference, "account %s: org_path %q names no OU of the organization", a.ID, a.OrgPath)
		}
		node := &OrgNode{ID: a.ID, Name: a.Name, Kind: "account", Parent: parent,
			SCPs: defaultSCP(a.SCPs), RCPs: withRCPFull(a.RCPs)}
		if err := w.orgNode(node, a.Refs); err != nil {
			return within("account "+a.ID, err)
		}
	}
	return nil
}

func (w *writer) unit(u *world.OrgUnit, parent, path, kind string, paths map[string]string) error {
	node := &OrgNode{ID: u.ID, Name: u.Name, Kind: kind, Parent: parent,
		SCPs: defaultSCP(u.SCPs), RCPs: withRCPFull(u.RCPs)}
	if node.ID == "" {
		return tree.LocError(u.At, tree.CodeMissingElement, "OU %q has no id", u.Name)
	}
	if err := w.orgNode(node, u.Refs); err != nil {
		return within(fmt.Sprintf("OU %q", u.Name), err)
	}
	paths[path] = u.ID
	for _, c := range u.Children {
		child := c.Name
		if path != "" {
			child = path + "/" + c.Name
		}
		if err := w.unit(c, u.ID, child, "ou", paths); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) orgNode(n *OrgNode, refs world.Refs) error {
	for _, list := range []struct {
		kind  policy.PolicyKind
		ref   string
		names []string
	}{{policy.KindSCP, world.RefSCP, n.SCPs}, {policy.KindRCP, world.RefRCP, n.RCPs}} {
		for _, name := range list.names {
			raw, err := w.txn.First(tableOrgPolicies, "id", world.OrgPolicyName(list.kind, name))
			if err != nil || raw == nil {
				return tree.LocError(refs.At(list.ref, name), tree.CodeUnknownReference,
					"%s %q is not defined in the organization's policies", list.kind, name)
			}
		}
	}
	for _, name := range n.SCPs {
		if err := w.insert(tableAttachments, &Attachment{ID: n.ID + "|scp|" + name, Target: n.ID, Kind: "scp", Policy: name}); err != nil {
			return err
		}
	}
	for _, name := range n.RCPs {
		if err := w.insert(tableAttachments, &Attachment{ID: n.ID + "|rcp|" + name, Target: n.ID, Kind: "rcp", Policy: name}); err != nil {
			return err
		}
	}
	return w.insert(tableOrgNodes, n)
}

func defaultSCP(names []string) []string {
	if len(names) == 0 {
		return []string{FullAWSAccess}
	}
	return names
}

func withRCPFull(names []string) []string {
	for _, n := range names {
		if n == RCPFullAWSAccess {
			return names
		}
	}
	return append([]string{RCPFullAWSAccess}, names...)
}

func hasOrgPolicy(o *world.Organization, kind policy.PolicyKind, name string) bool {
	for _, p := range o.Policies {
		if p != nil && p.Kind == kind && p.Name == name {
			return true
		}
	}
	return false
}

// defaultOrgPolicies returns the AWS default policies the organization does
// not define itself.
func defaultOrgPolicies(o *world.Organization) ([]*world.OrgPolicy, error) {
	var out []*world.OrgPolicy
	for _, d := range []struct {
		kind      policy.PolicyKind
		name, doc string
	}{{policy.KindSCP, FullAWSAccess, fullAccessDoc}, {policy.KindRCP, RCPFullAWSAccess, rcpFullAccessDoc}} {
		if hasOrgPolicy(o, d.kind, d.name) {
			continue
		}
		p, err := policy.ParsePolicyBytes("(built in)", []byte(d.doc), d.kind, world.OrgPolicyName(d.kind, d.name))
		if err != nil {
			return nil, fmt.Errorf("built-in %s %s: %w", d.kind, d.name, err)
		}
		out = append(out, &world.OrgPolicy{Name: d.name, Kind: d.kind, Policy: p})
	}
	return out, nil
}
