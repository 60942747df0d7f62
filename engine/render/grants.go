package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/explain"
	"github.com/clearance-dev/clearance/engine/query"
)

// Grants prints a who-can answer: each principal or set of principals,
// why it is allowed, and how it is reached.
func Grants(w io.Writer, q query.WhoCanRequest, grants []query.Grant) {
	fmt.Fprintf(w, "who can %s on %s:\n", q.Action, q.Resource)
	for _, g := range grants {
		fmt.Fprintf(w, "  %s (%s)\n", g.Principal, grantKind(g))
		if len(g.Except) > 0 {
			fmt.Fprintf(w, "      except %s\n", strings.Join(g.Except, ", "))
		}
		fmt.Fprintf(w, "      why: %s\n", explain.Summary(g.Decision))
		if len(g.Conditions) > 0 {
			fmt.Fprintf(w, "      provided these hold as given: %s\n", strings.Join(g.Conditions, ", "))
		}
		for _, p := range g.EntryPoints {
			fmt.Fprintf(w, "      entered from %s (when the trust policy's conditions hold)\n", p)
		}
		for _, r := range g.ReachedBy {
			via := strings.Join(r.Path, " -> ")
			if len(r.Needs) > 0 {
				via += " (with " + strings.Join(r.Needs, ", ") + ")"
			}
			fmt.Fprintf(w, "      reached by %s\n", via)
		}
	}
	fmt.Fprintf(w, "%d principals and sessions allowed (a pattern counts once)\n", len(grants))
}

// grantKind says what a grant's principal is, in words.
func grantKind(g query.Grant) string {
	switch {
	case g.Pattern == query.PatternAnySession:
		role := g.Principal
		if g.Decision != nil {
			role = g.Decision.Principal.EntityARN
		}
		if name := g.Principal[strings.LastIndex(g.Principal, "/")+1:]; name != "*" {
			return "any session of role " + role + " named " + name + " (an aws:userid condition names the pattern)"
		}
		return "any session of role " + role + " whose name no policy names"
	case g.Pattern == query.PatternAnyFederated:
		return "any federated user made by " + g.FederatedBy + " whose name no policy names"
	case g.Kind == engine.KindFederated:
		return "federated user made by " + g.FederatedBy
	}
	return g.Kind
}
