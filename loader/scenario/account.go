package scenario

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

func decodeAccount(n *tree.Node) (*world.Account, error) {
	o, err := tree.OpenObject(n, "id", "name", "org_path", "outside_org", "scps", "rcps", "users", "groups", "roles",
		"managed_policies", "resources", "saml_providers", "oidc_providers", "identity_pools", "vpc_endpoints")
	if err != nil {
		return nil, err
	}
	a := &world.Account{At: n.Loc()}
	if a.ID, err = o.Str("id", true); err != nil {
		return nil, err
	}
	if !world.AccountIDPattern.MatchString(a.ID) {
		return nil, o.Errorf("id", "invalid_value", "id: an account id is 12 digits, got %q", a.ID)
	}
	if a.Name, err = o.Str("name", false); err != nil {
		return nil, err
	}
	if a.OrgPath, err = o.Str("org_path", false); err != nil {
		return nil, err
	}
	if a.OutsideOrg, err = o.Boolean("outside_org"); err != nil {
		return nil, err
	}
	if a.SCPs, err = o.Strs("scps"); err != nil {
		return nil, err
	}
	if a.RCPs, err = o.Strs("rcps"); err != nil {
		return nil, err
	}
	recordRefs(o, "org_path", world.RefOU, &a.Refs)
	recordRefs(o, "scps", world.RefSCP, &a.Refs)
	recordRefs(o, "rcps", world.RefRCP, &a.Refs)
	steps := []struct {
		key string
		f   func(*world.Account, *tree.Node) error
	}{
		{"managed_policies", decodeManaged}, {"groups", decodeGroup}, {"users", decodeUser},
		{"roles", decodeRole}, {"resources", decodeResource},
		{"saml_providers", decodeSAML}, {"oidc_providers", decodeOIDC},
		{"identity_pools", decodePool}, {"vpc_endpoints", decodeEndpoint},
	}
	for _, s := range steps {
		ln := o.Get(s.key)
		if ln == nil {
			continue
		}
		items, err := tree.List(ln)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if err := s.f(a, it); err != nil {
				return nil, err
			}
		}
	}
	return a, nil
}

func iamARN(account, kind, path, name string) string {
	return "arn:aws:iam::" + account + ":" + kind + path + name
}

// inlinePolicies reads a list of {name, document}.
func inlinePolicies(o *tree.ObjReader, owner string, kind policy.PolicyKind) ([]*policy.Policy, error) {
	ln := o.Get("policies")
	if ln == nil {
		return nil, nil
	}
	items, err := tree.List(ln)
	if err != nil {
		return nil, err
	}
	var out []*policy.Policy
	names := map[string]*tree.Node{}
	for _, it := range items {
		po, err := tree.OpenObject(it, "name", "document")
		if err != nil {
			return nil, err
		}
		name, err := po.Str("name", true)
		if err != nil {
			return nil, err
		}
		if err := uniqueName(names, name, po.Get("name"), "inline policy", name); err != nil {
			return nil, err
		}
		p, err := policyDoc(po, "document", kind, world.InlinePolicyName(owner, name), true)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func decodeManaged(a *world.Account, n *tree.Node) error {
	o, err := tree.OpenObject(n, "name", "path", "arn", "document", "description")
	if err != nil {
		return err
	}
	mp := &world.ManagedPolicy{Account: a.ID}
	if mp.Name, mp.At, err = iamName(o, world.NamePolicy); err != nil {
		return err
	}
	if mp.Path, err = iamPath(o); err != nil {
		return err
	}
	if mp.ARN, err = o.Str("arn", false); err != nil {
		return err
	}
	if mp.ARN == "" {
		mp.ARN = iamARN(a.ID, "policy", mp.Path, mp.Name)
	} else if err := policyARN(o, a.ID, mp); err != nil {
		return err
	}
	mp.Policy, err = policyDoc(o, "document", policy.KindIdentity, mp.ARN, true)
	if err != nil {
		return err
	}
	a.ManagedPolicies = append(a.ManagedPolicies, mp)
	return nil
}

func decodeUser(a *world.Account, n *tree.Node) error {
	o, err := tree.OpenObject(n, "name", "path", "id", "groups", "policies", "managed_policies", "boundary", "tags")
	if err != nil {
		return err
	}
	u := &world.User{Account: a.ID}
	if u.Name, u.At, err = iamName(o, world.NameUser); err != nil {
		return err
	}
	if u.Path, err = iamPath(o); err != nil {
		return err
	}
	u.ARN = iamARN(a.ID, "user", u.Path, u.Name)
	if u.ID, err = o.Str("id", false); err != nil {
		return err
	}
	if u.ID == "" {
		u.ID = uniqueID("AIDA", u.ARN)
	}
	if u.Groups, err = o.Strs("groups"); err != nil {
		return err
	}
	recordRefs(o, "groups", world.RefGroup, &u.Refs)
	if u.Inline, err = inlinePolicies(o, u.ARN, policy.KindIdentity); err != nil {
		return err
	}
	if u.Managed, u.Boundary, err = entityRefs(o, &u.Refs); err != nil {
		return err
	}
	if u.Tags, err = o.Tags("tags"); err != nil {
		return err
	}
	a.Users = append(a.Users, u)
	return nil
}

func decodeGroup(a *world.Account, n *tree.Node) error {
	o, err := tree.OpenObject(n, "name", "path", "policies", "managed_policies")
	if err != nil {
		return err
	}
	g := &world.Group{Account: a.ID}
	if g.Name, g.At, err = iamName(o, world.NameGroup); err != nil {
		return err
	}
	if g.Path, err = iamPath(o); err != nil {
		return err
	}
	g.ARN = iamARN(a.ID, "group", g.Path, g.Name)
	if g.Inline, err = inlinePolicies(o, g.ARN, policy.KindIdentity); err != nil {
		return err
	}
	if g.Managed, _, err = entityRefs(o, &g.Refs); err != nil {
		return err
	}
	a.Groups = append(a.Groups, g)
	return nil
}

func decodeRole(a *world.Account, n *tree.Node) error {
	o, err := tree.OpenObject(n, "name", "path", "id", "trust", "policies", "managed_policies", "boundary", "tags",
		"max_session_duration", "description")
	if err != nil {
		return err
	}
	r := &world.Role{Account: a.ID}
	if r.Name, r.At, err = iamName(o, world.NameRole); err != nil {
		return err
	}
	if r.Path, err = iamPath(o); err != nil {
		return err
	}
	r.ARN = iamARN(a.ID, "role", r.Path, r.Name)
	if r.ID, err = o.Str("id", false); err != nil {
		return err
	}
	if r.ID == "" {
		r.ID = uniqueID("AROA", r.ARN)
	}
	if r.Trust, err = policyDoc(o, "trust", policy.KindTrust, world.TrustPolicyName(r.ARN), true); err != nil {
		return err
	}
	if r.Inline, err = inlinePolicies(o, r.ARN, policy.KindIdentity); err != nil {
		return err
	}
	if r.Managed, r.Boundary, err = entityRefs(o, &r.Refs); err != nil {
		return err
	}
	if r.Tags, err = o.Tags("tags"); err != nil {
		return err
	}
	if r.MaxSessionDuration, err = o.Integer("max_session_duration"); err != nil {
		return err
	}
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = 3600
	}
	if r.MaxSessionDuration < 3600 || r.MaxSessionDuration > 43200 {
		return o.Errorf("max_session_duration", "invalid_value",
			"max_session_duration: expected 3600 to 43200 seconds (1 to 12 hours), got %d", r.MaxSessionDuration)
	}
	a.Roles = append(a.Roles, r)
	return nil
}

func decodeResource(a *world.Account, n *tree.Node) error {
	o, err := tree.OpenObject(n, "arn", "type", "policy", "tags", "description")
	if err != nil {
		return err
	}
	r := &world.Resource{Account: a.ID}
	if r.ARN, err = o.Str("arn", true); err != nil {
		return err
	}
	if err := checkARNs(o, false, "arn"); err != nil {
		return err
	}
	if r.Type, err = resourceType(o, r.ARN); err != nil {
		return err
	}
	if r.Policy, err = policyDoc(o, "policy", policy.KindResource, r.ARN+"#policy", false); err != nil {
		return err
	}
	if r.Tags, err = o.Tags("tags"); err != nil {
		return err
	}
	a.Resources = append(a.Resources, r)
	return nil
}

// resourceType is the resource's type: the one its ARN says (world.TypeOf)
// when the world writes none; a type written must be one the engine knows
// and agree with the ARN.
func resourceType(o *tree.ObjReader, arn string) (string, error) {
	typ, err := o.Str("type", false)
	if err != nil {
		return "", err
	}
	fromARN := world.TypeOf(arn)
	switch {
	case typ == "":
		return fromARN, nil
	case !world.KnownType(typ):
		return "", o.Errorf("type", "invalid_value", "type: expected one of %s, got %q",
			strings.Join(world.ResourceTypes(), ", "), typ)
	case fromARN != "" && fromARN != typ:
		return "", o.Errorf("type", "invalid_value", "type: %q contradicts the ARN %s, which names a %s", typ, arn, fromARN)
	}
	return typ, nil
}

func decodeSAML(a *world.Account, n *tree.Node) error {
	o, err := tree.OpenObject(n, "name", "arn")
	if err != nil {
		return err
	}
	p := &world.Provider{Account: a.ID, Type: "saml"}
	if p.Name, err = o.Str("name", true); err != nil {
		return err
	}
	p.ARN = iamARN(a.ID, "saml-provider/", "", p.Name)
	a.Providers = append(a.Providers, p)
	return nil
}

func decodeOIDC(a *world.Account, n *tree.Node) error {
	o, err := tree.OpenObject(n, "url", "audiences", "arn")
	if err != nil {
		return err
	}
	p := &world.Provider{Account: a.ID, Type: "oidc"}
	url, err := o.Str("url", true)
	if err != nil {
		return err
	}
	p.Name = strings.TrimPrefix(url, "https://")
	p.ARN = iamARN(a.ID, "oidc-provider/", "", p.Name)
	if p.Audiences, err = o.Strs("audiences"); err != nil {
		return err
	}
	// "An IAM OIDC identity provider must have at least one and can have a
	// maximum of 100 audiences" (id_roles_providers_create_oidc.html).
	if n := len(p.Audiences); n < 1 || n > 100 {
		return o.Errorf("audiences", "invalid_value",
			"audiences: an IAM OIDC provider has 1 to 100 client IDs (audiences), got %d", n)
	}
	a.Providers = append(a.Providers, p)
	return nil
}
