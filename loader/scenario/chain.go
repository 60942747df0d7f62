package scenario

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// Chain is a credential chain: a starting identity followed by STS steps.
// The engine walks it hop by hop; the loader only decodes it.
type Chain struct {
	// As is the starting identity: an IAM user or account root ARN. It is
	// empty when the first step is taken by an outside identity
	// (AssumeRoleWithSAML, AssumeRoleWithWebIdentity, CognitoGetCredentials).
	As    string
	Time  time.Time // when the chain starts; zero = the check's time or now
	Steps []*Step
}

// STS operations a Step may name.
const (
	OpAssumeRole          = "AssumeRole"
	OpAssumeRoleWithSAML  = "AssumeRoleWithSAML"
	OpAssumeRoleWithWebID = "AssumeRoleWithWebIdentity"
	OpGetFederationToken  = "GetFederationToken"
	OpGetSessionToken     = "GetSessionToken"
	OpCognitoCredentials  = "CognitoGetCredentials"
)

// Step is one STS call with the parameters AWS takes.
type Step struct {
	Op   string
	File string
	Line int

	Role        string // role ARN (AssumeRole*)
	Session     string // RoleSessionName
	Name        string // GetFederationToken Name
	ExternalID  string
	MFA         bool
	Policy      *policy.Policy // inline session policy
	PolicyARNs  []string       // managed session policies
	Tags        map[string]string
	Transitive  []string // transitive tag keys
	SourceID    string
	Duration    int    // DurationSeconds; 0 = the API's default
	Provider    string // SAML provider ARN; OIDC provider ARN or host
	Claims      map[string]any
	Pool        string // Cognito identity pool id
	Authed      bool   // Cognito: an authenticated identity
	Logins      []string
	CustomRole  string
	IdentityID  string
	HasDuration bool
	// NotOnOrAfter is the SAML assertion's SessionNotOnOrAfter (zero when
	// the assertion has none): the session ends then at the latest.
	NotOnOrAfter time.Time
	// Region is the region of the STS endpoint called (empty: the global
	// endpoint, sts.amazonaws.com, which is in us-east-1).
	Region string
}

// stepKeys lists the parameters each operation accepts.
var stepKeys = map[string][]string{
	OpAssumeRole: {"role", "session", "external_id", "mfa", "policy", "policy_arns", "tags",
		"transitive_tag_keys", "source_identity", "duration", "region"},
	OpAssumeRoleWithSAML: {"role", "provider", "session", "attributes", "policy", "policy_arns", "tags",
		"transitive_tag_keys", "source_identity", "duration", "session_not_on_or_after", "region"},
	OpAssumeRoleWithWebID: {"role", "provider", "session", "claims", "policy", "policy_arns", "tags",
		"transitive_tag_keys", "source_identity", "duration", "region"},
	OpGetFederationToken: {"name", "policy", "policy_arns", "tags", "duration", "region"},
	OpGetSessionToken:    {"mfa", "duration", "region"},
	OpCognitoCredentials: {"pool", "authenticated", "logins", "claims", "custom_role", "identity_id"},
}

// StepOps lists the operations a chain step may name, sorted.
func StepOps() []string {
	out := make([]string, 0, len(stepKeys))
	for k := range stepKeys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DecodeChain reads a chain: mapping (as, time, steps).
func DecodeChain(n *tree.Node) (*Chain, error) {
	o, err := tree.OpenObject(n, "as", "time", "steps")
	if err != nil {
		return nil, err
	}
	c := &Chain{}
	if c.As, err = o.Str("as", false); err != nil {
		return nil, err
	}
	if err := checkARNs(o, true, "as"); err != nil {
		return nil, err
	}
	ts, err := o.Str("time", false)
	if err != nil {
		return nil, err
	}
	if ts != "" {
		if c.Time, err = time.Parse(time.RFC3339, ts); err != nil {
			return nil, o.Errorf("time", "invalid_value", "time: expected an RFC 3339 time such as 2026-01-01T00:00:00Z, got %q", ts)
		}
	}
	sn := o.Get("steps")
	if sn == nil {
		return nil, tree.NodeError(n, "missing_element", "chain: missing required key \"steps\"")
	}
	items, err := tree.List(sn)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		st, err := DecodeStep(it)
		if err != nil {
			return nil, err
		}
		c.Steps = append(c.Steps, st)
	}
	if len(c.Steps) == 0 {
		return nil, tree.NodeError(sn, "invalid_value", "chain: steps: expected at least one STS step")
	}
	return c, nil
}

// DecodeStep reads one step: a mapping with a single key, the operation.
func DecodeStep(n *tree.Node) (*Step, error) {
	if n.Kind != tree.Object || len(n.Keys) != 1 {
		return nil, tree.NodeError(n, "wrong_type", "a chain step is a mapping with one key, the STS operation (%s)", strings.Join(StepOps(), ", "))
	}
	op, body := n.Keys[0], n.Vals[0]
	keys, ok := stepKeys[op]
	if !ok {
		return nil, tree.NodeError(n, "invalid_value", "unknown STS operation %q; expected one of %s", op, strings.Join(StepOps(), ", "))
	}
	if body.Kind == tree.Null {
		body = body.EmptyObject()
	}
	o, err := tree.OpenObject(body, keys...)
	if err != nil {
		return nil, err
	}
	st := &Step{Op: op, File: n.File, Line: n.Line}
	if err := st.strings(o); err != nil {
		return nil, err
	}
	if err := st.values(o); err != nil {
		return nil, err
	}
	if st.Region != "" && !regionName.MatchString(st.Region) {
		return nil, o.Errorf("region", "invalid_value", "region: expected an AWS Region code such as us-east-1 or eu-west-2, got %q", st.Region)
	}
	if err := checkARNs(o, false, "role", "custom_role", "policy_arns"); err != nil {
		return nil, err
	}
	if err := checkARNs(o, true, "provider"); err != nil {
		return nil, err
	}
	return st, st.required(o)
}

// regionName is the shape of an AWS Region code (us-east-1, us-gov-west-1,
// ap-southeast-4, cn-north-1, eusc-de-east-1).
var regionName = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-[0-9]+$`)

func (st *Step) strings(o *tree.ObjReader) error {
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"role", &st.Role}, {"session", &st.Session}, {"name", &st.Name}, {"external_id", &st.ExternalID},
		{"source_identity", &st.SourceID}, {"provider", &st.Provider}, {"pool", &st.Pool},
		{"custom_role", &st.CustomRole}, {"identity_id", &st.IdentityID}, {"region", &st.Region},
	} {
		v, err := o.Str(f.key, false)
		if err != nil {
			return err
		}
		*f.dst = v
	}
	return nil
}

func (st *Step) values(o *tree.ObjReader) error {
	var err error
	if st.MFA, err = o.Boolean("mfa"); err != nil {
		return err
	}
	if st.Authed, err = o.Boolean("authenticated"); err != nil {
		return err
	}
	st.HasDuration = o.Get("duration") != nil
	if st.Duration, err = o.Integer("duration"); err != nil {
		return err
	}
	if st.PolicyARNs, err = o.Strs("policy_arns"); err != nil {
		return err
	}
	if st.Transitive, err = o.Strs("transitive_tag_keys"); err != nil {
		return err
	}
	if st.Logins, err = o.Strs("logins"); err != nil {
		return err
	}
	if st.Tags, err = o.Tags("tags"); err != nil {
		return err
	}
	for _, key := range []string{"attributes", "claims"} {
		if n := o.Get(key); n != nil {
			if st.Claims, err = decodeContext(n); err != nil {
				return err
			}
		}
	}
	if v, err := o.Str("session_not_on_or_after", false); err != nil || v != "" {
		if err != nil {
			return err
		}
		if st.NotOnOrAfter, err = time.Parse(time.RFC3339, v); err != nil {
			return o.Errorf("session_not_on_or_after", "invalid_value",
				"session_not_on_or_after: expected an RFC 3339 time (the assertion's SessionNotOnOrAfter), got %q", v)
		}
	}
	if pn := o.Get("policy"); pn != nil {
		if st.Policy, err = policy.ParsePolicy(pn.File, pn, policy.KindSession, fmt.Sprintf("session policy of step %s", st.Op)); err != nil {
			return err
		}
	}
	return nil
}

func (st *Step) required(o *tree.ObjReader) error {
	need := map[string][]string{
		OpAssumeRole:          {"role", "session"},
		OpAssumeRoleWithSAML:  {"role", "provider"},
		OpAssumeRoleWithWebID: {"role", "provider", "session"},
		OpGetFederationToken:  {"name"},
		OpCognitoCredentials:  {"pool"},
	}
	for _, k := range need[st.Op] {
		if o.Get(k) == nil {
			return tree.NodeError(o.N, "missing_element", "%s: missing required key %q", st.Op, k)
		}
	}
	return nil
}

func decodePool(a *world.Account, n *tree.Node) error {
	o, err := tree.OpenObject(n, "id", "authenticated_role", "unauthenticated_role", "allow_unauthenticated",
		"rules", "ambiguous_role_resolution")
	if err != nil {
		return err
	}
	p := &world.IdentityPool{Account: a.ID}
	for _, f := range []struct {
		key string
		dst *string
	}{{"id", &p.ID}, {"authenticated_role", &p.AuthenticatedRole}, {"unauthenticated_role", &p.UnauthenticatedRole}} {
		if *f.dst, err = o.Str(f.key, f.key == "id"); err != nil {
			return err
		}
	}
	if p.AllowUnauthenticated, err = o.Boolean("allow_unauthenticated"); err != nil {
		return err
	}
	if err := checkARNs(o, false, "authenticated_role", "unauthenticated_role"); err != nil {
		return err
	}
	amb, err := o.Str("ambiguous_role_resolution", false)
	if err != nil {
		return err
	}
	if amb != "" && amb != "AuthenticatedRole" && amb != "Deny" {
		return o.Errorf("ambiguous_role_resolution", "invalid_value", "ambiguous_role_resolution: expected AuthenticatedRole or Deny, got %q", amb)
	}
	p.AmbiguousDeny = amb == "Deny"
	if rn := o.Get("rules"); rn != nil {
		if p.Rules, err = decodeRules(rn); err != nil {
			return err
		}
	}
	a.IdentityPools = append(a.IdentityPools, p)
	return nil
}

var matchTypes = map[string]bool{"Equals": true, "NotEqual": true, "StartsWith": true, "Contains": true}

func decodeRules(n *tree.Node) ([]world.RoleMappingRule, error) {
	items, err := tree.List(n)
	if err != nil {
		return nil, err
	}
	out := make([]world.RoleMappingRule, 0, len(items))
	for _, it := range items {
		o, err := tree.OpenObject(it, "claim", "match", "value", "role")
		if err != nil {
			return nil, err
		}
		var r world.RoleMappingRule
		for _, f := range []struct {
			key string
			dst *string
		}{{"claim", &r.Claim}, {"match", &r.Match}, {"value", &r.Value}, {"role", &r.Role}} {
			if *f.dst, err = o.Str(f.key, true); err != nil {
				return nil, err
			}
		}
		if err := checkARNs(o, false, "role"); err != nil {
			return nil, err
		}
		if !matchTypes[r.Match] {
			return nil, o.Errorf("match", "invalid_value", "match: expected Equals, NotEqual, StartsWith or Contains, got %q", r.Match)
		}
		out = append(out, r)
	}
	return out, nil
}
