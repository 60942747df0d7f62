package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// The entities of an authorization-details export.

var userKeys = []string{"Path", "UserName", "UserId", "Arn", "CreateDate", "UserPolicyList", "GroupList",
	"AttachedManagedPolicies", "PermissionsBoundary", "Tags"}

// entity is what the users, groups and roles of an export share.
type entity struct {
	arn, name, id, path string
	account             *world.Account
	inline              []*policy.Policy
	managed             []string
	at                  tree.Loc   // where the name is written
	refs                world.Refs // where each managed policy is named
}

// entity reads the names (<Kind>Name, <Kind>Id, Arn, Path), the account,
// the inline policies (<Kind>PolicyList) and the attached managed
// policies of a user, group or role.
func (x *exportReader) entity(n *tree.Node, o *tree.ObjReader, kind string) (*entity, error) {
	e := &entity{}
	if err := tree.Strs(o, map[string]*string{"Arn": &e.arn, kind + "Name": &e.name, kind + "Id": &e.id, "Path": &e.path}, "Arn", kind+"Name"); err != nil {
		return nil, err
	}
	a, err := x.account(n, e.arn)
	if err != nil {
		return nil, err
	}
	e.account, e.at = a, o.Get(kind+"Name").Loc()
	if err := checkEntityName(o, kind, e); err != nil {
		return nil, err
	}
	e.path = world.NormPath(e.path)
	if e.inline, err = inlineList(o.Get(kind+"PolicyList"), e.arn); err != nil {
		return nil, err
	}
	if e.managed, err = attached(o.Get("AttachedManagedPolicies"), &e.refs); err != nil {
		return nil, err
	}
	return e, nil
}

// checkEntityName checks the name and path by IAM's rules, and that the
// ARN is the one they make (arn:P:iam::ACCOUNT:KIND/PATH/NAME).
func checkEntityName(o *tree.ObjReader, kind string, e *entity) error {
	lower := strings.ToLower(kind)
	if err := world.CheckName(lower, e.name); err != nil {
		return o.Errorf(kind+"Name", tree.CodeInvalidName, "%sName: %v", kind, err)
	}
	if o.Get("Path") != nil {
		if err := world.CheckPath(e.path); err != nil {
			return o.Errorf("Path", tree.CodeInvalidName, "Path: %v", err)
		}
	}
	a, _ := pattern.SplitARN(e.arn)
	if want := lower + "/" + strings.TrimPrefix(world.NormPath(e.path), "/") + e.name; a.Resource != want {
		return o.Errorf("Arn", tree.CodeInvalidARN, "Arn: %s does not name the %s its %sName and Path say (%s)", e.arn, lower, kind, want)
	}
	return nil
}

func (x *exportReader) user(n *tree.Node) error {
	o, err := tree.OpenObject(n, userKeys...)
	if err != nil {
		return err
	}
	e, err := x.entity(n, o, "User")
	if err != nil {
		return err
	}
	u := &world.User{ARN: e.arn, Name: e.name, ID: e.id, Path: e.path, Account: e.account.ID, Inline: e.inline,
		Managed: e.managed, At: e.at, Refs: e.refs}
	if u.Groups, err = o.Strs("GroupList"); err != nil {
		return err
	}
	if gl := o.Get("GroupList"); gl != nil {
		for _, g := range gl.Items {
			u.Refs.Add(world.RefGroup, g.Str, g.Loc())
		}
	}
	if u.Boundary, err = boundary(o.Get("PermissionsBoundary"), &u.Refs); err != nil {
		return err
	}
	if u.Tags, err = tagList(o.Get("Tags")); err != nil {
		return err
	}
	e.account.Users = append(e.account.Users, u)
	return nil
}

func (x *exportReader) group(n *tree.Node) error {
	o, err := tree.OpenObject(n, "Path", "GroupName", "GroupId", "Arn", "CreateDate", "GroupPolicyList", "AttachedManagedPolicies")
	if err != nil {
		return err
	}
	e, err := x.entity(n, o, "Group")
	if err != nil {
		return err
	}
	e.account.Groups = append(e.account.Groups, &world.Group{ARN: e.arn, Name: e.name, Path: e.path,
		Account: e.account.ID, Inline: e.inline, Managed: e.managed, At: e.at, Refs: e.refs})
	return nil
}

var roleKeys = []string{"Path", "RoleName", "RoleId", "Arn", "CreateDate", "AssumeRolePolicyDocument",
	"InstanceProfileList", "RolePolicyList", "AttachedManagedPolicies", "PermissionsBoundary", "Tags",
	"RoleLastUsed", "MaxSessionDuration", "Description"}

func (x *exportReader) role(n *tree.Node) error {
	o, err := tree.OpenObject(n, roleKeys...)
	if err != nil {
		return err
	}
	e, err := x.entity(n, o, "Role")
	if err != nil {
		return err
	}
	r := &world.Role{ARN: e.arn, Name: e.name, ID: e.id, Path: e.path, Account: e.account.ID, Inline: e.inline,
		Managed: e.managed, At: e.at, Refs: e.refs}
	trust := o.Get("AssumeRolePolicyDocument")
	if trust == nil {
		return tree.NodeError(n, "missing_element", "role %s: missing AssumeRolePolicyDocument (its trust policy)", r.ARN)
	}
	if r.Trust, err = document(trust, policy.KindTrust, world.TrustPolicyName(r.ARN)); err != nil {
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
func roleFacts(o *tree.ObjReader, r *world.Role) (err error) {
	if r.Boundary, err = boundary(o.Get("PermissionsBoundary"), &r.Refs); err != nil {
		return err
	}
	if r.Tags, err = tagList(o.Get("Tags")); err != nil {
		return err
	}
	if r.MaxSessionDuration, err = o.Integer("MaxSessionDuration"); err != nil {
		return err
	}
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = 3600
	}
	if r.InstanceProfiles, err = instanceProfiles(o.Get("InstanceProfileList"), &r.Refs); err != nil {
		return err
	}
	if r.Created, err = o.Str("CreateDate", false); err != nil {
		return err
	}
	r.UsageTracked = o.Get("RoleLastUsed") != nil
	r.LastUsed, r.LastUsedRegion, err = lastUsed(o.Get("RoleLastUsed"))
	return err
}

// inlineList reads [{PolicyName, PolicyDocument}].
func inlineList(n *tree.Node, owner string) ([]*policy.Policy, error) {
	if n == nil {
		return nil, nil
	}
	items, err := tree.List(n)
	if err != nil {
		return nil, err
	}
	var out []*policy.Policy
	seen := map[string]bool{}
	for _, it := range items {
		o, err := tree.OpenObject(it, "PolicyName", "PolicyDocument")
		if err != nil {
			return nil, err
		}
		name, err := o.Str("PolicyName", true)
		if err != nil {
			return nil, err
		}
		if seen[name] {
			return nil, tree.NodeError(it, "duplicate", "%s: a second inline policy named %q", owner, name)
		}
		seen[name] = true
		p, err := document(o.Get("PolicyDocument"), policy.KindIdentity, world.InlinePolicyName(owner, name))
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
func eachObject(n *tree.Node, keys []string, what string, read func(*tree.ObjReader) error) error {
	if n == nil {
		return nil
	}
	items, err := tree.List(n)
	if err != nil {
		return err
	}
	for _, it := range items {
		o := &tree.ObjReader{N: it}
		switch {
		case keys != nil:
			if o, err = tree.OpenObject(it, keys...); err != nil {
				return err
			}
		case it.Kind != tree.Object:
			return tree.NodeError(it, "wrong_type", "expected %s", what)
		}
		if err := read(o); err != nil {
			return err
		}
	}
	return nil
}

// attached reads [{PolicyName, PolicyArn}], noting where each is named.
func attached(n *tree.Node, refs *world.Refs) (out []string, err error) {
	err = eachObject(n, []string{"PolicyName", "PolicyArn"}, "", func(o *tree.ObjReader) error {
		arn, err := policyRef(o, "PolicyArn", world.RefManaged, refs)
		out = append(out, arn)
		return err
	})
	return out, err
}

func boundary(n *tree.Node, refs *world.Refs) (string, error) {
	if n == nil {
		return "", nil
	}
	o, err := tree.OpenObject(n, "PermissionsBoundaryType", "PermissionsBoundaryArn")
	if err != nil {
		return "", err
	}
	return policyRef(o, "PermissionsBoundaryArn", world.RefBoundary, refs)
}

// policyRef reads a managed policy ARN an entity names: checked, and
// noted with where it is written.
func policyRef(o *tree.ObjReader, key, kind string, refs *world.Refs) (string, error) {
	arn, err := o.Str(key, true)
	if err != nil {
		return "", err
	}
	if err := world.CheckConcreteARN(arn); err != nil {
		return "", o.Errorf(key, tree.CodeInvalidARN, "%s: %v", key, err)
	}
	refs.Add(kind, arn, o.Get(key).Loc())
	return arn, nil
}

// tagList reads [{Key, Value}].
func tagList(n *tree.Node) (map[string]string, error) {
	if n == nil {
		return nil, nil
	}
	out := map[string]string{}
	err := eachObject(n, []string{"Key", "Value"}, "", func(o *tree.ObjReader) error {
		k, err := o.Str("Key", true)
		if err != nil {
			return err
		}
		out[k], err = o.Str("Value", false)
		return err
	})
	return out, err
}

// instanceProfiles reads [{InstanceProfileName, Arn, ...}] into the
// profile ARNs.
func instanceProfiles(n *tree.Node, refs *world.Refs) (out []string, err error) {
	err = eachObject(n, nil, "an instance profile {InstanceProfileName, Arn, ...}", func(o *tree.ObjReader) error {
		arn, err := o.Str("Arn", true)
		if err != nil {
			return err
		}
		if err := world.CheckConcreteARN(arn); err != nil {
			return o.Errorf("Arn", tree.CodeInvalidARN, "Arn: %v", err)
		}
		if err := world.CheckName(world.NameInstanceProfile, arn[strings.LastIndex(arn, "/")+1:]); err != nil {
			return o.Errorf("Arn", tree.CodeInvalidName, "Arn: %v", err)
		}
		refs.Add(world.RefInstanceProfile, arn, o.Get("Arn").Loc())
		out = append(out, arn)
		return nil
	})
	return out, err
}

// lastUsed reads RoleLastUsed {LastUsedDate, Region}: "" when the role
// was not used in the tracking period.
func lastUsed(n *tree.Node) (date, region string, err error) {
	if n == nil {
		return "", "", nil
	}
	o, err := tree.OpenObject(n, "LastUsedDate", "Region")
	if err != nil {
		return "", "", err
	}
	if date, err = o.Str("LastUsedDate", false); err != nil {
		return "", "", err
	}
	region, err = o.Str("Region", false)
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

func references(a *world.Account) []string {
	var out []string
	for _, u := range a.Users {
		out = append(out, world.WithBoundary(u.Managed, u.Boundary)...)
	}
	for _, g := range a.Groups {
		out = append(out, g.Managed...)
	}
	for _, r := range a.Roles {
		out = append(out, world.WithBoundary(r.Managed, r.Boundary)...)
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
