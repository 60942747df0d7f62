package sts

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// builtinWebProviders are the web identity providers STS knows without an
// IAM OIDC provider (AssumeRoleWithWebIdentity, OIDC-ROLE).
var builtinWebProviders = map[string]bool{
	"cognito-identity.amazonaws.com": true, "accounts.google.com": true,
	"graph.facebook.com": true, "www.amazon.com": true,
}

// outsideCaller is the unsigned caller of AssumeRoleWithSAML or
// AssumeRoleWithWebIdentity, matched against the trust policy's
// Principal.Federated.
func outsideCaller(provider string) *engine.Session {
	s := engine.NewSession()
	s.Kind, s.ARN = engine.KindOutside, provider
	return s
}

func (e *Walker) assumeRoleWithSAML(ctx context.Context, snap *store.Snapshot, h *Hop, st *scenario.Step, at time.Time) (*engine.Session, error) {
	role, ok := snap.Role(st.Role)
	if !ok {
		return nil, fault.Errorf(fault.CodeChainInput, "role %s: not in the world", st.Role)
	}
	h.Target, h.Caller = role.ARN, "SAML identity from "+st.Provider
	p, ok := snap.Provider(st.Provider)
	if !ok || p.Type != "saml" {
		h.refuse("SAML provider %s: not an IAM SAML provider of the world", st.Provider)
		return nil, nil
	}
	if p.Account != role.Account {
		h.refuse("SAML provider %s is in account %s; the role %s trusts only providers of its own account", p.ARN, p.Account, role.ARN)
		return nil, nil
	}
	keys := map[string]any{}
	for k, v := range st.Claims {
		keys[k] = v
	}
	// saml:doc and saml:namequalifier are derived (SAML-ASSERT):
	// namequalifier = base64(SHA1(issuer + account id + "/" + provider name)).
	keys["saml:doc"] = p.Account + "/" + p.Name
	if raw, ok := st.Claims["saml:iss"]; ok {
		iss, isString := raw.(string)
		if !isString {
			return nil, fault.Errorf(fault.CodeChainInput, "saml:iss: the assertion's issuer is a single string, got %v", raw)
		}
		sum := sha1.Sum([]byte(iss + p.Account + "/" + p.Name))
		keys["saml:namequalifier"] = base64.StdEncoding.EncodeToString(sum[:])
	}
	session := st.Session
	if session == "" {
		h.refuse("the SAML assertion carries no RoleSessionName attribute (https://aws.amazon.com/SAML/Attributes/RoleSessionName), which AssumeRoleWithSAML requires")
		return nil, nil
	}
	carried := carriedFederationKeys(keys)
	carried["aws:FederatedProvider"] = p.ARN
	if na := st.NotOnOrAfter; !na.IsZero() && !at.Before(na) {
		h.refuse("the SAML assertion's SessionNotOnOrAfter %s is not after the request (%s): the assertion has expired",
			na.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
		return nil, nil
	}
	a := &assumption{caller: outsideCaller(p.ARN), role: role, action: "sts:AssumeRoleWithSAML", session: session,
		keys: keys, carried: carried, maxDur: role.MaxSessionDuration}
	s, err := e.assume(ctx, snap, h, a, st, at)
	if s != nil && !st.NotOnOrAfter.IsZero() && s.Expires.After(st.NotOnOrAfter) {
		// "valid for the duration that you specified ... or until the time
		// specified in the SAML authentication response's
		// SessionNotOnOrAfter value, whichever is shorter" (API_AssumeRoleWithSAML).
		s.Expires = st.NotOnOrAfter
		h.Notes = append(h.Notes, fmt.Sprintf("the credentials end at the assertion's SessionNotOnOrAfter, %s, before DurationSeconds %d",
			st.NotOnOrAfter.UTC().Format(time.RFC3339), s.Duration))
	}
	return s, err
}

func (e *Walker) assumeRoleWithWebIdentity(ctx context.Context, snap *store.Snapshot, h *Hop, st *scenario.Step, at time.Time) (*engine.Session, error) {
	role, ok := snap.Role(st.Role)
	if !ok {
		return nil, fault.Errorf(fault.CodeChainInput, "role %s: not in the world", st.Role)
	}
	h.Target, h.Caller = role.ARN, "web identity from "+st.Provider
	principal, prefix, msg := webProvider(snap, role, st)
	if msg != "" {
		h.refuse("%s", msg)
		return nil, nil
	}
	keys := webIdentityKeys(prefix, st.Claims)
	carried := carriedFederationKeys(keys)
	carried["aws:FederatedProvider"] = principal
	a := &assumption{caller: outsideCaller(principal), role: role, action: "sts:AssumeRoleWithWebIdentity",
		session: st.Session, keys: keys, carried: carried, maxDur: role.MaxSessionDuration}
	return e.assume(ctx, snap, h, a, st, at)
}

// webProvider resolves the provider a token comes from: the value the
// trust policy's Principal.Federated names, and the prefix of its
// condition keys (the provider URL without https://).
func webProvider(snap *store.Snapshot, role *world.Role, st *scenario.Step) (principal, prefix, refusal string) {
	name := strings.TrimPrefix(st.Provider, "https://")
	if builtinWebProviders[name] {
		return name, name, ""
	}
	arn := name
	if !strings.HasPrefix(name, "arn:") {
		arn = "arn:aws:iam::" + role.Account + ":oidc-provider/" + name
	}
	p, ok := snap.Provider(arn)
	if !ok || p.Type != "oidc" {
		return "", "", fmt.Sprintf("OIDC provider %s: not an IAM OIDC provider of account %s in the world", arn, role.Account)
	}
	if p.Account != role.Account {
		return "", "", fmt.Sprintf("OIDC provider %s is in account %s; the role trusts only providers of its own account", arn, p.Account)
	}
	if !audienceOK(p.Audiences, st.Claims["aud"]) {
		return "", "", fmt.Sprintf("the token's aud %v is not among the provider's client IDs %v", st.Claims["aud"], p.Audiences)
	}
	return p.ARN, p.Name, ""
}

func audienceOK(allowed []string, aud any) bool {
	var got []string
	switch v := aud.(type) {
	case string:
		got = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				got = append(got, s)
			}
		}
	}
	for _, g := range got {
		for _, a := range allowed {
			if g == a {
				return true
			}
		}
	}
	return false
}

// providerClaims are the claims each provider's tokens offer as condition
// keys (reference_policies_iam-condition-keys.html#condition-keys-wif):
// an IAM OIDC provider's aud, azp, amr and sub; the built-in providers'
// own keys. Other claims are not available.
var providerClaims = map[string][]string{
	"":                               {"aud", "azp", "amr", "sub"},
	"accounts.google.com":            {"aud", "oaud", "sub"},
	"graph.facebook.com":             {"app_id", "id"},
	"www.amazon.com":                 {"app_id", "user_id"},
	"cognito-identity.amazonaws.com": {"aud", "amr", "sub"},
}

// webIdentityKeys turns token claims into the condition keys STS offers,
// prefixed with the provider (its URL without https://). Google's aud key
// is the token's azp claim when it has one, and oaud its aud claim; without
// azp both keys are the aud claim.
func webIdentityKeys(prefix string, claims map[string]any) map[string]any {
	names, ok := providerClaims[prefix]
	if !ok {
		names = providerClaims[""]
	}
	keys := map[string]any{}
	for _, k := range names {
		if v, ok := claims[k]; ok {
			keys[prefix+":"+k] = v
		}
	}
	if prefix == "accounts.google.com" {
		if aud, ok := claims["aud"]; ok {
			keys[prefix+":oaud"] = aud
			if azp, ok := claims["azp"]; ok {
				keys[prefix+":aud"] = azp
			}
		}
	}
	return keys
}
