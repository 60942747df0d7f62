package render

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine/query"
)

// permissionGroup is the permissions of one service and access level.
type permissionGroup struct {
	actions, resources, conds map[string]bool
	exceptActions             []string
}

// Effective summarizes by service and access level, with the resources
// (and their exceptions) and the condition keys that bound the grants.
// The other actions ("*" and "svc:*") come first, with the actions they
// leave to the other lines or refuse.
func Effective(w io.Writer, eff *query.Effective) {
	groups := groupPermissions(eff.Permissions)
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "%s can:\n", eff.Principal)
	for _, k := range keys {
		svc, access, _ := strings.Cut(k, "\x00")
		g := groups[k]
		what := fmt.Sprintf("%4d actions", len(g.actions))
		if access == "every other action" {
			what = "every other action"
		}
		fmt.Fprintf(w, "  %-20s %-24s %s on %s\n", svc, access, what, list(g.resources, 3))
		if len(g.exceptActions) > 0 {
			fmt.Fprintf(w, "  %-20s %-24s      other than: %s\n", "", "", list(setOf(g.exceptActions), 6))
		}
		if len(g.conds) > 0 {
			fmt.Fprintf(w, "  %-20s %-24s      only when: %s\n", "", "", list(g.conds, 6))
		}
	}
	if len(eff.Unknown) > 0 {
		fmt.Fprintf(w, "  actions the catalog does not know: %s\n", strings.Join(eff.Unknown, ", "))
	}
	fmt.Fprintf(w, "%d permissions from %d (action, resource) pairs decided\n", len(eff.Permissions), eff.Checked)
}

// groupPermissions gathers the permissions by service and access level.
func groupPermissions(perms []query.Permission) map[string]*permissionGroup {
	groups := map[string]*permissionGroup{}
	for _, p := range perms {
		k := p.Service + "\x00" + p.Access
		g := groups[k]
		if g == nil {
			g = &permissionGroup{actions: map[string]bool{}, resources: map[string]bool{}, conds: map[string]bool{}}
			groups[k] = g
		}
		g.actions[p.Action] = true
		g.resources[resourceText(p)] = true
		g.exceptActions = append(g.exceptActions, p.ExceptActions...)
		for _, c := range p.Conditions {
			g.conds[c] = true
		}
	}
	return groups
}

// resourceText is a permission's resource with its account, when the
// pattern does not name it, and its exceptions.
func resourceText(p query.Permission) string {
	s := p.Resource
	if p.Account != "" && !strings.Contains(p.Resource, ":"+p.Account+":") {
		s += " in account " + p.Account
	}
	if len(p.Except) > 0 {
		s += " except " + list(setOf(p.Except), 3)
	}
	return s
}

func setOf(items []string) map[string]bool {
	out := make(map[string]bool, len(items))
	for _, i := range items {
		out[i] = true
	}
	return out
}

func list(set map[string]bool, max int) string {
	items := make([]string, 0, len(set))
	for k := range set {
		items = append(items, k)
	}
	sort.Strings(items)
	if len(items) > max {
		return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
	}
	return strings.Join(items, ", ")
}
