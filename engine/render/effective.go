package render

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine/query"
)

// writeEffective summarizes by service and access level, with the
// resources and the condition keys that bound the grants.
func Effective(w io.Writer, eff *query.Effective) {
	type group struct {
		actions          map[string]bool
		resources, conds map[string]bool
	}
	groups := map[string]*group{}
	for _, p := range eff.Permissions {
		k := p.Service + "\x00" + p.Access
		g := groups[k]
		if g == nil {
			g = &group{map[string]bool{}, map[string]bool{}, map[string]bool{}}
			groups[k] = g
		}
		g.actions[p.Action], g.resources[p.Resource] = true, true
		for _, c := range p.Conditions {
			g.conds[c] = true
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "%s can:\n", eff.Principal)
	for _, k := range keys {
		svc, access, _ := strings.Cut(k, "\x00")
		g := groups[k]
		fmt.Fprintf(w, "  %-20s %-24s %4d actions on %s\n", svc, access, len(g.actions), list(g.resources, 3))
		if len(g.conds) > 0 {
			fmt.Fprintf(w, "  %-20s %-24s      only when: %s\n", "", "", list(g.conds, 6))
		}
	}
	if len(eff.Unknown) > 0 {
		fmt.Fprintf(w, "  actions the catalog does not know: %s\n", strings.Join(eff.Unknown, ", "))
	}
	fmt.Fprintf(w, "%d permissions from %d (action, resource) pairs decided\n", len(eff.Permissions), eff.Checked)
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
