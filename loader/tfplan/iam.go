package tfplan

import (
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// builder reads one side of a resource change into Edits (their Op is
// set by the caller).
type builder func(s *side) ([]change.Edit, error)

// builders are the resource types a plan's change can hold that change
// who can do what; other types are not read.
var builders map[string]builder

func init() {
	builders = map[string]builder{
		"aws_iam_role":                        role,
		"aws_iam_role_policy":                 inline(change.Role, "role"),
		"aws_iam_role_policy_attachment":      attachment(change.Role, "role"),
		"aws_iam_policy":                      managedPolicy,
		"aws_iam_user":                        user,
		"aws_iam_user_policy":                 inline(change.User, "user"),
		"aws_iam_user_policy_attachment":      attachment(change.User, "user"),
		"aws_iam_user_group_membership":       userGroups,
		"aws_iam_group":                       group,
		"aws_iam_group_policy":                inline(change.Group, "group"),
		"aws_iam_group_policy_attachment":     attachment(change.Group, "group"),
		"aws_iam_group_membership":            groupMembers,
		"aws_iam_policy_attachment":           exclusiveAttachment,
		"aws_s3_bucket_policy":                bucketPolicy,
		"aws_sqs_queue_policy":                queuePolicy,
		"aws_sns_topic_policy":                topicPolicy,
		"aws_kms_key":                         kmsKey,
		"aws_kms_key_policy":                  kmsKeyPolicy,
		"aws_secretsmanager_secret":           secret,
		"aws_secretsmanager_secret_policy":    secretPolicy,
		"aws_lambda_permission":               lambdaPermission,
		"aws_organizations_policy":            orgPolicy,
		"aws_organizations_policy_attachment": orgAttachment,
	}
}

// iamARN is the ARN of an IAM entity of the target account.
func (s *side) iamARN(kind, path, name string) string {
	return iamARN(s.r.opts.Partition, s.r.opts.Account, kind, path, name)
}

// named reads the name and path of a user, group, role or policy.
func (s *side) named() (name, path string, err error) {
	if name, err = s.str("name", true, nil); err != nil {
		return "", "", err
	}
	if path, err = s.str("path", false, nil); err != nil {
		return "", "", err
	}
	if path == "" {
		path = "/"
	}
	return name, path, nil
}

// role reads an aws_iam_role: the role, its inline_policy blocks and its
// managed_policy_arns.
func role(s *side) ([]change.Edit, error) {
	name, path, err := s.named()
	if err != nil {
		return nil, err
	}
	arn := s.iamARN("role", path, name)
	e := change.Edit{Kind: change.Role, Name: name, Path: path, At: s.in.at}
	if e.Trust, e.Unknown, err = s.document("assume_role_policy", policy.KindTrust, world.TrustPolicyName(arn)); err != nil {
		return nil, err
	}
	if !s.before && e.Trust == nil && e.Unknown == nil {
		return nil, s.missing("assume_role_policy")
	}
	if e.Boundary, err = s.str("permissions_boundary", false, s.r.asIAM("policy")); err != nil {
		return nil, err
	}
	if e.MaxSessionDuration, err = s.num("max_session_duration"); err != nil {
		return nil, err
	}
	if e.Tags, err = s.tags(); err != nil {
		return nil, err
	}
	out := []change.Edit{e}
	owner := &change.Owner{Kind: change.Role, Name: name}
	blocks, err := s.blocks("inline_policy")
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		pn, err := b.str("name", false, nil)
		if err != nil || pn == "" { // inline_policy {} asks for none
			if err != nil {
				return nil, err
			}
			continue
		}
		ip := change.Edit{Kind: change.InlinePolicy, Name: pn, Owner: owner, At: s.in.at}
		if ip.Policy, ip.Unknown, err = b.document("policy", policy.KindIdentity, world.InlinePolicyName(arn, pn)); err != nil {
			return nil, err
		}
		out = append(out, ip)
	}
	if s.unknown("managed_policy_arns") && !s.configured("managed_policy_arns") {
		return out, nil // computed: a new role has none
	}
	arns, err := s.strs("managed_policy_arns", s.r.asIAM("policy"))
	if err != nil {
		return nil, err
	}
	for _, a := range arns {
		out = append(out, change.Edit{Kind: change.Attachment, Owner: owner, PolicyARN: a, At: s.in.at})
	}
	return out, nil
}

func user(s *side) ([]change.Edit, error) {
	name, path, err := s.named()
	if err != nil {
		return nil, err
	}
	e := change.Edit{Kind: change.User, Name: name, Path: path, At: s.in.at}
	if e.Boundary, err = s.str("permissions_boundary", false, s.r.asIAM("policy")); err != nil {
		return nil, err
	}
	if e.Tags, err = s.tags(); err != nil {
		return nil, err
	}
	return []change.Edit{e}, nil
}

func group(s *side) ([]change.Edit, error) {
	name, path, err := s.named()
	if err != nil {
		return nil, err
	}
	return []change.Edit{{Kind: change.Group, Name: name, Path: path, At: s.in.at}}, nil
}

func managedPolicy(s *side) ([]change.Edit, error) {
	name, path, err := s.named()
	if err != nil {
		return nil, err
	}
	e := change.Edit{Kind: change.ManagedPolicy, Name: name, Path: path, At: s.in.at}
	if e.Policy, e.Unknown, err = s.document("policy", policy.KindIdentity, s.iamARN("policy", path, name)); err != nil {
		return nil, err
	}
	if !s.before && e.Policy == nil && e.Unknown == nil {
		return nil, s.missing("policy")
	}
	return []change.Edit{e}, nil
}

// inline reads an aws_iam_{role,user,group}_policy: the owner's name is
// in attribute ownerAttr.
func inline(kind change.Kind, ownerAttr string) builder {
	return func(s *side) ([]change.Edit, error) {
		owner, err := s.str(ownerAttr, true, nil)
		if err != nil {
			return nil, err
		}
		name, err := s.str("name", true, nil)
		if err != nil {
			return nil, err
		}
		e := change.Edit{Kind: change.InlinePolicy, Name: name, Owner: &change.Owner{Kind: kind, Name: owner}, At: s.in.at}
		ownerARN := s.iamARN(string(kind), "/", owner)
		if e.Policy, e.Unknown, err = s.document("policy", policy.KindIdentity, world.InlinePolicyName(ownerARN, name)); err != nil {
			return nil, err
		}
		if !s.before && e.Policy == nil && e.Unknown == nil {
			return nil, s.missing("policy")
		}
		return []change.Edit{e}, nil
	}
}

// attachment reads an aws_iam_{role,user,group}_policy_attachment.
func attachment(kind change.Kind, ownerAttr string) builder {
	return func(s *side) ([]change.Edit, error) {
		owner, err := s.str(ownerAttr, true, nil)
		if err != nil {
			return nil, err
		}
		arn, err := s.str("policy_arn", true, s.r.asIAM("policy"))
		if err != nil {
			return nil, err
		}
		return []change.Edit{{Kind: change.Attachment, Owner: &change.Owner{Kind: kind, Name: owner}, PolicyARN: arn, At: s.in.at}}, nil
	}
}

// exclusiveAttachment reads an aws_iam_policy_attachment, which attaches
// one policy to all the users, roles and groups it lists and detaches it
// from the others it had (the update's before values).
func exclusiveAttachment(s *side) ([]change.Edit, error) {
	arn, err := s.str("policy_arn", true, s.r.asIAM("policy"))
	if err != nil {
		return nil, err
	}
	var out []change.Edit
	for _, k := range []struct {
		kind change.Kind
		attr string
	}{{change.User, "users"}, {change.Role, "roles"}, {change.Group, "groups"}} {
		names, err := s.strs(k.attr, nil)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			out = append(out, change.Edit{Kind: change.Attachment, Owner: &change.Owner{Kind: k.kind, Name: n}, PolicyARN: arn, At: s.in.at})
		}
	}
	return out, nil
}

// userGroups reads an aws_iam_user_group_membership: one user in groups.
func userGroups(s *side) ([]change.Edit, error) {
	u, err := s.str("user", true, nil)
	if err != nil {
		return nil, err
	}
	groups, err := s.strs("groups", nil)
	if err != nil {
		return nil, err
	}
	var out []change.Edit
	for _, g := range groups {
		out = append(out, change.Edit{Kind: change.Membership, Owner: &change.Owner{Kind: change.User, Name: u}, Group: g, At: s.in.at})
	}
	return out, nil
}

// groupMembers reads an aws_iam_group_membership: users in one group.
func groupMembers(s *side) ([]change.Edit, error) {
	g, err := s.str("group", true, nil)
	if err != nil {
		return nil, err
	}
	users, err := s.strs("users", nil)
	if err != nil {
		return nil, err
	}
	var out []change.Edit
	for _, u := range users {
		out = append(out, change.Edit{Kind: change.Membership, Owner: &change.Owner{Kind: change.User, Name: u}, Group: g, At: s.in.at})
	}
	return out, nil
}
