package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/clearance-dev/clearance/engine/checks"
)

// Failure writes a failed scenario check: where it is, what went wrong,
// its source, and the chain and decision the engine gave.
func Failure(w io.Writer, r checks.CheckResult) {
	at := fmt.Sprintf("%s:%d", r.Check.File, r.Check.Line)
	if r.Check.Col > 0 {
		at += fmt.Sprintf(":%d: %s:", r.Check.Col, r.Check.Path) // where the check is written
	}
	fmt.Fprintf(w, "FAIL %s %s: %s\n", at, r.Check.Name, r.Problem())
	fmt.Fprintf(w, "     source: %s\n", r.Check.Source)
	var sb strings.Builder
	if r.Chain != nil {
		Chain(&sb, r.Chain)
	}
	if r.Decision != nil {
		Decision(&sb, r.Decision)
	}
	if sb.Len() > 0 {
		for _, line := range strings.Split(strings.TrimRight(sb.String(), "\n"), "\n") {
			fmt.Fprintf(w, "     %s\n", line)
		}
	}
}
