package change

import (
	"fmt"

	"github.com/clearance-dev/clearance/loader/tree"
)

// Merge concatenates sets read from several files into one change, in
// order: their Edits, Symbols and Files. Sets for different accounts (or
// regions, or partitions) are refused: one review deploys to one place.
// An empty Account, Region or Partition takes the others'. Nil sets are
// skipped.
func Merge(sets ...*Set) (*Set, error) {
	out := &Set{}
	for _, s := range sets {
		if s == nil {
			continue
		}
		for _, f := range []struct {
			what      string
			dst, from *string
		}{{"account", &out.Account, &s.Account}, {"region", &out.Region, &s.Region}, {"partition", &out.Partition, &s.Partition}} {
			switch {
			case *f.from == "" || *f.from == *f.dst:
			case *f.dst == "":
				*f.dst = *f.from
			default:
				return nil, &tree.Error{File: firstFile(s), Code: tree.CodeConflict,
					Msg: fmt.Sprintf("this change deploys to %s %s, another to %s %s: review one %s at a time", f.what, *f.from, f.what, *f.dst, f.what)}
			}
		}
		out.Edits = append(out.Edits, s.Edits...)
		out.Symbols = append(out.Symbols, s.Symbols...)
		out.Files = append(out.Files, s.Files...)
	}
	return out, nil
}
