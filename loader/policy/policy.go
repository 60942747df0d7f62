package policy

import "strings"

// PolicyKind says which AWS policy type a document is, which decides the
// grammar rules it must follow (Principal required or forbidden, Resource
// optional, Deny-only statements, ...).
type PolicyKind string

// The policy kinds Clearance understands.
const (
	KindIdentity PolicyKind = "identity" // inline or managed policy of a user, group or role
	KindBoundary PolicyKind = "boundary" // a managed policy used as a permissions boundary
	KindSession  PolicyKind = "session"  // a session policy passed to STS
	KindResource PolicyKind = "resource" // a resource-based policy (bucket, key, queue, ...)
	KindTrust    PolicyKind = "trust"    // a role trust policy
	KindSCP      PolicyKind = "scp"      // an Organizations service control policy
	KindRCP      PolicyKind = "rcp"      // an Organizations resource control policy
	KindEndpoint PolicyKind = "endpoint" // a VPC endpoint policy
)

// RCPFullAWSAccess is the AWS managed RCP attached to every level of an
// organization once RCPs are enabled: the only RCP that may Allow.
const RCPFullAWSAccess = "RCPFullAWSAccess"

// OrgPolicyName is the name of an SCP's or RCP's document, and of its
// statements: "scp/NAME" or "rcp/NAME".
func OrgPolicyName(kind PolicyKind, name string) string { return string(kind) + "/" + name }

// SymbolPrefix starts every value a change cannot know before deployment
// (loader/change.Symbol): the ARN of a role another stack exports, an
// attribute Terraform learns at apply. The grammar takes such a value
// where a principal goes, as it takes a deleted entity's unique ID: it
// matches no principal but itself, and reports show it for what it is.
const SymbolPrefix = "UNKNOWN-"

// IsSymbol reports whether s is a whole symbol (loader/change.SymbolText).
func IsSymbol(s string) bool {
	if !strings.HasPrefix(s, SymbolPrefix) || len(s) == len(SymbolPrefix) {
		return false
	}
	for _, c := range s[len(SymbolPrefix):] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// Policy is one parsed and compiled IAM policy document.
//
// Statements are already in the Rego data form the evaluator consumes; the
// document itself is kept verbatim in Source so nothing the user gave is lost.
type Policy struct {
	// Name identifies the policy in explanations: a managed policy ARN, or
	// "<owner ARN>/<policy name>" for an inline policy, or an SCP/RCP name.
	Name       string      `json:"name"`
	Kind       PolicyKind  `json:"kind"`
	File       string      `json:"file,omitempty"` // where the document came from
	Version    string      `json:"version"`        // "2012-10-17" or "2008-10-17" (the default when absent)
	ID         string      `json:"id,omitempty"`   // the document's Id element
	Statements []Statement `json:"statements"`
	Source     []byte      `json:"-"` // the document exactly as given
	Warnings   []string    `json:"warnings,omitempty"`
	// HeldIn is set when the document was given as text inside another
	// file (JSON in a YAML string, an export's URL-encoded document): where
	// that string is. The positions of the statements' Written entries
	// are then in the document's text, not in File.
	HeldIn *Place `json:"-"`
}

// Place is a position in a file, with the JSON path of the value there.
type Place struct {
	File, Path string
	Line, Col  int
}

// Written is an entry of a statement as the document wrote it (not
// lower-cased) and where (1-based, in Policy.File or, when the policy is
// HeldIn a string, in the document's text). It is kept for messages about
// the document (typo warnings); the decision logic never reads it.
type Written struct {
	Text      string
	Line, Col int
}

// Statement is one compiled statement in the Rego data form.
//
// Conventions of the data form (the Rego code in rego/ relies on them):
//   - Actions are lower-cased; patterns use the internal glob form (see
//     glob.go and GlobEscape: * and ? are wildcards, \ escapes).
//   - Resource patterns and string condition values that contain policy
//     variables are Templates; others are plain strings (in glob form for
//     Resource patterns and Like/Arn values; see Condition.Values).
//   - Condition keys are lower-cased.
type Statement struct {
	Policy string `json:"policy"` // Policy.Name
	Sid    string `json:"sid"`
	Index  int    `json:"idx"` // position in the document's Statement list, from 0
	// At is where the statement object starts (Text is empty), in File or,
	// when the policy is HeldIn a string, in the document's text. Reports
	// point at it; the decision logic never reads it.
	At     Written `json:"-"`
	Effect string  `json:"effect"` // "Allow" or "Deny"

	// Principal is nil when the statement has neither Principal nor NotPrincipal.
	Principal    *Principal `json:"principal"`
	NotPrincipal bool       `json:"not_principal"`

	Actions   []string `json:"actions"` // lower-cased glob patterns
	NotAction bool     `json:"not_action"`
	// ActionsWritten holds each Actions entry as written, parallel to
	// Actions (not in the Rego data form).
	ActionsWritten []Written `json:"-"`

	// Resources holds glob patterns (string) or templates (Template) when the
	// pattern contains policy variables. NoResource is true when the statement
	// carries neither Resource nor NotResource (allowed in some resource
	// policies and in trust policies: the statement then covers the resource
	// the policy is attached to).
	Resources   []any `json:"resources"`
	NotResource bool  `json:"not_resource"`
	NoResource  bool  `json:"no_resource"`
	// ResVars is true when some Resources entry is a Template. The store
	// sets it when the policy is loaded.
	ResVars bool `json:"res_vars"`

	Conditions []Condition `json:"conditions"`

	// ActionPrefixes holds, for each Actions pattern, its literal prefix up
	// to the first wildcard: a cheap index guard (an action can only match
	// a pattern it starts with the prefix of).
	ActionPrefixes []string `json:"-"`

	// Services are the lower-cased service prefixes the Action patterns can
	// concern, or ["*"] when any service can match (a pattern starting with a
	// wildcard, or NotAction). Used only to index statements.
	Services []string `json:"-"`
}

// Principal is the compiled Principal or NotPrincipal element. Any is true
// for "*" and {"AWS":"*"}. Account IDs are normalised to root ARNs in AWS
// (so "123456789012" becomes "arn:aws:iam::123456789012:root"), and the
// original value is kept in explanations through the statement's policy.
type Principal struct {
	Any       bool     `json:"any"`
	AWS       []string `json:"aws"`
	Service   []string `json:"service"`
	Federated []string `json:"federated"`
	Canonical []string `json:"canonical"`
}

// Condition is one (operator, key) pair of a Condition block, typed.
type Condition struct {
	Op        string `json:"op"`        // the operator as written, e.g. "ForAnyValue:StringLikeIfExists"
	Base      string `json:"base"`      // the base operator without qualifier or IfExists, e.g. "StringLike"
	Qualifier string `json:"qualifier"` // "", "ForAllValues" or "ForAnyValue"
	IfExists  bool   `json:"if_exists"`
	// Negated is true for StringNotEquals, StringNotEqualsIgnoreCase,
	// StringNotLike, NumericNotEquals, DateNotEquals, NotIpAddress,
	// ArnNotEquals, ArnNotLike. Positive is the base operator those negate
	// (e.g. "StringEquals" for StringNotEquals); for others Positive == Base.
	Negated  bool   `json:"negated"`
	Positive string `json:"positive"`
	Key      string `json:"key"` // lower-cased context key
	// KeyWritten is the key as written, and where (not in the Rego data
	// form).
	KeyWritten Written `json:"-"`
	// Multivalued is true when the key can hold several values in a
	// request (aws:TagKeys, aws:PrincipalOrgPaths, ...: Multivalued).
	Multivalued bool `json:"multivalued"`
	// Values, typed by operator family:
	//   StringEquals, StringNotEquals and their IgnoreCase forms: the raw
	//       strings (or Templates whose literals are raw);
	//   StringLike, StringNotLike and all Arn* operators: glob-form strings
	//       or Templates (ArnEquals matches wildcards exactly as ArnLike);
	//   Numeric*: float64; Date*: int64 Unix nanoseconds;
	//   Bool, Null: bool; BinaryEquals: base64 string; IpAddress: CIDR string.
	Values  []any `json:"values"`
	HasVars bool  `json:"has_vars"` // some value is a Template
}

// Template is a string with policy variables, split into parts. A part is
// either a literal (Lit) or a variable (Var, Default). Lit is in glob form
// in Resource, StringLike/NotLike and Arn* values and raw text in the other
// String* and Bool values; Default is always raw text (the evaluator
// escapes substituted values, see GlobEscape).
type Template struct {
	Parts []TemplatePart `json:"tmpl"`
}

// TemplatePart is one piece of a Template.
type TemplatePart struct {
	Lit        string `json:"lit,omitempty"`
	Var        string `json:"var,omitempty"` // lower-cased context key
	Default    string `json:"default,omitempty"`
	HasDefault bool   `json:"has_default,omitempty"`
}
