package store

import (
	"slices"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// account inserts an account and every entity it holds.
func (w *writer) account(a *world.Account) error {
	if err := world.CheckUnique(a); err != nil {
		return err
	}
	if err := w.insert(tableAccounts, a); err != nil {
		return err
	}
	for _, p := range a.ManagedPolicies {
		if err := w.insert(tablePolicies, p); err != nil {
			return err
		}
		if err := w.policy(p.Policy); err != nil {
			return err
		}
	}
	for _, u := range a.Users {
		if err := w.insert(tableUsers, u); err != nil {
			return err
		}
		if err := w.policies(u.Inline); err != nil {
			return err
		}
	}
	for _, g := range a.Groups {
		if err := w.insert(tableGroups, g); err != nil {
			return err
		}
		if err := w.policies(g.Inline); err != nil {
			return err
		}
	}
	for _, r := range a.Roles {
		if err := w.insert(tableRoles, r); err != nil {
			return err
		}
		if err := w.policies(append([]*policy.Policy{r.Trust}, r.Inline...)); err != nil {
			return err
		}
	}
	for _, r := range a.Resources {
		if err := w.insert(tableResources, r); err != nil {
			return err
		}
		if err := w.policy(r.Policy); err != nil {
			return err
		}
	}
	for _, p := range a.Providers {
		if err := w.insert(tableProviders, p); err != nil {
			return err
		}
	}
	for _, p := range a.IdentityPools {
		if err := w.insert(tablePools, p); err != nil {
			return err
		}
	}
	for _, ep := range a.VPCEndpoints {
		if err := w.endpoint(ep); err != nil {
			return err
		}
	}
	return w.attach(a)
}

func (w *writer) policies(ps []*policy.Policy) error {
	for _, p := range ps {
		if err := w.policy(p); err != nil {
			return err
		}
	}
	return nil
}

// attach records the attachments of an account's entities.
func (w *writer) attach(a *world.Account) error {
	var rows []*Attachment
	add := func(target, kind string, policies ...string) {
		for _, p := range policies {
			if p != "" {
				rows = append(rows, &Attachment{ID: target + "|" + kind + "|" + p, Target: target, Kind: kind, Policy: p})
			}
		}
	}
	for _, u := range a.Users {
		add(u.ARN, "managed", u.Managed...)
		add(u.ARN, "boundary", u.Boundary)
		for _, g := range u.Groups {
			if raw, err := w.txn.First(tableGroups, "account_name", a.ID, g); err == nil && raw != nil {
				add(u.ARN, "group", raw.(*world.Group).ARN) // a missing group is reported by checkReferences
			}
		}
	}
	for _, g := range a.Groups {
		add(g.ARN, "managed", g.Managed...)
	}
	for _, r := range a.Roles {
		add(r.ARN, "managed", r.Managed...)
		add(r.ARN, "boundary", r.Boundary)
	}
	for _, row := range rows {
		if err := w.insert(tableAttachments, row); err != nil {
			return err
		}
	}
	return nil
}

// checkReferences makes sure every managed policy, boundary and group an
// entity names exists, so that no attachment is silently dropped.
func (w *writer) checkReferences(a *world.Account) error {
	for _, u := range a.Users {
		if err := w.managedExist(u.ARN, u.Managed, u.Boundary, u.Refs); err != nil {
			return err
		}
		for _, g := range u.Groups {
			raw, err := w.txn.First(tableGroups, "account_name", a.ID, g)
			if err != nil || raw == nil {
				return tree.LocError(u.Refs.At(world.RefGroup, g), tree.CodeUnknownReference,
					"user %s: group %q is not defined in account %s", u.Name, g, a.ID)
			}
		}
	}
	for _, g := range a.Groups {
		if err := w.managedExist(g.ARN, g.Managed, "", g.Refs); err != nil {
			return err
		}
	}
	for _, r := range a.Roles {
		if err := w.managedExist(r.ARN, r.Managed, r.Boundary, r.Refs); err != nil {
			return err
		}
	}
	return nil
}

// managedExist checks that the managed policies and the boundary an
// entity names are in the world, reporting one that is not where it is
// written.
func (w *writer) managedExist(owner string, managed []string, boundary string, refs world.Refs) error {
	for _, arn := range world.WithBoundary(managed, boundary) {
		raw, err := w.txn.First(tablePolicies, "id", arn)
		if err != nil || raw == nil {
			what, kind := "managed policy", world.RefManaged
			if arn == boundary && !slices.Contains(managed, arn) {
				what, kind = "permissions boundary", world.RefBoundary
			}
			return tree.LocError(refs.At(kind, arn), tree.CodeUnknownReference,
				"%s: %s %s is not defined in the world", owner, what, arn)
		}
	}
	return nil
}
