// Package plan evaluates the Rego decision logic from OPA's intermediate
// representation (the "plan" target of OPA's compiler, package ir)
// instead of OPA's topdown interpreter: the plan is translated once, at
// load, into this package's statements, checked to use only the statement
// types and built-ins implemented here, and run on this package's own
// values. The iam.* built-ins call the same primitives as topdown's
// (engine/builtin/iam). Functions that read neither input nor arguments
// are evaluated once per loaded plan; set literals of constants are built
// once; rules (functions of input and data only) are memoized within an
// evaluation, as OPA's Wasm target does.
//
// The semantics follow OPA's Wasm compiler (internal/compiler/wasm), the
// reference executor of the IR: a block stops at its first undefined
// statement; BreakStmt{Index: n} leaves the current block and n enclosing
// ones; a scan's body is a loop inside a block, so from the body index 0
// continues with the next element and 1 ends the scan.
package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ir"
)

type opcode uint8

const (
	opAssign opcode = iota
	opAssignOnce
	opReset
	opDot
	opEqual
	opNotEqual
	opIsDefined
	opIsUndefined
	opIsArray
	opIsObject
	opIsSet
	opMakeNull
	opMakeArray
	opMakeObject
	opMakeSet
	opArrayAppend
	opObjectInsert
	opObjectInsertOnce
	opSetAdd
	opLen
	opCall
	opBuiltin
	opBlock
	opBreak
	opNot
	opScan
	opReturn
	opResultAdd
	opNop
)

// operand is a local (local >= 0) or a constant.
type operand struct {
	local int32
	c     Value
}

type stmt struct {
	op     opcode
	a, b   operand
	target int32 // the local written (or scanned: source)
	key    int32 // scan key local
	value  int32 // scan value local
	fn     int   // function or built-in index
	args   []operand
	block  *block
	blocks []*block
	n      int // break index, array capacity
}

type block struct{ stmts []stmt }

type function struct {
	name    string
	idx     int // position in Program.funcs
	params  []int32
	ret     int32
	nlocals int
	blocks  []*block
	memo    bool // a rule: input and data only
	reads   bool // reads input or data, itself or through a call
	folded  bool // evaluated at load: value is its result
	value   Value
}

// Program is a loaded plan, safe for concurrent evaluations.
type Program struct {
	funcs    []*function
	plans    map[string]*function
	builtins []builtin
	strings  []Value
}

// Supported lists the IR statement types the evaluator implements.
func Supported() []string {
	out := make([]string, 0, len(supportedStmts))
	for k := range supportedStmts {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var supportedStmts = map[string]bool{}

func init() {
	for _, s := range []ir.Stmt{
		&ir.AssignVarStmt{}, &ir.AssignVarOnceStmt{}, &ir.ResetLocalStmt{}, &ir.DotStmt{},
		&ir.EqualStmt{}, &ir.NotEqualStmt{}, &ir.IsDefinedStmt{}, &ir.IsUndefinedStmt{},
		&ir.IsArrayStmt{}, &ir.IsObjectStmt{}, &ir.IsSetStmt{}, &ir.MakeNullStmt{},
		&ir.MakeNumberRefStmt{}, &ir.MakeNumberIntStmt{}, &ir.AssignIntStmt{}, &ir.MakeArrayStmt{},
		&ir.MakeObjectStmt{}, &ir.MakeSetStmt{}, &ir.ArrayAppendStmt{}, &ir.ObjectInsertStmt{},
		&ir.ObjectInsertOnceStmt{}, &ir.SetAddStmt{}, &ir.LenStmt{}, &ir.CallStmt{},
		&ir.BlockStmt{}, &ir.BreakStmt{}, &ir.NotStmt{}, &ir.ScanStmt{}, &ir.ReturnLocalStmt{},
		&ir.ResultSetAddStmt{}, &ir.NopStmt{},
	} {
		supportedStmts[stmtName(s)] = true
	}
}

func stmtName(s ir.Stmt) string { return strings.TrimPrefix(fmt.Sprintf("%T", s), "*ir.") }

// loader translates one ir.Policy.
type loader struct {
	p       *Program
	policy  *ir.Policy
	fnIndex map[string]int
	missing map[string]bool // unsupported statement types and built-ins
	where   string          // the function being translated
	maxLoc  int32
}

// Load translates a plan. It fails, naming them, on any statement type or
// built-in the evaluator does not implement, and on a plan without the
// given entry points.
func Load(policy *ir.Policy, entrypoints ...string) (*Program, error) {
	if policy == nil || policy.Static == nil || policy.Plans == nil || policy.Funcs == nil {
		return nil, fmt.Errorf("plan: incomplete policy (static, plans and funcs are required)")
	}
	l := &loader{p: &Program{plans: map[string]*function{}}, policy: policy,
		fnIndex: map[string]int{}, missing: map[string]bool{}}
	for _, s := range policy.Static.Strings {
		l.p.strings = append(l.p.strings, String(s.Value))
	}
	for _, bf := range policy.Static.BuiltinFuncs {
		if _, ok := builtins[bf.Name]; !ok {
			l.missing["built-in "+bf.Name] = true
		}
	}
	for i, f := range policy.Funcs.Funcs {
		l.fnIndex[f.Name] = i
		l.p.funcs = append(l.p.funcs, &function{name: f.Name, idx: i})
	}
	for i, f := range policy.Funcs.Funcs {
		l.function(l.p.funcs[i], f.Name, f.Params, f.Return, f.Blocks)
	}
	for _, pl := range policy.Plans.Plans {
		fn := &function{}
		l.function(fn, pl.Name, nil, -1, pl.Blocks)
		l.p.plans[pl.Name] = fn
	}
	if len(l.missing) > 0 {
		return nil, fmt.Errorf("plan: not implemented by the evaluator: %s", strings.Join(sortedKeys(l.missing), ", "))
	}
	for _, e := range entrypoints {
		if l.p.plans[e] == nil {
			return nil, fmt.Errorf("plan: no entry point %q (the plan has %s)", e, strings.Join(l.p.Entrypoints(), ", "))
		}
	}
	l.p.analyse()
	if err := l.p.fold(); err != nil {
		return nil, err
	}
	return l.p, nil
}

// Entrypoints names the plans of the program.
func (p *Program) Entrypoints() []string {
	out := make([]string, 0, len(p.plans))
	for k := range p.plans {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (l *loader) function(fn *function, name string, params []ir.Local, ret ir.Local, blocks []*ir.Block) {
	l.where, l.maxLoc = name, int32(ir.Data)
	fn.name = name
	for _, p := range params {
		fn.params = append(fn.params, l.loc(p))
	}
	fn.ret = -1
	if ret >= 0 {
		fn.ret = l.loc(ret)
	}
	fn.memo = len(params) == 2
	for _, b := range blocks {
		fn.blocks = append(fn.blocks, l.block(b))
	}
	fn.nlocals = int(l.maxLoc) + 1
	foldConstants(fn)
}

func (l *loader) loc(x ir.Local) int32 {
	if int32(x) > l.maxLoc {
		l.maxLoc = int32(x)
	}
	return int32(x)
}

func (l *loader) operand(o ir.Operand) operand {
	val := o.Value
	switch v := val.(type) { // a plan read from JSON holds pointers
	case *ir.Local:
		val = *v
	case *ir.StringIndex:
		val = *v
	case *ir.Bool:
		val = *v
	}
	switch v := val.(type) {
	case ir.Local:
		return operand{local: l.loc(v)}
	case ir.StringIndex:
		if int(v) < 0 || int(v) >= len(l.p.strings) {
			l.missing[fmt.Sprintf("string constant %d in %s", v, l.where)] = true
			return operand{local: -1, c: String("")}
		}
		return operand{local: -1, c: l.p.strings[v]}
	case ir.Bool:
		return operand{local: -1, c: BoolOf(bool(v))}
	}
	l.missing[fmt.Sprintf("operand %T", o.Value)] = true
	return operand{local: -1, c: null}
}

func (l *loader) block(b *ir.Block) *block {
	out := &block{stmts: make([]stmt, 0, len(b.Stmts))}
	for _, s := range b.Stmts {
		out.stmts = append(out.stmts, l.stmt(s))
	}
	return out
}
