package sts

import (
	"context"
	"fmt"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
)

// getFederationToken makes a federated user session: the calling user's
// permissions limited by the session policies, none without one (GFT-PERMS).
func (e *Walker) getFederationToken(ctx context.Context, snap *store.Snapshot, h *Hop, caller *engine.Session, st *scenario.Step, at time.Time) (*engine.Session, error) {
	target := "arn:aws:sts::" + caller.Account + ":federated-user/" + st.Name
	h.Target = target
	if msg := checkName("Name", st.Name, 2, 32); msg != "" {
		h.refuse("%s", msg)
		return nil, nil
	}
	if msg := checkCommon(st, nil); msg != "" {
		h.refuse("%s", msg)
		return nil, nil
	}
	max := tokenMaxDuration
	if caller.Kind == engine.KindRoot {
		max = rootMaxDuration
	}
	dur, note := tokenDuration(st, max, caller.Kind == engine.KindRoot)
	if note != "" && dur == 0 {
		h.refuse("%s", note)
		return nil, nil
	}
	if note != "" {
		h.Notes = append(h.Notes, note)
	}
	pols, names, msg := sessionPolicies(snap, st, caller.Account)
	if msg != "" {
		h.refuse("%s", msg)
		return nil, nil
	}
	keys := map[string]any{"aws:RequestedRegion": stsRegion(st)}
	addTagKeys(keys, st.Tags)
	actions := []string{"sts:GetFederationToken"}
	if len(st.Tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	for _, act := range actions {
		req := &engine.Request{Session: caller, Action: act, Resource: target, ResourceAccount: caller.Account, Context: keys, Time: at}
		if ok, err := e.authorize(ctx, h, req); err != nil || !ok {
			return nil, err
		}
	}
	s := engine.NewSession()
	s.Kind, s.Type, s.Credential = engine.KindFederated, "FederatedUser", engine.CredFederation
	s.ARN, s.EntityARN, s.Account, s.UserID = target, caller.ARN, caller.Account, caller.Account+":"+st.Name
	s.Policies, s.PolicyNames = pols, names
	s.Tags = st.Tags
	s.Keys = map[string]any{"aws:MultiFactorAuthPresent": false, "aws:TokenIssueTime": at.UTC().Format(time.RFC3339)}
	s.Issued, s.Duration, s.Expires = at, dur, at.Add(time.Duration(dur)*time.Second)
	return s, nil
}

// tokenDuration applies GetFederationToken's and GetSessionToken's limits:
// 900 s to 36 h, 12 h by default; the root user's sessions are cut to one
// hour rather than refused (STS API reference). A zero duration with a
// message refuses; a duration with a message is a note.
func tokenDuration(st *scenario.Step, max int, root bool) (int, string) {
	if root {
		if st.HasDuration && st.Duration >= minDuration && st.Duration <= tokenMaxDuration && st.Duration > rootMaxDuration {
			return rootMaxDuration, fmt.Sprintf("DurationSeconds %d: the root user's sessions last at most %d s; AWS shortens the session to one hour", st.Duration, rootMaxDuration)
		}
		if !st.HasDuration {
			return rootMaxDuration, ""
		}
		max = tokenMaxDuration
	}
	d, msg := duration(st, tokenDefault, max)
	return d, msg
}

// gstNote records the choice made where two AWS pages disagree.
const gstNote = "What these credentials may call follows the STS comparison table and API reference (IAM operations only if MFA was used; from STS only AssumeRole and GetCallerIdentity); the GetSessionToken permissions page (id_credentials_temp_control-access_getsessiontoken) says they cannot call IAM or STS at all; the two AWS pages disagree."

// getSessionToken returns the caller's own identity with temporary
// credentials: the same permissions, MFA recorded (GST-PERMS).
func (e *Walker) getSessionToken(ctx context.Context, h *Hop, caller *engine.Session, st *scenario.Step, at time.Time) (*engine.Session, error) {
	h.Target = caller.ARN
	dur, note := tokenDuration(st, tokenMaxDuration, caller.Kind == engine.KindRoot)
	if note != "" && dur == 0 {
		h.refuse("%s", note)
		return nil, nil
	}
	if note != "" {
		h.Notes = append(h.Notes, note)
	}
	req := &engine.Request{Session: caller, Action: "sts:GetSessionToken", Resource: "*", ResourceAccount: caller.Account,
		Context: map[string]any{"aws:RequestedRegion": stsRegion(st)}, Time: at}
	if ok, err := e.authorize(ctx, h, req); err != nil || !ok {
		return nil, err
	}
	h.Notes = append(h.Notes, gstNote)
	s := caller.Clone()
	s.Credential, s.MFA = engine.CredSession, st.MFA
	s.Keys = map[string]any{"aws:MultiFactorAuthPresent": st.MFA, "aws:TokenIssueTime": at.UTC().Format(time.RFC3339)}
	if st.MFA {
		s.Keys["aws:MultiFactorAuthAge"] = 0
	}
	s.Issued, s.Duration, s.Expires = at, dur, at.Add(time.Duration(dur)*time.Second)
	return s, nil
}
