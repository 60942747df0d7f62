package change

import (
	"path"
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// Inline policies, attachments, memberships and trust policies: what ties
// a user, group or role to its policies and groups. Each names its owner,
// which must exist once the whole change is applied.

// owned is what an owner holds that an Edit may change.
type owned struct {
	arn     string
	inline  *[]*policy.Policy
	managed *[]string
	refs    *world.Refs
}

// owner finds the Edit's Owner in the target account.
func (ap *applier) owner(e *Edit) (owned, error) {
	a := ap.acct
	if e.Owner == nil {
		return owned{}, errAt(e.At, tree.CodeMissingElement, "%s %s: no owner (user, group or role)", e.Kind, e.Name)
	}
	name := e.Owner.Name
	switch e.Owner.Kind {
	case User:
		if i := index(a.Users, name, userName); i >= 0 {
			u := a.Users[i]
			return owned{u.ARN, &u.Inline, &u.Managed, &u.Refs}, nil
		}
	case Group:
		if i := index(a.Groups, name, groupName); i >= 0 {
			g := a.Groups[i]
			return owned{g.ARN, &g.Inline, &g.Managed, &g.Refs}, nil
		}
	case Role:
		if i := index(a.Roles, name, roleName); i >= 0 {
			r := a.Roles[i]
			return owned{r.ARN, &r.Inline, &r.Managed, &r.Refs}, nil
		}
	default:
		return owned{}, errAt(e.At, tree.CodeInvalidValue, "%s %s: an owner is a user, group or role, not %q", e.Kind, e.Name, e.Owner.Kind)
	}
	return owned{}, missingAt(e.At, "%s %s: %s %q is not in account %s", e.Kind, e.Name, e.Owner.Kind, name, a.ID)
}

func (ap *applier) inline(e *Edit) error {
	o, err := ap.owner(e)
	if err != nil {
		return err
	}
	name := world.InlinePolicyName(o.arn, e.Name)
	i := slices.IndexFunc(*o.inline, func(p *policy.Policy) bool { return p.Name == name })
	if e.Op == Delete {
		if i < 0 {
			ap.warn(e.At, "%s has no inline policy %s: nothing to delete", o.arn, e.Name)
			return nil
		}
		ap.forget((*o.inline)[i])
		*o.inline = remove(*o.inline, i)
		return nil
	}
	if err := checkName(world.NamePolicy, e.Name, e.At); err != nil {
		return err
	}
	if e.Policy == nil {
		return errAt(e.At, tree.CodeMissingElement, "inline policy %s of %s: no policy document", e.Name, o.arn)
	}
	if err := checkKind(e, e.Policy, policy.KindIdentity); err != nil {
		return err
	}
	p := ap.write(e.Policy, name, e.At)
	if i < 0 {
		*o.inline = append(*o.inline, p)
	} else {
		(*o.inline)[i] = p
	}
	return nil
}

func (ap *applier) attachment(e *Edit) error {
	o, err := ap.owner(e)
	if err != nil {
		return err
	}
	i := slices.Index(*o.managed, e.PolicyARN)
	if e.Op == Delete {
		if i < 0 {
			ap.warn(e.At, "%s has no managed policy %s attached: nothing to detach", o.arn, e.PolicyARN)
			return nil
		}
		*o.managed = remove(*o.managed, i)
		return nil
	}
	if err := ap.resolveManaged(e.PolicyARN, e.At); err != nil {
		return err
	}
	if i < 0 {
		*o.managed = append(*o.managed, e.PolicyARN)
		ap.ref(o.refs, world.RefManaged, e.PolicyARN, e.At)
	}
	return nil
}

func (ap *applier) membership(e *Edit) error {
	a := ap.acct
	if e.Owner == nil || e.Owner.Kind != User {
		return errAt(e.At, tree.CodeInvalidValue, "membership in group %s: the member must be a user", e.Group)
	}
	u := index(a.Users, e.Owner.Name, userName)
	if u < 0 {
		return missingAt(e.At, "membership in group %s: user %q is not in account %s", e.Group, e.Owner.Name, a.ID)
	}
	user := a.Users[u]
	i := slices.IndexFunc(user.Groups, func(g string) bool { return strings.EqualFold(g, e.Group) })
	if e.Op == Delete {
		if i < 0 {
			ap.warn(e.At, "user %s is not in group %s: nothing to remove", user.Name, e.Group)
			return nil
		}
		user.Groups = remove(user.Groups, i)
		return nil
	}
	g := index(a.Groups, e.Group, groupName)
	if g < 0 {
		return missingAt(e.At, "membership of user %s: group %q is not in account %s", user.Name, e.Group, a.ID)
	}
	if i < 0 {
		user.Groups = append(user.Groups, a.Groups[g].Name)
		ap.ref(&user.Refs, world.RefGroup, a.Groups[g].Name, e.At)
	}
	return nil
}

func (ap *applier) trust(e *Edit) error {
	if e.Op != Put {
		return errAt(e.At, tree.CodeInvalidValue, "trust policy of role %s: only put (a role always has one; delete the role instead)", e.Name)
	}
	if e.Trust == nil {
		return errAt(e.At, tree.CodeMissingElement, "trust policy of role %s: no policy document", e.Name)
	}
	if err := checkKind(e, e.Trust, policy.KindTrust); err != nil {
		return err
	}
	i := index(ap.acct.Roles, e.Name, roleName)
	if i < 0 {
		return missingAt(e.At, "trust policy of role %s: the role is not in account %s", e.Name, ap.acct.ID)
	}
	r := ap.acct.Roles[i]
	ap.forget(r.Trust)
	r.Trust = ap.write(e.Trust, world.TrustPolicyName(r.ARN), e.At)
	return nil
}

func (ap *applier) resolveBoundary(e *Edit) error {
	if e.Boundary == "" {
		return nil
	}
	return ap.resolveManaged(e.Boundary, e.At)
}

// resolveManaged makes sure the managed policy arn, which an entity of the
// target account is to be attached to or bounded by, is in the account:
// one of its own customer managed policies, or an AWS managed policy taken
// from the world's copy, Options.AWSManaged, or else recorded as unknown.
func (ap *applier) resolveManaged(arn string, at Source) error {
	a := ap.acct
	if slices.ContainsFunc(a.ManagedPolicies, func(p *world.ManagedPolicy) bool { return p.ARN == arn }) {
		return nil
	}
	parts, ok := pattern.SplitARN(arn)
	if !ok || parts.Service != "iam" || !strings.HasPrefix(parts.Resource, "policy/") {
		return errAt(at, tree.CodeInvalidARN, "%q is not a managed policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)", arn)
	}
	if parts.Account != world.AWSAccount {
		if parts.Account != a.ID {
			return errAt(at, tree.CodeInvalidARN, "managed policy %s is in account %s: an entity of account %s can use only its own account's and AWS managed policies", arn, parts.Account, a.ID)
		}
		return missingAt(at, "managed policy %s is not defined in account %s", arn, a.ID)
	}
	mp, err := ap.awsManaged(arn, at)
	if err != nil {
		return err
	}
	a.ManagedPolicies = append(a.ManagedPolicies, mp)
	return nil
}

// awsManaged finds an AWS managed policy's document; without one it
// returns a policy with none, and records it as unknown.
func (ap *applier) awsManaged(arn string, at Source) (*world.ManagedPolicy, error) {
	for _, o := range ap.w.Accounts {
		for _, mp := range o.ManagedPolicies {
			if mp.ARN == arn && mp.Policy != nil {
				return mp, nil
			}
		}
	}
	if ap.opts.AWSManaged != nil {
		mp, err := ap.opts.AWSManaged(arn)
		if err != nil {
			return nil, errAt(at, tree.CodeInvalidValue, "AWS managed policy %s: %v", arn, err)
		}
		if mp != nil {
			return mp, nil
		}
	}
	for _, u := range ap.out.UnknownManaged {
		if u.ARN == arn {
			return unknownPolicy(arn), nil
		}
	}
	ap.out.UnknownManaged = append(ap.out.UnknownManaged, UnknownPolicy{ARN: arn, At: at})
	return unknownPolicy(arn), nil
}

func unknownPolicy(arn string) *world.ManagedPolicy {
	_, rest, _ := strings.Cut(arn, ":policy")
	return &world.ManagedPolicy{ARN: arn, Account: world.AWSAccount, Name: path.Base(arn), Path: world.NormPath(path.Dir(rest)),
		Source: "unknown: the world holds no copy of this AWS managed policy (give the world an aws_managed source)"}
}

// write is the document p stored under name, with where its statements
// are written recorded in Applied.Statements.
func (ap *applier) write(p *policy.Policy, name string, at Source) *policy.Policy {
	out := named(p, name)
	ap.out.Statements[name] = statementSources(out, at)
	return out
}

// statementSources says where each statement of p is written: its
// position in p's file, or, for a document held in a string (JSON in a
// template's value), that string's.
func statementSources(p *policy.Policy, at Source) []Source {
	out := make([]Source, len(p.Statements))
	for i, st := range p.Statements {
		src := Source{File: p.File, Line: st.At.Line, Col: st.At.Col, Address: at.Address}
		if p.HeldIn != nil {
			src.File, src.Line, src.Col = p.HeldIn.File, p.HeldIn.Line, p.HeldIn.Col
		}
		if src.File == "" || src.Line == 0 {
			src = at
		}
		out[i] = src
	}
	return out
}

// forget drops what Applied.Statements says of policies the change
// removes or replaces.
func (ap *applier) forget(ps ...*policy.Policy) {
	for _, p := range ps {
		if p != nil {
			delete(ap.out.Statements, p.Name)
		}
	}
}

// ref records where the change names a reference, so an error the store
// finds about it points at the change.
func (ap *applier) ref(refs *world.Refs, kind, value string, at Source) {
	if value != "" && at.Line > 0 {
		refs.Add(kind, value, loc(at))
	}
}
