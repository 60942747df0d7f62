package plan

import (
	"errors"
	"fmt"
	"sync"
)

// Signals exec returns besides a break depth: -1 is a block run to its
// end; 0 a block left (undefined statement or break 0); n > 0 a break out
// of n more blocks.
const (
	completed = -1
	sigReturn = 1 << 30
	sigError  = sigReturn + 1
)

// ErrConflict is a complete rule or object key given two values.
var ErrConflict = errors.New("conflicting values for one rule or key (eval_conflict_error)")

// vm is one evaluation's state; Program keeps a pool of them.
type vm struct {
	p       *Program
	stack   []Value
	sp      int
	memo    []Value
	memoOK  []bool
	results []Value
	ret     Value
	err     error
	args    [4]Value // the built-ins' arguments
}

func newVM(p *Program) *vm {
	return &vm{p: p, stack: make([]Value, 256), memo: make([]Value, len(p.funcs)), memoOK: make([]bool, len(p.funcs))}
}

// reset starts an evaluation on input with a frame of n locals.
func (m *vm) reset(input Value, n int) {
	clear(m.memo)
	clear(m.memoOK)
	m.results, m.ret, m.err, m.sp = m.results[:0], nil, nil, 0
	m.grow(max(n, 2))
	m.sp = max(n, 2)
	m.stack[0], m.stack[1] = input, emptyData
}

// emptyData is the data document: the bundle has no data, only rules.
var emptyData = NewObject(0)

var pools sync.Map // *Program -> *sync.Pool

func (p *Program) pool() *sync.Pool {
	if v, ok := pools.Load(p); ok {
		return v.(*sync.Pool)
	}
	v, _ := pools.LoadOrStore(p, &sync.Pool{New: func() any { return newVM(p) }})
	return v.(*sync.Pool)
}

// Eval runs the plan of an entry point on input and returns the value it
// gives the entry point's rule, or nil when it is undefined.
func (p *Program) Eval(entry string, input Value) (Value, error) {
	fn := p.plans[entry]
	if fn == nil {
		return nil, fmt.Errorf("plan: no entry point %q", entry)
	}
	pool := p.pool()
	m := pool.Get().(*vm)
	m.reset(input, fn.nlocals)
	var out Value
	for _, b := range fn.blocks {
		if r := m.exec(b, 0); r == sigError {
			break
		} else if r >= 1 {
			break
		}
	}
	err := m.err
	if err == nil {
		switch len(m.results) {
		case 0:
		case 1:
			if o, ok := m.results[0].(*Object); ok {
				out = o.Get(String("result"))
			}
		default:
			err = fmt.Errorf("plan: %s gave %d results", entry, len(m.results))
		}
	}
	clear(m.stack[:m.sp])
	clear(m.results)
	m.results = m.results[:0]
	pool.Put(m)
	return out, err
}

func (m *vm) grow(n int) {
	if need := m.sp + n; need > len(m.stack) {
		bigger := make([]Value, 2*need)
		copy(bigger, m.stack)
		m.stack = bigger
	}
	clear(m.stack[m.sp : m.sp+n])
}

func (m *vm) read(o operand, base int) Value {
	if o.local < 0 {
		return o.c
	}
	return m.stack[base+int(o.local)]
}

// call runs a function; nil is undefined (m.err says whether it failed).
func (m *vm) call(fn *function, args []operand, base int) Value {
	if fn.folded {
		return fn.value
	}
	idx := -1
	if fn.memo {
		idx = m.p.index(fn)
		if m.memoOK[idx] {
			return m.memo[idx]
		}
	}
	frame := m.sp
	m.grow(fn.nlocals)
	for i, p := range fn.params {
		m.stack[frame+int(p)] = m.read(args[i], base)
	}
	m.sp = frame + fn.nlocals
	var out Value
	for _, b := range fn.blocks {
		r := m.exec(b, frame)
		if r == sigReturn {
			out = m.ret
			break
		}
		if r == sigError || r >= 1 {
			break
		}
	}
	clear(m.stack[frame:m.sp])
	m.sp = frame
	if idx >= 0 && m.err == nil {
		m.memo[idx], m.memoOK[idx] = out, true
	}
	return out
}

// index is the position of a rule in p.funcs (kept in the function).
func (p *Program) index(fn *function) int { return fn.idx }

// exec runs a block's statements.
func (m *vm) exec(b *block, base int) int {
	for i := range b.stmts {
		s := &b.stmts[i]
		switch s.op {
		case opAssign:
			m.stack[base+int(s.target)] = m.read(s.a, base)
		case opAssignOnce:
			v := m.read(s.a, base)
			if t := m.stack[base+int(s.target)]; t != nil {
				if !Equal(t, v) {
					m.err = ErrConflict
					return sigError
				}
				continue
			}
			m.stack[base+int(s.target)] = v
		case opReset:
			m.stack[base+int(s.target)] = nil
		case opDot:
			v := dot(m.read(s.a, base), m.read(s.b, base))
			if v == nil {
				return 0
			}
			m.stack[base+int(s.target)] = v
		case opEqual, opNotEqual:
			a, c := m.read(s.a, base), m.read(s.b, base)
			if a == nil || c == nil || Equal(a, c) != (s.op == opEqual) {
				return 0
			}
		case opIsDefined:
			if m.stack[base+int(s.a.local)] == nil {
				return 0
			}
		case opIsUndefined:
			if m.stack[base+int(s.a.local)] != nil {
				return 0
			}
		case opIsArray, opIsObject, opIsSet:
			if !isType(s.op, m.read(s.a, base)) {
				return 0
			}
		default:
			if r := m.exec2(s, base); r != completed {
				return r
			}
		}
	}
	return completed
}

// exec2 runs the statements that build values, call and nest.
func (m *vm) exec2(s *stmt, base int) int {
	switch s.op {
	case opMakeArray:
		m.stack[base+int(s.target)] = &Array{elems: make([]Value, 0, s.n)}
	case opMakeObject:
		m.stack[base+int(s.target)] = &Object{}
	case opMakeSet:
		m.stack[base+int(s.target)] = &Set{}
	case opArrayAppend:
		arr, ok := m.stack[base+int(s.target)].(*Array)
		v := m.read(s.a, base)
		if !ok || v == nil {
			return 0
		}
		arr.Append(v)
	case opObjectInsert, opObjectInsertOnce:
		return m.insert(s, base)
	case opSetAdd:
		set, ok := m.stack[base+int(s.target)].(*Set)
		v := m.read(s.a, base)
		if !ok || v == nil {
			return 0
		}
		set.Add(v)
	case opLen:
		n, ok := length(m.read(s.a, base))
		if !ok {
			return 0
		}
		m.stack[base+int(s.target)] = intValue(n)
	case opCall:
		v := m.call(m.p.funcs[s.fn], s.args, base)
		if m.err != nil {
			return sigError
		}
		if v == nil {
			return 0
		}
		m.stack[base+int(s.target)] = v
	case opBuiltin:
		return m.builtin(s, base)
	case opBlock:
		for _, b := range s.blocks {
			if r := m.exec(b, base); r >= sigReturn {
				return r
			} else if r >= 1 {
				return r - 1
			}
		}
	case opBreak:
		return s.n
	case opNot:
		switch r := m.exec(s.block, base); {
		case r == completed:
			return 0
		case r >= sigReturn:
			return r
		case r >= 1:
			return r - 1
		}
	case opScan:
		return m.scan(s, base)
	case opReturn:
		m.ret = m.stack[base+int(s.a.local)]
		return sigReturn
	case opResultAdd:
		m.results = append(m.results, m.stack[base+int(s.a.local)])
	case opNop:
	}
	return completed
}

func (m *vm) insert(s *stmt, base int) int {
	obj, ok := m.stack[base+int(s.target)].(*Object)
	k, v := m.read(s.a, base), m.read(s.b, base)
	if !ok || k == nil || v == nil {
		return 0
	}
	if s.op == opObjectInsertOnce {
		if old := obj.Get(k); old != nil && !Equal(old, v) {
			m.err = ErrConflict
			return sigError
		}
	}
	obj.Insert(k, v)
	return completed
}

func (m *vm) builtin(s *stmt, base int) int {
	args := m.args[:len(s.args)]
	for i, a := range s.args {
		if args[i] = m.read(a, base); args[i] == nil {
			return 0
		}
	}
	v := m.p.builtins[s.fn].fn(args)
	clear(args)
	if v == nil {
		return 0
	}
	m.stack[base+int(s.target)] = v
	return completed
}

// scan runs the body for each element: from the body, break 0 goes on
// with the next element and break 1 ends the scan.
func (m *vm) scan(s *stmt, base int) int {
	body := func(k, v Value) int {
		m.stack[base+int(s.key)], m.stack[base+int(s.value)] = k, v
		r := m.exec(s.block, base)
		switch {
		case r == completed || r == 0:
			return completed
		case r >= sigReturn:
			return r
		}
		return r - 1 // 0: the scan ends; more: leave enclosing blocks
	}
	var r int
	switch x := m.stack[base+int(s.target)].(type) {
	case *Array:
		for i := 0; i < len(x.elems); i++ {
			if r = body(intValue(i), x.elems[i]); r != completed {
				break
			}
		}
	case *Object:
		for i := range x.keys {
			if r = body(x.keys[i], x.vals[i]); r != completed {
				break
			}
		}
	case *Set:
		for _, e := range x.elems {
			if r = body(e, e); r != completed {
				break
			}
		}
	default:
		return completed
	}
	switch {
	case r == completed, r == 0:
		return completed
	case r >= sigReturn:
		return r
	}
	return r - 1
}
