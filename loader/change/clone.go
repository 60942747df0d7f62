package change

import (
	"maps"
	"slices"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// The world after a change is a copy: the caller keeps the world before it
// for the other side of the comparison, and may load both into stores at
// once. Loading a world writes into its policies' statements (the store
// sets Statement.Policy and ResVars), so every policy is copied down to its
// statements; what no store writes (conditions, patterns) is shared.

// cloneWorld copies w deep enough that no edit and no store load of the
// copy touches w.
func cloneWorld(w *world.World) *world.World {
	out := &world.World{
		Warnings: slices.Clone(w.Warnings),
		Sources:  slices.Clone(w.Sources),
	}
	if w.Organization != nil {
		out.Organization = cloneOrg(w.Organization)
	}
	for _, a := range w.Accounts {
		out.Accounts = append(out.Accounts, cloneAccount(a))
	}
	return out
}

func cloneOrg(o *world.Organization) *world.Organization {
	out := &world.Organization{ID: o.ID, ManagementAccount: o.ManagementAccount, Root: cloneUnit(o.Root)}
	for _, p := range o.Policies {
		if p == nil {
			continue
		}
		cp := *p
		cp.Policy = clonePolicy(p.Policy)
		out.Policies = append(out.Policies, &cp)
	}
	return out
}

func cloneUnit(u *world.OrgUnit) *world.OrgUnit {
	if u == nil {
		return nil
	}
	cp := *u
	cp.SCPs, cp.RCPs, cp.Refs = slices.Clone(u.SCPs), slices.Clone(u.RCPs), maps.Clone(u.Refs)
	cp.Children = nil
	for _, c := range u.Children {
		cp.Children = append(cp.Children, cloneUnit(c))
	}
	return &cp
}

func cloneAccount(a *world.Account) *world.Account {
	cp := *a
	cp.SCPs, cp.RCPs, cp.Refs = slices.Clone(a.SCPs), slices.Clone(a.RCPs), maps.Clone(a.Refs)
	cp.Users = cloneEach(a.Users, cloneUser)
	cp.Groups = cloneEach(a.Groups, cloneGroup)
	cp.Roles = cloneEach(a.Roles, cloneRole)
	cp.ManagedPolicies = cloneEach(a.ManagedPolicies, func(p *world.ManagedPolicy) *world.ManagedPolicy {
		c := *p
		c.Policy = clonePolicy(p.Policy)
		return &c
	})
	cp.Resources = cloneEach(a.Resources, func(r *world.Resource) *world.Resource {
		c := *r
		c.Policy, c.Tags = clonePolicy(r.Policy), maps.Clone(r.Tags)
		return &c
	})
	cp.VPCEndpoints = cloneEach(a.VPCEndpoints, func(e *world.VPCEndpoint) *world.VPCEndpoint {
		c := *e
		c.Policy = clonePolicy(e.Policy)
		return &c
	})
	cp.Providers = slices.Clone(a.Providers)
	cp.IdentityPools = slices.Clone(a.IdentityPools)
	return &cp
}

func cloneEach[T any](in []*T, f func(*T) *T) []*T {
	if in == nil {
		return nil
	}
	out := make([]*T, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

func cloneUser(u *world.User) *world.User {
	c := *u
	c.Groups, c.Managed, c.Tags = slices.Clone(u.Groups), slices.Clone(u.Managed), maps.Clone(u.Tags)
	c.Inline, c.Refs = clonePolicies(u.Inline), maps.Clone(u.Refs)
	return &c
}

func cloneGroup(g *world.Group) *world.Group {
	c := *g
	c.Managed, c.Inline, c.Refs = slices.Clone(g.Managed), clonePolicies(g.Inline), maps.Clone(g.Refs)
	return &c
}

func cloneRole(r *world.Role) *world.Role {
	c := *r
	c.Managed, c.Tags = slices.Clone(r.Managed), maps.Clone(r.Tags)
	c.InstanceProfiles = slices.Clone(r.InstanceProfiles)
	c.Trust, c.Inline, c.Refs = clonePolicy(r.Trust), clonePolicies(r.Inline), maps.Clone(r.Refs)
	return &c
}

func clonePolicies(ps []*policy.Policy) []*policy.Policy {
	return cloneEach(ps, clonePolicy)
}

// clonePolicy copies a policy and its statements (nil stays nil).
func clonePolicy(p *policy.Policy) *policy.Policy {
	if p == nil {
		return nil
	}
	c := *p
	c.Statements = slices.Clone(p.Statements)
	c.Warnings = slices.Clone(p.Warnings)
	return &c
}

// named is a copy of p under the name the world gives it (an inline
// policy's owner#name, a managed policy's ARN, ...): the store indexes
// statements by it.
func named(p *policy.Policy, name string) *policy.Policy {
	c := clonePolicy(p)
	c.Name = name
	for i := range c.Statements {
		c.Statements[i].Policy = name
	}
	return c
}
