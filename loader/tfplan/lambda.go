package tfplan

import (
	"encoding/json"
	"strings"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
)

// lambdaPermission reads an aws_lambda_permission into the statement
// Lambda's AddPermission adds to the function's resource-based policy, as
// "Working with resource-based IAM policies in Lambda"
// (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html)
// shows it: Sid the statement ID, Principal {"Service": ...} for a
// service, {"AWS": "arn:...:root"} for an account ID (an ARN as given),
// "*" for everyone; Action; Resource the function's (or version's or
// alias's) ARN; source_arn as ArnLike AWS:SourceArn, source_account as
// StringEquals AWS:SourceAccount; principal_org_id as StringEquals
// aws:PrincipalOrgID ("Granting function access to an organization",
// permissions-function-organization.html); function_url_auth_type as
// StringEquals lambda:FunctionUrlAuthType (urls-auth.html); an event
// source token as StringEquals lambda:EventSourceToken.
func lambdaPermission(s *side) ([]change.Edit, error) {
	fn, err := s.str("function_name", true, s.r.asARN(false))
	if err != nil {
		return nil, err
	}
	qual, err := s.str("qualifier", false, nil)
	if err != nil {
		return nil, err
	}
	arn := s.functionARN(fn, qual)
	v := map[string]string{}
	for _, a := range []string{"statement_id", "action", "principal", "source_arn", "source_account", "principal_org_id", "function_url_auth_type", "event_source_token"} {
		required := a == "statement_id" || a == "action" || a == "principal"
		if v[a], err = s.str(a, required, nil); err != nil {
			return nil, err
		}
	}
	st := map[string]any{"Sid": v["statement_id"], "Effect": "Allow", "Principal": s.lambdaPrincipal(v["principal"]),
		"Action": v["action"], "Resource": arn}
	cond := map[string]map[string]string{}
	add := func(op, key, val string) {
		if val == "" {
			return
		}
		if cond[op] == nil {
			cond[op] = map[string]string{}
		}
		cond[op][key] = val
	}
	add("ArnLike", "AWS:SourceArn", v["source_arn"])
	add("StringEquals", "AWS:SourceAccount", v["source_account"])
	add("StringEquals", "aws:PrincipalOrgID", v["principal_org_id"])
	add("StringEquals", "lambda:FunctionUrlAuthType", v["function_url_auth_type"])
	add("StringEquals", "lambda:EventSourceToken", v["event_source_token"])
	if len(cond) > 0 {
		st["Condition"] = cond
	}
	text, err := json.Marshal(map[string]any{"Version": policy.Version2012, "Statement": []any{st}})
	if err != nil {
		return nil, err
	}
	p, _, err := parseHeld(s.in.node, text, policy.KindResource, arn+"#policy", s.in.addr+" (the statement Lambda adds)")
	if err != nil {
		return nil, err
	}
	return []change.Edit{{Kind: change.ResourceStatement, Resource: arn, Policy: p, At: s.in.at}}, nil
}

// functionARN builds a function's ARN from a name, a partial ARN
// (ACCOUNT:function:NAME) or an ARN, each optionally with :QUALIFIER,
// and the qualifier argument.
func (s *side) functionARN(fn, qual string) string {
	arn := fn
	switch {
	case strings.HasPrefix(fn, "arn:"):
	case strings.Contains(fn, ":function:"):
		acct, name, _ := strings.Cut(fn, ":function:")
		arn = "arn:" + s.r.opts.Partition + ":lambda:" + s.region() + ":" + acct + ":function:" + name
	default:
		arn = s.arnIn("lambda", "function:"+fn)
	}
	if qual != "" && strings.Count(arn, ":") == 6 {
		arn += ":" + qual
	}
	return arn
}

// lambdaPrincipal is the Principal element AddPermission writes.
func (s *side) lambdaPrincipal(p string) any {
	switch {
	case p == "*":
		return "*"
	case len(p) == 12 && strings.Trim(p, "0123456789") == "":
		return map[string]string{"AWS": "arn:" + s.r.opts.Partition + ":iam::" + p + ":root"}
	case strings.HasPrefix(p, "arn:"):
		return map[string]string{"AWS": p}
	}
	return map[string]string{"Service": p}
}
