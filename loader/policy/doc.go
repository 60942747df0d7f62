// Package policy is the IAM policy grammar. ParsePolicy checks a decoded
// tree against the whole grammar for a policy kind (identity, boundary,
// session, resource, trust, SCP, RCP) and compiles it into a Policy:
// lower-cased action patterns, resource patterns and condition values in
// the glob form of package pattern, condition values typed by operator
// family, and policy variables split into Templates. Every grammar error is
// a positioned *tree.Error.
//
// ValidateCreatePolicy adds the rules IAM's CreatePolicy applies to a
// managed policy on top of the grammar, with AWS's own error messages;
// `clearance lint` reports them. ParseDate parses a date the way the Date
// condition operators do; the engine uses it for request values too.
package policy
