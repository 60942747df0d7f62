package cfn

import (
	"fmt"
	"math/big"
	"net/netip"
	"strconv"

	"github.com/clearance-dev/clearance/loader/tree"
)

// Conditions: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html
// and the condition functions:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html
// (Fn::And and Fn::Or take 2 to 10 conditions, Fn::Not one, Fn::Equals
// two values). A value that holds a symbol makes Fn::Equals unknown
// unless both sides are the same text; unknown propagates through Not,
// and through And and Or unless another operand decides them.

// condition evaluates a named condition of the Conditions section, once.
func (t *template) condition(name string, at *rnode) (tri, error) {
	if v, ok := t.condVal[name]; ok {
		return v, nil
	}
	def := t.conditions.get(name)
	if def == nil {
		return 0, t.errAt(at, tree.CodeUnknownReference, "condition %s is not declared in the Conditions section", name)
	}
	if t.condBusy[name] {
		return 0, t.errAt(at, tree.CodeConflict, "circular reference: condition %s depends on itself", name)
	}
	t.condBusy[name] = true
	defer delete(t.condBusy, name)
	v, err := t.condExpr(def)
	if err != nil {
		return 0, err
	}
	t.condVal[name] = v
	return v, nil
}

// condExpr evaluates a condition function.
func (t *template) condExpr(n *rnode) (tri, error) {
	fn, arg, ok := intrinsic(n)
	if !ok && n.kind == tree.Object && len(n.keys) == 1 && n.keys[0] == "Condition" {
		fn, arg, ok = "Condition", n.vals[0], true
	}
	if !ok {
		return 0, t.errAt(n, tree.CodeWrongType, "a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition")
	}
	switch fn {
	case "Condition":
		name, err := t.literalName("Condition", arg, n)
		if err != nil {
			return 0, err
		}
		return t.condition(name, n)
	case "Fn::Equals":
		return t.equals(arg, n)
	case "Fn::Not":
		items, err := t.args(fn, arg, n, 1, 1)
		if err != nil {
			return 0, err
		}
		v, err := t.condExpr(items[0])
		if v != isUnknown {
			v = 1 - v
		}
		return v, err
	case "Fn::And", "Fn::Or":
		items, err := t.args(fn, arg, n, 2, 10)
		if err != nil {
			return 0, err
		}
		decides, v := isFalse, isTrue // And: a false decides; all true gives true
		if fn == "Fn::Or" {
			decides, v = isTrue, isFalse
		}
		for _, it := range items {
			c, err := t.condExpr(it)
			if err != nil {
				return 0, err
			}
			switch c {
			case decides:
				return decides, nil
			case isUnknown:
				v = isUnknown
			}
		}
		return v, nil
	}
	return 0, t.errAt(n, tree.CodeWrongType, "%s is not a condition function; expected Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition", fn)
}

func (t *template) equals(arg, n *rnode) (tri, error) {
	items, err := t.args("Fn::Equals", arg, n, 2, 2)
	if err != nil {
		return 0, err
	}
	var vals [2]string
	for i, it := range items {
		v, err := t.eval(it)
		if err != nil {
			return 0, err
		}
		if expr, ok := t.unknownLists[v]; ok {
			vals[i] = expr
		} else {
			vals[i] = string(v.JSON())
			if v.Kind != tree.Array && v.Kind != tree.Object {
				vals[i] = v.Str
			}
		}
	}
	switch {
	case vals[0] == vals[1]:
		return isTrue, nil
	case t.holdsSymbol(vals[0]) || t.holdsSymbol(vals[1]):
		return isUnknown, nil
	}
	return isFalse, nil
}

// findInMap is Fn::FindInMap: [map, top-level key, second-level key]
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-findinmap.html).
func (t *template) findInMap(arg, n *rnode) (*tree.Node, error) {
	items, err := t.args("Fn::FindInMap", arg, n, 3, 3)
	if err != nil {
		return nil, err
	}
	var keys [3]string
	for i, it := range items {
		if keys[i], _, err = t.scalarText(it, "Fn::FindInMap's key"); err != nil {
			return nil, err
		}
	}
	if t.holdsSymbol(keys[0]) || t.holdsSymbol(keys[1]) || t.holdsSymbol(keys[2]) {
		return t.symbol(n, fmt.Sprintf("!FindInMap [%s, %s, %s]", keys[0], keys[1], keys[2]))
	}
	v := t.mappings
	for _, k := range keys {
		if v = v.get(k); v == nil {
			return nil, t.errAt(n, tree.CodeUnknownReference, "Fn::FindInMap: the Mappings section has no %s.%s.%s", keys[0], keys[1], keys[2])
		}
	}
	if _, _, intr := intrinsic(v); intr {
		return nil, t.errAt(v, tree.CodeForbiddenElement, "a mapping's values are literal: no intrinsic functions")
	}
	out, err := t.eval(v)
	if err != nil {
		return nil, err
	}
	if out.Kind != tree.Array && out.Kind != tree.Object {
		out.Line, out.Col = n.line, n.col
	}
	return out, nil
}

// cidr is Fn::Cidr: [ip block, count, subnet bits]: count consecutive
// blocks of the size subnet bits gives (8 bits: a /24 of an IPv4 block)
// from the start of the block
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-cidr.html).
func (t *template) cidr(arg, n *rnode) (*tree.Node, error) {
	items, err := t.args("Fn::Cidr", arg, n, 3, 3)
	if err != nil {
		return nil, err
	}
	var s [3]string
	for i, it := range items {
		if s[i], _, err = t.scalarText(it, "Fn::Cidr's argument"); err != nil {
			return nil, err
		}
	}
	if t.holdsSymbol(s[0]) {
		return t.unknownList(n, fmt.Sprintf("!Cidr [%s, %s, %s]", s[0], s[1], s[2]))
	}
	block, err := netip.ParsePrefix(s[0])
	if err != nil {
		return nil, t.errAt(items[0], tree.CodeInvalidValue, "Fn::Cidr: %q is not an address block", s[0])
	}
	count, cerr := strconv.Atoi(s[1])
	bits, berr := strconv.Atoi(s[2])
	size := block.Addr().BitLen()
	if cerr != nil || count < 1 || count > 256 || berr != nil || bits < 1 || size-bits < block.Bits() {
		return nil, t.errAt(n, tree.CodeInvalidValue, "Fn::Cidr: %s subnets of %s bits do not fit in %s", s[1], s[2], s[0])
	}
	if e := size - bits - block.Bits(); e < 9 && count > 1<<e {
		return nil, t.errAt(n, tree.CodeInvalidValue, "Fn::Cidr: %d subnets of %d bits do not fit in %s", count, bits, s[0])
	}
	out := &tree.Node{Kind: tree.Array, File: t.file, Line: n.line, Col: n.col}
	base := new(big.Int).SetBytes(block.Masked().Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(bits))
	for i := 0; i < count; i++ {
		a := new(big.Int).Add(base, new(big.Int).Mul(step, big.NewInt(int64(i))))
		buf := a.FillBytes(make([]byte, size/8))
		addr, _ := netip.AddrFromSlice(buf)
		v, err := t.str(n, netip.PrefixFrom(addr, size-bits).String())
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, v)
	}
	return out, nil
}
