package policy

import (
	"fmt"
	"github.com/clearance-dev/clearance/loader/tree"
	"slices"
	"sort"
	"strings"
)

// ValidateCreatePolicy applies the checks IAM's CreatePolicy makes on a
// managed (identity) policy document: those of the grammar plus IAM's own,
// in IAM's order, failing with IAM's MalformedPolicyDocument message. The
// rules and their order are those moto models from AWS's responses
// (moto/iam/policy_validation.py; ../shared/conformance/moto):
//
//  1. syntax ("Syntax errors in policy."): JSON, known elements and their
//     types, Effect Allow/Deny in any case, unknown condition operators
//     only with an empty block;
//  2. "Policy document must be version 2012-10-17 or greater.";
//  3. "The policy failed legacy parsing": Effect case, Date values,
//     Resource ARNs with too few colons or an empty service;
//  4. unique Sids; 5. every statement has actions;
//  6. a resource format error (ARN form, partition, region, IAM resource
//     path; IAM reports the last one it finds, checking each Resource
//     list in descending order); 7. action service prefixes; 8. every
//     statement has resources;
//
// then "Policy document should not specify a principal.", the whole
// grammar of ParsePolicy (KindIdentity), whose errors are reported as
// syntax errors, and last the size quota (6,144 characters without white
// space; IAM answers LimitExceeded "Cannot exceed quota for PolicySize:
// 6144", Code CodeLimitExceeded here). Other errors have Code
// CodeMalformedPolicy, Msg starting with AWS's message, and Err set to the
// underlying grammar error when there is one.
func ValidateCreatePolicy(file string, data []byte) error {
	root, err := tree.DecodeJSON(file, data)
	if err != nil {
		return malformed(nil, file, msgSyntax, err)
	}
	v := &createValidator{file: file, root: root}
	for _, stage := range []func() *tree.Error{
		v.syntax, v.version, v.legacy, v.uniqueSids, v.actionsExist,
		v.resourceFormat, v.actionPrefixes, v.resourcesExist, v.noPrincipal,
	} {
		if e := stage(); e != nil {
			return e
		}
	}
	if _, err := ParsePolicy(file, root, KindIdentity, file); err != nil {
		return malformed(nil, file, msgSyntax, err)
	}
	if size := policySize(data); size > maxManagedPolicySize {
		e := tree.ErrAt(root, file, tree.CodeLimitExceeded, "Cannot exceed quota for PolicySize: %d", maxManagedPolicySize)
		e.Msg += fmt.Sprintf(" (the document has %d characters other than white space)", size)
		return e
	}
	return nil
}

// maxManagedPolicySize is IAM's quota on a managed policy document, in
// characters not counting white space.
const maxManagedPolicySize = 6144

func policySize(data []byte) int {
	n := 0
	for _, r := range string(data) {
		switch r {
		case ' ', '\t', '\n', '\r':
		default:
			n++
		}
	}
	return n
}

// IAM's MalformedPolicyDocument messages.
const (
	msgSyntax       = "Syntax errors in policy."
	msgVersion      = "Policy document must be version 2012-10-17 or greater."
	msgLegacy       = "The policy failed legacy parsing"
	msgSidUnique    = "Statement IDs (SID) in a single policy must be unique."
	msgNoActions    = "Policy statement must contain actions."
	msgNoResources  = "Policy statement must contain resources."
	msgNoVendor     = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgOneColon     = "Actions/Condition can contain only one colon."
	msgNoPrincipal  = "Policy document should not specify a principal."
	msgVendorFQ     = "Resource vendor must be fully qualified and cannot contain regexes."
	msgIAMPathStart = `IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, ` +
		`instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`
)

// malformed builds the error for an AWS message; a cause that is an *Error
// lends its position and detail.
func malformed(n *tree.Node, file, msg string, cause error) *tree.Error {
	e := tree.ErrAt(n, file, tree.CodeMalformedPolicy, "%s", msg)
	e.Err = cause
	if ce, ok := cause.(*tree.Error); ok {
		e.File, e.Path, e.Line, e.Col = ce.File, ce.Path, ce.Line, ce.Col
		e.Msg = msg + " (" + ce.Msg + ")"
	} else if cause != nil {
		e.Msg = msg + " (" + cause.Error() + ")"
	}
	return e
}

type createValidator struct {
	file   string
	root   *tree.Node
	stmts  []*tree.Node
	resErr *tree.Error // the last resource format error (IAM reports the last one found)
}

func (v *createValidator) fail(n *tree.Node, msg string) *tree.Error {
	return malformed(n, v.file, msg, nil)
}

// listItems returns the strings of a string-or-list element (null list
// items dropped), or nil when absent.
func listItems(n *tree.Node) []*tree.Node {
	switch {
	case n == nil:
		return nil
	case n.Kind == tree.String:
		return []*tree.Node{n}
	}
	var out []*tree.Node
	for _, it := range n.Items {
		if it.Kind == tree.String {
			out = append(out, it)
		}
	}
	return out
}

func (v *createValidator) version() *tree.Error {
	if ver := v.root.Get("Version"); ver == nil || ver.Str != Version2012 {
		return v.fail(orNode(ver, v.root), msgVersion)
	}
	return nil
}

func orNode(n, fallback *tree.Node) *tree.Node {
	if n != nil {
		return n
	}
	return fallback
}

func (v *createValidator) uniqueSids() *tree.Error {
	seen := map[string]bool{}
	for _, st := range v.stmts {
		if sid := st.Get("Sid"); sid != nil && sid.Str != "" {
			if seen[sid.Str] {
				return v.fail(sid, msgSidUnique)
			}
			seen[sid.Str] = true
		}
	}
	return nil
}

func (v *createValidator) actionsExist() *tree.Error {
	return v.elementsExist("Action", "NotAction", msgNoActions)
}

func (v *createValidator) resourcesExist() *tree.Error {
	return v.elementsExist("Resource", "NotResource", msgNoResources)
}

// elementsExist checks every statement has a or b, and not as an empty list.
func (v *createValidator) elementsExist(a, b, msg string) *tree.Error {
	for _, st := range v.stmts {
		x := st.Get(a)
		if x == nil {
			x = st.Get(b)
		}
		if x == nil || x.Kind == tree.Array && len(x.Items) == 0 {
			return v.fail(orNode(x, st), msg)
		}
	}
	return nil
}

// actionPrefixes checks every Action, then every NotAction, has exactly
// one colon and a vendor of letters, digits, '-' and '.'.
func (v *createValidator) actionPrefixes() *tree.Error {
	for _, key := range []string{"Action", "NotAction"} {
		for _, st := range v.stmts {
			for _, it := range listItems(st.Get(key)) {
				if msg := actionPrefixMessage(it.Str); msg != "" {
					return v.fail(it, msg)
				}
			}
		}
	}
	return nil
}

func actionPrefixMessage(a string) string {
	parts := strings.Split(a, ":")
	switch {
	case len(parts) == 1 && parts[0] != "*":
		return msgNoVendor
	case len(parts) > 2:
		return msgOneColon
	}
	if parts[0] == "*" {
		return ""
	}
	for _, r := range parts[0] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return "Vendor " + parts[0] + " is not valid"
		}
	}
	return ""
}

func (v *createValidator) noPrincipal() *tree.Error {
	for _, st := range v.stmts {
		for _, k := range []string{"Principal", "NotPrincipal"} {
			if p := st.Get(k); p != nil {
				return v.fail(p, msgNoPrincipal)
			}
		}
	}
	return nil
}

// sortedDesc returns the list's strings in descending order (IAM checks a
// Resource list in that order).
func sortedDesc(items []*tree.Node) []*tree.Node {
	out := append([]*tree.Node(nil), items...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Str > out[j].Str })
	return out
}

// syntaxErr is a stage-1 failure, with what was wrong.
func (v *createValidator) syntaxErr(n *tree.Node, detail string) *tree.Error {
	e := v.fail(n, msgSyntax)
	e.Msg += " (" + detail + ")"
	return e
}

func (v *createValidator) syntax() *tree.Error {
	r := v.root
	if r.Kind != tree.Object {
		return v.syntaxErr(r, "a policy document is a JSON object")
	}
	for i, k := range r.Keys {
		if k != "Version" && k != "Id" && k != "Statement" {
			return v.syntaxErr(r.KeyNode(i), "unknown element "+k)
		}
	}
	if ver := r.Get("Version"); ver != nil && (ver.Kind != tree.String || ver.Str != Version2012 && ver.Str != Version2008) {
		return v.syntaxErr(ver, `Version must be "2012-10-17" or "2008-10-17"`)
	}
	if id := r.Get("Id"); id != nil && id.Kind != tree.String {
		return v.syntaxErr(id, "Id must be a string")
	}
	st := r.Get("Statement")
	switch {
	case st == nil:
		return v.syntaxErr(r, "missing Statement")
	case st.Kind == tree.Object:
		v.stmts = []*tree.Node{st}
	case st.Kind == tree.Array && len(st.Items) > 0:
		v.stmts = st.Items
	default:
		return v.syntaxErr(st, "Statement must be an object or a non-empty list")
	}
	for _, s := range v.stmts {
		if e := v.statementSyntax(s); e != nil {
			return e
		}
	}
	return nil
}

func (v *createValidator) statementSyntax(s *tree.Node) *tree.Error {
	if s.Kind != tree.Object {
		return v.syntaxErr(s, "a statement is an object")
	}
	for i, k := range s.Keys {
		if !slices.Contains(statementKeys, k) {
			return v.syntaxErr(s.KeyNode(i), "unknown statement element "+k)
		}
	}
	for _, pair := range [][2]string{{"Resource", "NotResource"}, {"Action", "NotAction"}} {
		if s.Get(pair[0]) != nil && s.Get(pair[1]) != nil {
			return v.syntaxErr(s.Get(pair[1]), pair[0]+" and "+pair[1]+" together")
		}
	}
	eff := s.Get("Effect")
	if eff == nil || eff.Kind != tree.String || !strings.EqualFold(eff.Str, "Allow") && !strings.EqualFold(eff.Str, "Deny") {
		return v.syntaxErr(orNode(eff, s), `Effect must be "Allow" or "Deny"`)
	}
	for _, k := range []string{"Action", "NotAction", "Resource", "NotResource"} {
		if e := v.stringsSyntax(s.Get(k), k); e != nil {
			return e
		}
	}
	if sid := s.Get("Sid"); sid != nil && sid.Kind != tree.String {
		return v.syntaxErr(sid, "Sid must be a string")
	}
	return v.conditionSyntax(s.Get("Condition"))
}

// stringsSyntax checks a string or a list of strings (null items allowed).
func (v *createValidator) stringsSyntax(n *tree.Node, elem string) *tree.Error {
	switch {
	case n == nil || n.Kind == tree.String:
		return nil
	case n.Kind != tree.Array:
		return v.syntaxErr(n, elem+" must be a string or a list of strings")
	}
	for _, it := range n.Items {
		if it.Kind != tree.String && it.Kind != tree.Null {
			return v.syntaxErr(it, elem+" must be a string or a list of strings")
		}
	}
	return nil
}

func (v *createValidator) conditionSyntax(c *tree.Node) *tree.Error {
	if c == nil {
		return nil
	}
	if c.Kind != tree.Object {
		return v.syntaxErr(c, "Condition must be an object")
	}
	for i, op := range c.Keys {
		block := c.Vals[i]
		if block.Kind != tree.Object {
			return v.syntaxErr(block, "condition operator "+op+" takes an object")
		}
		for _, val := range block.Vals {
			if val.Kind == tree.Object || val.Kind == tree.Null {
				return v.syntaxErr(val, "a condition value is a string or a list")
			}
		}
		if _, known := operators[stripOperator(op)]; !known && len(block.Keys) > 0 {
			return v.syntaxErr(block, "unknown condition operator "+op)
		}
	}
	return nil
}

// stripOperator removes one set qualifier and one IfExists, as IAM's
// legacy checks do (so NullIfExists passes them; the grammar rejects it).
func stripOperator(op string) string {
	for _, q := range []string{qualForAny + ":", qualForAll + ":"} {
		if r, ok := strings.CutPrefix(op, q); ok {
			op = r
			break
		}
	}
	op, _ = strings.CutSuffix(op, ifExists)
	return op
}

// legacy runs IAM's "legacy parsing": Effect case and Date values of every
// statement, then the resource formats (which also record resErr).
func (v *createValidator) legacy() *tree.Error {
	for _, s := range v.stmts {
		if eff := s.Get("Effect"); eff.Str != "Allow" && eff.Str != "Deny" {
			return v.fail(eff, msgLegacy)
		}
		if e := v.legacyDates(s.Get("Condition")); e != nil {
			return e
		}
	}
	for _, key := range []string{"Resource", "NotResource"} {
		for _, s := range v.stmts {
			if e := v.legacyResources(s, key); e != nil {
				return e
			}
		}
	}
	return nil
}

func (v *createValidator) legacyDates(c *tree.Node) *tree.Error {
	if c == nil {
		return nil
	}
	for i, op := range c.Keys {
		if !strings.HasPrefix(stripOperator(op), "Date") {
			continue
		}
		for _, val := range c.Vals[i].Vals {
			items := []*tree.Node{val}
			if val.Kind == tree.Array {
				items = val.Items
			}
			for _, it := range items {
				if it.Kind != tree.String && it.Kind != tree.Number {
					return v.fail(it, msgLegacy)
				}
				if _, err := ParseDate(it.Str); err != nil {
					return malformed(it, v.file, msgLegacy, err)
				}
			}
		}
	}
	return nil
}

// legacyResources checks the formats of one statement's Resource (or
// NotResource) list, then, while no format error has been found, IAM's
// legacy ARN parse.
func (v *createValidator) legacyResources(s *tree.Node, key string) *tree.Error {
	n := s.Get(key)
	if n == nil {
		return nil
	}
	items := listItems(n)
	if n.Kind == tree.Array {
		items = sortedDesc(items)
	}
	for _, it := range items {
		if msg := resourceFormatMessage(it.Str); msg != "" {
			v.resErr = v.fail(it, msg)
		}
	}
	if v.resErr != nil {
		return nil
	}
	for _, it := range items {
		if !legacyARN(it.Str, n.Kind == tree.String) {
			return v.fail(it, msgLegacy)
		}
	}
	return nil
}

// legacyARN: an ARN with "::" needs all five colons, and (for a lone
// string; IAM's check on list items is vacuous) a non-empty service.
func legacyARN(r string, single bool) bool {
	if r == "*" {
		return true
	}
	if strings.Count(r, ":") < 5 && strings.Contains(r, "::") {
		return false
	}
	if single {
		f := strings.Split(r, ":")
		return len(f) > 2 && f[2] != ""
	}
	return true
}

func (v *createValidator) resourceFormat() *tree.Error {
	return v.resErr
}

// partitions IAM knows ("*" is accepted too).
var partitions = map[string]bool{
	"*": true, "aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true,
	"aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// iamPathStarts are the resource types an IAM resource ARN may name.
var iamPathStarts = []string{"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/",
	"server-certificate/", "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/"}

// resourceFormatMessage returns IAM's message for a malformed Resource
// value, or "". The first field is not checked to be "arn" (IAM does not).
func resourceFormatMessage(r string) string {
	if r == "*" {
		return ""
	}
	_, rest, found := strings.Cut(r, ":")
	if !found {
		return `Resource ` + r + ` must be in ARN format or "*".`
	}
	partition, rest, found := strings.Cut(rest, ":")
	if !partitions[partition] {
		return partitionMessage(partition, rest)
	}
	if !found {
		return msgVendorFQ
	}
	service, afterService, _ := strings.Cut(rest, ":")
	_, afterRegion, _ := strings.Cut(afterService, ":")
	_, resourceID, _ := strings.Cut(afterRegion, ":")
	if !strings.HasPrefix(afterService, ":") { // a region is given
		switch {
		case service == "iam":
			return "IAM resource " + r + " cannot contain region information."
		case service == "s3" && !strings.HasPrefix(resourceID, "accesspoint/"):
			return "Resource " + r + " can not contain region information."
		}
	}
	if service == "iam" && !validIAMPath(resourceID) {
		return msgIAMPathStart
	}
	return ""
}

func validIAMPath(id string) bool {
	if id == "*" || id == "root" {
		return true
	}
	for _, p := range iamPathStarts {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// partitionMessage rebuilds the ARN IAM shows for an unknown partition:
// the fields after the partition, "*" for those missing.
func partitionMessage(partition, rest string) string {
	f := strings.Split(rest, ":")
	field := func(i int) string {
		if i < len(f) && (i > 0 || f[0] != "" || len(f) > 1) {
			return f[i]
		}
		return "*"
	}
	last := "*"
	if len(f) > 3 {
		last = strings.Join(f[3:], ":")
	}
	return `Partition "` + partition + `" is not valid for resource "arn:` + partition + ":" +
		field(0) + ":" + field(1) + ":" + field(2) + ":" + last + `".`
}
