package cfn

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
)

// lambdaPermissionEdits: AWS::Lambda::Permission adds one statement to
// the function's resource-based policy, the statement Lambda's
// AddPermission writes
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html,
// https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html,
// https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
// and its examples, https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html):
//
//   - Principal: "*" as is; an account ID as {"AWS": "arn:PARTITION:iam::ID:root"};
//     an ARN as {"AWS": ARN}; a service (s3.amazonaws.com) as {"Service": ...};
//   - Action as written; Resource the function's ARN (with its qualifier);
//   - SourceArn: ArnLike aws:SourceArn; SourceAccount: StringEquals
//     aws:SourceAccount; PrincipalOrgID: StringEquals aws:PrincipalOrgID;
//     FunctionUrlAuthType: StringEquals lambda:FunctionUrlAuthType;
//     EventSourceToken: StringEquals lambda:EventSourceToken;
//     InvokedViaFunctionUrl true: Bool lambda:InvokedViaFunctionUrl.
//
// The statement's Sid is the logical ID (Lambda's is generated).
func lambdaPermissionEdits(t *template, r *resource) ([]change.Edit, error) {
	get := func(key string) (*tree.Node, error) {
		v, err := t.prop(r, key)
		if err == nil && v != nil && v.Kind != tree.String && v.Kind != tree.Number && v.Kind != tree.Bool {
			return nil, t.errAt(t.rawProp(r, key), tree.CodeWrongType, "%s must be a string; got %s", key, v.Kind)
		}
		return v, err
	}
	vals := map[string]*tree.Node{}
	for _, k := range []string{"Action", "FunctionName", "Principal", "SourceArn", "SourceAccount", "PrincipalOrgID",
		"FunctionUrlAuthType", "EventSourceToken", "InvokedViaFunctionUrl"} {
		v, err := get(k)
		if err != nil {
			return nil, err
		}
		if v != nil {
			vals[k] = v
		}
	}
	fn := t.functionARN(vals["FunctionName"].Str)
	b := nodes{t: t, line: r.key.Line, col: r.key.Col}
	at := func(v *tree.Node, s string) *tree.Node {
		return &tree.Node{Kind: tree.String, Str: s, File: t.file, Line: v.Line, Col: v.Col}
	}
	st := b.obj("Sid", b.s(r.id), "Effect", b.s("Allow"), "Principal", t.lambdaPrincipal(vals["Principal"], at),
		"Action", at(vals["Action"], vals["Action"].Str), "Resource", at(vals["FunctionName"], fn))
	conds := map[string]*tree.Node{}
	add := func(op, key string, v *tree.Node) {
		if conds[op] == nil {
			conds[op] = at(v, "")
			conds[op].Kind = tree.Object
		}
		c := conds[op]
		c.Keys, c.Vals, c.KeyPos = append(c.Keys, key), append(c.Vals, at(v, v.Str)), append(c.KeyPos, tree.Pos{Line: v.Line, Col: v.Col})
	}
	for _, c := range []struct{ prop, op, key string }{
		{"SourceArn", "ArnLike", "AWS:SourceArn"}, {"SourceAccount", "StringEquals", "AWS:SourceAccount"},
		{"PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"}, {"FunctionUrlAuthType", "StringEquals", "lambda:FunctionUrlAuthType"},
		{"EventSourceToken", "StringEquals", "lambda:EventSourceToken"},
	} {
		if v := vals[c.prop]; v != nil {
			add(c.op, c.key, v)
		}
	}
	if v := vals["InvokedViaFunctionUrl"]; v != nil && strings.EqualFold(v.Str, "true") {
		add("Bool", "lambda:InvokedViaFunctionUrl", at(v, "true"))
	}
	if len(conds) > 0 {
		cond := b.obj()
		for _, op := range []string{"StringEquals", "ArnLike", "Bool"} {
			if c := conds[op]; c != nil {
				cond.Keys, cond.Vals, cond.KeyPos = append(cond.Keys, op), append(cond.Vals, c), append(cond.KeyPos, tree.Pos{Line: c.Line, Col: c.Col})
			}
		}
		st.Keys, st.Vals, st.KeyPos = append(st.Keys, "Condition"), append(st.Vals, cond), append(st.KeyPos, tree.Pos{Line: b.line, Col: b.col})
	}
	doc := b.obj("Version", b.s(policy.Version2012), "Statement", b.arr(st))
	p, err := t.document(doc, policy.KindResource, fn+"#policy", "Resources", r.id, "Properties")
	if err != nil {
		return nil, err
	}
	return []change.Edit{{Kind: change.ResourceStatement, Resource: fn, Policy: p}}, nil
}

// lambdaPrincipal writes Principal as AddPermission does.
func (t *template) lambdaPrincipal(v *tree.Node, at func(*tree.Node, string) *tree.Node) *tree.Node {
	p := v.Str
	obj := func(key, val string) *tree.Node {
		return &tree.Node{Kind: tree.Object, Keys: []string{key}, Vals: []*tree.Node{at(v, val)},
			KeyPos: []tree.Pos{{Line: v.Line, Col: v.Col}}, File: t.file, Line: v.Line, Col: v.Col}
	}
	switch {
	case p == "*":
		return at(v, p)
	case len(p) == 12 && strings.Trim(p, "0123456789") == "":
		return obj("AWS", "arn:"+t.opts.Partition+":iam::"+p+":root")
	case strings.HasPrefix(p, "arn:"):
		return obj("AWS", p)
	case strings.Contains(p, ".") && !t.holdsSymbol(p):
		return obj("Service", p)
	}
	return obj("AWS", p)
}

// functionARN completes FunctionName: a name, name:qualifier, a partial
// ARN (ACCOUNT:function:NAME) or a full ARN.
func (t *template) functionARN(fn string) string {
	switch {
	case strings.HasPrefix(fn, "arn:"):
		return fn
	case strings.Contains(fn, ":function:"):
		account, rest, _ := strings.Cut(fn, ":")
		return "arn:" + t.opts.Partition + ":lambda:" + t.opts.Region + ":" + account + ":" + rest
	}
	return t.regionalARN("lambda", "function:"+fn)
}

// orgPolicyEdits: AWS::Organizations::Policy of Type
// SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY, attached to its
// TargetIds; Content is the document, an object or its JSON text
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-organizations-policy.html).
// Other policy types (tag, backup, AI opt-out, chat, declarative
// policies) grant or deny no access and are not part of the review.
func orgPolicyEdits(t *template, r *resource) ([]change.Edit, error) {
	typ, err := t.text(r, "Type")
	if err != nil {
		return nil, err
	}
	var kind policy.PolicyKind
	switch typ {
	case "SERVICE_CONTROL_POLICY":
		kind = policy.KindSCP
	case "RESOURCE_CONTROL_POLICY":
		kind = policy.KindRCP
	default:
		return nil, nil
	}
	name, err := t.text(r, "Name")
	if err != nil {
		return nil, err
	}
	doc, err := t.prop(r, "Content")
	if err != nil {
		return nil, err
	}
	p, err := t.document(doc, kind, policy.OrgPolicyName(kind, name), propSteps(r, "Content")...)
	if err != nil {
		return nil, err
	}
	edits := []change.Edit{{Kind: change.OrgPolicy, Name: name, PolicyKind: kind, Policy: p}}
	targets, err := t.texts(r, "TargetIds")
	for _, id := range targets {
		edits = append(edits, change.Edit{Kind: change.OrgAttachment, Name: name, Target: id})
	}
	return edits, err
}
