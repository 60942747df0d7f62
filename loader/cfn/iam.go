package cfn

import (
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// The IAM resource types, their properties and required properties as
// the CloudFormation template reference lists them
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/AWS_IAM.html:
// aws-resource-iam-role, -user, -group, -policy, -managedpolicy,
// -rolepolicy, -userpolicy, -grouppolicy, -usertogroupaddition).
var builders = map[string]builder{
	"AWS::IAM::Role": {props: []string{"AssumeRolePolicyDocument", "Description", "ManagedPolicyArns", "MaxSessionDuration",
		"Path", "PermissionsBoundary", "Policies", "RoleName", "Tags"}, required: []string{"AssumeRolePolicyDocument"}, edits: roleEdits},
	"AWS::IAM::User": {props: []string{"Groups", "LoginProfile", "ManagedPolicyArns", "Path", "PermissionsBoundary", "Policies",
		"Tags", "UserName"}, edits: userEdits},
	"AWS::IAM::Group":  {props: []string{"GroupName", "ManagedPolicyArns", "Path", "Policies"}, edits: groupEdits},
	"AWS::IAM::Policy": {props: []string{"Groups", "PolicyDocument", "PolicyName", "Roles", "Users"}, required: []string{"PolicyDocument", "PolicyName"}, edits: policyEdits},
	"AWS::IAM::ManagedPolicy": {props: []string{"Description", "Groups", "ManagedPolicyName", "Path", "PolicyDocument", "Roles", "Users"},
		required: []string{"PolicyDocument"}, edits: managedPolicyEdits},
	"AWS::IAM::RolePolicy":          {props: []string{"PolicyDocument", "PolicyName", "RoleName"}, required: []string{"PolicyDocument", "PolicyName", "RoleName"}, edits: ownedPolicyEdits(change.Role, "RoleName")},
	"AWS::IAM::UserPolicy":          {props: []string{"PolicyDocument", "PolicyName", "UserName"}, required: []string{"PolicyDocument", "PolicyName", "UserName"}, edits: ownedPolicyEdits(change.User, "UserName")},
	"AWS::IAM::GroupPolicy":         {props: []string{"GroupName", "PolicyDocument", "PolicyName"}, required: []string{"GroupName", "PolicyDocument", "PolicyName"}, edits: ownedPolicyEdits(change.Group, "GroupName")},
	"AWS::IAM::UserToGroupAddition": {props: []string{"GroupName", "Users"}, required: []string{"GroupName", "Users"}, edits: additionEdits},
	"AWS::S3::BucketPolicy":         {props: []string{"Bucket", "PolicyDocument"}, required: []string{"Bucket", "PolicyDocument"}, edits: bucketPolicyEdits},
	"AWS::SQS::QueuePolicy":         {props: []string{"PolicyDocument", "Queues"}, required: []string{"PolicyDocument", "Queues"}, edits: queuePolicyEdits},
	"AWS::SNS::TopicPolicy":         {props: []string{"PolicyDocument", "Topics"}, required: []string{"PolicyDocument", "Topics"}, edits: topicPolicyEdits},
	"AWS::SecretsManager::ResourcePolicy": {props: []string{"BlockPublicPolicy", "ResourcePolicy", "SecretId"},
		required: []string{"ResourcePolicy", "SecretId"}, edits: secretPolicyEdits},
	// Types whose property lists grow often: unknown properties ignored.
	"AWS::KMS::Key":              {edits: keyEdits},
	"AWS::Lambda::Permission":    {required: []string{"Action", "FunctionName", "Principal"}, edits: lambdaPermissionEdits},
	"AWS::Organizations::Policy": {required: []string{"Content", "Name", "Type"}, edits: orgPolicyEdits},
}

// principalEdits builds a user, group or role with its inline policies
// (Policies) and attachments (ManagedPolicyArns).
func (t *template) principalEdits(r *resource, kind change.Kind, typ string) ([]change.Edit, string, error) {
	name, _, err := t.physicalName(r, kinds[r.typ])
	if err != nil {
		return nil, "", err
	}
	path, err := t.path(r)
	if err != nil {
		return nil, "", err
	}
	arn := t.iamARN(typ, path, name)
	e := change.Edit{Kind: kind, Name: name, Path: path}
	if kind != change.Group {
		if e.Boundary, err = t.text(r, "PermissionsBoundary"); err != nil {
			return nil, "", err
		}
		if e.Tags, err = t.tags(r); err != nil {
			return nil, "", err
		}
	}
	edits := []change.Edit{e}
	owner := &change.Owner{Kind: kind, Name: name}
	pols, err := t.prop(r, "Policies")
	if err != nil {
		return nil, "", err
	}
	if pols != nil {
		if pols.Kind != tree.Array {
			return nil, "", t.errAt(t.rawProp(r, "Policies"), tree.CodeWrongType, "Policies is a list of {PolicyName, PolicyDocument}")
		}
		for i, it := range pols.Items {
			pe, err := t.inlinePolicy(r, it, owner, arn, "Policies", i)
			if err != nil {
				return nil, "", err
			}
			edits = append(edits, pe)
		}
	}
	arns, err := t.texts(r, "ManagedPolicyArns")
	if err != nil {
		return nil, "", err
	}
	for _, a := range arns {
		edits = append(edits, change.Edit{Kind: change.Attachment, Owner: owner, PolicyARN: a})
	}
	return edits, arn, nil
}

// inlinePolicy reads one {PolicyName, PolicyDocument} of Policies.
func (t *template) inlinePolicy(r *resource, it *tree.Node, owner *change.Owner, ownerARN string, key string, i int) (change.Edit, error) {
	name, doc := it.Get("PolicyName"), it.Get("PolicyDocument")
	if it.Kind != tree.Object || name == nil || doc == nil || name.Kind != tree.String {
		return change.Edit{}, &tree.Error{File: t.file, Line: it.Line, Col: it.Col, Path: tree.Placed(&tree.Node{}, propSteps(r, key, i)...).Path(),
			Code: tree.CodeMissingElement, Msg: "an inline policy is {PolicyName, PolicyDocument}, both required"}
	}
	p, err := t.document(doc, policy.KindIdentity, world.InlinePolicyName(ownerARN, name.Str), propSteps(r, key, i, "PolicyDocument")...)
	if err != nil {
		return change.Edit{}, err
	}
	return change.Edit{Kind: change.InlinePolicy, Name: name.Str, Owner: owner, Policy: p}, nil
}

func roleEdits(t *template, r *resource) ([]change.Edit, error) {
	edits, arn, err := t.principalEdits(r, change.Role, "role")
	if err != nil {
		return nil, err
	}
	doc, err := t.prop(r, "AssumeRolePolicyDocument")
	if err != nil {
		return nil, err
	}
	if edits[0].Trust, err = t.document(doc, policy.KindTrust, world.TrustPolicyName(arn), propSteps(r, "AssumeRolePolicyDocument")...); err != nil {
		return nil, err
	}
	edits[0].MaxSessionDuration, err = t.integer(r, "MaxSessionDuration")
	return edits, err
}

func userEdits(t *template, r *resource) ([]change.Edit, error) {
	edits, _, err := t.principalEdits(r, change.User, "user")
	if err != nil {
		return nil, err
	}
	groups, err := t.texts(r, "Groups")
	for _, g := range groups {
		edits = append(edits, change.Edit{Kind: change.Membership, Owner: &change.Owner{Kind: change.User, Name: edits[0].Name}, Group: g})
	}
	return edits, err
}

func groupEdits(t *template, r *resource) ([]change.Edit, error) {
	edits, _, err := t.principalEdits(r, change.Group, "group")
	return edits, err
}

// owners reads the Roles, Users and Groups properties (names) of a policy.
func (t *template) owners(r *resource) ([]change.Owner, error) {
	var out []change.Owner
	for _, o := range []struct {
		key  string
		kind change.Kind
	}{{"Roles", change.Role}, {"Users", change.User}, {"Groups", change.Group}} {
		names, err := t.texts(r, o.key)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			out = append(out, change.Owner{Kind: o.kind, Name: n})
		}
	}
	return out, nil
}

// ownerARN is the ARN of a user, group or role of the target account
// named in a policy's Roles, Users or Groups (at the root path: a name
// alone does not say the path).
func (t *template) ownerARN(o change.Owner) string {
	return t.iamARN(string(o.Kind), "/", o.Name)
}

// policyEdits: AWS::IAM::Policy is an inline policy of each role, user
// and group it names ("you must specify at least one of Groups, Roles or
// Users").
func policyEdits(t *template, r *resource) ([]change.Edit, error) {
	owners, err := t.owners(r)
	if err != nil {
		return nil, err
	}
	if len(owners) == 0 {
		return nil, t.errAt(propsNode(r), tree.CodeMissingElement, "AWS::IAM::Policy %s names no Roles, Users or Groups; it needs at least one", r.id)
	}
	name, err := t.text(r, "PolicyName")
	if err != nil {
		return nil, err
	}
	doc, err := t.prop(r, "PolicyDocument")
	if err != nil {
		return nil, err
	}
	var edits []change.Edit
	for _, o := range owners {
		p, err := t.document(doc, policy.KindIdentity, world.InlinePolicyName(t.ownerARN(o), name), propSteps(r, "PolicyDocument")...)
		if err != nil {
			return nil, err
		}
		edits = append(edits, change.Edit{Kind: change.InlinePolicy, Name: name, Owner: &o, Policy: p})
	}
	return edits, nil
}

// ownedPolicyEdits: AWS::IAM::RolePolicy, UserPolicy and GroupPolicy, one
// inline policy of the owner the property names.
func ownedPolicyEdits(kind change.Kind, ownerKey string) func(t *template, r *resource) ([]change.Edit, error) {
	return func(t *template, r *resource) ([]change.Edit, error) {
		owner, err := t.text(r, ownerKey)
		if err != nil {
			return nil, err
		}
		name, err := t.text(r, "PolicyName")
		if err != nil {
			return nil, err
		}
		doc, err := t.prop(r, "PolicyDocument")
		if err != nil {
			return nil, err
		}
		o := &change.Owner{Kind: kind, Name: owner}
		p, err := t.document(doc, policy.KindIdentity, world.InlinePolicyName(t.ownerARN(*o), name), propSteps(r, "PolicyDocument")...)
		if err != nil {
			return nil, err
		}
		return []change.Edit{{Kind: change.InlinePolicy, Name: name, Owner: o, Policy: p}}, nil
	}
}

// managedPolicyEdits: a customer managed policy, attached to the roles,
// users and groups it names.
func managedPolicyEdits(t *template, r *resource) ([]change.Edit, error) {
	name, _, err := t.physicalName(r, kinds[r.typ])
	if err != nil {
		return nil, err
	}
	path, err := t.path(r)
	if err != nil {
		return nil, err
	}
	arn := t.iamARN("policy", path, name)
	doc, err := t.prop(r, "PolicyDocument")
	if err != nil {
		return nil, err
	}
	p, err := t.document(doc, policy.KindIdentity, arn, propSteps(r, "PolicyDocument")...)
	if err != nil {
		return nil, err
	}
	edits := []change.Edit{{Kind: change.ManagedPolicy, Name: name, Path: path, Policy: p}}
	owners, err := t.owners(r)
	for i := range owners {
		edits = append(edits, change.Edit{Kind: change.Attachment, Owner: &owners[i], PolicyARN: arn})
	}
	return edits, err
}

// additionEdits: AWS::IAM::UserToGroupAddition adds users to a group.
func additionEdits(t *template, r *resource) ([]change.Edit, error) {
	group, err := t.text(r, "GroupName")
	if err != nil {
		return nil, err
	}
	users, err := t.texts(r, "Users")
	var edits []change.Edit
	for _, u := range users {
		edits = append(edits, change.Edit{Kind: change.Membership, Owner: &change.Owner{Kind: change.User, Name: u}, Group: group})
	}
	return edits, err
}
