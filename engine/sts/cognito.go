package sts

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// The scope-down session policy Cognito passes for unauthenticated
// identities in the enhanced flow, as data: the services AWS lists as
// reachable (https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html,
// "Access policies", and iam-semantics.md 8.4).
//
//go:embed cognito_scopedown.json
var scopeDownJSON []byte

var scopeDown = sync.OnceValues(func() (*policy.Policy, error) {
	return policy.ParsePolicyBytes("engine/cognito_scopedown.json", scopeDownJSON, policy.KindSession,
		"Cognito scope-down policy for unauthenticated identities")
})

const cognitoProvider = "cognito-identity.amazonaws.com"

// cognitoCredentials is GetCredentialsForIdentity, the enhanced flow:
// Cognito picks the pool's role for the identity and calls
// AssumeRoleWithWebIdentity with its own token; unauthenticated identities
// get the scope-down policy as a session policy (COG-FLOW, COG-RBAC).
func (e *Walker) cognitoCredentials(ctx context.Context, snap *store.Snapshot, h *Hop, st *scenario.Step, at time.Time) (*engine.Session, error) {
	pool, ok := snap.IdentityPool(st.Pool)
	if !ok {
		return nil, fault.Errorf(fault.CodeChainInput, "identity pool %s: not in the world", st.Pool)
	}
	h.Caller = fmt.Sprintf("Cognito identity of pool %s (%s)", pool.ID, authLabel(st.Authed))
	roleARN, msg := cognitoRole(pool, st)
	if msg != "" {
		h.refuse("%s", msg)
		return nil, nil
	}
	role, ok := snap.Role(roleARN)
	if !ok {
		return nil, fault.Errorf(fault.CodeChainInput, "identity pool %s: role %s is not in the world", pool.ID, roleARN)
	}
	h.Target = role.ARN
	id := st.IdentityID
	if id == "" {
		id = pool.ID
	}
	claims := map[string]any{"aud": pool.ID, "sub": id, "amr": cognitoAMR(st)}
	keys := webIdentityKeys(cognitoProvider, claims)
	// The cross-service keys are "available when the user is
	// authenticated" (reference_policies_iam-condition-keys.html).
	carried := map[string]any{}
	if st.Authed {
		carried = carriedFederationKeys(keys)
	}
	carried["aws:FederatedProvider"] = cognitoProvider
	a := &assumption{caller: outsideCaller(cognitoProvider), role: role, action: "sts:AssumeRoleWithWebIdentity",
		session: "CognitoIdentityCredentials", keys: keys, carried: carried, maxDur: role.MaxSessionDuration}
	if !st.Authed {
		pol, err := scopeDown()
		if err != nil {
			return nil, fault.Wrap(fault.CodeInternal, err, "cognito scope-down policy")
		}
		a.policies, a.names = []*policy.Policy{pol}, []string{pol.Name}
	}
	return e.assume(ctx, snap, h, a, st, at)
}

func authLabel(authed bool) string {
	if authed {
		return "authenticated"
	}
	return "unauthenticated"
}

// cognitoAMR is the token's amr claim: "unauthenticated", or
// "authenticated" followed by the login providers.
func cognitoAMR(st *scenario.Step) []any {
	if !st.Authed {
		return []any{"unauthenticated"}
	}
	return append([]any{"authenticated"}, toAny(st.Logins)...)
}

// cognitoRole selects the role (COG-RBAC): the unauthenticated role for
// guests; for authenticated identities a custom role among the allowed
// ones, else the first matching rule, else the ambiguous-role setting,
// else the default authenticated role.
func cognitoRole(pool *world.IdentityPool, st *scenario.Step) (string, string) {
	if !st.Authed {
		if !pool.AllowUnauthenticated || pool.UnauthenticatedRole == "" {
			return "", fmt.Sprintf("identity pool %s does not allow unauthenticated identities", pool.ID)
		}
		return pool.UnauthenticatedRole, ""
	}
	matching := matchingRoles(pool, st.Claims)
	if st.CustomRole != "" {
		// CustomRoleArn overrides the order among the roles the identity
		// maps to, not the matching ("the IAM role for the first matching
		// rule is used, unless CustomRoleArn is specified to override the
		// order").
		if !slices.Contains(matching, st.CustomRole) {
			return "", fmt.Sprintf("CustomRoleArn %s is not among the roles pool %s maps this identity to %v", st.CustomRole, pool.ID, matching)
		}
		return st.CustomRole, ""
	}
	if len(pool.Rules) > 0 && len(matching) > 0 {
		return matching[0], ""
	}
	if len(pool.Rules) > 0 && pool.AmbiguousDeny {
		return "", fmt.Sprintf("no role-mapping rule of pool %s matches and its ambiguous-role resolution is Deny", pool.ID)
	}
	if pool.AuthenticatedRole == "" {
		return "", fmt.Sprintf("identity pool %s has no authenticated role", pool.ID)
	}
	return pool.AuthenticatedRole, ""
}

// matchingRoles lists the roles of the rules the claims match, in rule
// order; without rules, the pool's authenticated role.
func matchingRoles(pool *world.IdentityPool, claims map[string]any) []string {
	if len(pool.Rules) == 0 {
		if pool.AuthenticatedRole == "" {
			return nil
		}
		return []string{pool.AuthenticatedRole}
	}
	var out []string
	for _, r := range pool.Rules {
		if ruleMatches(r, claims) {
			out = append(out, r.Role)
		}
	}
	return out
}

// ruleMatches applies one rule; a NotEqual rule on an absent claim does
// not match (COG-RBAC).
func ruleMatches(r world.RoleMappingRule, claims map[string]any) bool {
	raw, ok := claims[r.Claim]
	if !ok {
		return false
	}
	v := fmt.Sprint(raw)
	switch r.Match {
	case "Equals":
		return v == r.Value
	case "NotEqual":
		return v != r.Value
	case "StartsWith":
		return strings.HasPrefix(v, r.Value)
	case "Contains":
		return strings.Contains(v, r.Value)
	}
	return false
}
