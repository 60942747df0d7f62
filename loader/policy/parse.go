package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/tree"
)

// The policy grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// and the element pages it links; see also ../shared/reference/iam-semantics.md §2.

// Policy language versions.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17" // the default when Version is absent
)

// kindRules are the grammar differences between policy kinds.
type kindRules struct {
	principal       bool // Principal or NotPrincipal is required (else forbidden)
	notPrincipal    bool // NotPrincipal is allowed (with Deny)
	notAction       bool // NotAction is allowed
	resourceAbsent  bool // Resource/NotResource may be absent (NoResource)
	resourceBanned  bool // Resource/NotResource are forbidden (trust policies)
	requiresVersion bool // Version must be 2012-10-17
	denyOnly        bool // Effect must be Deny (but in the AWS managed policy, see awsManaged)
}

var kinds = map[PolicyKind]kindRules{
	KindIdentity: {notAction: true},
	KindBoundary: {notAction: true},
	KindSession:  {notAction: true},
	KindSCP:      {notAction: true, requiresVersion: true},
	// RCP elements: Principal (in practice "*"), no NotPrincipal, no NotAction.
	// Only Deny, but in AWS's own RCPFullAWSAccess: "The effect of Allow is
	// only supported for the RCPFullAWSAccess policy" (RCP syntax, elements
	// summary: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
	KindRCP:      {principal: true, requiresVersion: true, denyOnly: true},
	KindResource: {principal: true, notPrincipal: true, notAction: true, resourceAbsent: true},
	KindEndpoint: {principal: true, notPrincipal: true, notAction: true, resourceAbsent: true}, // resource-based, "must contain a Principal element" (vpc-endpoints-access.html)
	// Trust policies: the role is the resource; NotPrincipal is not supported.
	KindTrust: {principal: true, notAction: true, resourceAbsent: true, resourceBanned: true},
}

// ParsePolicyBytes decodes (JSON, or YAML; see Decode) and parses a policy
// document. The Policy's Source is data as given.
func ParsePolicyBytes(file string, data []byte, kind PolicyKind, name string) (*Policy, error) {
	n, err := tree.Decode(file, data)
	if err != nil {
		return nil, err
	}
	p, err := ParsePolicy(file, n, kind, name)
	if err != nil {
		return nil, err
	}
	p.Source = data
	return p, nil
}

// ParsePolicy checks a decoded document against the IAM policy grammar for
// kind and compiles it. The first error found is returned as an *Error
// locating it. Source is set to the document's canonical JSON (n.JSON()).
func ParsePolicy(file string, n *tree.Node, kind PolicyKind, name string) (*Policy, error) {
	rules, ok := kinds[kind]
	if !ok {
		return nil, tree.ErrAt(n, file, tree.CodeInvalidKind, "unknown policy kind %q", kind)
	}
	pp := &policyParser{file: file, kind: kind, rules: rules, awsManaged: kind == KindRCP && name == OrgPolicyName(KindRCP, RCPFullAWSAccess)}
	p, err := pp.policy(n, name)
	if err != nil {
		return nil, err
	}
	p.Warnings = pp.warns
	return p, nil
}

// policyParser holds the state of one ParsePolicy call.
type policyParser struct {
	file  string
	kind  PolicyKind
	rules kindRules
	vars  bool // Version 2012-10-17: policy variables are recognised
	warns []string
	// awsManaged is true for AWS's own RCPFullAWSAccess, the one RCP that
	// may Allow.
	awsManaged bool
}

func (pp *policyParser) errAt(n *tree.Node, code, format string, args ...any) *tree.Error {
	return tree.ErrAt(n, pp.file, code, format, args...)
}

func (pp *policyParser) warn(n *tree.Node, format string, args ...any) {
	pp.warns = append(pp.warns, tree.ErrAt(n, pp.file, "", format, args...).Error())
}

func (pp *policyParser) policy(n *tree.Node, name string) (*Policy, error) {
	if n == nil || n.Kind != tree.Object {
		return nil, pp.errAt(n, tree.CodeWrongType, "a policy document is an object with Version, Id and Statement; got %s", kindOf(n))
	}
	if err := pp.knownKeys(n, "policy", "Version", "Id", "Statement"); err != nil {
		return nil, err
	}
	p := &Policy{Name: name, Kind: pp.kind, File: pp.file, Source: n.JSON()}
	var err error
	if p.Version, err = pp.version(n); err != nil {
		return nil, err
	}
	pp.vars = p.Version == Version2012
	if id := n.Get("Id"); id != nil {
		if id.Kind != tree.String {
			return nil, pp.errAt(id, tree.CodeWrongType, "Id must be a string; got %s", kindOf(id))
		}
		p.ID = id.Str
	}
	if p.Statements, err = pp.statements(n); err != nil {
		return nil, err
	}
	for i := range p.Statements {
		p.Statements[i].Policy = name
	}
	return p, nil
}

func (pp *policyParser) version(n *tree.Node) (string, error) {
	v := n.Get("Version")
	if v == nil {
		if pp.rules.requiresVersion {
			return "", pp.errAt(n, tree.CodeInvalidVersion, "%s policies must have \"Version\": %q", strings.ToUpper(string(pp.kind)), Version2012)
		}
		return Version2008, nil
	}
	if v.Kind != tree.String || v.Str != Version2012 && v.Str != Version2008 {
		return "", pp.errAt(v, tree.CodeInvalidVersion, "Version must be %q or %q; got %s", Version2012, Version2008, describe(v))
	}
	if pp.rules.requiresVersion && v.Str != Version2012 {
		return "", pp.errAt(v, tree.CodeInvalidVersion, "%s policies must have \"Version\": %q", strings.ToUpper(string(pp.kind)), Version2012)
	}
	return v.Str, nil
}

func (pp *policyParser) statements(n *tree.Node) ([]Statement, error) {
	sn := n.Get("Statement")
	var items []*tree.Node
	switch {
	case sn == nil:
		return nil, pp.errAt(n, tree.CodeMissingElement, "missing Statement; expected a statement object or a list of them")
	case sn.Kind == tree.Object:
		items = []*tree.Node{sn}
	case sn.Kind == tree.Array:
		items = sn.Items
	default:
		return nil, pp.errAt(sn, tree.CodeWrongType, "Statement must be an object or a list of objects; got %s", kindOf(sn))
	}
	if len(items) == 0 {
		return nil, pp.errAt(sn, tree.CodeMissingElement, "Statement list is empty; expected at least one statement")
	}
	out := make([]Statement, 0, len(items))
	sids := map[string]*tree.Node{}
	for i, it := range items {
		st, err := pp.statement(it, i)
		if err != nil {
			return nil, err
		}
		if st.Sid != "" {
			if first, dup := sids[st.Sid]; dup {
				return nil, pp.errAt(it.Get("Sid"), tree.CodeDuplicateSid,
					"Sid %q is already used at %s; statement IDs must be unique within a policy", st.Sid, first.Path())
			}
			sids[st.Sid] = it
		}
		out = append(out, st)
	}
	return out, nil
}

var statementKeys = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

func (pp *policyParser) statement(n *tree.Node, idx int) (Statement, error) {
	st := Statement{Index: idx, Actions: []string{}, Resources: []any{}, Conditions: []Condition{}, At: Written{Line: n.Line, Col: n.Col}}
	if n.Kind != tree.Object {
		return st, pp.errAt(n, tree.CodeWrongType, "a statement is an object; got %s", kindOf(n))
	}
	if err := pp.knownKeys(n, "statement", statementKeys...); err != nil {
		return st, err
	}
	var err error
	if st.Sid, err = pp.sid(n); err != nil {
		return st, err
	}
	if st.Effect, err = pp.effect(n); err != nil {
		return st, err
	}
	if pp.rules.denyOnly && st.Effect != "Deny" && !pp.awsManaged {
		return st, pp.errAt(n.Get("Effect"), tree.CodeInvalidEffect, "an RCP statement must Deny: "+
			"\"The effect of Allow is only supported for the RCPFullAWSAccess policy\" (AWS Organizations, RCP syntax)")
	}
	if err = pp.principals(n, &st); err != nil {
		return st, err
	}
	if err = pp.actions(n, &st); err != nil {
		return st, err
	}
	if err = pp.resources(n, &st); err != nil {
		return st, err
	}
	if c := n.Get("Condition"); c != nil {
		if st.Conditions, err = pp.conditions(c); err != nil {
			return st, err
		}
	}
	st.Services = services(st.Actions, st.NotAction)
	st.ActionPrefixes = literalPrefixes(st.Actions)
	return st, nil
}

// knownKeys rejects members of n outside allowed, suggesting a differently
// cased known name.
func (pp *policyParser) knownKeys(n *tree.Node, what string, allowed ...string) error {
	for i, k := range n.Keys {
		if slices.Contains(allowed, k) {
			continue
		}
		for _, a := range allowed {
			if strings.EqualFold(a, k) {
				return pp.errAt(n.KeyNode(i), tree.CodeUnknownElement,
					"unknown %s element %q; did you mean %q? (element names are case-sensitive)", what, k, a)
			}
		}
		return pp.errAt(n.KeyNode(i), tree.CodeUnknownElement, "unknown %s element %q; expected one of %s", what, k, strings.Join(allowed, ", "))
	}
	return nil
}

// services returns the service prefixes action patterns can concern, or
// ["*"] when a pattern's service part has a wildcard or the statement uses
// NotAction.
func services(actions []string, notAction bool) []string {
	if notAction {
		return []string{"*"}
	}
	set := map[string]bool{}
	for _, a := range actions {
		svc, _, found := strings.Cut(a, ":")
		if !found || pattern.GlobHasWildcard(svc) {
			return []string{"*"}
		}
		set[pattern.GlobLiteralPrefix(svc)] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// literalPrefixes returns the literal prefix of each pattern.
func literalPrefixes(patterns []string) []string {
	out := make([]string, len(patterns))
	for i, p := range patterns {
		out[i] = pattern.GlobLiteralPrefix(p)
	}
	return out
}

// kindOf names the kind of n for messages.
func kindOf(n *tree.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == tree.Array || n.Kind == tree.Object:
		return "an " + n.Kind.String()
	}
	return "a " + n.Kind.String()
}

// describe shows a scalar's value, or the kind of anything else.
func describe(n *tree.Node) string {
	if n != nil && (n.Kind == tree.String || n.Kind == tree.Number || n.Kind == tree.Bool) {
		return fmt.Sprintf("%s %q", n.Kind, n.Str)
	}
	return kindOf(n)
}
