package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/explain"
)

// Decision writes the decision and its reasons for a person.
func Decision(w io.Writer, d *engine.Decision) {
	r := d.Request
	verdict := map[string]string{engine.Allow: "ALLOW", engine.ExplicitDeny: "DENY (explicit)", engine.ImplicitDeny: "DENY (implicit)"}[d.Decision]
	who := r.Principal
	if r.Session != nil {
		who = r.Session.ARN
	}
	fmt.Fprintf(w, "%s  %s  %s  on %s\n", verdict, who, r.Action, r.Resource)
	if r.VPCEndpoint != "" {
		fmt.Fprintf(w, "  through VPC endpoint %s\n", r.VPCEndpoint)
	}
	fmt.Fprintf(w, "  why: %s\n", explain.Summary(d))
	if d.BlockedBy != "" {
		fmt.Fprintf(w, "  blocked by: %s\n", d.BlockedBy)
	}
	any := false
	for _, t := range engine.PolicyTypes {
		for _, m := range d.Matched[t] {
			if !any {
				fmt.Fprintln(w, "  statements that applied:")
				any = true
			}
			fmt.Fprintf(w, "    %-9s %-5s %s\n", t, m.Effect, m)
		}
	}
	if !any {
		fmt.Fprintln(w, "  statements that applied: none")
	}
	var inForce []string
	for _, g := range []string{"scp", "rcp", "endpoint", "boundary", "session", "resource_policy"} {
		if d.Applies[g] {
			inForce = append(inForce, strings.ReplaceAll(g, "_", " "))
		}
	}
	if len(inForce) > 0 {
		fmt.Fprintf(w, "  in force: %s\n", strings.Join(inForce, ", "))
	}
	for _, c := range d.Context {
		if c.Source == "" {
			continue
		}
		fmt.Fprintf(w, "  context %s = %v (from the %s)\n", c.Key, c.Value, c.Source)
	}
	if len(d.MissingKeys) > 0 {
		fmt.Fprintf(w, "  conditions needed keys the request lacks: %s\n", strings.Join(d.MissingKeys, ", "))
	}
}
