package world

import "github.com/clearance-dev/clearance/loader/tree"

// Kinds of references an entity holds, for Refs.
const (
	RefGroup           = "group"
	RefManaged         = "managed policy"
	RefBoundary        = "boundary"
	RefSCP             = "scp"
	RefRCP             = "rcp"
	RefOU              = "org_path"
	RefInstanceProfile = "instance profile"
)

// Refs says where each reference an entity holds was written (a group, a
// managed policy, a boundary, an OU, an SCP), so that one that does not
// resolve when the world is stored is reported at its line. Nil (a world
// built in code) gives unknown places.
type Refs map[string]tree.Loc

// Add records where a reference of a kind was written; the first place
// stands.
func (r *Refs) Add(kind, value string, at tree.Loc) {
	if *r == nil {
		*r = Refs{}
	}
	if _, ok := (*r)[kind+"\x00"+value]; !ok {
		(*r)[kind+"\x00"+value] = at
	}
}

// At returns where a reference was written.
func (r Refs) At(kind, value string) tree.Loc { return r[kind+"\x00"+value] }
