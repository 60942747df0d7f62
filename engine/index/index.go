// Package index holds the engine's statement indexes: tests on one
// statement's Action, Resource and Principal elements that tell, without
// the decision logic, when the logic cannot match the statement to a
// request. The engine uses them to send the logic fewer candidates (the
// action index, the resource index) and to skip decisions no statement
// could allow (MayAllow). Each answer "may match" decides nothing: the
// Rego logic checks every statement it receives again. What they rely on
// in the logic is listed in engine/reads.go.
package index

import (
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
)

// ActionMayMatch reports whether a pattern of the statement's Action (or
// NotAction) list matches the lower-cased action, checking each literal
// prefix first (cheap), then the pattern.
func ActionMayMatch(st *policy.Statement, action string) bool {
	for i, p := range st.Actions {
		if i < len(st.ActionPrefixes) && !strings.HasPrefix(action, st.ActionPrefixes[i]) {
			continue
		}
		if pattern.Glob(p, action) {
			return true
		}
	}
	return false
}

// Mentions reports whether a statement's Action (or NotAction) element can
// cover the action.
func Mentions(st *policy.Statement, action string) bool {
	return ActionMayMatch(st, action) != st.NotAction
}

// AllowsAction reports whether a statement is an Allow whose Action (or
// NotAction) element can cover the action.
func AllowsAction(st *policy.Statement, action string) bool {
	return st.Effect == "Allow" && Mentions(st, action)
}

// MatchesService reports whether the statement's actions name the service
// (or every service).
func MatchesService(st *policy.Statement, service string) bool {
	for _, s := range st.Services {
		if s == "*" || s == service {
			return true
		}
	}
	return false
}

// ResourceMayMatch reports whether a statement's Resource element can
// match the resource: NotResource, a missing Resource and patterns with
// policy variables are left to the logic (statement.rego's _resource_ok).
func ResourceMayMatch(st *policy.Statement, resource string) bool {
	return st.NotResource || st.NoResource || st.ResVars || ResourceMatches(st, resource)
}

// ResourceMatches reports whether a pattern of the statement's Resource
// (or NotResource) list without a policy variable matches the ARN, as
// iam.resource_any does.
func ResourceMatches(st *policy.Statement, resource string) bool {
	for _, r := range st.Resources {
		if s, ok := r.(string); ok && pattern.ResourceMatch(s, resource) {
			return true
		}
	}
	return false
}

// What a resource-based statement's Principal element may grant.
const (
	NamesNone    = iota // it cannot name the requester
	NamesAccount        // only through the requester's account (the identity side must allow)
	NamesOwn            // it names the requester, its role or user, or anyone
)

// PrincipalMayName classifies how a resource-based statement's Principal
// element can name a requester whose ARN is arn, whose own names (itself,
// its role or user, their unique ids) are own and whose account's are
// account (statement.principal_match and not_principal_applies).
func PrincipalMayName(st *policy.Statement, arn string, own, account []string) int {
	pr := st.Principal
	if st.NotPrincipal || pr == nil || pr.Any || slices.Contains(pr.AWS, "*") {
		return NamesOwn
	}
	if slices.Contains(pr.Service, arn) || slices.Contains(pr.Federated, arn) {
		return NamesOwn
	}
	for _, n := range own {
		if slices.Contains(pr.AWS, n) {
			return NamesOwn
		}
	}
	for _, n := range account {
		if slices.Contains(pr.AWS, n) {
			return NamesAccount
		}
	}
	return NamesNone
}
