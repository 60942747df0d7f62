package export

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// MissingPoliciesError reports a partial export: managed policies that
// are attached (or used as boundaries) but absent from the export, each
// with where it is first attached.
type MissingPoliciesError struct {
	Files []string
	ARNs  []string
	At    map[string]tree.Loc
}

func (e *MissingPoliciesError) Error() string {
	var b strings.Builder
	if first := e.At[e.ARNs[0]]; first.Known() {
		fmt.Fprintf(&b, "%s:%d:%d: %s: ", first.File, first.Line, first.Col, first.Path())
	} else if len(e.Files) > 0 {
		b.WriteString(strings.Join(e.Files, ", ") + ": ")
	}
	fmt.Fprintf(&b, "partial export: %d managed policies are attached but not in the export's Policies: ", len(e.ARNs))
	for i, arn := range e.ARNs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(arn)
		if at := e.At[arn]; at.Known() && i > 0 {
			fmt.Fprintf(&b, " (attached at %s)", at)
		}
	}
	return b.String()
}

// missingAt says where each missing policy is first attached.
func missingAt(accounts []*world.Account, arns []string) map[string]tree.Loc {
	out := map[string]tree.Loc{}
	for _, arn := range arns {
		for _, a := range accounts {
			for _, refs := range entityRefs(a) {
				at := refs.At(world.RefManaged, arn)
				if !at.Known() {
					at = refs.At(world.RefBoundary, arn)
				}
				if _, done := out[arn]; at.Known() && !done {
					out[arn] = at
				}
			}
		}
	}
	return out
}

func entityRefs(a *world.Account) []world.Refs {
	var out []world.Refs
	for _, u := range a.Users {
		out = append(out, u.Refs)
	}
	for _, g := range a.Groups {
		out = append(out, g.Refs)
	}
	for _, r := range a.Roles {
		out = append(out, r.Refs)
	}
	return out
}
