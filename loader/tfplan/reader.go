package tfplan

import (
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/tree"
)

// reader holds one plan being read.
type reader struct {
	file string
	opts Options
	root *tree.Node
	plan *tfjson.Plan
	// changes are the plan's resource changes, in order; byAddr indexes
	// them, and state the resources of prior_state and planned_values
	// (their values node) by address.
	changes []*instance
	byAddr  map[string]*instance
	state   map[string]*tree.Node
	set     *change.Set
	symbols map[string]string // Expr → Text
}

// instance is one resource instance of the plan.
type instance struct {
	addr   string // module.x.aws_iam_role.y["k"]
	module string // module.x ("" for the root module)
	mode   string // managed or data
	typ    string
	name   string
	acts   tfjson.Actions
	node   *tree.Node // the resource change object
	before *tree.Node
	after  *tree.Node
	// unknown is after_unknown: true where a value is known only after
	// apply.
	unknown *tree.Node
	at      change.Source
}

func newReader(file string, opts Options, root *tree.Node, plan *tfjson.Plan) *reader {
	return &reader{file: file, opts: opts, root: root, plan: plan,
		byAddr: map[string]*instance{}, state: map[string]*tree.Node{},
		set:     &change.Set{Account: opts.Account, Region: opts.Region, Partition: opts.Partition, Files: []string{file}},
		symbols: map[string]string{}}
}

// index reads the resource changes and the state's resources.
func (r *reader) index() error {
	nodes := items(r.root.Get("resource_changes"))
	if len(nodes) != len(r.plan.ResourceChanges) {
		return tree.ErrAt(r.root, "", tree.CodeInvalidValue, "terraform plan: resource_changes could not be read as a list of resource changes")
	}
	for i, rc := range r.plan.ResourceChanges {
		if rc == nil || rc.Change == nil {
			return tree.ErrAt(nodes[i], "", tree.CodeMissingElement, "resource change without a change")
		}
		n := nodes[i]
		ch := n.Get("change")
		in := &instance{addr: rc.Address, module: rc.ModuleAddress, mode: string(rc.Mode), typ: rc.Type, name: rc.Name,
			acts: rc.Change.Actions, node: n, before: ch.Get("before"), after: ch.Get("after"), unknown: ch.Get("after_unknown"),
			at: change.Source{File: r.file, Line: n.Line, Col: n.Col, Address: rc.Address}}
		if rc.DeposedKey != "" {
			continue // a deposed object being destroyed: its current object has its own change
		}
		r.changes = append(r.changes, in)
		r.byAddr[in.addr] = in
	}
	for _, key := range []string{"prior_state", "planned_values"} {
		vals := r.root.Get(key)
		if key == "prior_state" {
			vals = vals.Get("values")
		}
		r.stateModule(vals.Get("root_module"), 0)
	}
	return nil
}

// stateModule indexes a state module's resources and its children's.
func (r *reader) stateModule(m *tree.Node, depth int) {
	if m == nil || depth > 100 {
		return
	}
	for _, res := range items(m.Get("resources")) {
		addr, vals := res.Get("address"), res.Get("values")
		if addr == nil || addr.Kind != tree.String || vals == nil || vals.Kind != tree.Object {
			continue
		}
		if _, seen := r.state[addr.Str]; !seen {
			r.state[addr.Str] = vals
		}
	}
	for _, c := range items(m.Get("child_modules")) {
		r.stateModule(c, depth+1)
	}
}

// symbol returns the Text of the symbol for expr, recording it once.
func (r *reader) symbol(expr string, at change.Source) string {
	if t, ok := r.symbols[expr]; ok {
		return t
	}
	t := change.SymbolText(expr)
	r.symbols[expr] = t
	r.set.Symbols = append(r.set.Symbols, change.Symbol{Text: t, Expr: expr, At: at})
	return t
}

// edits turns each managed resource change into Edits: deletes, then
// puts, then the delete-wins filter.
func (r *reader) edits() error {
	var dels, puts []change.Edit
	for _, in := range r.changes {
		build, ok := builders[in.typ]
		if in.mode != string(tfjson.ManagedResourceMode) || !ok {
			continue
		}
		d, p, err := r.resource(in, build)
		if err != nil {
			return err
		}
		dels, puts = append(dels, d...), append(puts, p...)
	}
	r.set.Edits = deleteWins(append(dels, puts...))
	return nil
}

// resource reads one change: create and update put the after values;
// delete deletes the before values; a replace puts the after values. An
// update or replace also deletes what the before values had and the
// after values no longer have (a role's removed inline policy, a
// membership left, an attachment moved to another role).
func (r *reader) resource(in *instance, build builder) (dels, puts []change.Edit, err error) {
	a := in.acts
	switch {
	case a.NoOp(), a.Read(), len(a) == 1 && a[0] == tfjson.ActionForget:
		return nil, nil, nil
	case a.Delete():
		before, err := build(r.side(in, true))
		return mark(before, change.Delete), nil, err
	}
	if in.after == nil || in.after.Kind != tree.Object {
		return nil, nil, tree.ErrAt(orNode(in.after, in.node), "", tree.CodeMissingElement, "%s: change.after must be an object for a %s", in.addr, actionWord(a))
	}
	after, err := build(r.side(in, false))
	if err != nil {
		return nil, nil, err
	}
	if in.before != nil && in.before.Kind == tree.Object {
		before, err := build(r.side(in, true))
		if err != nil {
			return nil, nil, err
		}
		keep := map[string]bool{}
		for _, e := range after {
			keep[key(e)] = true
		}
		for _, e := range before {
			if !keep[key(e)] {
				dels = append(dels, e)
			}
		}
	}
	return mark(dels, change.Delete), mark(after, change.Put), nil
}

func actionWord(a tfjson.Actions) string {
	parts := make([]string, len(a))
	for i, x := range a {
		parts[i] = string(x)
	}
	return strings.Join(parts, "-")
}

func mark(es []change.Edit, op change.Op) []change.Edit {
	for i := range es {
		es[i].Op = op
	}
	return es
}

// key identifies the entity an Edit concerns.
func key(e change.Edit) string {
	k := []string{string(e.Kind), e.Name, e.PolicyARN, e.Group, e.Resource, e.Target}
	if e.Owner != nil {
		k = append(k, string(e.Owner.Kind), e.Owner.Name)
	}
	if e.Kind == change.ResourceStatement && e.Policy != nil {
		for _, st := range e.Policy.Statements {
			k = append(k, st.Sid)
		}
	}
	return strings.Join(k, "\x00")
}

// deleteWins drops the edits that concern a user, group, role or managed
// policy the Set deletes and does not put again: their inline policies,
// attachments and memberships go with them.
func deleteWins(es []change.Edit) []change.Edit {
	put, gone := map[string]bool{}, map[string]bool{}
	for _, e := range es {
		switch e.Kind {
		case change.User, change.Group, change.Role:
			if e.Op == change.Put {
				put[string(e.Kind)+"/"+e.Name] = true
			} else {
				gone[string(e.Kind)+"/"+e.Name] = true
			}
		case change.ManagedPolicy:
			if e.Op == change.Put {
				put["policy/"+e.Name] = true
			} else {
				gone["policy/"+e.Name] = true
			}
		}
	}
	dead := func(k string) bool { return gone[k] && !put[k] }
	out := es[:0:0]
	for _, e := range es {
		switch {
		case e.Owner != nil && e.Kind != change.Role && dead(string(e.Owner.Kind)+"/"+e.Owner.Name),
			e.Kind == change.Membership && dead("group/"+e.Group),
			e.Kind == change.Attachment && dead("policy/"+policyNameOf(e.PolicyARN)) && !isAWSManaged(e.PolicyARN):
			continue
		}
		out = append(out, e)
	}
	return out
}

// policyNameOf is the name in a customer managed policy's ARN.
func policyNameOf(arn string) string {
	_, rest, ok := strings.Cut(arn, ":policy/")
	if !ok {
		return ""
	}
	return rest[strings.LastIndex(rest, "/")+1:]
}

func isAWSManaged(arn string) bool { return strings.Contains(arn, ":iam::aws:policy/") }

func (r *reader) finish() *change.Set { return r.set }
