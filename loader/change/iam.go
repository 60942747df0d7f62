package change

import (
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// Users, groups, roles and customer managed policies of the target
// account: Put creates or replaces the fields the Edit carries, Delete
// removes the entity with what only it holds.

func (ap *applier) user(e *Edit) error {
	a := ap.acct
	i := index(a.Users, e.Name, userName)
	if e.Op == Delete {
		if i < 0 {
			ap.warn(e.At, "user %s is not in account %s: nothing to delete", e.Name, a.ID)
			return nil
		}
		ap.forget(a.Users[i].Inline...)
		a.Users = remove(a.Users, i)
		return nil
	}
	path, err := entityPath(e)
	if err != nil {
		return err
	}
	if err := ap.resolveBoundary(e); err != nil {
		return err
	}
	name := e.Name
	if i >= 0 {
		name = a.Users[i].Name // the same entity: IAM names ignore case
	}
	arn := ap.iamARN("user/", path[1:], name)
	if i < 0 {
		u := &world.User{ARN: arn, Account: a.ID, Name: e.Name, Path: path, ID: uniqueID("AIDA", arn), At: loc(e.At)}
		a.Users = append(a.Users, u)
		i = len(a.Users) - 1
	}
	u := a.Users[i]
	u.Inline = ap.rename(u.Inline, u.ARN, arn)
	u.Name, u.Path, u.ARN, u.Boundary, u.Tags = name, path, arn, e.Boundary, maps.Clone(e.Tags)
	ap.ref(&u.Refs, world.RefBoundary, e.Boundary, e.At)
	return nil
}

func (ap *applier) group(e *Edit) error {
	a := ap.acct
	i := index(a.Groups, e.Name, groupName)
	if e.Op == Delete {
		if i < 0 {
			ap.warn(e.At, "group %s is not in account %s: nothing to delete", e.Name, a.ID)
			return nil
		}
		ap.forget(a.Groups[i].Inline...)
		a.Groups = remove(a.Groups, i)
		for _, u := range a.Users {
			u.Groups = slices.DeleteFunc(u.Groups, func(g string) bool { return strings.EqualFold(g, e.Name) })
		}
		return nil
	}
	path, err := entityPath(e)
	if err != nil {
		return err
	}
	arn := ap.iamARN("group/", path[1:], e.Name)
	if i < 0 {
		a.Groups = append(a.Groups, &world.Group{ARN: arn, Account: a.ID, Name: e.Name, Path: path, At: loc(e.At)})
		return nil
	}
	g := a.Groups[i] // the same group: IAM names ignore case, the name stays
	arn = ap.iamARN("group/", path[1:], g.Name)
	g.Inline = ap.rename(g.Inline, g.ARN, arn)
	g.Path, g.ARN = path, arn
	return nil
}

func (ap *applier) role(e *Edit) error {
	a := ap.acct
	i := index(a.Roles, e.Name, roleName)
	if e.Op == Delete {
		if i < 0 {
			ap.warn(e.At, "role %s is not in account %s: nothing to delete", e.Name, a.ID)
			return nil
		}
		ap.forget(append(a.Roles[i].Inline, a.Roles[i].Trust)...)
		a.Roles = remove(a.Roles, i)
		return nil
	}
	path, err := entityPath(e)
	if err != nil {
		return err
	}
	if err := checkKind(e, e.Trust, policy.KindTrust); err != nil {
		return err
	}
	if e.Trust == nil && i < 0 {
		return errAt(e.At, tree.CodeMissingElement, "role %s: a new role needs a trust policy (AssumeRolePolicyDocument)", e.Name)
	}
	maxSession := e.MaxSessionDuration
	if maxSession == 0 {
		maxSession = 3600
	}
	if maxSession < 3600 || maxSession > 43200 {
		return errAt(e.At, tree.CodeInvalidValue, "role %s: MaxSessionDuration is 3600 to 43200 seconds, got %d", e.Name, maxSession)
	}
	if err := ap.resolveBoundary(e); err != nil {
		return err
	}
	name := e.Name
	if i >= 0 {
		name = a.Roles[i].Name // the same entity: IAM names ignore case
	}
	arn := ap.iamARN("role/", path[1:], name)
	if i < 0 {
		a.Roles = append(a.Roles, &world.Role{ARN: arn, Account: a.ID, ID: uniqueID("AROA", arn), At: loc(e.At)})
		i = len(a.Roles) - 1
	}
	r := a.Roles[i]
	r.Inline = ap.rename(r.Inline, r.ARN, arn)
	if e.Trust != nil {
		ap.forget(r.Trust)
		r.Trust = ap.write(e.Trust, world.TrustPolicyName(arn), e.At)
	} else if r.ARN != arn {
		r.Trust = ap.renamed(r.Trust, world.TrustPolicyName(arn))
	}
	r.Name, r.Path, r.ARN, r.Boundary, r.Tags = name, path, arn, e.Boundary, maps.Clone(e.Tags)
	r.MaxSessionDuration = maxSession
	ap.ref(&r.Refs, world.RefBoundary, e.Boundary, e.At)
	return nil
}

func (ap *applier) managed(e *Edit) error {
	a := ap.acct
	i := index(a.ManagedPolicies, e.Name, func(p *world.ManagedPolicy) string {
		if p.Account == world.AWSAccount {
			return "" // AWS managed policies are not the account's names
		}
		return p.Name
	})
	if e.Op == Delete {
		if i < 0 {
			ap.warn(e.At, "managed policy %s is not in account %s: nothing to delete", e.Name, a.ID)
			return nil
		}
		ap.forget(a.ManagedPolicies[i].Policy)
		ap.detachEverywhere(a.ManagedPolicies[i].ARN, e.At)
		a.ManagedPolicies = remove(a.ManagedPolicies, i)
		return nil
	}
	if err := checkName(world.NamePolicy, e.Name, e.At); err != nil {
		return err
	}
	if e.Policy == nil {
		return errAt(e.At, tree.CodeMissingElement, "managed policy %s: no policy document", e.Name)
	}
	if err := checkKind(e, e.Policy, policy.KindIdentity); err != nil {
		return err
	}
	path := world.NormPath(e.Path)
	if err := world.CheckPath(path); err != nil {
		return errAt(e.At, tree.CodeInvalidName, "managed policy %s: %v", e.Name, err)
	}
	name := e.Name
	if i >= 0 {
		name = a.ManagedPolicies[i].Name // the same policy: IAM names ignore case
	}
	arn := ap.iamARN("policy/", path[1:], name)
	if i < 0 {
		a.ManagedPolicies = append(a.ManagedPolicies, &world.ManagedPolicy{Account: a.ID, At: loc(e.At)})
		i = len(a.ManagedPolicies) - 1
	}
	mp := a.ManagedPolicies[i]
	if mp.ARN != "" && mp.ARN != arn {
		ap.replaceReferences(mp.ARN, arn)
	}
	ap.forget(mp.Policy)
	mp.ARN, mp.Name, mp.Path = arn, name, path
	mp.Policy = ap.write(e.Policy, arn, e.At)
	return nil
}

// entityPath checks a user's, group's or role's name and path and returns
// the path ("/" when empty).
func entityPath(e *Edit) (string, error) {
	kind := map[Kind]string{User: world.NameUser, Group: world.NameGroup, Role: world.NameRole}[e.Kind]
	if err := checkName(kind, e.Name, e.At); err != nil {
		return "", err
	}
	path := world.NormPath(e.Path)
	if err := world.CheckPath(path); err != nil {
		return "", errAt(e.At, tree.CodeInvalidName, "%s %s: %v", kind, e.Name, err)
	}
	return path, nil
}

// checkKind refuses a document parsed for another policy type than the
// one the Edit puts it in (a reader's mistake, or a file given with the
// wrong flag).
func checkKind(e *Edit, p *policy.Policy, want policy.PolicyKind) error {
	if p != nil && p.Kind != want {
		return errAt(e.At, tree.CodeInvalidKind, "%s %s: the document is a %s policy; a %s policy belongs here", e.Kind, e.Name, p.Kind, want)
	}
	return nil
}

// rename gives an owner's inline policies the names of its new ARN (a
// path changed); the same slice when the ARN did not change.
func (ap *applier) rename(inline []*policy.Policy, oldARN, newARN string) []*policy.Policy {
	if oldARN == newARN || oldARN == "" {
		return inline
	}
	out := make([]*policy.Policy, len(inline))
	for i, p := range inline {
		short := strings.TrimPrefix(p.Name, oldARN+"#")
		out[i] = ap.renamed(p, world.InlinePolicyName(newARN, short))
	}
	return out
}

// renamed is p under a new name, its statements' sources following it.
func (ap *applier) renamed(p *policy.Policy, name string) *policy.Policy {
	if p == nil {
		return nil
	}
	if src, ok := ap.out.Statements[p.Name]; ok {
		delete(ap.out.Statements, p.Name)
		ap.out.Statements[name] = src
	}
	return named(p, name)
}

// replaceReferences points every attachment and boundary of the account
// naming a managed policy's old ARN at its new one.
func (ap *applier) replaceReferences(oldARN, newARN string) {
	swap := func(list []string) {
		for i, arn := range list {
			if arn == oldARN {
				list[i] = newARN
			}
		}
	}
	for _, u := range ap.acct.Users {
		swap(u.Managed)
		if u.Boundary == oldARN {
			u.Boundary = newARN
		}
	}
	for _, g := range ap.acct.Groups {
		swap(g.Managed)
	}
	for _, r := range ap.acct.Roles {
		swap(r.Managed)
		if r.Boundary == oldARN {
			r.Boundary = newARN
		}
	}
}

// detachEverywhere removes a deleted managed policy from every user, group
// and role of the account, as attachment and as boundary.
func (ap *applier) detachEverywhere(arn string, at Source) {
	drop := func(list []string) []string { return slices.DeleteFunc(list, func(s string) bool { return s == arn }) }
	for _, u := range ap.acct.Users {
		u.Managed = drop(u.Managed)
		u.Boundary = ap.dropBoundary(u.Boundary, arn, u.ARN, at)
	}
	for _, g := range ap.acct.Groups {
		g.Managed = drop(g.Managed)
	}
	for _, r := range ap.acct.Roles {
		r.Managed = drop(r.Managed)
		r.Boundary = ap.dropBoundary(r.Boundary, arn, r.ARN, at)
	}
}

func (ap *applier) dropBoundary(boundary, deleted, owner string, at Source) string {
	if boundary != deleted {
		return boundary
	}
	ap.warn(at, "%s loses its permissions boundary %s, which the change deletes", owner, deleted)
	return ""
}

// uniqueID makes a stable IAM-style unique id (AIDA... for users, AROA...
// for roles), as the scenario loader does for entities without one.
func uniqueID(prefix, arn string) string {
	h := fnv.New64a()
	h.Write([]byte(arn))
	return prefix + strings.ToUpper(fmt.Sprintf("%016x", h.Sum64()))
}
