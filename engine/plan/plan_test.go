package plan

import (
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ir"
)

// policy wraps one rule function, "f", returning Local 2, in a plan "p"
// that puts its value in the result set as OPA's planner does.
func policy(strs []string, blocks ...*ir.Block) *ir.Policy {
	static := &ir.Static{Strings: []*ir.StringConst{{Value: "result"}}}
	for _, s := range strs {
		static.Strings = append(static.Strings, &ir.StringConst{Value: s})
	}
	ret := &ir.Block{Stmts: []ir.Stmt{&ir.ReturnLocalStmt{Source: 2}}}
	return &ir.Policy{
		Static: static,
		Funcs:  &ir.Funcs{Funcs: []*ir.Func{{Name: "f", Params: []ir.Local{0, 1}, Return: 2, Blocks: append(blocks, ret)}}},
		Plans: &ir.Plans{Plans: []*ir.Plan{{Name: "p", Blocks: []*ir.Block{{Stmts: []ir.Stmt{
			&ir.CallStmt{Func: "f", Args: []ir.Operand{op(ir.Local(0)), op(ir.Local(1))}, Result: 2},
			&ir.MakeObjectStmt{Target: 3},
			&ir.ObjectInsertStmt{Key: op(ir.StringIndex(0)), Value: op(ir.Local(2)), Object: 3},
			&ir.ResultSetAddStmt{Value: 3},
		}}}}}},
	}
}

func op(v ir.Val) ir.Operand { return ir.Operand{Value: v} }

func eval(t *testing.T, p *ir.Policy, input Value) Value {
	t.Helper()
	prog, err := Load(p, "p")
	if err != nil {
		t.Fatal(err)
	}
	v, err := prog.Eval("p", input)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLoadRejectsWhatItDoesNotImplement(t *testing.T) {
	p := policy(nil, &ir.Block{Stmts: []ir.Stmt{
		&ir.WithStmt{Local: 0, Block: &ir.Block{}},
		&ir.CallStmt{Func: "sprintf", Args: []ir.Operand{op(ir.Local(0)), op(ir.Local(0))}, Result: 4},
	}})
	p.Static.BuiltinFuncs = []*ir.BuiltinFunc{{Name: "sprintf"}}
	_, err := Load(p, "p")
	if err == nil {
		t.Fatal("loaded a plan with WithStmt and sprintf")
	}
	for _, want := range []string{"statement WithStmt", "built-in sprintf"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if _, err := Load(policy(nil), "q"); err == nil || !strings.Contains(err.Error(), `no entry point "q"`) {
		t.Errorf("missing entry point: %v", err)
	}
}

// The control flow of OPA's Wasm target: a block stops at its first
// undefined statement, BreakStmt{Index: n} leaves n+1 blocks, NotStmt
// holds when its block does not run to its end.
func TestControlFlow(t *testing.T) {
	input := NewObject(1)
	input.Insert(String("a"), String("x"))
	cases := []struct {
		name  string
		block *ir.Block
		want  Value
	}{
		{"undefined statement stops the block", &ir.Block{Stmts: []ir.Stmt{
			&ir.DotStmt{Source: op(ir.Local(0)), Key: op(ir.StringIndex(2)), Target: 4}, // input.b: undefined
			&ir.AssignVarOnceStmt{Source: op(ir.Bool(true)), Target: 2},
		}}, nil},
		{"break 1 leaves the enclosing block", &ir.Block{Stmts: []ir.Stmt{
			&ir.BlockStmt{Blocks: []*ir.Block{{Stmts: []ir.Stmt{&ir.BreakStmt{Index: 1}}}}},
			&ir.AssignVarOnceStmt{Source: op(ir.Bool(true)), Target: 2},
		}}, nil},
		{"break 0 leaves only its block", &ir.Block{Stmts: []ir.Stmt{
			&ir.BlockStmt{Blocks: []*ir.Block{{Stmts: []ir.Stmt{&ir.BreakStmt{Index: 0}}}}},
			&ir.AssignVarOnceStmt{Source: op(ir.Bool(true)), Target: 2},
		}}, True},
		{"not of a defined body fails", &ir.Block{Stmts: []ir.Stmt{
			&ir.NotStmt{Block: &ir.Block{Stmts: []ir.Stmt{&ir.DotStmt{Source: op(ir.Local(0)), Key: op(ir.StringIndex(1)), Target: 4}}}},
			&ir.AssignVarOnceStmt{Source: op(ir.Bool(true)), Target: 2},
		}}, nil},
		{"not of an undefined body holds", &ir.Block{Stmts: []ir.Stmt{
			&ir.NotStmt{Block: &ir.Block{Stmts: []ir.Stmt{&ir.DotStmt{Source: op(ir.Local(0)), Key: op(ir.StringIndex(2)), Target: 4}}}},
			&ir.AssignVarOnceStmt{Source: op(ir.Bool(true)), Target: 2},
		}}, True},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := eval(t, policy([]string{"a", "b"}, c.block), input)
			if (got == nil) != (c.want == nil) || (got != nil && !Equal(got, c.want)) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// A scan's body: an undefined statement goes on with the next element,
// break 1 ends the scan.
func TestScan(t *testing.T) {
	arr := NewArray(Int(1), Int(2), Int(3))
	input := NewObject(1)
	input.Insert(String("xs"), arr)
	body := func(stop ir.Stmt) *ir.Block {
		return &ir.Block{Stmts: []ir.Stmt{
			&ir.DotStmt{Source: op(ir.Local(0)), Key: op(ir.StringIndex(1)), Target: 4},
			&ir.MakeArrayStmt{Target: 2},
			&ir.ScanStmt{Source: 4, Key: 5, Value: 6, Block: &ir.Block{Stmts: []ir.Stmt{
				&ir.NotEqualStmt{A: op(ir.Local(5)), B: op(ir.Local(7))}, // Local 7 undefined: skips nothing (undefined operand fails)
			}}},
			&ir.ScanStmt{Source: 4, Key: 5, Value: 6, Block: &ir.Block{Stmts: []ir.Stmt{
				&ir.ArrayAppendStmt{Value: op(ir.Local(6)), Array: 2},
				stop,
			}}},
		}}
	}
	got := eval(t, policy([]string{"xs"}, body(&ir.NopStmt{})), input)
	if !Equal(got, arr) {
		t.Errorf("full scan: %v", got)
	}
	got = eval(t, policy([]string{"xs"}, body(&ir.BreakStmt{Index: 1})), input)
	if !Equal(got, NewArray(Int(1))) {
		t.Errorf("scan ended by break 1: %v", got)
	}
}

// A rule that reads no input is evaluated at load; set literals of
// constants are built once.
func TestConstantsFolded(t *testing.T) {
	p := policy([]string{"a", "b"}, &ir.Block{Stmts: []ir.Stmt{
		&ir.MakeSetStmt{Target: 3},
		&ir.SetAddStmt{Value: op(ir.StringIndex(1)), Set: 3},
		&ir.SetAddStmt{Value: op(ir.StringIndex(2)), Set: 3},
		&ir.AssignVarOnceStmt{Source: op(ir.Local(3)), Target: 2},
	}})
	prog, err := Load(p, "p")
	if err != nil {
		t.Fatal(err)
	}
	f := prog.funcs[0]
	if !f.folded || !Equal(f.value, NewSet(String("a"), String("b"))) {
		t.Errorf("constant rule: folded %v, value %v", f.folded, f.value)
	}
	if s := f.blocks[0].stmts[0]; s.op != opAssign || s.a.local >= 0 {
		t.Errorf("set literal not built at load: %+v", s)
	}
}

func TestValuesOrderAndEquality(t *testing.T) {
	ordered := []Value{Null{}, False, True, Int(-1), Float(0.5), Int(1), String("a"), String("b"),
		NewArray(Int(1)), NewObject(0), NewSet()}
	for i := 1; i < len(ordered); i++ {
		if Compare(ordered[i-1], ordered[i]) >= 0 {
			t.Errorf("%v should sort before %v", ordered[i-1], ordered[i])
		}
	}
	if !Equal(Int(2), Float(2)) {
		t.Error("2 and 2.0 differ")
	}
	o := NewObject(0)
	for _, k := range []string{"c", "a", "b", "a"} {
		o.Insert(String(k), String(k+"!"))
	}
	if o.Len() != 3 || !Equal(o.Get(String("a")), String("a!")) || o.Get(String("z")) != nil {
		t.Errorf("object: %v", o)
	}
}

func TestBuiltins(t *testing.T) {
	cases := []struct {
		name string
		args []Value
		want Value
	}{
		{"count", []Value{NewArray(Int(1), Int(2))}, Int(2)},
		{"split", []Value{String("a:b"), String(":")}, NewArray(String("a"), String("b"))},
		{"array.slice", []Value{NewArray(Int(1), Int(2), Int(3)), Int(1), Int(9)}, NewArray(Int(2), Int(3))},
		{"concat", []Value{String(":"), NewArray(String("a"), String("b"))}, String("a:b")},
		{"startswith", []Value{String("alias/aws/x"), String("alias/aws/")}, True},
		{"internal.member_2", []Value{String("b"), NewSet(String("a"), String("b"))}, True},
		{"iam.glob_any", []Value{NewArray(String("s3:get*")), String("s3:getobject")}, True},
		{"iam.resource_any", []Value{NewArray(String("arn:aws:s3:::b/*")), String("arn:aws:s3:::c/k")}, False},
		{"iam.cond_count", []Value{String("StringLike"), NewArray(String("ab"), String("x")), NewArray(String("a*"))}, Int(1)},
		{"iam.cond_count", []Value{String("NoSuchOperator"), NewArray(), NewArray()}, nil},
	}
	for _, c := range cases {
		got := builtins[c.name].fn(c.args)
		if (got == nil) != (c.want == nil) || (got != nil && !Equal(got, c.want)) {
			t.Errorf("%s%v = %v, want %v", c.name, c.args, got, c.want)
		}
	}
}
