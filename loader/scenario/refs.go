package scenario

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// A check that names a principal, a maker or a chain role the world does
// not have asks a question about nothing: it is refused where it is
// written, like the world's own references to missing entities, rather
// than failing as a check. Named here: an IAM user (principal,
// federated_by, chain as), the role of a role session, and the roles a
// chain's steps assume. Account roots, service principals and anonymous
// need no entity; a federated user is made by its federated_by.

// worldIndex is what a check's references are resolved against.
type worldIndex struct {
	users map[string]bool            // user ARN
	roles map[string]bool            // role ARN
	names map[string]map[string]bool // account -> role name
}

func indexWorld(w *world.World) *worldIndex {
	x := &worldIndex{users: map[string]bool{}, roles: map[string]bool{}, names: map[string]map[string]bool{}}
	for _, a := range w.Accounts {
		x.names[a.ID] = map[string]bool{}
		for _, u := range a.Users {
			x.users[u.ARN] = true
		}
		for _, r := range a.Roles {
			x.roles[r.ARN] = true
			x.names[a.ID][r.Name] = true
		}
	}
	return x
}

// checkRefs refuses a check whose principal, federated_by, chain as or
// chain step roles name what the world lacks.
func (x *worldIndex) checkRefs(o *tree.ObjReader) error {
	if err := x.principal(o.Get("principal"), "principal"); err != nil {
		return err
	}
	if err := x.principal(o.Get("federated_by"), "federated_by"); err != nil {
		return err
	}
	cn := o.Get("chain")
	if cn == nil || cn.Kind != tree.Object {
		return nil
	}
	if err := x.principal(cn.Get("as"), "chain as"); err != nil {
		return err
	}
	steps := cn.Get("steps")
	if steps == nil || steps.Kind != tree.Array {
		return nil
	}
	for _, st := range steps.Items {
		if st.Kind != tree.Object {
			continue
		}
		for _, params := range st.Vals {
			if params.Kind != tree.Object {
				continue
			}
			for _, key := range []string{"role", "custom_role"} {
				if n := params.Get(key); n != nil && n.Kind == tree.String && !x.roles[n.Str] {
					return tree.NodeError(n, tree.CodeUnknownReference, "%s: role %s is not in the world", key, n.Str)
				}
			}
		}
	}
	return nil
}

// principal refuses a user ARN that is not the world's, and a role
// session whose role is not.
func (x *worldIndex) principal(n *tree.Node, what string) error {
	if n == nil || n.Kind != tree.String || !strings.HasPrefix(n.Str, "arn:") {
		return nil
	}
	a, ok := pattern.SplitARN(n.Str)
	if !ok {
		return nil // checkARNs reports it
	}
	switch {
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "user/") && !x.users[n.Str]:
		return tree.NodeError(n, tree.CodeUnknownReference, "%s: %s: no such IAM user in the world", what, n.Str)
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/"):
		role, _, _ := strings.Cut(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
		if !x.names[a.Account][role] {
			return tree.NodeError(n, tree.CodeUnknownReference, "%s: %s: no role %q in account %s in the world", what, n.Str, role, a.Account)
		}
	}
	return nil
}
