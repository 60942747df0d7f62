package engine

import (
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/engine/clock"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/plan"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// builtInput is the Rego input of one request and what was used to build it.
type builtInput struct {
	value     ast.Value // the input object (build)
	principal *principal
	resource  *resourceInfo
	inMgmt    bool   // the resource is in the organization's management account
	action    string // lower-cased
	service   string
	ctx       requestContext
	stmts     []candidate // every candidate statement, for the context report
	// sets holds the candidates of identity, boundary, session and
	// resource policies (the order of setTypes); policies is the input's
	// "policies" object.
	sets     [4][]candidate
	policies ast.Value
	endpoint *world.VPCEndpoint // the VPC endpoint the request goes through
}

// setTypes names b.sets.
var setTypes = [4]string{"identity", "boundary", "session", "resource"}

// trustActions are the actions a role trust policy governs.
var trustActions = map[string]bool{
	"sts:assumerole": true, "sts:assumerolewithsaml": true, "sts:assumerolewithwebidentity": true,
	"sts:tagsession": true, "sts:setsourceidentity": true,
}

// resourceInfo is the resource of a request resolved against the world.
type resourceInfo struct {
	account  string
	policy   *policy.Policy
	required bool
	tags     map[string]string
	// tagsOwner is the ARN of the resource or role whose tags these are:
	// store rows do not change within a generation, so it names them.
	tagsOwner string
}

func (v *view) resolveResource(req *Request, p *principal, action string) (*resourceInfo, error) {
	ri := &resourceInfo{account: req.ResourceAccount}
	rows := v.resourceRows(req.Resource)
	if r := rows.resource; r != nil {
		ri.policy, ri.required, ri.tags, ri.tagsOwner = r.Policy, r.PolicyRequired(), r.Tags, r.ARN
		if ri.account == "" {
			ri.account = r.Account
		}
	} else if r := rows.bucket; r != nil {
		// An S3 object is governed by its bucket's policy.
		ri.policy = r.Policy
		if ri.account == "" {
			ri.account = r.Account
		}
	} else { // undeclared: its type's policy, unknown, allows nothing (README)
		ri.required = world.PolicyRequired(world.TypeOf(req.Resource))
	}
	if role := rows.role; role != nil {
		ri.tags, ri.tagsOwner = role.Tags, role.ARN
		if trustActions[action] {
			ri.policy, ri.required = role.Trust, true
		}
	} else if trustActions[action] && world.TypeOf(req.Resource) == world.TypeIAMRole {
		ri.required = true // an undeclared role's trust policy, unknown
	}
	if ri.account == "" {
		if a, ok := pattern.SplitARN(req.Resource); ok {
			ri.account = a.Account
		}
	}
	// An AWS managed policy is every account's: decided in the caller's.
	if (ri.account == "" && req.Resource == "*") || ri.account == world.AWSAccount {
		ri.account = p.account
	}
	if ri.account == "" && p.kind != kindAnonymous && p.kind != kindService {
		return nil, fault.Errorf(fault.CodeBadRequest, "resource %q: its ARN names no account; give the resource account (resource_account, --resource-account) or declare the resource in the world", req.Resource)
	}
	return ri, nil
}

// resourceRows is what the store holds about a resource ARN.
type resourceRows struct {
	resource *world.Resource // the resource itself
	bucket   *world.Resource // the bucket of an S3 object
	role     *world.Role     // the role the ARN names
}

// maxResourceEntries bounds the resource lookups a view keeps.
const maxResourceEntries = 100_000

// resourceRows looks a resource ARN up once per store generation.
func (v *view) resourceRows(arn string) *resourceRows {
	if r, ok := v.rows.Load(arn); ok {
		return r.(*resourceRows)
	}
	r := &resourceRows{}
	if res, ok := v.snap.Resource(arn); ok {
		r.resource = res
	} else if res, ok := v.snap.Resource(s3Bucket(arn)); ok {
		r.bucket = res
	}
	if role, ok := v.snap.Role(arn); ok {
		r.role = role
	}
	if v.rowCount.Add(1) <= maxResourceEntries {
		v.rows.Store(arn, r)
	}
	return r
}

// s3Bucket returns the bucket ARN of an S3 object ARN, or "".
func s3Bucket(resource string) string {
	const prefix = "arn:aws:s3:::"
	if !strings.HasPrefix(resource, prefix) {
		return ""
	}
	bucket, _, ok := strings.Cut(resource[len(prefix):], "/")
	if !ok {
		return ""
	}
	return prefix + bucket
}

// prepare gathers what the Rego input of a request holds (the candidate
// statements and the request context); build then makes the input.
func (v *view) prepare(req *Request) (*builtInput, error) {
	b, err := v.statements(req)
	if err != nil {
		return nil, err
	}
	_, mgmt, hasOrg := v.snap.ManagementAccount()
	b.inMgmt = hasOrg && b.resource.account == mgmt
	for k, cv := range v.baseContext(b.principal, b.resource) {
		b.ctx[k] = cv
	}
	at, err := clock.Of(req.Time, req.Context)
	if err != nil {
		return nil, fault.Wrap(fault.CodeBadRequest, err, "")
	}
	if at.IsZero() {
		at = time.Now()
	}
	b.ctx.clock(at)
	b.ctx.endpointKeys(b.service, b.endpoint)
	if err := sessionClock(b.ctx, req.Session, at); err != nil {
		return nil, err
	}
	if err := b.ctx.requestKeys(req.Context); err != nil {
		return nil, err
	}
	return b, nil
}

// build makes the Rego input object.
func (b *builtInput) build(req *Request) {
	p, ri := b.principal, b.resource
	b.value = ast.NewObject(
		item("action", ast.StringTerm(b.action)),
		item("service", ast.StringTerm(b.service)),
		item("resource", ast.StringTerm(req.Resource)),
		item("resource_account", ast.StringTerm(ri.account)),
		item("resource_in_management_account", ast.BooleanTerm(b.inMgmt)),
		item("resource_policy_required", ast.BooleanTerm(ri.required)),
		item("has_resource_policy", ast.BooleanTerm(ri.policy != nil)),
		item("principal", ast.NewTerm(p.inputs[boolIndex(req.SessionPolicy != nil || len(p.sessionPolicies) > 0)])),
		item("context", ast.NewTerm(b.ctx.value())),
		item("vpc_endpoint", ast.StringTerm(req.VPCEndpoint)),
		item("policies", ast.NewTerm(b.policies)),
	)
}

// planInput is build's input in the plan evaluator's form.
func (b *builtInput) planInput(v *view, req *Request) (plan.Value, error) {
	pols, err := v.planMemo.Policies(b.policies)
	o, ri := plan.NewObject(11), b.resource
	for _, kv := range [...]struct {
		k string
		v plan.Value
	}{{"action", plan.String(b.action)}, {"service", plan.String(b.service)}, {"resource", plan.String(req.Resource)},
		{"resource_account", plan.String(ri.account)}, {"resource_in_management_account", plan.BoolOf(b.inMgmt)},
		{"resource_policy_required", plan.BoolOf(ri.required)}, {"has_resource_policy", plan.BoolOf(ri.policy != nil)},
		{"principal", b.principal.vals[boolIndex(req.SessionPolicy != nil || len(b.principal.sessionPolicies) > 0)]},
		{"context", b.ctx.planValue()}, {"vpc_endpoint", plan.String(req.VPCEndpoint)}, {"policies", pols}} {
		o.Insert(plan.String(kv.k), kv.v)
	}
	return o, err
}

// statements resolves the request's principal and resource and gathers
// the candidate statements of every policy type (b.stmts, b.sets), with
// the input's "policies" object (b.policies).
func (v *view) statements(req *Request) (*builtInput, error) {
	action := strings.ToLower(strings.TrimSpace(req.Action))
	service := pattern.ServiceOf(action)
	if service == "" || service == action {
		return nil, fault.Errorf(fault.CodeBadRequest, "action %q: expected service:Action", req.Action)
	}
	if req.Resource == "" {
		return nil, fault.Errorf(fault.CodeBadRequest, "no resource given (use \"*\" for actions without a resource)")
	}
	p, err := v.principal(req)
	if err != nil {
		return nil, err
	}
	ri, err := v.resolveResource(req, p, action)
	if err != nil {
		return nil, err
	}
	b := &builtInput{principal: p, resource: ri, action: action, service: service, ctx: requestContext{}}
	if b.policies, err = v.policySets(b, req, p, ri, service, action); err != nil {
		return nil, err
	}
	return b, nil
}

// baseContext returns the context keys derived from the world for a
// principal and a resource, computed once per store generation: they
// depend on the resource's account and tags only (the tags are a store
// row's, which its ARN names within the view's generation).
func (v *view) baseContext(p *principal, ri *resourceInfo) requestContext {
	k := p.key + "\x00" + ri.account + "\x00" + ri.tagsOwner
	if c, ok := v.ctxs.Load(k); ok {
		return c.(requestContext)
	}
	c := requestContext{}
	c.principalKeys(p)
	c.resourceKeys(ri.account, ri.tags)
	if orgID, _, hasOrg := v.snap.ManagementAccount(); hasOrg {
		c.orgKeys("aws:Principal", orgID, v.orgPathKey(orgID, p.account))
		c.orgKeys("aws:Resource", orgID, v.orgPathKey(orgID, ri.account))
	}
	if v.keep(p.key) {
		v.ctxs.Store(k, c)
	}
	return c
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

func item(k string, v *ast.Term) [2]*ast.Term { return [2]*ast.Term{ast.StringTerm(k), v} }

func principalValue(p *principal, hasSession, management bool) ast.Value {
	encl := p.enclosing()
	et := make([]*ast.Term, len(encl))
	for i, e := range encl {
		et[i] = ast.StringTerm(e)
	}
	return ast.NewObject(
		item("kind", ast.StringTerm(p.kind)),
		item("arn", ast.StringTerm(p.arn)),
		item("account", ast.StringTerm(p.account)),
		item("account_arn", ast.StringTerm(p.accountARN())),
		item("entity_arn", ast.StringTerm(p.entityARN)),
		item("unique_id", ast.StringTerm(p.uniqueID)),
		item("entity_unique_id", ast.StringTerm(p.entityID)),
		item("enclosing", ast.ArrayTerm(et...)),
		item("has_boundary", ast.BooleanTerm(p.boundary != "")),
		item("has_session_policy", ast.BooleanTerm(hasSession)),
		item("management_account", ast.BooleanTerm(management)),
		item("service_linked", ast.BooleanTerm(p.serviceLinked)),
		item("credential", ast.StringTerm(p.credential)),
		item("mfa", ast.BooleanTerm(p.mfa)),
		item("federated_by_root", ast.BooleanTerm(p.byRoot)),
	)
}

// orgPathKey renders aws:PrincipalOrgPaths / aws:ResourceOrgPaths:
// o-id/r-id/ou-id/.../ down to the account's parent.
func (v *view) orgPathKey(orgID, account string) string {
	if s, ok := v.paths.Load(account); ok {
		return s.(string)
	}
	s := v.buildOrgPathKey(orgID, account)
	v.paths.Store(account, s)
	return s
}

func (v *view) buildOrgPathKey(orgID, account string) string {
	path := v.snap.OrgPath(account)
	if len(path) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString(orgID + "/")
	for _, n := range path[:len(path)-1] {
		sb.WriteString(n.ID + "/")
	}
	return sb.String()
}

// sessionClock refuses a request made at `at` after the session's
// credentials expired (clock.ErrExpired) or before they were issued, and
// sets aws:MultiFactorAuthAge to the seconds since the session's MFA
// authentication, made when it was issued.
func sessionClock(c requestContext, s *Session, at time.Time) error {
	if s == nil || s.Issued.IsZero() {
		return nil
	}
	age, err := clock.Session(at, s.Issued, s.Expires)
	if err != nil {
		return fault.Wrap(fault.CodeExpired, err, "%s (DurationSeconds %d)", s.ARN, s.Duration)
	}
	if _, ok := s.Keys["aws:MultiFactorAuthAge"]; ok {
		c.set("aws:MultiFactorAuthAge", age, sourceSession)
	}
	return nil
}
