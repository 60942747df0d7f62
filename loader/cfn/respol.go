package cfn

import (
	"net/url"
	"strings"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
)

// resourcePolicy is a ResourcePolicy Edit for arn with the document of key.
func (t *template) resourcePolicy(r *resource, key, arn string) (change.Edit, error) {
	doc, err := t.prop(r, key)
	if err != nil {
		return change.Edit{}, err
	}
	p, err := t.document(doc, policy.KindResource, arn+"#policy", propSteps(r, key)...)
	if err != nil {
		return change.Edit{}, err
	}
	return change.Edit{Kind: change.ResourcePolicy, Resource: arn, Policy: p}, nil
}

// bucketPolicyEdits: AWS::S3::BucketPolicy, Bucket names the bucket
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucketpolicy.html).
func bucketPolicyEdits(t *template, r *resource) ([]change.Edit, error) {
	bucket, err := t.text(r, "Bucket")
	if err != nil {
		return nil, err
	}
	arn := "arn:" + t.opts.Partition + ":s3:::" + strings.TrimPrefix(bucket, "arn:"+t.opts.Partition+":s3:::")
	e, err := t.resourcePolicy(r, "PolicyDocument", arn)
	return []change.Edit{e}, err
}

// queuePolicyEdits: AWS::SQS::QueuePolicy, Queues are queue URLs
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queuepolicy.html);
// each becomes arn:PARTITION:sqs:REGION:ACCOUNT:NAME.
func queuePolicyEdits(t *template, r *resource) ([]change.Edit, error) {
	queues, err := t.texts(r, "Queues")
	if err != nil {
		return nil, err
	}
	var edits []change.Edit
	for _, q := range queues {
		arn, ok := t.queueARN(q)
		if !ok {
			return nil, t.errAt(t.rawProp(r, "Queues"), tree.CodeInvalidValue, "Queues: %q is not a queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)", q)
		}
		e, err := t.resourcePolicy(r, "PolicyDocument", arn)
		if err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	return edits, nil
}

// queueARN turns a queue URL (https://sqs.REGION.DOMAIN/ACCOUNT/NAME, or
// the legacy https://REGION.queue.DOMAIN/ACCOUNT/NAME) into its ARN. A
// symbol standing for a whole URL gives an ARN of the stack's region and
// account around it.
func (t *template) queueARN(q string) (string, bool) {
	if t.holdsSymbol(q) && !strings.HasPrefix(q, "https://") {
		return t.regionalARN("sqs", q), true
	}
	u, err := url.Parse(q)
	if err != nil || u.Scheme != "https" {
		return "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	host := strings.Split(u.Hostname(), ".")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" || len(host) < 3 {
		return "", false
	}
	region := host[1]
	if host[0] != "sqs" {
		region = host[0]
	}
	return "arn:" + t.opts.Partition + ":sqs:" + region + ":" + parts[0] + ":" + parts[1], true
}

// topicPolicyEdits: AWS::SNS::TopicPolicy, Topics are topic ARNs
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-topicpolicy.html).
func topicPolicyEdits(t *template, r *resource) ([]change.Edit, error) {
	topics, err := t.texts(r, "Topics")
	if err != nil {
		return nil, err
	}
	var edits []change.Edit
	for _, arn := range topics {
		if !strings.HasPrefix(arn, "arn:") {
			if !t.holdsSymbol(arn) {
				return nil, t.errAt(t.rawProp(r, "Topics"), tree.CodeInvalidARN, "Topics: %q is not a topic ARN", arn)
			}
			arn = t.regionalARN("sns", arn)
		}
		e, err := t.resourcePolicy(r, "PolicyDocument", arn)
		if err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	return edits, nil
}

// secretPolicyEdits: AWS::SecretsManager::ResourcePolicy, SecretId is the
// secret's ARN or name
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-secretsmanager-resourcepolicy.html).
// A name gives the ARN with the secret's random suffix as a symbol.
func secretPolicyEdits(t *template, r *resource) ([]change.Edit, error) {
	id, err := t.text(r, "SecretId")
	if err != nil {
		return nil, err
	}
	arn := id
	if !strings.HasPrefix(id, "arn:") {
		suffix, err := t.symbol(t.rawProp(r, "SecretId"), "!GetAtt "+r.id+".SecretId suffix")
		if err != nil {
			return nil, err
		}
		arn = t.regionalARN("secretsmanager", "secret:"+id+"-"+suffix.Str)
	}
	e, err := t.resourcePolicy(r, "ResourcePolicy", arn)
	return []change.Edit{e}, err
}

// keyEdits: AWS::KMS::Key's KeyPolicy on the key's ARN (its ID is a
// symbol). Without KeyPolicy, KMS gives the key its default key policy,
// which allows the account (its IAM policies) kms:*
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html#cfn-kms-key-keypolicy,
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam).
func keyEdits(t *template, r *resource) ([]change.Edit, error) {
	at := &rnode{line: r.key.Line, col: r.key.Col, at: (*rstep)(nil).child("Resources").child(r.id)}
	arn, err := t.resourceAtt(r, "Arn", at)
	if err != nil {
		return nil, err
	}
	doc, err := t.prop(r, "KeyPolicy")
	if err != nil {
		return nil, err
	}
	if doc == nil {
		doc = t.defaultKeyPolicy(r)
	}
	p, err := t.document(doc, policy.KindResource, arn.Str+"#policy", propSteps(r, "KeyPolicy")...)
	if err != nil {
		return nil, err
	}
	return []change.Edit{{Kind: change.ResourcePolicy, Resource: arn.Str, Policy: p}}, nil
}

func (t *template) defaultKeyPolicy(r *resource) *tree.Node {
	b := nodes{t: t, line: r.key.Line, col: r.key.Col}
	return b.obj("Version", b.s(policy.Version2012), "Statement", b.arr(b.obj(
		"Sid", b.s("Enable IAM User Permissions"), "Effect", b.s("Allow"),
		"Principal", b.obj("AWS", b.s("arn:"+t.opts.Partition+":iam::"+t.opts.Account+":root")),
		"Action", b.s("kms:*"), "Resource", b.s("*"))))
}

// nodes builds tree nodes at one place.
type nodes struct {
	t         *template
	line, col int
}

func (b nodes) s(v string) *tree.Node {
	return &tree.Node{Kind: tree.String, Str: v, File: b.t.file, Line: b.line, Col: b.col}
}

func (b nodes) arr(items ...*tree.Node) *tree.Node {
	return &tree.Node{Kind: tree.Array, Items: items, File: b.t.file, Line: b.line, Col: b.col}
}

// obj builds an object of key, value pairs.
func (b nodes) obj(kv ...any) *tree.Node {
	n := &tree.Node{Kind: tree.Object, File: b.t.file, Line: b.line, Col: b.col}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Keys = append(n.Keys, kv[i].(string))
		n.Vals = append(n.Vals, kv[i+1].(*tree.Node))
		n.KeyPos = append(n.KeyPos, tree.Pos{Line: b.line, Col: b.col})
	}
	return n
}
