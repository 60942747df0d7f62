package tfplan

import (
	"net/url"
	"strings"
)

// derive returns the value of attribute attr of a changed resource: as
// the plan knows it, or built from its known attributes (an ARN from a
// name). A key's ID and a secret's ARN, which AWS generates, are symbols,
// the same wherever they are referenced.
func (r *reader) derive(t *instance, attr string) (string, bool) {
	s := r.side(t, false)
	known := func(a string) string {
		if s.unknown(a) {
			return ""
		}
		return str(t.after.Get(a))
	}
	if v := known(attr); v != "" {
		return v, true
	}
	p, acct, region := r.opts.Partition, r.opts.Account, known("region")
	if region == "" {
		region = r.opts.Region
	}
	named := func(a string) string { // a name, or its symbol
		if v := known(a); v != "" {
			return v
		}
		return r.symbol(t.addr+"."+a, t.at)
	}
	path := known("path")
	switch t.typ + "." + attr {
	case "aws_iam_role.id", "aws_iam_user.id", "aws_iam_group.id", "aws_iam_role.name", "aws_iam_user.name", "aws_iam_group.name":
		return named("name"), true
	case "aws_iam_role.arn":
		return iamARN(p, acct, "role", path, named("name")), true
	case "aws_iam_user.arn":
		return iamARN(p, acct, "user", path, named("name")), true
	case "aws_iam_group.arn":
		return iamARN(p, acct, "group", path, named("name")), true
	case "aws_iam_policy.arn", "aws_iam_policy.id":
		return iamARN(p, acct, "policy", path, named("name")), true
	case "aws_iam_policy.name", "aws_organizations_policy.name":
		return named("name"), true
	case "aws_iam_openid_connect_provider.arn", "aws_iam_openid_connect_provider.id":
		host := strings.TrimPrefix(known("url"), "https://")
		return "arn:" + p + ":iam::" + acct + ":oidc-provider/" + host, host != ""
	case "aws_s3_bucket.id", "aws_s3_bucket.bucket":
		return named("bucket"), true
	case "aws_s3_bucket.arn":
		return "arn:" + p + ":s3:::" + named("bucket"), true
	case "aws_sqs_queue.arn":
		return "arn:" + p + ":sqs:" + region + ":" + acct + ":" + named("name"), true
	case "aws_sqs_queue.id", "aws_sqs_queue.url":
		return "https://sqs." + region + "." + dnsSuffix(p) + "/" + acct + "/" + named("name"), true
	case "aws_sns_topic.arn", "aws_sns_topic.id":
		return "arn:" + p + ":sns:" + region + ":" + acct + ":" + named("name"), true
	case "aws_lambda_function.arn":
		return "arn:" + p + ":lambda:" + region + ":" + acct + ":function:" + named("function_name"), true
	case "aws_lambda_function.function_name", "aws_lambda_function.id":
		return named("function_name"), true
	case "aws_kms_key.id", "aws_kms_key.key_id":
		return named("key_id"), true
	case "aws_kms_key.arn":
		return "arn:" + p + ":kms:" + region + ":" + acct + ":key/" + named("key_id"), true
	case "aws_secretsmanager_secret.arn", "aws_secretsmanager_secret.id":
		// AWS appends six random characters to a secret's name.
		return "arn:" + p + ":secretsmanager:" + region + ":" + acct + ":secret:" + r.symbol(t.addr+".arn", t.at), true
	}
	return "", false
}

// iamARN builds arn:PARTITION:iam::ACCOUNT:KIND/PATH+NAME.
func iamARN(partition, account, kind, path, name string) string {
	if path == "" {
		path = "/"
	}
	return "arn:" + partition + ":iam::" + account + ":" + kind + path + name
}

func dnsSuffix(partition string) string {
	if partition == "aws-cn" {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// queueARN builds a queue's ARN from its URL: https://sqs.REGION.DOMAIN/
// ACCOUNT/NAME, or the legacy https://REGION.queue.DOMAIN/... and
// https://queue.amazonaws.com/... (us-east-1).
func queueARN(partition, raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 2 || len(parts[0]) != 12 || parts[1] == "" {
		return "", false
	}
	host := strings.Split(u.Host, ".")
	var region string
	switch {
	case len(host) > 2 && host[0] == "sqs":
		region = host[1]
	case len(host) > 2 && host[1] == "queue":
		region = host[0]
	case len(host) > 1 && host[0] == "queue":
		region = "us-east-1"
	default:
		return "", false
	}
	return "arn:" + partition + ":sqs:" + region + ":" + parts[0] + ":" + parts[1], true
}

// wrapper builds what stands in a value's place from a symbol's Text
// and the expression it stands for (an ARN around it, where the grammar
// wants one).
type wrapper func(expr, text string) string

// asARN wraps a symbol in an ARN of the kind its expression names (a
// role's, a bucket's, ...). An expression of another kind gets a role's
// ARN where a principal is expected, else an ARN of service "unknown" in
// the account: either matches only itself.
func (r *reader) asARN(principal bool) wrapper {
	p, acct, region := r.opts.Partition, r.opts.Account, r.opts.Region
	return func(expr, t string) string {
		typ := ""
		if x, ok := parseRef(lastRef(expr)); ok {
			typ = x.typ
		}
		switch typ {
		case "aws_iam_role":
			return iamARN(p, acct, "role", "/", t)
		case "aws_iam_user":
			return iamARN(p, acct, "user", "/", t)
		case "aws_iam_group":
			return iamARN(p, acct, "group", "/", t)
		case "aws_iam_policy":
			return iamARN(p, acct, "policy", "/", t)
		case "aws_s3_bucket":
			return "arn:" + p + ":s3:::" + t
		case "aws_sqs_queue":
			return "arn:" + p + ":sqs:" + region + ":" + acct + ":" + t
		case "aws_sns_topic":
			return "arn:" + p + ":sns:" + region + ":" + acct + ":" + t
		case "aws_kms_key":
			return "arn:" + p + ":kms:" + region + ":" + acct + ":key/" + t
		case "aws_lambda_function":
			return "arn:" + p + ":lambda:" + region + ":" + acct + ":function:" + t
		}
		if principal {
			return iamARN(p, acct, "role", "/", t)
		}
		return "arn:" + p + ":unknown:" + region + ":" + acct + ":" + t
	}
}

// asIAM wraps a symbol in an IAM ARN of kind (role, policy, ...).
func (r *reader) asIAM(kind string) wrapper {
	return func(_, t string) string { return iamARN(r.opts.Partition, r.opts.Account, kind, "/", t) }
}

// lastRef strips a module prefix from a qualified reference.
func lastRef(expr string) string {
	toks := splitAddr(expr)
	for len(toks) > 2 && strings.HasPrefix(toks[0], "module") {
		toks = toks[2:]
	}
	return strings.Join(toks, ".")
}
