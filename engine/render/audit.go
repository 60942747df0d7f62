package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/clearance-dev/clearance/engine/audit"
)

func Audit(w io.Writer, rep *audit.Report) {
	counts := map[string]int{}
	for _, f := range rep.Findings {
		counts[f.Severity]++
	}
	fmt.Fprintf(w, "%d findings (%d critical, %d high, %d medium, %d low) over %d principals, %d decisions\n\n",
		len(rep.Findings), counts[audit.Critical], counts[audit.High], counts[audit.Medium], counts[audit.Low],
		rep.Principals, rep.Decisions)
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "[%s] %s\n", strings.ToUpper(f.Severity), f.Title)
		if f.Detail != "" {
			fmt.Fprintf(w, "    %s\n", f.Detail)
		}
		if f.Policy != "" {
			fmt.Fprintf(w, "    policy: %s, statement %d\n", f.Policy, f.Statement)
		}
		for i, ev := range f.Evidence {
			if i == 2 {
				fmt.Fprintf(w, "    ... and %d more decisions (--format json lists them)\n", len(f.Evidence)-2)
				break
			}
			fmt.Fprintf(w, "    %s on %s: %s. %s\n", ev.Action, ev.Resource, ev.Decision, ev.Summary)
			fmt.Fprintf(w, "      replay: %s\n", ev.Why)
		}
		fmt.Fprintln(w)
	}
}
