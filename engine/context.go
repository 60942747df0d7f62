package engine

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/plan"
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/loader/world"
)

// Where a context key's value came from.
const (
	sourcePrincipal = "principal"
	sourceResource  = "resource"
	sourceOrg       = "organization"
	sourceClock     = "clock"
	sourceRequest   = "request"
	sourceSession   = "session"
	sourceEndpoint  = "endpoint"
)

// ctxValue is one request context key.
type ctxValue struct {
	Key    string `json:"key"` // as first written
	Value  any    `json:"value"`
	Source string `json:"source"`
}

// requestContext holds the request context, keyed case-insensitively.
type requestContext map[string]ctxValue

func (c requestContext) set(key string, value any, source string) {
	c[strings.ToLower(key)] = ctxValue{Key: key, Value: value, Source: source}
}

// principalKeys adds the keys AWS derives from the principal.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func (c requestContext) principalKeys(p *principal) {
	if p.principalARN != "" {
		c.set("aws:PrincipalArn", p.principalARN, sourcePrincipal)
	}
	if p.account != "" {
		c.set("aws:PrincipalAccount", p.account, sourcePrincipal)
	}
	if p.principalType != "" {
		c.set("aws:PrincipalType", p.principalType, sourcePrincipal)
	}
	if p.userID != "" {
		c.set("aws:userid", p.userID, sourcePrincipal)
	}
	if p.username != "" {
		c.set("aws:username", p.username, sourcePrincipal)
	}
	for k, v := range p.Tags {
		c.set("aws:PrincipalTag/"+k, v, sourcePrincipal)
	}
	for k, v := range p.keys {
		c.set(k, v, sourceSession)
	}
	c.set("aws:PrincipalIsAWSService", p.kind == kindService, sourcePrincipal)
	if p.kind == kindService {
		c.set("aws:PrincipalServiceName", p.arn, sourcePrincipal)
	}
}

// orgKeys adds aws:PrincipalOrgID/Paths or aws:ResourceOrgID/Paths.
func (c requestContext) orgKeys(prefix, orgID, path string) {
	if orgID == "" || path == "" {
		return // not a member of the organization
	}
	c.set(prefix+"OrgID", orgID, sourceOrg)
	c.set(prefix+"OrgPaths", []any{path}, sourceOrg)
}

func (c requestContext) resourceKeys(account string, tags map[string]string) {
	if account != "" {
		c.set("aws:ResourceAccount", account, sourceResource)
	}
	for k, v := range tags {
		c.set("aws:ResourceTag/"+k, v, sourceResource)
	}
}

func (c requestContext) clock(t time.Time) {
	c.set("aws:CurrentTime", t.UTC().Format(time.RFC3339), sourceClock)
	c.set("aws:EpochTime", t.Unix(), sourceClock)
}

// endpointKeys adds what the service's endpoint decides: IAM has a single
// endpoint in us-east-1, so aws:RequestedRegion, "always included in the
// request context", is us-east-1 for every IAM call
// (reference_policies_condition-keys.html#condition-keys-requestedregion).
// For other services the region is the caller's choice: give it in the
// request context (the explanation lists it as missing when a condition
// needs it). A request through a VPC endpoint carries aws:SourceVpce and
// aws:SourceVpc (#condition-keys-sourcevpce, #condition-keys-sourcevpc).
func (c requestContext) endpointKeys(service string, ep *world.VPCEndpoint) {
	if service == "iam" {
		c.set("aws:RequestedRegion", "us-east-1", sourceEndpoint)
	}
	if ep != nil {
		c.set("aws:SourceVpce", ep.ID, sourceEndpoint)
		c.set("aws:SourceVpc", ep.VPC, sourceEndpoint)
	}
}

// requestKeys adds (or overrides) what the caller gave.
func (c requestContext) requestKeys(given map[string]any) error {
	for k, v := range given {
		norm, err := normalizeValue(v)
		if err != nil {
			return fmt.Errorf("context key %q: %w", k, err) // coded by normalizeValue
		}
		c.set(k, norm, sourceRequest)
	}
	return nil
}

// normalizeValue accepts the types a context value may have.
func normalizeValue(v any) (any, error) {
	switch x := v.(type) {
	case string, bool, float64, int64:
		return x, nil
	case int:
		return int64(x), nil
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := normalizeValue(e)
			if err != nil {
				return nil, err
			}
			if _, nested := n.([]any); nested {
				return nil, fault.Errorf(fault.CodeBadRequest, "a multivalued key holds scalars, not lists")
			}
			out[i] = n
		}
		return out, nil
	}
	return nil, fault.Errorf(fault.CodeBadRequest, "expected a string, number, boolean or list of them, got %T", v)
}

// value renders the context as the Rego input object.
func (c requestContext) value() ast.Value {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	terms := make([][2]*ast.Term, 0, len(keys))
	for _, k := range keys {
		terms = append(terms, [2]*ast.Term{ast.StringTerm(k), contextTerm(c[k].Value)})
	}
	return ast.NewObject(terms...)
}

// planValue is value in the plan evaluator's form.
func (c requestContext) planValue() plan.Value {
	o := plan.NewObject(len(c))
	for k, cv := range c {
		o.Insert(plan.String(k), plan.ListOf(cv.Value))
	}
	return o
}

// contextTerm is a context value as the logic sees it: every value is a
// list, of one element when single-valued.
func contextTerm(v any) *ast.Term {
	t := scalarTerm(v)
	if _, multi := v.([]any); !multi {
		t = ast.ArrayTerm(t)
	}
	return t
}

func scalarTerm(v any) *ast.Term {
	switch x := v.(type) {
	case string:
		return ast.StringTerm(x)
	case bool:
		return ast.BooleanTerm(x)
	case int64:
		return ast.NewTerm(ast.Number(strconv.FormatInt(x, 10)))
	case float64:
		return ast.NewTerm(ast.Number(strconv.FormatFloat(x, 'f', -1, 64)))
	case []any:
		elems := make([]*ast.Term, len(x))
		for i, e := range x {
			elems[i] = scalarTerm(e)
		}
		return ast.ArrayTerm(elems...)
	}
	return ast.NullTerm()
}
