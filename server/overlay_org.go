package server

import (
	"fmt"
	"slices"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// fullAWSAccess is the SCP AWS attaches to every root, OU and account:
// "By default, an SCP named FullAWSAccess is attached to every root, OU,
// and account" (orgs_manage_policies_scps.html); a level the world lists
// no SCP for has it (the store's default).
const fullAWSAccess = "FullAWSAccess"

// putOrgPolicy replaces an SCP or RCP's document, or adds a new one
// attached to attachTo: the root, an OU (by id) or a member account.
func (c *cow) putOrgPolicy(ref PolicyRef, doc []byte, attachTo string) error {
	if c.w.Organization == nil {
		return fmt.Errorf("%s: the world has no organization", ref.Kind)
	}
	kind := policy.KindSCP
	if ref.Kind == refRCP {
		kind = policy.KindRCP
	}
	p, err := parse(doc, kind, world.OrgPolicyName(kind, ref.Target))
	if err != nil {
		return err
	}
	org := *c.w.Organization
	org.Policies = slices.Clone(org.Policies)
	c.w.Organization = &org
	for i, op := range org.Policies {
		if op.Kind == kind && op.Name == ref.Target {
			cp := *op
			cp.Policy, org.Policies[i] = p, &cp
			return nil
		}
	}
	if attachTo == "" {
		return fmt.Errorf("%s %s is new: attach_to must name the root, an OU or an account of the organization", ref.Kind, ref.Target)
	}
	var list *[]string
	if a := c.memberAccount(attachTo); a != nil {
		list = attachList(kind, &a.SCPs, &a.RCPs)
	} else if u := c.orgUnit(attachTo); u != nil {
		list = attachList(kind, &u.SCPs, &u.RCPs)
	} else {
		return fmt.Errorf("%s %s: attach_to %q is neither the root, an OU nor a member account of the organization", ref.Kind, ref.Target, attachTo)
	}
	org.Policies = append(org.Policies, &world.OrgPolicy{Name: ref.Target, Kind: kind, Policy: p})
	next := slices.Clone(*list)
	if kind == policy.KindSCP && len(next) == 0 {
		// The level had FullAWSAccess by default; attaching another SCP
		// does not detach it.
		next = append(next, fullAWSAccess)
	}
	*list = append(next, ref.Target)
	return nil
}

func attachList(kind policy.PolicyKind, scps, rcps *[]string) *[]string {
	if kind == policy.KindSCP {
		return scps
	}
	return rcps
}

// memberAccount is a private copy of the account id when it is a member
// of the organization, or nil.
func (c *cow) memberAccount(id string) *world.Account {
	i := slices.IndexFunc(c.w.Accounts, func(a *world.Account) bool { return a.ID == id })
	if i < 0 || c.w.Accounts[i].OutsideOrg {
		return nil
	}
	return c.account(id)
}

// orgUnit is a private copy of the root or the OU id, with every unit on
// its way from the root copied (the loaded world's units are shared), or
// nil.
func (c *cow) orgUnit(id string) *world.OrgUnit {
	org := c.w.Organization
	if org.Root == nil {
		return nil
	}
	var path []int
	var find func(u *world.OrgUnit) bool
	find = func(u *world.OrgUnit) bool {
		if u.ID == id {
			return true
		}
		for i, ch := range u.Children {
			path = append(path, i)
			if find(ch) {
				return true
			}
			path = path[:len(path)-1]
		}
		return false
	}
	if !find(org.Root) {
		return nil
	}
	root := *org.Root
	org.Root = &root
	u := &root
	for _, i := range path {
		u.Children = slices.Clone(u.Children)
		ch := *u.Children[i]
		u.Children[i] = &ch
		u = &ch
	}
	return u
}
