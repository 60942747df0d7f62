package audit

import (
	"context"
	"strings"

	"github.com/clearance-dev/clearance/loader/catalog"
)

// Concrete replays. The audit probes an action on "*" to ask about every
// resource the identity policies cover, but a request names one resource:
// `clearance why` refuses "*" for an action that acts on a resource type
// (the Service Authorization Reference lists its types; "*" is for those
// without one). So the evidence of a probe on "*" is decided again, and
// replayed, on one concrete ARN of the action's resource type: the
// type's ARN template filled with a name no policy names, or a resource
// the world declares in the actor's account (tried first for a KMS key
// and for a role STS assumes, which their own policy decides: only a
// declared one has it). The first whose answer is the probe's is kept.

// probeName is the name filled into ARN templates.
const probeName = "clearance-probe"

// probeRef is what concretize needs of a probe: who made it.
type probeRef struct {
	ac *actor
	v  variant
}

// arnTemplates are the ARN prefixes (the name follows) of the resource
// types the audit probes, by service and catalog resource type
// (Service Authorization Reference, each service's "Resource types"
// table); REGION and ACCOUNT are filled in.
var arnTemplates = map[string]string{
	"iam:user":                    "arn:aws:iam::ACCOUNT:user/",
	"iam:role":                    "arn:aws:iam::ACCOUNT:role/",
	"iam:group":                   "arn:aws:iam::ACCOUNT:group/",
	"iam:policy":                  "arn:aws:iam::ACCOUNT:policy/",
	"iam:instance-profile":        "arn:aws:iam::ACCOUNT:instance-profile/",
	"sts:role":                    "arn:aws:iam::ACCOUNT:role/",
	"s3:bucket":                   "arn:aws:s3:::",
	"s3:object":                   "arn:aws:s3:::" + probeName + "/",
	"kms:key":                     "arn:aws:kms:REGION:ACCOUNT:key/",
	"lambda:function":             "arn:aws:lambda:REGION:ACCOUNT:function:",
	"dynamodb:table":              "arn:aws:dynamodb:REGION:ACCOUNT:table/",
	"secretsmanager:Secret":       "arn:aws:secretsmanager:REGION:ACCOUNT:secret:",
	"ec2:instance":                "arn:aws:ec2:REGION:ACCOUNT:instance/",
	"glue:devendpoint":            "arn:aws:glue:REGION:ACCOUNT:devEndpoint/",
	"cloudformation:stack":        "arn:aws:cloudformation:REGION:ACCOUNT:stack/" + probeName + "/",
	"codebuild:project":           "arn:aws:codebuild:REGION:ACCOUNT:project/",
	"ssm:document":                "arn:aws:ssm:REGION:ACCOUNT:document/",
	"ssm:managed-instance":        "arn:aws:ssm:REGION:ACCOUNT:managed-instance/",
	"sagemaker:notebook-instance": "arn:aws:sagemaker:REGION:ACCOUNT:notebook-instance/",
	"apprunner:service":           "arn:aws:apprunner:REGION:ACCOUNT:service/" + probeName + "/",
	"sqs:queue":                   "arn:aws:sqs:REGION:ACCOUNT:",
	"sns:topic":                   "arn:aws:sns:REGION:ACCOUNT:",
	"sts:federated-user":          "arn:aws:sts::ACCOUNT:federated-user/",
	"ssm:parameter":               "arn:aws:ssm:REGION:ACCOUNT:parameter/",
	"rds:db":                      "arn:aws:rds:REGION:ACCOUNT:db:",
	"rds:snapshot":                "arn:aws:rds:REGION:ACCOUNT:snapshot:",
	"ecr:repository":              "arn:aws:ecr:REGION:ACCOUNT:repository/",
	"glacier:vault":               "arn:aws:glacier:REGION:ACCOUNT:vaults/",
}

// globalServices name no region in their ARNs (the fallback template).
var globalServices = map[string]bool{"iam": true, "sts": true, "s3": true, "cloudfront": true,
	"route53": true, "organizations": true, "waf": true}

// resourceTypes lists the catalog's resource types of an action (required
// ones first); none for an action that acts on no resource type.
func resourceTypes(action string) []string {
	c, err := catalog.Load()
	if err != nil {
		return nil
	}
	a, ok := c.Lookup(action)
	if !ok {
		return nil
	}
	var required, other []string
	for _, t := range a.ResourceTypes {
		if name, ok := strings.CutPrefix(t, "*"); ok {
			required = append(required, a.Service+":"+name)
		} else {
			other = append(other, a.Service+":"+t)
		}
	}
	return append(required, other...)
}

// concreteARNs lists the ARNs a probe of the action on "*" is replayed on,
// in the order they are tried.
func (a *auditor) concreteARNs(ac *actor, action string) []string {
	region := "us-east-1"
	if r, ok := a.opts.Context["aws:RequestedRegion"].(string); ok && r != "" {
		region = r
	}
	var out, templates []string // templates: the declared ones tried last
	for _, t := range resourceTypes(action) {
		prefix, ok := arnTemplates[t]
		if !ok {
			continue
		}
		prefix = strings.NewReplacer("REGION", region, "ACCOUNT", ac.account).Replace(prefix)
		declared := a.declaredUnder(ac.account, t, prefix)
		if t == "kms:key" || t == "sts:role" {
			out = append(out, declared...)
			declared = nil
		}
		out = append(out, prefix+probeName)
		templates = append(templates, declared...)
	}
	if len(out) == 0 {
		if types := resourceTypes(action); len(types) > 0 {
			svc, typ, _ := strings.Cut(types[0], ":")
			r := region
			if globalServices[svc] {
				r = ""
			}
			templates = append(templates, "arn:aws:"+svc+":"+r+":"+ac.account+":"+typ+"/"+probeName)
		}
	}
	return append(out, templates...)
}

// declaredUnder lists the world's resources of the account under an ARN
// prefix (for S3 objects, one object in each declared bucket).
func (a *auditor) declaredUnder(account, typ, prefix string) []string {
	var out []string
	for _, arn := range a.declared(account) {
		switch {
		case typ == "s3:object" && strings.HasPrefix(arn, "arn:aws:s3:::") && !strings.Contains(arn[len("arn:aws:s3:::"):], "/"):
			out = append(out, arn+"/"+probeName)
		case typ == "s3:bucket" && strings.HasPrefix(arn, prefix) && !strings.Contains(arn[len(prefix):], "/"):
			out = append(out, arn)
		case typ != "s3:bucket" && typ != "s3:object" && strings.HasPrefix(arn, prefix):
			out = append(out, arn)
		}
	}
	return out
}

// declared lists the account's resources, roles, users and customer
// managed policies.
func (a *auditor) declared(account string) []string {
	acct, ok := a.snap.Account(account)
	if !ok {
		return nil
	}
	var out []string
	for _, r := range acct.Resources {
		out = append(out, r.ARN)
	}
	return append(out, a.accountEntities(account)...)
}

// concretize turns evidence decided on "*", for an action that acts on a
// resource type, into evidence on a concrete ARN (see above).
func (a *auditor) concretize(ctx context.Context, ev *Evidence) error {
	if ev.Resource != "*" || ev.probe == nil || len(resourceTypes(ev.Action)) == 0 {
		return nil
	}
	ac, v := ev.probe.ac, ev.probe.v
	var first *Evidence
	for _, arn := range a.concreteARNs(ac, ev.Action) {
		d, err := a.e.DecideShared(ctx, v.request(ac, ev.Action, arn, a.opts))
		if err != nil {
			return err
		}
		got := evidence(d, ev.Action, arn, v.why(ac, ev.Action, arn, a.opts))
		if got.Decision == ev.Decision {
			*ev = got
			return nil
		}
		if first == nil {
			first = &got
		}
	}
	if first != nil {
		*ev = *first
	}
	return nil
}

// concretizeAll concretizes every evidence of a finding.
func (a *auditor) concretizeAll(ctx context.Context, f *Finding) error {
	for i := range f.Evidence {
		if err := a.concretize(ctx, &f.Evidence[i]); err != nil {
			return err
		}
	}
	return nil
}
