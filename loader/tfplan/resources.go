package tfplan

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// region is the resource's region (the AWS provider's per-resource region
// argument, v6) or the plan's.
func (s *side) region() string {
	if !s.unknown("region") {
		if v := str(s.vals.Get("region")); v != "" {
			return v
		}
	}
	return s.r.opts.Region
}

// arnIn builds an ARN of the target account in the resource's region.
func (s *side) arnIn(service, resource string) string {
	return "arn:" + s.r.opts.Partition + ":" + service + ":" + s.region() + ":" + s.r.opts.Account + ":" + resource
}

// resourcePolicy is the Edit putting the resource policy of resource
// held in attr; none when the document is absent.
func (s *side) resourcePolicy(resource, attr string, required bool) ([]change.Edit, error) {
	p, sym, err := s.document(attr, policy.KindResource, resource+"#policy")
	if err != nil {
		return nil, err
	}
	if !s.before && p == nil && sym == nil {
		if required {
			return nil, s.missing(attr)
		}
		return nil, nil
	}
	return []change.Edit{{Kind: change.ResourcePolicy, Resource: resource, Policy: p, Unknown: sym, At: s.in.at}}, nil
}

func bucketPolicy(s *side) ([]change.Edit, error) {
	b, err := s.str("bucket", true, nil)
	if err != nil {
		return nil, err
	}
	return s.resourcePolicy("arn:"+s.r.opts.Partition+":s3:::"+b, "policy", true)
}

func queuePolicy(s *side) ([]change.Edit, error) {
	u, err := s.str("queue_url", true, s.r.asARN(false))
	if err != nil {
		return nil, err
	}
	arn := u
	if !strings.HasPrefix(u, "arn:") {
		var ok bool
		if arn, ok = queueARN(s.r.opts.Partition, u); !ok {
			return nil, tree.ErrAt(s.vals.Get("queue_url"), "", tree.CodeInvalidValue,
				"%s: queue_url %q is not a queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)", s.in.addr, u)
		}
	}
	return s.resourcePolicy(arn, "policy", true)
}

func topicPolicy(s *side) ([]change.Edit, error) {
	arn, err := s.str("arn", true, s.r.asARN(false))
	if err != nil {
		return nil, err
	}
	return s.resourcePolicy(arn, "policy", true)
}

// keyARN is a key's ARN from a key ID or ARN.
func (s *side) keyARN(id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	return s.arnIn("kms", "key/"+id)
}

// kmsKey reads an aws_kms_key's policy. A key created without one gets
// AWS's default key policy, which gives the account (its IAM policies)
// full access: "Default key policy", AWS KMS Developer Guide
// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
func kmsKey(s *side) ([]change.Edit, error) {
	id, err := s.str("key_id", false, nil)
	if err != nil {
		return nil, err
	}
	if id == "" {
		id = s.r.symbol(s.in.addr+".key_id", s.in.at)
	}
	arn := s.keyARN(id)
	if s.unknown("policy") && !s.configured("policy") {
		p, err := defaultKeyPolicy(s, arn)
		if err != nil {
			return nil, err
		}
		return []change.Edit{{Kind: change.ResourcePolicy, Resource: arn, Policy: p, At: s.in.at}}, nil
	}
	return s.resourcePolicy(arn, "policy", false)
}

// configured reports whether the resource's configuration sets attr
// (false when the plan has no configuration for it: unknown stays
// unknown).
func (s *side) configured(attr string) bool {
	cfg := s.r.configResource(s.in.module, s.in.mode, s.in.typ, s.in.name)
	return cfg == nil || cfg.Get("expressions").Get(attr) != nil
}

func defaultKeyPolicy(s *side, arn string) (*policy.Policy, error) {
	text := `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow",` +
		`"Principal":{"AWS":"arn:` + s.r.opts.Partition + `:iam::` + s.r.opts.Account + `:root"},"Action":"kms:*","Resource":"*"}]}`
	p, _, err := parseHeld(s.in.node, []byte(text), policy.KindResource, arn+"#policy", s.in.addr+" (the default key policy)")
	return p, err
}

func kmsKeyPolicy(s *side) ([]change.Edit, error) {
	id, err := s.str("key_id", true, s.r.asARN(false))
	if err != nil {
		return nil, err
	}
	return s.resourcePolicy(s.keyARN(id), "policy", true)
}

func secretARN(s *side, attr string) (string, error) {
	return s.str(attr, true, func(_, t string) string { return s.arnIn("secretsmanager", "secret:"+t) })
}

func secret(s *side) ([]change.Edit, error) {
	arn, err := secretARN(s, "arn")
	if err != nil {
		return nil, err
	}
	if s.unknown("policy") && !s.configured("policy") {
		return nil, nil // a secret created without a policy has none
	}
	return s.resourcePolicy(arn, "policy", false)
}

func secretPolicy(s *side) ([]change.Edit, error) {
	arn, err := secretARN(s, "secret_arn")
	if err != nil {
		return nil, err
	}
	return s.resourcePolicy(arn, "policy", true)
}

// orgPolicy reads an aws_organizations_policy: an SCP or an RCP (tag,
// backup and other management policies grant nothing and are not read).
func orgPolicy(s *side) ([]change.Edit, error) {
	kind, ok, err := orgKind(s)
	if err != nil || !ok {
		return nil, err
	}
	name, err := s.str("name", true, nil)
	if err != nil {
		return nil, err
	}
	e := change.Edit{Kind: change.OrgPolicy, Name: name, PolicyKind: kind, At: s.in.at}
	if e.Policy, e.Unknown, err = s.document("content", kind, world.OrgPolicyName(kind, name)); err != nil {
		return nil, err
	}
	if !s.before && e.Policy == nil && e.Unknown == nil {
		return nil, s.missing("content")
	}
	return []change.Edit{e}, nil
}

func orgKind(s *side) (policy.PolicyKind, bool, error) {
	t, err := s.str("type", false, nil)
	switch {
	case err != nil:
		return "", false, err
	case t == "" || t == "SERVICE_CONTROL_POLICY":
		return policy.KindSCP, true, nil
	case t == "RESOURCE_CONTROL_POLICY":
		return policy.KindRCP, true, nil
	}
	return "", false, nil
}

// orgAttachment reads an aws_organizations_policy_attachment. The policy
// is named by the aws_organizations_policy of the plan its policy_id
// references or has as id; else by its ID.
func orgAttachment(s *side) ([]change.Edit, error) {
	target, err := s.str("target_id", true, nil)
	if err != nil {
		return nil, err
	}
	e := change.Edit{Kind: change.OrgAttachment, Target: target, At: s.in.at}
	if p := s.orgPolicyOf(); p != nil {
		ps := s.r.side(p, s.before || p.acts.Delete())
		kind, ok, err := orgKind(ps)
		if err != nil || !ok {
			return nil, err
		}
		e.PolicyKind = kind
		if e.Name, err = ps.str("name", true, nil); err != nil {
			return nil, err
		}
		return []change.Edit{e}, nil
	}
	if e.Name, err = s.str("policy_id", true, nil); err != nil {
		return nil, err
	}
	return []change.Edit{e}, nil
}

// orgPolicyOf finds the organization policy an attachment attaches.
func (s *side) orgPolicyOf() *instance {
	for _, ref := range s.refs("policy_id") {
		if x, ok := parseRef(ref); ok && x.typ == "aws_organizations_policy" {
			if t := s.r.target(qualify(s.in.module, x.base()), x.index); t != nil {
				return t
			}
		}
	}
	id := str(s.vals.Get("policy_id"))
	for _, in := range s.r.changes {
		if in.typ == "aws_organizations_policy" && id != "" && (str(in.after.Get("id")) == id || str(in.before.Get("id")) == id) {
			return in
		}
	}
	return nil
}
