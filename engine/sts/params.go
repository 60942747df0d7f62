package sts

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
)

// STS parameter rules (the STS API reference, iam-semantics.md 7.2). A
// call that breaks one fails before any policy is evaluated.

var (
	namePattern     = regexp.MustCompile(`^[\w+=,.@-]*$`)
	externalPattern = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
)

const (
	minDuration        = 900    // 15 minutes, every STS call
	chainedMaxDuration = 3600   // role chaining
	tokenMaxDuration   = 129600 // GetFederationToken, GetSessionToken: 36 hours
	rootMaxDuration    = 3600   // the root user's tokens
	tokenDefault       = 43200  // GetFederationToken, GetSessionToken: 12 hours
	roleDefault        = 3600   // AssumeRole*: 1 hour
	maxSessionPolicy   = 2048   // plaintext of inline + managed session policies
	maxPolicyARNs      = 10
	maxSessionTags     = 50
)

// checkName validates RoleSessionName, GetFederationToken Name and
// SourceIdentity.
func checkName(what, v string, minLen, maxLen int) string {
	if len(v) < minLen || len(v) > maxLen {
		return fmt.Sprintf("%s %q: must be %d to %d characters", what, v, minLen, maxLen)
	}
	if !namePattern.MatchString(v) {
		return fmt.Sprintf("%s %q: only letters, digits and +=,.@_- are allowed", what, v)
	}
	return ""
}

// checkCommon validates the parameters AssumeRole* and GetFederationToken
// share: external id, source identity, tags, session policies.
func checkCommon(st *scenario.Step, inherited map[string]string) string {
	if st.ExternalID != "" {
		if len(st.ExternalID) < 2 || len(st.ExternalID) > 1224 || !externalPattern.MatchString(st.ExternalID) {
			return fmt.Sprintf("ExternalId %q: must be 2 to 1224 characters of letters, digits and +=,.@:/-", st.ExternalID)
		}
	}
	if st.SourceID != "" {
		if msg := checkName("SourceIdentity", st.SourceID, 2, 64); msg != "" {
			return msg
		}
		if strings.HasPrefix(strings.ToLower(st.SourceID), "aws:") {
			return fmt.Sprintf("SourceIdentity %q: must not begin with aws:", st.SourceID)
		}
	}
	if msg := checkTags(st, inherited); msg != "" {
		return msg
	}
	return checkSessionPolicies(st)
}

func checkTags(st *scenario.Step, inherited map[string]string) string {
	if len(st.Tags)+len(inherited) > maxSessionTags {
		return fmt.Sprintf("%d session tags (with inherited transitive tags): at most %d", len(st.Tags)+len(inherited), maxSessionTags)
	}
	lower := map[string]string{}
	for k, v := range st.Tags {
		if len(k) < 1 || len(k) > 128 || len(v) > 256 {
			return fmt.Sprintf("session tag %q: keys are 1 to 128 characters, values at most 256", k)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return fmt.Sprintf("session tag %q: the aws: prefix is reserved", k)
		}
		// Tag keys are case-insensitive: two keys differing only in case
		// are one key given twice (id_session-tags.html).
		if other, dup := lower[strings.ToLower(k)]; dup {
			return fmt.Sprintf("session tags %q and %q differ only in case", other, k)
		}
		lower[strings.ToLower(k)] = k
		for ik := range inherited {
			if strings.EqualFold(ik, k) {
				// SESSION-TAGS: a tag that repeats an inherited transitive
				// key makes the call fail.
				return fmt.Sprintf("session tag %q repeats a transitive tag inherited from the calling session", k)
			}
		}
	}
	for _, k := range st.Transitive {
		if _, ok := lookupFold(st.Tags, k); !ok {
			return fmt.Sprintf("transitive tag key %q is not among the session tags passed", k)
		}
	}
	return ""
}

func lookupFold(m map[string]string, key string) (string, bool) {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

func checkSessionPolicies(st *scenario.Step) string {
	if len(st.PolicyARNs) > maxPolicyARNs {
		return fmt.Sprintf("%d managed session policies: at most %d", len(st.PolicyARNs), maxPolicyARNs)
	}
	size := 0
	if st.Policy != nil {
		size += len(st.Policy.Source)
	}
	for _, a := range st.PolicyARNs {
		size += len(a)
	}
	if size > maxSessionPolicy {
		return fmt.Sprintf("session policies take %d characters (inline policy plus managed policy ARNs): at most %d", size, maxSessionPolicy)
	}
	return ""
}

// duration resolves DurationSeconds against the call's limits; it returns
// the session's length, or a reason to refuse.
func duration(st *scenario.Step, def, max int) (int, string) {
	if !st.HasDuration {
		if def > max {
			return max, ""
		}
		return def, ""
	}
	if st.Duration < minDuration || st.Duration > max {
		return 0, fmt.Sprintf("DurationSeconds %d: expected %d to %d here", st.Duration, minDuration, max)
	}
	return st.Duration, ""
}

// sessionPolicies resolves a step's session policies: the inline one, then
// the managed ones, which must exist in the account of the role or of the
// federating user.
func sessionPolicies(snap *store.Snapshot, st *scenario.Step, account string) ([]*policy.Policy, []string, string) {
	var pols []*policy.Policy
	var names []string
	if st.Policy != nil {
		pols, names = append(pols, st.Policy), append(names, "inline session policy")
	}
	for _, a := range st.PolicyARNs {
		mp, ok := snap.ManagedPolicy(a)
		if !ok {
			return nil, nil, fmt.Sprintf("managed session policy %s: not found in the world", a)
		}
		if mp.Account != "aws" && mp.Account != account {
			return nil, nil, fmt.Sprintf("managed session policy %s: must be in account %s", a, account)
		}
		pols, names = append(pols, mp.Policy), append(names, a)
	}
	return pols, names, ""
}

// addTagKeys adds the request keys passed session tags make: one
// aws:RequestTag/K per tag and aws:TagKeys listing them (id_session-tags.html).
func addTagKeys(keys map[string]any, tags map[string]string) {
	if len(tags) == 0 {
		return
	}
	names := SortedKeys(tags)
	for _, k := range names {
		keys["aws:RequestTag/"+k] = tags[k]
	}
	keys["aws:TagKeys"] = toAny(names)
}

// stsRegion is the aws:RequestedRegion of an STS call, a key "always
// included in the request context" (reference_policies_condition-keys.html):
// the step's region, else us-east-1, where the global endpoint
// sts.amazonaws.com is (id_credentials_temp_use-resources.html). Cognito
// calls STS in its identity pool's region, the prefix of the pool id.
func stsRegion(st *scenario.Step) string {
	if st.Region != "" {
		return st.Region
	}
	if region, _, ok := strings.Cut(st.Pool, ":"); ok && st.Op == scenario.OpCognitoCredentials {
		return region
	}
	return "us-east-1"
}
