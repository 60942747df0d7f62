// The parsers of a statement's Sid, Effect, Action and Resource elements
// (Principal is in principal.go, Condition in condition.go), and the
// readers of string lists and of element pairs such as Action/NotAction.

package policy

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/tree"
)

func (pp *policyParser) sid(n *tree.Node) (string, error) {
	s := n.Get("Sid")
	if s == nil {
		return "", nil
	}
	if s.Kind != tree.String {
		return "", pp.errAt(s, tree.CodeWrongType, "Sid must be a string; got %s", kindOf(s))
	}
	return s.Str, nil
}

func (pp *policyParser) effect(n *tree.Node) (string, error) {
	e := n.Get("Effect")
	switch {
	case e == nil:
		return "", pp.errAt(n, tree.CodeMissingElement, "statement has no Effect; expected \"Allow\" or \"Deny\"")
	case e.Kind != tree.String:
		return "", pp.errAt(e, tree.CodeWrongType, "Effect must be \"Allow\" or \"Deny\"; got %s", kindOf(e))
	case e.Str != "Allow" && e.Str != "Deny":
		return "", pp.errAt(e, tree.CodeInvalidEffect, "Effect must be \"Allow\" or \"Deny\" (case-sensitive); got %q", e.Str)
	}
	return e.Str, nil
}

// stringList reads an element that is a string or a list of strings. Null
// list items are skipped with a warning (IAM accepts them: moto vector
// "NullResource").
func (pp *policyParser) stringList(n *tree.Node, elem string) ([]*tree.Node, error) {
	switch n.Kind {
	case tree.String:
		return []*tree.Node{n}, nil
	case tree.Array:
	default:
		return nil, pp.errAt(n, tree.CodeWrongType, "%s must be a string or a list of strings; got %s", elem, kindOf(n))
	}
	out := make([]*tree.Node, 0, len(n.Items))
	for _, it := range n.Items {
		switch it.Kind {
		case tree.String:
			out = append(out, it)
		case tree.Null:
			pp.warn(it, "null in %s list ignored", elem)
		default:
			return nil, pp.errAt(it, tree.CodeWrongType, "%s must be a string or a list of strings; got %s in the list", elem, kindOf(it))
		}
	}
	if len(out) == 0 {
		return nil, pp.errAt(n, tree.CodeMissingElement, "%s list is empty; expected at least one value", elem)
	}
	return out, nil
}

// pick returns the one present element of a pair, or an error when both
// are present.
func (pp *policyParser) pick(n *tree.Node, a, b string) (*tree.Node, bool, error) {
	x, y := n.Get(a), n.Get(b)
	if x != nil && y != nil {
		return nil, false, pp.errAt(y, tree.CodeConflict, "a statement has %s or %s, not both", a, b)
	}
	if y != nil {
		return y, true, nil
	}
	return x, false, nil
}

func (pp *policyParser) actions(n *tree.Node, st *Statement) error {
	an, not, err := pp.pick(n, "Action", "NotAction")
	if err != nil {
		return err
	}
	if an == nil {
		return pp.errAt(n, tree.CodeMissingElement, "statement has no Action or NotAction")
	}
	if not && !pp.rules.notAction {
		return pp.errAt(an, tree.CodeForbiddenElement, "NotAction is not supported in %s policies", pp.kind)
	}
	items, err := pp.stringList(an, elemName("Action", "NotAction", not))
	if err != nil {
		return err
	}
	st.NotAction = not
	for _, it := range items {
		if msg := checkAction(it.Str); msg != "" {
			return pp.errAt(it, tree.CodeInvalidAction, "%s", msg)
		}
		st.Actions = append(st.Actions, pattern.IAMGlob(strings.ToLower(it.Str)))
		st.ActionsWritten = append(st.ActionsWritten, Written{Text: it.Str, Line: it.Line, Col: it.Col})
	}
	return nil
}

// checkAction checks an action pattern: "*" or "service:action", with a
// service prefix of letters, digits, '-', '.' and wildcards. IAM accepts
// any characters in the action part (moto vector "iam: asdf safdsf af ").
func checkAction(a string) string {
	if a == "*" {
		return ""
	}
	svc, name, found := strings.Cut(a, ":")
	switch {
	case !found:
		return fmt.Sprintf("action %q has no service prefix; expected \"service:action\" or \"*\"", a)
	case strings.Contains(name, ":"):
		return fmt.Sprintf("action %q has more than one colon; expected \"service:action\"", a)
	case svc == "":
		return fmt.Sprintf("action %q has an empty service prefix", a)
	}
	for _, r := range svc {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-.*?", r)) {
			return fmt.Sprintf("service prefix %q of action %q may hold only letters, digits, '-', '.' and wildcards", svc, a)
		}
	}
	return ""
}

func (pp *policyParser) resources(n *tree.Node, st *Statement) error {
	rn, not, err := pp.pick(n, "Resource", "NotResource")
	if err != nil {
		return err
	}
	switch {
	case rn != nil && pp.rules.resourceBanned:
		return pp.errAt(rn, tree.CodeForbiddenElement, "%s policies have no Resource or NotResource: the role is the resource", pp.kind)
	case rn == nil && !pp.rules.resourceAbsent:
		return pp.errAt(n, tree.CodeMissingElement, "statement has no Resource or NotResource")
	case rn == nil:
		st.NoResource = true
		return nil
	}
	items, err := pp.stringList(rn, elemName("Resource", "NotResource", not))
	if err != nil {
		return err
	}
	st.NotResource = not
	for _, it := range items {
		v, err := pp.resource(it)
		if err != nil {
			return err
		}
		if _, ok := v.(Template); ok {
			st.ResVars = true
		}
		st.Resources = append(st.Resources, v)
	}
	return nil
}

// resource compiles a Resource pattern: "*" or an ARN, in glob form, or a
// Template when it has policy variables.
//
// The variables page says variables may replace only the resource part of
// an ARN (after the fifth colon), but AWS's own managed policy
// AmazonTimestreamInfluxDBServiceRolePolicy has
// "arn:*:kms:*:${aws:PrincipalAccount}:key/*", which only works if the
// variable is substituted; so variables are recognised in every field.
func (pp *policyParser) resource(it *tree.Node) (any, error) {
	s := it.Str
	if s != "*" && !strings.Contains(s, ":") {
		return nil, pp.errAt(it, tree.CodeInvalidResource, "resource %q must be \"*\" or an ARN (arn:partition:service:region:account:resource)", s)
	}
	v, warns := textCompiler{glob: true, vars: pp.vars}.compile(s)
	for _, w := range warns {
		pp.warn(it, "%s", w)
	}
	return v, nil
}
