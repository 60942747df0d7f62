package plan

import "fmt"

// foldConstants builds once, at load, the composite literals whose
// elements are all constants (`x in {"a", "b"}`): a MakeSet, MakeArray or
// MakeObject followed by constant SetAdd, ArrayAppend or ObjectInsert
// statements becomes one assignment of the value built here, when no other
// statement of the function changes that local or a local it is copied to.
func foldConstants(fn *function) {
	mutated := map[int32]int{}
	copies := map[int32][]int32{}
	walk(fn.blocks, func(s *stmt) {
		switch s.op {
		case opSetAdd, opArrayAppend, opObjectInsert, opObjectInsertOnce:
			mutated[s.target]++
		case opAssign, opAssignOnce:
			if s.a.local >= 0 {
				copies[s.a.local] = append(copies[s.a.local], s.target)
			}
		}
	})
	var visit func(bs []*block)
	visit = func(bs []*block) {
		for _, b := range bs {
			b.stmts = foldBlock(b.stmts, mutated, copies)
			for i := range b.stmts {
				s := &b.stmts[i]
				if s.block != nil {
					visit([]*block{s.block})
				}
				visit(s.blocks)
			}
		}
	}
	visit(fn.blocks)
}

func foldBlock(stmts []stmt, mutated map[int32]int, copies map[int32][]int32) []stmt {
	out := stmts[:0:0]
	for i := 0; i < len(stmts); i++ {
		s := stmts[i]
		add := map[opcode]opcode{opMakeSet: opSetAdd, opMakeArray: opArrayAppend, opMakeObject: opObjectInsert}[s.op]
		if add == 0 && s.op != opMakeSet {
			out = append(out, s)
			continue
		}
		j := i + 1
		for j < len(stmts) && stmts[j].op == add && stmts[j].target == s.target &&
			stmts[j].a.local < 0 && (add != opObjectInsert || stmts[j].b.local < 0) {
			j++
		}
		run := j - i - 1
		if run == 0 || run != mutated[s.target] || aliasMutated(s.target, mutated, copies) {
			out = append(out, s)
			continue
		}
		out = append(out, stmt{op: opAssign, a: operand{local: -1, c: literal(s.op, stmts[i+1:j])}, target: s.target})
		i = j - 1
	}
	return out
}

func aliasMutated(l int32, mutated map[int32]int, copies map[int32][]int32) bool {
	for _, t := range copies[l] {
		if mutated[t] > 0 {
			return true
		}
	}
	return false
}

func literal(op opcode, adds []stmt) Value {
	switch op {
	case opMakeSet:
		s := &Set{}
		for _, a := range adds {
			s.Add(a.a.c)
		}
		return s
	case opMakeArray:
		arr := &Array{}
		for _, a := range adds {
			arr.Append(a.a.c)
		}
		return arr
	}
	o := NewObject(len(adds))
	for _, a := range adds {
		o.Insert(a.a.c, a.b.c)
	}
	return o
}

// walk calls f on every statement of the blocks, nested ones included.
func walk(bs []*block, f func(*stmt)) {
	for _, b := range bs {
		for i := range b.stmts {
			s := &b.stmts[i]
			f(s)
			if s.block != nil {
				walk([]*block{s.block}, f)
			}
			walk(s.blocks, f)
		}
	}
}

// analyse marks the functions that read input or data, themselves or
// through the functions they call.
func (p *Program) analyse() {
	for changed := true; changed; {
		changed = false
		for _, fn := range p.funcs {
			if fn.reads {
				continue
			}
			walk(fn.blocks, func(s *stmt) {
				if !fn.reads && p.stmtReads(s) {
					fn.reads, changed = true, true
				}
			})
		}
	}
}

func (p *Program) stmtReads(s *stmt) bool {
	var used []operand
	switch s.op {
	case opCall:
		return p.funcs[s.fn].reads
	case opScan:
		return s.target <= 1
	case opBuiltin:
		used = s.args
	case opDot, opEqual, opNotEqual, opObjectInsert, opObjectInsertOnce:
		used = []operand{s.a, s.b}
	case opAssign, opAssignOnce, opIsArray, opIsObject, opIsSet, opIsDefined, opIsUndefined,
		opArrayAppend, opSetAdd, opLen, opReturn, opResultAdd:
		used = []operand{s.a}
	}
	for _, o := range used {
		if o.local == 0 || o.local == 1 {
			return true
		}
	}
	return false
}

// fold evaluates once the rules that read neither input nor data.
func (p *Program) fold() error {
	m := newVM(p)
	for _, fn := range p.funcs {
		if !fn.memo || fn.reads {
			continue
		}
		m.reset(NewObject(0), 2)
		v := m.call(fn, []operand{{local: 0}, {local: 1}}, 0)
		if m.err != nil {
			return fmt.Errorf("plan: evaluate constant %s: %w", fn.name, m.err)
		}
		fn.folded, fn.value = true, v
	}
	return nil
}
