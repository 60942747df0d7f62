package querytest

import (
	"strings"

	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/loader/pattern"
)

// Covered reads a can answer as query.Permission documents it: the action
// on the resource (in account) is allowed when a permission names the
// action (or, for "*" and "svc:*", matches it and leaves it out of
// ExceptActions), its Resource pattern matches the resource in its
// Account, and none of its Except patterns does.
func Covered(eff *query.Effective, action, resource, account string) bool {
	for _, p := range eff.Permissions {
		if actionCovered(p, action) && resourceCovered(p, resource, account) {
			return true
		}
	}
	return false
}

func actionCovered(p query.Permission, action string) bool {
	if !strings.Contains(p.Action, "*") {
		return strings.EqualFold(p.Action, action)
	}
	a := strings.ToLower(action)
	if !pattern.Glob(strings.ToLower(p.Action), a) {
		return false
	}
	for _, e := range p.ExceptActions {
		if pattern.Glob(strings.ToLower(e), a) {
			return false
		}
	}
	return true
}

func resourceCovered(p query.Permission, resource, account string) bool {
	if p.Account != account || !pattern.ResourceMatch(p.Resource, resource) {
		return false
	}
	for _, e := range p.Except {
		if pattern.ResourceMatch(e, resource) {
			return false
		}
	}
	return true
}
