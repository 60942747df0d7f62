package loader

import (
	"fmt"
	"sort"
)

// The entities of an authorization-details export.

var userKeys = []string{"Path", "UserName", "UserId", "Arn", "CreateDate", "UserPolicyList", "GroupList",
	"AttachedManagedPolicies", "PermissionsBoundary", "Tags"}

// entity is what the users, groups and roles of an export share.
type entity struct {
	arn, name, id, path string
	account             *Account
	inline              []*Policy
	managed             []string
}

// entity reads the names (<Kind>Name, <Kind>Id, Arn, Path), the account,
// the inline policies (<Kind>PolicyList) and the attached managed
// policies of a user, group or role.
func (x *exportReader) entity(n *Node, o *objReader, kind string) (*entity, error) {
	e := &entity{}
	if err := strs(o, map[string]*string{"Arn": &e.arn, kind + "Name": &e.name, kind + "Id": &e.id, "Path": &e.path}, "Arn", kind+"Name"); err != nil {
		return nil, err
	}
	a, err := x.account(n, e.arn)
	if err != nil {
		return nil, err
	}
	e.account, e.path = a, normPath(e.path)
	if e.inline, err = inlineList(o.get(kind+"PolicyList"), e.arn); err != nil {
		return nil, err
	}
	if e.managed, err = attached(o.get("AttachedManagedPolicies")); err != nil {
		return nil, err
	}
	return e, nil
}

func (x *exportReader) user(n *Node) error {
	o, err := object(n, userKeys...)
	if err != nil {
		return err
	}
	e, err := x.entity(n, o, "User")
	if err != nil {
		return err
	}
	u := &User{ARN: e.arn, Name: e.name, ID: e.id, Path: e.path, Account: e.account.ID, Inline: e.inline, Managed: e.managed}
	if u.Groups, err = o.strs("GroupList"); err != nil {
		return err
	}
	if u.Boundary, err = boundary(o.get("PermissionsBoundary")); err != nil {
		return err
	}
	if u.Tags, err = tagList(o.get("Tags")); err != nil {
		return err
	}
	e.account.Users = append(e.account.Users, u)
	return nil
}

func (x *exportReader) group(n *Node) error {
	o, err := object(n, "Path", "GroupName", "GroupId", "Arn", "CreateDate", "GroupPolicyList", "AttachedManagedPolicies")
	if err != nil {
		return err
	}
	e, err := x.entity(n, o, "Group")
	if err != nil {
		return err
	}
	e.account.Groups = append(e.account.Groups, &Group{ARN: e.arn, Name: e.name, Path: e.path,
		Account: e.account.ID, Inline: e.inline, Managed: e.managed})
	return nil
}

var roleKeys = []string{"Path", "RoleName", "RoleId", "Arn", "CreateDate", "AssumeRolePolicyDocument",
	"InstanceProfileList", "RolePolicyList", "AttachedManagedPolicies", "PermissionsBoundary", "Tags",
	"RoleLastUsed", "MaxSessionDuration", "Description"}

func (x *exportReader) role(n *Node) error {
	o, err := object(n, roleKeys...)
	if err != nil {
		return err
	}
	e, err := x.entity(n, o, "Role")
	if err != nil {
		return err
	}
	r := &Role{ARN: e.arn, Name: e.name, ID: e.id, Path: e.path, Account: e.account.ID, Inline: e.inline, Managed: e.managed}
	trust := o.get("AssumeRolePolicyDocument")
	if trust == nil {
		return nodeError(n, "missing_element", "role %s: missing AssumeRolePolicyDocument (its trust policy)", r.ARN)
	}
	if r.Trust, err = document(trust, KindTrust, TrustPolicyName(r.ARN)); err != nil {
		return fmt.Errorf("role %s: AssumeRolePolicyDocument: %w", r.ARN, err)
	}
	if err := roleFacts(o, r); err != nil {
		return err
	}
	e.account.Roles = append(e.account.Roles, r)
	return nil
}

// roleFacts reads the boundary, tags, session duration, instance profiles
// and last use of a role.
func roleFacts(o *objReader, r *Role) (err error) {
	if r.Boundary, err = boundary(o.get("PermissionsBoundary")); err != nil {
		return err
	}
	if r.Tags, err = tagList(o.get("Tags")); err != nil {
		return err
	}
	if r.MaxSessionDuration, err = o.integer("MaxSessionDuration"); err != nil {
		return err
	}
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = 3600
	}
	if r.InstanceProfiles, err = instanceProfiles(o.get("InstanceProfileList")); err != nil {
		return err
	}
	r.LastUsed, r.LastUsedRegion, err = lastUsed(o.get("RoleLastUsed"))
	return err
}

// inlineList reads [{PolicyName, PolicyDocument}].
func inlineList(n *Node, owner string) ([]*Policy, error) {
	if n == nil {
		return nil, nil
	}
	items, err := list(n)
	if err != nil {
		return nil, err
	}
	var out []*Policy
	seen := map[string]bool{}
	for _, it := range items {
		o, err := object(it, "PolicyName", "PolicyDocument")
		if err != nil {
			return nil, err
		}
		name, err := o.str("PolicyName", true)
		if err != nil {
			return nil, err
		}
		if seen[name] {
			return nil, nodeError(it, "duplicate", "%s: a second inline policy named %q", owner, name)
		}
		seen[name] = true
		p, err := document(o.get("PolicyDocument"), KindIdentity, InlinePolicyName(owner, name))
		if err != nil {
			return nil, fmt.Errorf("%s inline policy %s: %w", owner, name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// eachObject calls read on each object of the list n (nil: none). With
// keys, an object may hold only those; without, any (what names the
// object in the error for a non-object).
func eachObject(n *Node, keys []string, what string, read func(*objReader) error) error {
	if n == nil {
		return nil
	}
	items, err := list(n)
	if err != nil {
		return err
	}
	for _, it := range items {
		o := &objReader{n: it}
		switch {
		case keys != nil:
			if o, err = object(it, keys...); err != nil {
				return err
			}
		case it.Kind != Object:
			return nodeError(it, "wrong_type", "expected %s", what)
		}
		if err := read(o); err != nil {
			return err
		}
	}
	return nil
}

// attached reads [{PolicyName, PolicyArn}].
func attached(n *Node) (out []string, err error) {
	err = eachObject(n, []string{"PolicyName", "PolicyArn"}, "", func(o *objReader) error {
		arn, err := o.str("PolicyArn", true)
		out = append(out, arn)
		return err
	})
	return out, err
}

func boundary(n *Node) (string, error) {
	if n == nil {
		return "", nil
	}
	o, err := object(n, "PermissionsBoundaryType", "PermissionsBoundaryArn")
	if err != nil {
		return "", err
	}
	return o.str("PermissionsBoundaryArn", true)
}

// tagList reads [{Key, Value}].
func tagList(n *Node) (map[string]string, error) {
	if n == nil {
		return nil, nil
	}
	out := map[string]string{}
	err := eachObject(n, []string{"Key", "Value"}, "", func(o *objReader) error {
		k, err := o.str("Key", true)
		if err != nil {
			return err
		}
		out[k], err = o.str("Value", false)
		return err
	})
	return out, err
}

// instanceProfiles reads [{InstanceProfileName, Arn, ...}] into the
// profile ARNs.
func instanceProfiles(n *Node) (out []string, err error) {
	err = eachObject(n, nil, "an instance profile {InstanceProfileName, Arn, ...}", func(o *objReader) error {
		arn, err := o.str("Arn", true)
		out = append(out, arn)
		return err
	})
	return out, err
}

// lastUsed reads RoleLastUsed {LastUsedDate, Region}: "" when the role
// was not used in the tracking period.
func lastUsed(n *Node) (date, region string, err error) {
	if n == nil {
		return "", "", nil
	}
	o, err := object(n, "LastUsedDate", "Region")
	if err != nil {
		return "", "", err
	}
	if date, err = o.str("LastUsedDate", false); err != nil {
		return "", "", err
	}
	region, err = o.str("Region", false)
	return date, region, err
}

// attachAWS adds the AWS managed policies each account uses to it, and
// returns every referenced managed policy the export does not hold.
func (x *exportReader) attachAWS() []string {
	var absent []string
	for _, a := range x.out.Accounts {
		have := map[string]bool{}
		for _, p := range a.ManagedPolicies {
			have[p.ARN] = true
		}
		for _, ref := range references(a) {
			if have[ref] {
				continue
			}
			if p, ok := x.aws[ref]; ok {
				a.ManagedPolicies = append(a.ManagedPolicies, p)
				have[ref] = true
				continue
			}
			absent = append(absent, ref)
		}
	}
	sort.Strings(absent)
	return dedupe(absent)
}

func references(a *Account) []string {
	var out []string
	for _, u := range a.Users {
		out = append(out, withBoundary(u.Managed, u.Boundary)...)
	}
	for _, g := range a.Groups {
		out = append(out, g.Managed...)
	}
	for _, r := range a.Roles {
		out = append(out, withBoundary(r.Managed, r.Boundary)...)
	}
	return out
}

func dedupe(sorted []string) []string {
	var out []string
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
