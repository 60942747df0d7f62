package audit

import (
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/loader/policy"
)

// Web identity providers that issue tokens to many tenants, and the
// condition keys that pin a trust to one of them. IAM User Guide,
// id_roles_create_for-idp_oidc.html: "use a StringEquals condition to
// limit permissions. Test the identity pool ID for Amazon Cognito or the
// app ID for other providers" (cognito-identity.amazonaws.com:aud,
// www.amazon.com:app_id, graph.facebook.com:app_id,
// accounts.google.com:aud); for GitHub, token.actions.githubusercontent.com:sub
// ("If you do not include this condition, then GitHub Actions from
// organizations or repositories outside of your control are able to
// assume roles"). Google's sub (one account) pins as well
// (id_roles_providers_oidc_user-id.html).
var tenantKeys = map[string][]string{
	"token.actions.githubusercontent.com": {"token.actions.githubusercontent.com:sub"},
	"cognito-identity.amazonaws.com":      {"cognito-identity.amazonaws.com:aud"},
	"accounts.google.com":                 {"accounts.google.com:aud", "accounts.google.com:sub"},
	"graph.facebook.com":                  {"graph.facebook.com:app_id"},
	"www.amazon.com":                      {"www.amazon.com:app_id"},
}

// tenantOpen reports whether a trust statement naming a shared web
// identity provider lacks a condition that pins the tenant, and the keys
// that would: a positive string condition on one of them whose every
// value names something (pinsValue).
func tenantOpen(st *policy.Statement, federated string) ([]string, bool) {
	host := federated
	if i := strings.Index(federated, ":oidc-provider/"); i >= 0 {
		host = federated[i+len(":oidc-provider/"):]
	} else if strings.HasPrefix(federated, "arn:") {
		return nil, false // a SAML provider: one tenant, the company's IdP
	}
	keys, ok := tenantKeys[strings.ToLower(host)]
	if !ok {
		return nil, false
	}
	for _, c := range st.Conditions {
		if pins(c, keys) {
			return nil, false
		}
	}
	return keys, true
}

func pins(c policy.Condition, keys []string) bool {
	if c.Negated || !strings.HasPrefix(c.Base, "String") || len(c.Values) == 0 || !slices.Contains(keys, c.Key) {
		return false
	}
	for _, v := range c.Values {
		s, ok := v.(string)
		if !ok || !pinsValue(s) {
			return false // a policy variable pins nothing fixed
		}
	}
	return true
}

// pinsValue: a value names a tenant unless it starts with a wildcard
// (after GitHub's "repo:" prefix: "repo:*" is any repository).
func pinsValue(s string) bool {
	rest := strings.TrimPrefix(s, "repo:")
	return rest != "" && !strings.ContainsAny(rest[:1], "*?")
}
