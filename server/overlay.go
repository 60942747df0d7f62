package server

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// The kinds of policy documents an overlay can edit (PolicyRef.Kind).
const (
	refInline   = "inline"
	refManaged  = "managed"
	refTrust    = "trust"
	refResource = "resource"
	refSCP      = "scp"
	refRCP      = "rcp"
)

// The edit operations (Edit.Op).
const (
	opPut      = "put"
	opAttach   = "attach"
	opDetach   = "detach"
	opBoundary = "boundary"
)

// maxDocument bounds an edited document's text.
const maxDocument = 32 << 10

// cow is a copy-on-write copy of a world: the world's structs are shared
// until an edit changes one, which is then copied with every struct on
// its way from the world (World, Organization, Account); the loaded
// world is never written.
type cow struct {
	w *world.World
}

func newCow(w *world.World) *cow {
	c := *w
	c.Accounts = slices.Clone(w.Accounts)
	return &cow{w: &c}
}

// account returns a private copy of the account with id, with its entity
// slices cloned, or nil.
func (c *cow) account(id string) *world.Account {
	for i, a := range c.w.Accounts {
		if a.ID == id {
			cp := *a
			cp.Users, cp.Groups, cp.Roles = slices.Clone(a.Users), slices.Clone(a.Groups), slices.Clone(a.Roles)
			cp.ManagedPolicies, cp.Resources = slices.Clone(a.ManagedPolicies), slices.Clone(a.Resources)
			cp.SCPs, cp.RCPs = slices.Clone(a.SCPs), slices.Clone(a.RCPs)
			c.w.Accounts[i] = &cp
			return &cp
		}
	}
	return nil
}

// accountOf is the account an ARN names ("aws" for AWS managed policies).
func accountOf(arn string) string {
	a, ok := pattern.SplitARN(arn)
	if !ok {
		return ""
	}
	return a.Account
}

// principal finds the user, group or role arn in a private account copy
// and returns a private copy of it, installed in the account.
func (c *cow) principal(arn string) (u *world.User, g *world.Group, r *world.Role, err error) {
	a := c.accountFor(arn)
	if a == nil {
		return nil, nil, nil, fmt.Errorf("%s: no such account in the world", arn)
	}
	if i := slices.IndexFunc(a.Users, func(x *world.User) bool { return x.ARN == arn }); i >= 0 {
		cp := *a.Users[i]
		a.Users[i] = &cp
		return &cp, nil, nil, nil
	}
	if i := slices.IndexFunc(a.Groups, func(x *world.Group) bool { return x.ARN == arn }); i >= 0 {
		cp := *a.Groups[i]
		a.Groups[i] = &cp
		return nil, &cp, nil, nil
	}
	if i := slices.IndexFunc(a.Roles, func(x *world.Role) bool { return x.ARN == arn }); i >= 0 {
		cp := *a.Roles[i]
		a.Roles[i] = &cp
		return nil, nil, &cp, nil
	}
	return nil, nil, nil, fmt.Errorf("%s: no such user, group or role in the world", arn)
}

func (c *cow) accountFor(arn string) *world.Account {
	id := accountOf(arn)
	if id == "" {
		return nil
	}
	return c.account(id)
}

// apply makes one edit on the copy. Documents are parsed with the file
// name "document", so their errors are positioned in the edited text.
func (c *cow) apply(e *Edit) error {
	switch e.Op {
	case opPut:
		if len(e.Document) > maxDocument {
			return fmt.Errorf("document: %d bytes, more than the %d an edit may carry", len(e.Document), maxDocument)
		}
		return c.put(e.PolicyRef, []byte(e.Document), e.AttachTo)
	case opAttach, opDetach, opBoundary:
		return c.attachment(e)
	}
	return fmt.Errorf("edit: unknown op %q (put, attach, detach or boundary)", e.Op)
}

// parse reads an edited document as a policy of kind named name.
func parse(doc []byte, kind policy.PolicyKind, name string) (*policy.Policy, error) {
	return policy.ParsePolicyBytes("document", doc, kind, name)
}

func (c *cow) put(ref PolicyRef, doc []byte, attachTo string) error {
	switch ref.Kind {
	case refInline:
		return c.putInline(ref, doc)
	case refManaged:
		return c.putManaged(ref.Target, doc)
	case refTrust:
		_, _, r, err := c.principal(ref.Target)
		if err != nil || r == nil {
			return fmt.Errorf("trust: %s is not a role of the world", ref.Target)
		}
		r.Trust, err = parse(doc, policy.KindTrust, world.TrustPolicyName(r.ARN))
		return err
	case refResource:
		return c.putResource(ref.Target, doc)
	case refSCP, refRCP:
		return c.putOrgPolicy(ref, doc, attachTo)
	}
	return fmt.Errorf("edit: unknown policy kind %q (inline, managed, trust, resource, scp or rcp)", ref.Kind)
}

func (c *cow) putInline(ref PolicyRef, doc []byte) error {
	if ref.Name == "" {
		return fmt.Errorf("inline: a policy name is required")
	}
	u, g, r, err := c.principal(ref.Target)
	if err != nil {
		return err
	}
	p, err := parse(doc, policy.KindIdentity, world.InlinePolicyName(ref.Target, ref.Name))
	if err != nil {
		return err
	}
	replace := func(list []*policy.Policy) []*policy.Policy {
		list = slices.Clone(list)
		if i := slices.IndexFunc(list, func(x *policy.Policy) bool { return x.Name == p.Name }); i >= 0 {
			list[i] = p
			return list
		}
		return append(list, p)
	}
	switch {
	case u != nil:
		u.Inline = replace(u.Inline)
	case g != nil:
		g.Inline = replace(g.Inline)
	default:
		r.Inline = replace(r.Inline)
	}
	return nil
}

func (c *cow) putManaged(arn string, doc []byte) error {
	a := c.accountFor(arn)
	if a == nil {
		return fmt.Errorf("managed: %s: no such account in the world", arn)
	}
	i := slices.IndexFunc(a.ManagedPolicies, func(m *world.ManagedPolicy) bool { return m.ARN == arn })
	if i < 0 {
		return fmt.Errorf("managed: %s: no such managed policy in the world", arn)
	}
	cp := *a.ManagedPolicies[i]
	p, err := parse(doc, cp.Policy.Kind, cp.Policy.Name)
	if err != nil {
		return err
	}
	cp.Policy, a.ManagedPolicies[i] = p, &cp
	return nil
}

func (c *cow) putResource(arn string, doc []byte) error {
	for _, a := range c.w.Accounts {
		i := slices.IndexFunc(a.Resources, func(r *world.Resource) bool { return r.ARN == arn })
		if i < 0 {
			continue
		}
		a = c.account(a.ID)
		cp := *a.Resources[i]
		name := arn
		if cp.Policy != nil {
			name = cp.Policy.Name
		}
		p, err := parse(doc, policy.KindResource, name)
		if err != nil {
			return err
		}
		cp.Policy, a.Resources[i] = p, &cp
		return nil
	}
	return fmt.Errorf("resource: %s: the world declares no such resource", arn)
}

// attachment attaches or detaches a managed policy, or sets a boundary.
func (c *cow) attachment(e *Edit) error {
	u, g, r, err := c.principal(e.Target)
	if err != nil {
		return err
	}
	if e.Op == opBoundary {
		switch {
		case u != nil:
			u.Boundary = e.PolicyARN
		case r != nil:
			r.Boundary = e.PolicyARN
		default:
			return fmt.Errorf("boundary: a group has no permissions boundary")
		}
		return nil
	}
	if e.PolicyARN == "" {
		return fmt.Errorf("%s: policy_arn is required", e.Op)
	}
	var list *[]string
	switch {
	case u != nil:
		list = &u.Managed
	case g != nil:
		list = &g.Managed
	default:
		list = &r.Managed
	}
	has := slices.Contains(*list, e.PolicyARN)
	switch {
	case e.Op == opAttach && has:
		return fmt.Errorf("attach: %s is already attached to %s", e.PolicyARN, e.Target)
	case e.Op == opAttach:
		*list = append(slices.Clone(*list), e.PolicyARN)
	case !has:
		return fmt.Errorf("detach: %s is not attached to %s", e.PolicyARN, e.Target)
	default:
		*list = slices.DeleteFunc(slices.Clone(*list), func(s string) bool { return s == e.PolicyARN })
	}
	return nil
}

// inlineName is an inline policy's own name (after the owner's ARN).
func inlineName(p *policy.Policy) string {
	_, name, _ := strings.Cut(p.Name, "#")
	return name
}
