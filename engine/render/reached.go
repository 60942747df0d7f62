package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/clearance-dev/clearance/engine/sts"
)

func Reached(w io.Writer, reached []sts.Reached) {
	n := 0
	for _, r := range reached {
		n++
		fmt.Fprintf(w, "%d. %s\n", n, r.Session)
		if len(r.Needs) > 0 {
			fmt.Fprintf(w, "     only with: %s\n", strings.Join(r.Needs, ", "))
		}
		for _, p := range r.Path {
			fmt.Fprintf(w, "     %s\n", p)
		}
	}
	fmt.Fprintf(w, "%d sessions reachable\n", n)
}
