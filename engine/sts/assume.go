package sts

import (
	"context"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// assumption is what the three ways into a role share.
type assumption struct {
	caller   *engine.Session // the signer, or the outside identity
	role     *world.Role
	action   string // sts:AssumeRole, sts:AssumeRoleWithSAML, ...
	session  string // RoleSessionName
	keys     map[string]any
	carried  map[string]any // keys the new session's requests carry
	policies []*policy.Policy
	names    []string
	maxDur   int
}

// mfaNote records the choice made where AWS's pages disagree.
const mfaNote = "aws:MultiFactorAuthPresent is false in this session's requests: AWS's MFA-protected API page (id_credentials_mfa_configure-api-require) says credentials from AssumeRole do not carry MFA information; MFA is checked when the role is assumed."

func (e *Walker) assumeRole(ctx context.Context, snap *store.Snapshot, h *Hop, caller *engine.Session, st *scenario.Step, at time.Time) (*engine.Session, error) {
	role, ok := snap.Role(st.Role)
	if !ok {
		return nil, fault.Errorf(fault.CodeChainInput, "role %s: not in the world", st.Role)
	}
	h.Target = role.ARN
	a := &assumption{caller: caller, role: role, action: "sts:AssumeRole", session: st.Session,
		keys: map[string]any{}, maxDur: role.MaxSessionDuration}
	if caller.Kind == engine.KindSession {
		// Role chaining: at most one hour (ROLE-TERMS, STS AssumeRole).
		a.maxDur = min(a.maxDur, chainedMaxDuration)
	}
	if st.ExternalID != "" {
		a.keys["sts:ExternalId"] = st.ExternalID
	}
	if st.MFA {
		a.keys["aws:MultiFactorAuthPresent"] = true
		a.keys["aws:MultiFactorAuthAge"] = 0
	}
	if caller.SourceIdentity != "" {
		a.keys["aws:SourceIdentity"] = caller.SourceIdentity
	}
	a.carried = carriedFederationKeys(caller.Keys)
	if st.MFA {
		h.Notes = append(h.Notes, mfaNote)
	}
	return e.assume(ctx, snap, h, a, st, at)
}

// assume checks the parameters, authorizes the call (and sts:TagSession,
// sts:SetSourceIdentity when tags or a source identity are passed), and
// builds the role session.
func (e *Walker) assume(ctx context.Context, snap *store.Snapshot, h *Hop, a *assumption, st *scenario.Step, at time.Time) (*engine.Session, error) {
	inherited := map[string]string{}
	if a.caller != nil && a.caller.Kind == engine.KindSession {
		inherited = a.caller.Transitive
	}
	if msg := checkName("RoleSessionName", a.session, 2, 64); msg != "" {
		h.refuse("%s", msg)
		return nil, nil
	}
	if msg := checkCommon(st, inherited); msg != "" {
		h.refuse("%s", msg)
		return nil, nil
	}
	if a.caller != nil && a.caller.SourceIdentity != "" && st.SourceID != "" && st.SourceID != a.caller.SourceIdentity {
		h.refuse("SourceIdentity %q: the calling session's source identity %q cannot be changed", st.SourceID, a.caller.SourceIdentity)
		return nil, nil
	}
	dur, msg := duration(st, roleDefault, a.maxDur)
	if msg != "" {
		h.refuse("%s (role %s allows %d s%s)", msg, a.role.ARN, a.role.MaxSessionDuration, chainedNote(a))
		return nil, nil
	}
	pols, names, msg := sessionPolicies(snap, st, a.role.Account)
	if msg != "" {
		h.refuse("%s", msg)
		return nil, nil
	}
	a.policies, a.names = append(a.policies, pols...), append(a.names, names...)
	ok, err := e.authorizeAssume(ctx, h, a, st, inherited, at)
	if err != nil || !ok {
		return nil, err
	}
	return newRoleSession(a, st, inherited, dur, at), nil
}

func chainedNote(a *assumption) string {
	if a.caller != nil && a.caller.Kind == engine.KindSession && a.action == "sts:AssumeRole" {
		return "; role chaining is capped at 3600 s"
	}
	return ""
}

func (e *Walker) authorizeAssume(ctx context.Context, h *Hop, a *assumption, st *scenario.Step, inherited map[string]string, at time.Time) (bool, error) {
	keys := maps.Clone(a.keys)
	keys["sts:RoleSessionName"] = a.session
	keys["aws:RequestedRegion"] = stsRegion(st)
	// A source identity carried by the calling session is set again on the
	// new one: both keys are in the request and sts:SetSourceIdentity is
	// required as if it were passed (id_credentials_temp_control-access_monitor.html,
	// "Permissions required to set source identity", role chaining).
	sourceID := st.SourceID
	if a.caller != nil && a.caller.SourceIdentity != "" {
		sourceID = a.caller.SourceIdentity
	}
	if sourceID != "" {
		keys["sts:SourceIdentity"] = sourceID
	}
	addTagKeys(keys, st.Tags)
	if len(st.Transitive) > 0 {
		keys["sts:TransitiveTagKeys"] = toAny(st.Transitive)
	}
	// Incoming transitive tags replace the role's tags of the same key
	// while the trust policy is evaluated (iam-semantics.md 7.3).
	for k, v := range inherited {
		keys["aws:ResourceTag/"+k] = v
	}
	actions := []string{a.action}
	if len(st.Tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if sourceID != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	for _, act := range actions {
		req := &engine.Request{Session: a.caller, Action: act, Resource: a.role.ARN, ResourceAccount: a.role.Account,
			Context: keys, Time: at}
		if ok, err := e.authorize(ctx, h, req); err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func newRoleSession(a *assumption, st *scenario.Step, inherited map[string]string, dur int, at time.Time) *engine.Session {
	s := engine.NewSession()
	s.Kind, s.Type, s.Credential = engine.KindSession, "AssumedRole", engine.CredRole
	s.ARN = "arn:aws:sts::" + a.role.Account + ":assumed-role/" + a.role.Name + "/" + a.session
	s.EntityARN, s.Account, s.UserID = a.role.ARN, a.role.Account, a.role.ID+":"+a.session
	s.Policies, s.PolicyNames = a.policies, a.names
	s.Tags = world.MergeTags(inherited, st.Tags)
	s.Transitive = maps.Clone(inherited)
	for _, k := range st.Transitive {
		v, _ := lookupFold(st.Tags, k)
		s.Transitive = world.MergeTags(s.Transitive, map[string]string{k: v})
	}
	s.SourceIdentity = st.SourceID
	if a.caller != nil && a.caller.SourceIdentity != "" {
		s.SourceIdentity = a.caller.SourceIdentity
	}
	s.Keys = maps.Clone(a.carried)
	if s.Keys == nil {
		s.Keys = map[string]any{}
	}
	s.Keys["aws:MultiFactorAuthPresent"] = false
	s.Keys["aws:TokenIssueTime"] = at.UTC().Format(time.RFC3339)
	if s.SourceIdentity != "" {
		s.Keys["aws:SourceIdentity"] = s.SourceIdentity
	}
	s.Chained = a.caller != nil && a.caller.Kind == engine.KindSession
	s.Issued, s.Duration = at, dur
	s.Expires = at.Add(time.Duration(dur) * time.Second)
	return s
}

// carriedFederationKeys keeps the federation keys that pass from a SAML or
// web-identity session into later requests, AssumeRole included
// (iam-semantics.md 7.3): saml:namequalifier, saml:sub, saml:sub_type and
// the provider's amr, aud, id and sub keys. aws:FederatedProvider is not
// among them: it is present only in the session the provider issued.
func carriedFederationKeys(keys map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range keys {
		lk := strings.ToLower(k)
		switch {
		case lk == "saml:namequalifier" || lk == "saml:sub" || lk == "saml:sub_type":
			out[k] = v
		case strings.HasPrefix(lk, "saml:"):
		case strings.HasSuffix(lk, ":amr") || strings.HasSuffix(lk, ":aud") || strings.HasSuffix(lk, ":id") || strings.HasSuffix(lk, ":sub"):
			if !strings.HasPrefix(lk, "aws:") && !strings.HasPrefix(lk, "sts:") {
				out[k] = v
			}
		}
	}
	return out
}

func SortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
