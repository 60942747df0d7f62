package cfn

import (
	"github.com/clearance-dev/clearance/loader/tree"
)

// What Ref and Fn::GetAtt return for the resource types whose values the
// reader can build, from each type's "Return values" section in the
// CloudFormation template reference
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html#aws-resource-iam-role-return-values
// and the same section of aws-resource-iam-user, -iam-group,
// -iam-managedpolicy, -s3-bucket, -sqs-queue, -sns-topic, -kms-key,
// -lambda-function, -secretsmanager-secret). Any other value of any other
// type is a symbol.

// kind describes a resource type's physical name and ARN.
type kind struct {
	nameProp string // the property that names it
	nameExpr string // the expression whose symbol stands for a generated name ("" : !Ref ID)
	ref      string // what Ref returns: "name", "arn", "url" or "" (a symbol)
	arn      func(t *template, path, name string) string
	atts     map[string]string // attribute → "name", "arn" or "url"
}

var kinds = map[string]kind{
	"AWS::IAM::Role": {nameProp: "RoleName", ref: "name", atts: map[string]string{"Arn": "arn"},
		arn: func(t *template, path, name string) string { return t.iamARN("role", path, name) }},
	"AWS::IAM::User": {nameProp: "UserName", ref: "name", atts: map[string]string{"Arn": "arn"},
		arn: func(t *template, path, name string) string { return t.iamARN("user", path, name) }},
	"AWS::IAM::Group": {nameProp: "GroupName", ref: "name", atts: map[string]string{"Arn": "arn"},
		arn: func(t *template, path, name string) string { return t.iamARN("group", path, name) }},
	"AWS::IAM::ManagedPolicy": {nameProp: "ManagedPolicyName", nameExpr: ".ManagedPolicyName", ref: "arn",
		atts: map[string]string{"PolicyArn": "arn"},
		arn:  func(t *template, path, name string) string { return t.iamARN("policy", path, name) }},
	"AWS::S3::Bucket": {nameProp: "BucketName", ref: "name", atts: map[string]string{"Arn": "arn"},
		arn: func(t *template, _, name string) string { return "arn:" + t.opts.Partition + ":s3:::" + name }},
	"AWS::SQS::Queue": {nameProp: "QueueName", nameExpr: ".QueueName", ref: "url",
		atts: map[string]string{"Arn": "arn", "QueueName": "name", "QueueUrl": "url"},
		arn:  func(t *template, _, name string) string { return t.regionalARN("sqs", name) }},
	"AWS::SNS::Topic": {nameProp: "TopicName", nameExpr: ".TopicName", ref: "arn",
		atts: map[string]string{"TopicArn": "arn", "TopicName": "name"},
		arn:  func(t *template, _, name string) string { return t.regionalARN("sns", name) }},
	"AWS::Lambda::Function": {nameProp: "FunctionName", ref: "name", atts: map[string]string{"Arn": "arn"},
		arn: func(t *template, _, name string) string { return t.regionalARN("lambda", "function:"+name) }},
	// A key's ID is random: Ref and KeyId are its symbol, Arn is built
	// around it.
	"AWS::KMS::Key": {nameExpr: "", ref: "name", atts: map[string]string{"Arn": "arn", "KeyId": "name"},
		arn: func(t *template, _, id string) string { return t.regionalARN("kms", "key/"+id) }},
	// A secret's ARN ends with a random suffix after its name.
	"AWS::SecretsManager::Secret": {nameProp: "Name", ref: "arn", atts: map[string]string{"Id": "arn"},
		arn: func(t *template, _, name string) string { return t.regionalARN("secretsmanager", "secret:"+name) }},
}

func (t *template) iamARN(typ, path, name string) string {
	return "arn:" + t.opts.Partition + ":iam::" + t.opts.Account + ":" + typ + path + name
}

func (t *template) regionalARN(service, res string) string {
	return "arn:" + t.opts.Partition + ":" + service + ":" + t.opts.Region + ":" + t.opts.Account + ":" + res
}

func (t *template) resourceRef(r *resource, n *rnode) (*tree.Node, error) {
	k, ok := kinds[r.typ]
	if !ok || k.ref == "" {
		return t.symbol(n, "!Ref "+r.id)
	}
	return t.resourceValue(r, k, k.ref, n)
}

func (t *template) resourceAtt(r *resource, attr string, n *rnode) (*tree.Node, error) {
	k, ok := kinds[r.typ]
	if what := k.atts[attr]; ok && what != "" {
		return t.resourceValue(r, k, what, n)
	}
	return t.symbol(n, "!GetAtt "+r.id+"."+attr)
}

// resourceValue builds a resource's name, ARN or (queue) URL at n.
func (t *template) resourceValue(r *resource, k kind, what string, n *rnode) (*tree.Node, error) {
	name, generated, err := t.physicalName(r, k)
	if err != nil {
		return nil, err
	}
	if r.typ == "AWS::SecretsManager::Secret" && !generated {
		suffix, err := t.symbol(n, "!Ref "+r.id)
		if err != nil {
			return nil, err
		}
		name += "-" + suffix.Str
	}
	switch what {
	case "name":
		return t.str(n, name)
	case "url":
		return t.str(n, "https://sqs."+t.opts.Region+"."+urlSuffix(t.opts.Partition)+"/"+t.opts.Account+"/"+name)
	}
	path := "/"
	if p, err := t.prop(r, "Path"); err != nil {
		return nil, err
	} else if p != nil && p.Kind == tree.String {
		path = p.Str
	}
	return t.str(n, k.arn(t, path, name))
}

// physicalName is the resource's name: its name property, or the symbol
// standing for the name CloudFormation generates.
func (t *template) physicalName(r *resource, k kind) (name string, generated bool, err error) {
	at := &rnode{line: r.key.Line, col: r.key.Col, at: (*rstep)(nil).child("Resources").child(r.id)}
	if k.nameProp != "" {
		v, err := t.prop(r, k.nameProp)
		if err != nil {
			return "", false, err
		}
		if v != nil {
			if v.Kind != tree.String {
				return "", false, t.errAt(r.props.get(k.nameProp), tree.CodeWrongType, "%s must be a string; got %s", k.nameProp, v.Kind)
			}
			return v.Str, false, nil
		}
	}
	expr := "!Ref " + r.id
	if k.nameExpr != "" {
		expr = "!GetAtt " + r.id + k.nameExpr
		if r.typ == "AWS::IAM::ManagedPolicy" {
			expr = r.id + k.nameExpr
		}
	}
	s, err := t.symbol(at, expr)
	if err != nil {
		return "", false, err
	}
	return s.Str, true, nil
}

// prop evaluates one property of a resource, once; nil when absent.
func (t *template) prop(r *resource, key string) (*tree.Node, error) {
	if v, ok := r.memo[key]; ok {
		return v, nil
	}
	raw := r.props.get(key)
	if raw == nil {
		return nil, nil
	}
	if r.busy[key] {
		return nil, t.errAt(raw, tree.CodeConflict, "circular reference: %s.%s refers to itself", r.id, key)
	}
	r.busy[key] = true
	defer delete(r.busy, key)
	v, err := t.eval(raw)
	if err != nil {
		return nil, err
	}
	if v == noValue {
		v = nil
	}
	r.memo[key] = v
	return v, nil
}
