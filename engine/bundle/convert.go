package bundle

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/engine/plan"
)

// FromAST converts an OPA value to the plan evaluator's form. It fails on
// what has no such form (references, variables, comprehensions).
func FromAST(v ast.Value) (plan.Value, error) {
	switch x := v.(type) {
	case ast.Null:
		return plan.Null{}, nil
	case ast.Boolean:
		return plan.BoolOf(bool(x)), nil
	case ast.Number:
		n, ok := plan.NumberOf(string(x))
		if !ok {
			return nil, fmt.Errorf("number %s", x)
		}
		return n, nil
	case ast.String:
		return plan.String(x), nil
	case *ast.Array:
		elems := make([]plan.Value, x.Len())
		for i := range elems {
			e, err := FromAST(x.Elem(i).Value)
			if err != nil {
				return nil, err
			}
			elems[i] = e
		}
		return plan.NewArray(elems...), nil
	case ast.Object:
		o := plan.NewObject(x.Len())
		var err error
		x.Foreach(func(k, v *ast.Term) {
			kv, err1 := FromAST(k.Value)
			vv, err2 := FromAST(v.Value)
			if err1 != nil || err2 != nil {
				err = fmt.Errorf("object entry %v: %v %v", k, err1, err2)
				return
			}
			o.Insert(kv, vv)
		})
		return o, err
	case ast.Set:
		s := plan.NewSet()
		var err error
		x.Foreach(func(t *ast.Term) {
			e, err1 := FromAST(t.Value)
			if err1 != nil {
				err = err1
				return
			}
			s.Add(e)
		})
		return s, err
	}
	return nil, fmt.Errorf("no plan form for %T", v)
}

// ToAST converts a plan value to OPA's form.
func ToAST(v plan.Value) ast.Value {
	switch x := v.(type) {
	case plan.Null:
		return ast.Null{}
	case plan.Bool:
		return ast.Boolean(x)
	case plan.Int:
		return ast.Number(fmt.Sprint(int64(x)))
	case plan.Float:
		return ast.FloatNumberTerm(float64(x)).Value
	case plan.String:
		return ast.String(x)
	case *plan.Array:
		elems := make([]*ast.Term, x.Len())
		for i := range elems {
			elems[i] = ast.NewTerm(ToAST(x.Elem(i)))
		}
		return ast.NewArray(elems...)
	case *plan.Object:
		items := make([][2]*ast.Term, x.Len())
		for i := range items {
			k, val := x.At(i)
			items[i] = [2]*ast.Term{ast.NewTerm(ToAST(k)), ast.NewTerm(ToAST(val))}
		}
		return ast.NewObject(items...)
	case *plan.Set:
		elems := make([]*ast.Term, x.Len())
		for i := range elems {
			elems[i] = ast.NewTerm(ToAST(x.Elem(i)))
		}
		return ast.NewSet(elems...)
	}
	return nil
}

// Memo converts the "policies" object of an engine input (an object of
// arrays of statement or SCP/RCP level terms) to the plan form, keeping
// the form of each element term: the engine caches those terms per store
// generation, so each is converted once, not per evaluation. Past
// maxMemo entries it converts without keeping.
type Memo struct {
	m sync.Map // *ast.Term -> plan.Value
	n atomic.Int64
}

const maxMemo = 200_000

// Policies converts a policies object.
func (c *Memo) Policies(v ast.Value) (plan.Value, error) {
	obj, ok := v.(ast.Object)
	if !ok {
		return nil, fmt.Errorf("policies: an object expected, got %T", v)
	}
	out := plan.NewObject(obj.Len())
	var err error
	obj.Foreach(func(k, set *ast.Term) {
		arr, ok := set.Value.(*ast.Array)
		if !ok {
			err = fmt.Errorf("policies.%v: an array expected", k)
			return
		}
		elems := make([]plan.Value, arr.Len())
		for i := range elems {
			e, err1 := c.term(arr.Elem(i))
			if err1 != nil {
				err = err1
				return
			}
			elems[i] = e
		}
		ks, _ := k.Value.(ast.String)
		out.Insert(plan.String(ks), plan.NewArray(elems...))
	})
	return out, err
}

func (c *Memo) term(t *ast.Term) (plan.Value, error) {
	if v, ok := c.m.Load(t); ok {
		return v.(plan.Value), nil
	}
	v, err := FromAST(t.Value)
	if err == nil && c.n.Add(1) <= maxMemo {
		c.m.Store(t, v)
	}
	return v, err
}
