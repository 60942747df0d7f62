package plan

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ir"
)

// stmt translates one IR statement; an unsupported one is recorded in
// l.missing by its type name.
func (l *loader) stmt(s ir.Stmt) stmt {
	switch x := s.(type) {
	case *ir.AssignVarStmt:
		return stmt{op: opAssign, a: l.operand(x.Source), target: l.loc(x.Target)}
	case *ir.AssignVarOnceStmt:
		return stmt{op: opAssignOnce, a: l.operand(x.Source), target: l.loc(x.Target)}
	case *ir.ResetLocalStmt:
		return stmt{op: opReset, target: l.loc(x.Target)}
	case *ir.DotStmt:
		return stmt{op: opDot, a: l.operand(x.Source), b: l.operand(x.Key), target: l.loc(x.Target)}
	case *ir.EqualStmt:
		return stmt{op: opEqual, a: l.operand(x.A), b: l.operand(x.B)}
	case *ir.NotEqualStmt:
		return stmt{op: opNotEqual, a: l.operand(x.A), b: l.operand(x.B)}
	case *ir.IsDefinedStmt:
		return stmt{op: opIsDefined, a: operand{local: l.loc(x.Source)}}
	case *ir.IsUndefinedStmt:
		return stmt{op: opIsUndefined, a: operand{local: l.loc(x.Source)}}
	case *ir.IsArrayStmt:
		return stmt{op: opIsArray, a: l.operand(x.Source)}
	case *ir.IsObjectStmt:
		return stmt{op: opIsObject, a: l.operand(x.Source)}
	case *ir.IsSetStmt:
		return stmt{op: opIsSet, a: l.operand(x.Source)}
	case *ir.MakeNullStmt:
		return stmt{op: opAssign, a: operand{local: -1, c: null}, target: l.loc(x.Target)}
	case *ir.MakeNumberIntStmt:
		return stmt{op: opAssign, a: operand{local: -1, c: Int(x.Value)}, target: l.loc(x.Target)}
	case *ir.AssignIntStmt:
		return stmt{op: opAssign, a: operand{local: -1, c: Int(x.Value)}, target: l.loc(x.Target)}
	case *ir.MakeNumberRefStmt:
		return stmt{op: opAssign, a: operand{local: -1, c: l.numberRef(x.Index)}, target: l.loc(x.Target)}
	case *ir.MakeArrayStmt:
		return stmt{op: opMakeArray, n: int(x.Capacity), target: l.loc(x.Target)}
	case *ir.MakeObjectStmt:
		return stmt{op: opMakeObject, target: l.loc(x.Target)}
	case *ir.MakeSetStmt:
		return stmt{op: opMakeSet, target: l.loc(x.Target)}
	case *ir.ArrayAppendStmt:
		return stmt{op: opArrayAppend, a: l.operand(x.Value), target: l.loc(x.Array)}
	case *ir.ObjectInsertStmt:
		return stmt{op: opObjectInsert, a: l.operand(x.Key), b: l.operand(x.Value), target: l.loc(x.Object)}
	case *ir.ObjectInsertOnceStmt:
		return stmt{op: opObjectInsertOnce, a: l.operand(x.Key), b: l.operand(x.Value), target: l.loc(x.Object)}
	case *ir.SetAddStmt:
		return stmt{op: opSetAdd, a: l.operand(x.Value), target: l.loc(x.Set)}
	case *ir.LenStmt:
		return stmt{op: opLen, a: l.operand(x.Source), target: l.loc(x.Target)}
	case *ir.CallStmt:
		return l.call(x)
	case *ir.BlockStmt:
		out := stmt{op: opBlock}
		for _, b := range x.Blocks {
			out.blocks = append(out.blocks, l.block(b))
		}
		return out
	case *ir.BreakStmt:
		return stmt{op: opBreak, n: int(x.Index)}
	case *ir.NotStmt:
		return stmt{op: opNot, block: l.block(x.Block)}
	case *ir.ScanStmt:
		return stmt{op: opScan, target: l.loc(x.Source), key: l.loc(x.Key), value: l.loc(x.Value), block: l.block(x.Block)}
	case *ir.ReturnLocalStmt:
		return stmt{op: opReturn, a: operand{local: l.loc(x.Source)}}
	case *ir.ResultSetAddStmt:
		return stmt{op: opResultAdd, a: operand{local: l.loc(x.Value)}}
	case *ir.NopStmt:
		return stmt{op: opNop}
	}
	l.missing["statement "+stmtName(s)] = true
	return stmt{op: opNop}
}

func (l *loader) numberRef(i int) Value {
	if i < 0 || i >= len(l.p.strings) {
		l.missing[fmt.Sprintf("number constant %d in %s", i, l.where)] = true
		return Int(0)
	}
	lit := string(l.p.strings[i].(String))
	n, ok := NumberOf(lit)
	if !ok {
		l.missing[fmt.Sprintf("number literal %q in %s", lit, l.where)] = true
		return Int(0)
	}
	return n
}

func (l *loader) call(x *ir.CallStmt) stmt {
	out := stmt{target: l.loc(x.Result)}
	for _, a := range x.Args {
		out.args = append(out.args, l.operand(a))
	}
	if i, ok := l.fnIndex[x.Func]; ok {
		out.op, out.fn = opCall, i
		return out
	}
	b, ok := builtins[x.Func]
	if !ok {
		l.missing["built-in "+x.Func] = true
		return stmt{op: opNop}
	}
	if b.arity != len(x.Args) {
		l.missing[fmt.Sprintf("built-in %s with %d arguments", x.Func, len(x.Args))] = true
		return stmt{op: opNop}
	}
	out.op, out.fn = opBuiltin, len(l.p.builtins)
	l.p.builtins = append(l.p.builtins, b)
	return out
}
