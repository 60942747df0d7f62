package plan

import (
	"cmp"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Value is a Rego value in the evaluator's own form: Null, Bool, Int,
// Float, String, *Array, *Object or *Set. A nil Value is undefined.
// Composite values are not changed once built, except by the statement
// that builds them.
type Value interface{ rank() int }

type (
	// Null is Rego's null.
	Null struct{}
	// Bool is a boolean.
	Bool bool
	// Int is an integral number.
	Int int64
	// Float is a number with a fraction or beyond the int64 range.
	Float float64
	// String is a string.
	String string
	// Array is an array.
	Array struct{ elems []Value }
	// Object maps keys to values, its keys kept sorted.
	Object struct{ keys, vals []Value }
	// Set holds distinct values, kept sorted.
	Set struct{ elems []Value }
)

// The ranks order the types as OPA does: null, boolean, number, string,
// array, object, set.
func (Null) rank() int    { return 0 }
func (Bool) rank() int    { return 1 }
func (Int) rank() int     { return 2 }
func (Float) rank() int   { return 2 }
func (String) rank() int  { return 3 }
func (*Array) rank() int  { return 4 }
func (*Object) rank() int { return 5 }
func (*Set) rank() int    { return 6 }

// Pre-boxed values the evaluator returns without allocating.
var (
	True  Value = Bool(true)
	False Value = Bool(false)
	null  Value = Null{}
)

// BoolOf returns the boxed boolean.
func BoolOf(b bool) Value {
	if b {
		return True
	}
	return False
}

// NewArray returns an array of the values (which it keeps).
func NewArray(elems ...Value) *Array { return &Array{elems: elems} }

// Len is the number of elements.
func (a *Array) Len() int { return len(a.elems) }

// Elem returns the i-th element.
func (a *Array) Elem(i int) Value { return a.elems[i] }

// Append adds a value at the end.
func (a *Array) Append(v Value) { a.elems = append(a.elems, v) }

// NewObject returns an empty object with room for n keys.
func NewObject(n int) *Object {
	return &Object{keys: make([]Value, 0, n), vals: make([]Value, 0, n)}
}

// Len is the number of keys.
func (o *Object) Len() int { return len(o.keys) }

// At returns the i-th key and value in key order.
func (o *Object) At(i int) (Value, Value) { return o.keys[i], o.vals[i] }

func (o *Object) find(k Value) (int, bool) {
	if s, ok := k.(String); ok { // the common case, without Compare's switch
		lo, hi := 0, len(o.keys)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			ks, isStr := o.keys[m].(String)
			c := 0
			if isStr {
				c = cmp.Compare(ks, s)
			} else {
				c = Compare(o.keys[m], k)
			}
			switch {
			case c == 0:
				return m, true
			case c < 0:
				lo = m + 1
			default:
				hi = m
			}
		}
		return lo, false
	}
	i := sort.Search(len(o.keys), func(i int) bool { return Compare(o.keys[i], k) >= 0 })
	return i, i < len(o.keys) && Compare(o.keys[i], k) == 0
}

// Get returns the value of key k, or nil.
func (o *Object) Get(k Value) Value {
	if i, ok := o.find(k); ok {
		return o.vals[i]
	}
	return nil
}

// Insert sets key k to v.
func (o *Object) Insert(k, v Value) {
	i, ok := o.find(k)
	if ok {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, nil)
	o.vals = append(o.vals, nil)
	copy(o.keys[i+1:], o.keys[i:])
	copy(o.vals[i+1:], o.vals[i:])
	o.keys[i], o.vals[i] = k, v
}

// NewSet returns a set of the values.
func NewSet(elems ...Value) *Set {
	s := &Set{}
	for _, e := range elems {
		s.Add(e)
	}
	return s
}

// Len is the number of elements.
func (s *Set) Len() int { return len(s.elems) }

// Elem returns the i-th element in order.
func (s *Set) Elem(i int) Value { return s.elems[i] }

func (s *Set) find(v Value) (int, bool) {
	i := sort.Search(len(s.elems), func(i int) bool { return Compare(s.elems[i], v) >= 0 })
	return i, i < len(s.elems) && Compare(s.elems[i], v) == 0
}

// Contains reports whether v is an element.
func (s *Set) Contains(v Value) bool { _, ok := s.find(v); return ok }

// Add inserts v.
func (s *Set) Add(v Value) {
	i, ok := s.find(v)
	if ok {
		return
	}
	s.elems = append(s.elems, nil)
	copy(s.elems[i+1:], s.elems[i:])
	s.elems[i] = v
}

// Equal reports whether a and b are the same value.
func Equal(a, b Value) bool {
	if sa, ok := a.(String); ok {
		sb, ok := b.(String)
		return ok && sa == sb
	}
	return Compare(a, b) == 0
}

// Compare orders values as OPA does: by type, then by value.
func Compare(a, b Value) int {
	if ra, rb := a.rank(), b.rank(); ra != rb {
		return cmp.Compare(ra, rb)
	}
	switch x := a.(type) {
	case Null:
		return 0
	case Bool:
		y := b.(Bool)
		switch {
		case x == y:
			return 0
		case !bool(x):
			return -1
		}
		return 1
	case Int, Float:
		return compareNumbers(a, b)
	case String:
		return cmp.Compare(x, b.(String))
	case *Array:
		return compareSlices(x.elems, b.(*Array).elems)
	case *Object:
		y := b.(*Object)
		if c := compareSlices(x.keys, y.keys); c != 0 {
			return c
		}
		return compareSlices(x.vals, y.vals)
	case *Set:
		return compareSlices(x.elems, b.(*Set).elems)
	}
	return 0
}

func compareSlices(a, b []Value) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func compareNumbers(a, b Value) int {
	if x, ok := a.(Int); ok {
		if y, ok := b.(Int); ok {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(toFloat(a), toFloat(b))
}

func toFloat(v Value) float64 {
	switch x := v.(type) {
	case Int:
		return float64(x)
	case Float:
		return float64(x)
	}
	return math.NaN()
}

// NumberOf parses a number literal: an Int when it is integral and fits,
// else a Float.
func NumberOf(lit string) (Value, bool) {
	if i, err := strconv.ParseInt(lit, 10, 64); err == nil {
		return Int(i), true
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return nil, false
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return Int(int64(f)), true
	}
	return Float(f), true
}

// FromGo converts a Go value of the kinds encoding/json decodes into
// (with UseNumber), plus int, int64 and []string, to the evaluator's form.
func FromGo(v any) (Value, bool) {
	switch x := v.(type) {
	case nil:
		return null, true
	case bool:
		return BoolOf(x), true
	case string:
		return String(x), true
	case int:
		return Int(x), true
	case int64:
		return Int(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return Int(int64(x)), true
		}
		return Float(x), true
	case interface{ String() string }: // json.Number
		return NumberOf(x.String())
	case []string:
		out := make([]Value, len(x))
		for i, s := range x {
			out[i] = String(s)
		}
		return NewArray(out...), true
	case []any:
		out := make([]Value, len(x))
		for i, e := range x {
			var ok bool
			if out[i], ok = FromGo(e); !ok {
				return nil, false
			}
		}
		return NewArray(out...), true
	case map[string]any:
		o := NewObject(len(x))
		for k, e := range x {
			ev, ok := FromGo(e)
			if !ok {
				return nil, false
			}
			o.Insert(String(k), ev)
		}
		return o, true
	}
	return nil, false
}

// ListOf is FromGo of a list, or of a scalar as a list of one element (an
// unconvertible value is null).
func ListOf(v any) Value {
	out, ok := FromGo(v)
	if !ok {
		out = null
	}
	if _, list := out.(*Array); list {
		return out
	}
	return NewArray(out)
}

func isType(op opcode, v Value) bool {
	switch v.(type) {
	case *Array:
		return op == opIsArray
	case *Object:
		return op == opIsObject
	case *Set:
		return op == opIsSet
	}
	return false
}

func dot(src, key Value) Value {
	switch x := src.(type) {
	case *Object:
		return x.Get(key)
	case *Array:
		i, ok := key.(Int)
		if !ok || i < 0 || int(i) >= len(x.elems) {
			return nil
		}
		return x.elems[i]
	case *Set:
		if x.Contains(key) {
			return key
		}
	}
	return nil
}

func length(v Value) (int, bool) {
	switch x := v.(type) {
	case String:
		return utf8.RuneCountInString(string(x)), true
	case *Array:
		return len(x.elems), true
	case *Object:
		return len(x.keys), true
	case *Set:
		return len(x.elems), true
	}
	return 0, false
}

var smallInts = func() []Value {
	out := make([]Value, 1024)
	for i := range out {
		out[i] = Int(i)
	}
	return out
}()

func intValue(n int) Value {
	if n >= 0 && n < len(smallInts) {
		return smallInts[n]
	}
	return Int(n)
}
