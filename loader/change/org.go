package change

import (
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// SCPs and RCPs, matched by kind and name, and their attachments to the
// root, OUs and accounts.

// fullAWSAccess is the SCP AWS attaches to every level by default; the
// store gives it to a level whose list is empty.
const fullAWSAccess = "FullAWSAccess"

// org returns the world's organization, creating a minimal one when it has
// none: a root (r-root) above every account of the world but those
// outside any organization, with the default FullAWSAccess SCP and
// RCPFullAWSAccess RCP the store attaches everywhere, and no management
// account (the management account is exempt from SCPs; an unknown one is
// none of the world's).
func (ap *applier) org(at Source) *world.Organization {
	if ap.w.Organization != nil {
		return ap.w.Organization
	}
	ap.w.Organization = &world.Organization{ID: "o-review", Root: &world.OrgUnit{ID: "r-root", Name: "Root", At: loc(at)}}
	for _, a := range ap.w.Accounts {
		if !a.OutsideOrg && a.OrgPath != "" {
			ap.warn(at, "account %s names OU %q but the world has no organization: it is placed under the root of the organization the change creates", a.ID, a.OrgPath)
			a.OrgPath = ""
		}
	}
	return ap.w.Organization
}

func (ap *applier) orgPolicy(e *Edit) error {
	if e.PolicyKind != policy.KindSCP && e.PolicyKind != policy.KindRCP {
		return errAt(e.At, tree.CodeInvalidValue, "organization policy %s: its type is scp or rcp, not %q", e.Name, e.PolicyKind)
	}
	o := ap.org(e.At)
	i := slices.IndexFunc(o.Policies, func(p *world.OrgPolicy) bool { return p != nil && p.Kind == e.PolicyKind && p.Name == e.Name })
	if e.Op == Delete {
		if i < 0 {
			ap.warn(e.At, "the organization has no %s %s: nothing to delete", e.PolicyKind, e.Name)
			return nil
		}
		ap.forget(o.Policies[i].Policy)
		o.Policies = remove(o.Policies, i)
		ap.detachOrgPolicy(o, e.PolicyKind, e.Name)
		return nil
	}
	if e.Name == "" {
		return errAt(e.At, tree.CodeMissingElement, "an organization policy needs a name")
	}
	if e.Policy == nil {
		return errAt(e.At, tree.CodeMissingElement, "%s %s: no policy document", e.PolicyKind, e.Name)
	}
	if err := checkKind(e, e.Policy, e.PolicyKind); err != nil {
		return err
	}
	name := world.OrgPolicyName(e.PolicyKind, e.Name)
	p := &world.OrgPolicy{Name: e.Name, Kind: e.PolicyKind, Policy: ap.write(e.Policy, name, e.At)}
	if i < 0 {
		o.Policies = append(o.Policies, p)
	} else {
		o.Policies[i] = p
	}
	return nil
}

// detachOrgPolicy removes a deleted policy from every level.
func (ap *applier) detachOrgPolicy(o *world.Organization, kind policy.PolicyKind, name string) {
	for _, lists := range ap.levels(o) {
		l := lists.scps
		if kind == policy.KindRCP {
			l = lists.rcps
		}
		*l = slices.DeleteFunc(*l, func(s string) bool { return s == name })
	}
}

// level is the SCP and RCP lists of a root, OU or account.
type level struct {
	id, name   string
	scps, rcps *[]string
	refs       *world.Refs
}

// levels lists the root, every OU and every member account.
func (ap *applier) levels(o *world.Organization) []level {
	var out []level
	var walk func(u *world.OrgUnit)
	walk = func(u *world.OrgUnit) {
		out = append(out, level{u.ID, u.Name, &u.SCPs, &u.RCPs, &u.Refs})
		for _, c := range u.Children {
			walk(c)
		}
	}
	if o.Root != nil {
		walk(o.Root)
	}
	for _, a := range ap.w.Accounts {
		if !a.OutsideOrg {
			out = append(out, level{a.ID, a.Name, &a.SCPs, &a.RCPs, &a.Refs})
		}
	}
	return out
}

// orgAttachment attaches (detaches) the SCP or RCP Name to (from) Target:
// the root ("root" or its id), an OU (id or name) or a member account.
func (ap *applier) orgAttachment(e *Edit) error {
	o := ap.org(e.At)
	kind, err := ap.orgPolicyKind(o, e)
	if err != nil {
		return err
	}
	lv, err := ap.level(o, e)
	if err != nil {
		return err
	}
	list, ref := lv.scps, world.RefSCP
	if kind == policy.KindRCP {
		list, ref = lv.rcps, world.RefRCP
	}
	i := slices.Index(*list, e.Name)
	if e.Op == Delete {
		switch {
		case i < 0:
			ap.warn(e.At, "%s %s is not attached to %s: nothing to detach", kind, e.Name, e.Target)
		case kind == policy.KindSCP && len(*list) == 1:
			// DetachPolicy: ConstraintViolationException,
			// MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED ("fewer than the
			// minimum number of policies of a certain type required").
			return errAt(e.At, tree.CodeInvalidValue, "SCP %s is the last SCP attached to %s: AWS refuses to detach it (every root, OU and account keeps at least one SCP)", e.Name, e.Target)
		default:
			*list = remove(*list, i)
		}
		return nil
	}
	if i >= 0 {
		return nil
	}
	if kind == policy.KindSCP && len(*list) == 0 && e.Name != fullAWSAccess {
		// An empty list stands for FullAWSAccess, attached by default:
		// attaching another SCP keeps it.
		*list = append(*list, fullAWSAccess)
	}
	*list = append(*list, e.Name)
	ap.ref(lv.refs, ref, e.Name, e.At)
	return nil
}

// orgPolicyKind finds the kind of the policy an attachment names: the
// Edit's PolicyKind, or the kind of the one policy of that name.
func (ap *applier) orgPolicyKind(o *world.Organization, e *Edit) (policy.PolicyKind, error) {
	var kinds []policy.PolicyKind
	for _, p := range o.Policies {
		if p != nil && p.Name == e.Name && (e.PolicyKind == "" || p.Kind == e.PolicyKind) {
			kinds = append(kinds, p.Kind)
		}
	}
	builtin := map[string]policy.PolicyKind{fullAWSAccess: policy.KindSCP, policy.RCPFullAWSAccess: policy.KindRCP}
	if k, ok := builtin[e.Name]; ok && len(kinds) == 0 && (e.PolicyKind == "" || e.PolicyKind == k) {
		kinds = append(kinds, k)
	}
	switch {
	case len(kinds) == 0 && e.Op == Delete && e.PolicyKind != "":
		return e.PolicyKind, nil // detaching what is gone: the level says
	case len(kinds) == 0:
		return "", missingAt(e.At, "organization policy %q is not defined in the organization", e.Name)
	case len(kinds) > 1:
		return "", errAt(e.At, tree.CodeConflict, "both an SCP and an RCP are named %q: say which (policy kind)", e.Name)
	}
	return kinds[0], nil
}

// level finds an attachment's target.
func (ap *applier) level(o *world.Organization, e *Edit) (level, error) {
	var found []level
	for _, lv := range ap.levels(o) {
		isRoot := o.Root != nil && lv.id == o.Root.ID
		if lv.id == e.Target || (isRoot && strings.EqualFold(e.Target, "root")) || (lv.name != "" && lv.name == e.Target && !world.AccountIDPattern.MatchString(lv.id)) {
			found = append(found, lv)
		}
	}
	switch {
	case len(found) == 0 && world.AccountIDPattern.MatchString(e.Target) && e.Target == ap.acct.ID:
		return level{}, errAt(e.At, tree.CodeInvalidValue, "account %s is outside the organization: no SCP or RCP applies to it", e.Target)
	case len(found) == 0:
		return level{}, missingAt(e.At, "%s %s: no root, OU or member account %q in the organization", e.Kind, e.Name, e.Target)
	case len(found) > 1:
		return level{}, errAt(e.At, tree.CodeConflict, "%s %s: %d OUs are named %q: give the OU's id", e.Kind, e.Name, len(found), e.Target)
	}
	return found[0], nil
}
