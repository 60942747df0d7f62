package policy

import (
	"fmt"

	"github.com/clearance-dev/clearance/loader/tree"
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

func orNode(n, fallback *tree.Node) *tree.Node {
	if n != nil {
		return n
	}
	return fallback
}
