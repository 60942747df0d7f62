package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/clearance-dev/clearance/engine/explain"
	"github.com/clearance-dev/clearance/engine/query"
)

func Grants(w io.Writer, q query.WhoCanRequest, grants []query.Grant) {
	fmt.Fprintf(w, "who can %s on %s:\n", q.Action, q.Resource)
	for _, g := range grants {
		fmt.Fprintf(w, "  %s (%s)\n", g.Principal, g.Kind)
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
	fmt.Fprintf(w, "%d principals and sessions allowed\n", len(grants))
}
