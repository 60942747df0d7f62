package cfn

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

// checkCycles refuses a template whose resources depend on each other in
// a circle (through Ref, Fn::GetAtt, Fn::Sub or DependsOn), as
// CloudFormation does ("Circular dependency between resources"): it could
// not create them in any order.
func (t *template) checkCycles() error {
	deps := map[string][]dep{}
	for _, id := range t.order {
		r := t.resources[id]
		var ds []dep
		t.collect(r.props, &ds, 0)
		if d := r.node.get("DependsOn"); d != nil {
			names := []*rnode{d}
			if d.kind == tree.Array {
				names = d.items
			}
			for _, nm := range names {
				if _, ok := t.resources[nm.str]; !ok || nm.kind != tree.String {
					return t.errAt(nm, tree.CodeUnknownReference, "DependsOn names %q, which is not a resource of the template", nm.str)
				}
				ds = append(ds, dep{id: nm.str, at: nm})
			}
		}
		deps[id] = ds
	}
	state := map[string]int{} // 1: on the path, 2: done
	var path []string
	var visit func(id string) error
	visit = func(id string) error {
		state[id] = 1
		path = append(path, id)
		for _, d := range deps[id] {
			switch state[d.id] {
			case 1:
				i := 0
				for path[i] != d.id {
					i++
				}
				return t.errAt(d.at, tree.CodeConflict, "circular dependency between resources %s", strings.Join(append(path[i:], d.id), " → "))
			case 0:
				if err := visit(d.id); err != nil {
					return err
				}
			}
		}
		path = path[:len(path)-1]
		state[id] = 2
		return nil
	}
	for _, id := range t.order {
		if state[id] == 0 {
			if err := visit(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// dep is a reference to another resource, where it is written.
type dep struct {
	id string
	at *rnode
}

// collect gathers the resources n refers to.
func (t *template) collect(n *rnode, out *[]dep, depth int) {
	if n == nil || depth > maxDepth {
		return
	}
	if fn, arg, ok := intrinsic(n); ok {
		switch fn {
		case "Ref":
			t.addDep(arg.str, n, out)
		case "Fn::GetAtt":
			id := arg.str
			if arg.kind == tree.Array && len(arg.items) > 0 {
				id = arg.items[0].str
			}
			id, _, _ = strings.Cut(id, ".")
			t.addDep(id, n, out)
		case "Fn::Sub":
			text := arg
			if arg.kind == tree.Array && len(arg.items) > 0 {
				text = arg.items[0]
			}
			if text.kind == tree.String {
				for _, name := range subNames(text.str) {
					id, _, _ := strings.Cut(name, ".")
					t.addDep(id, n, out)
				}
			}
		}
		t.collect(arg, out, depth+1)
		return
	}
	for _, it := range n.items {
		t.collect(it, out, depth+1)
	}
	for _, v := range n.vals {
		t.collect(v, out, depth+1)
	}
}

func (t *template) addDep(id string, at *rnode, out *[]dep) {
	if _, ok := t.resources[id]; ok {
		*out = append(*out, dep{id: id, at: at})
	}
}

// subNames lists the ${...} names of a Fn::Sub string (not ${!...}).
func subNames(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return out
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return out
		}
		if name := s[i+2 : i+end]; !strings.HasPrefix(name, "!") {
			out = append(out, strings.TrimSpace(name))
		}
		s = s[i+end+1:]
	}
}
