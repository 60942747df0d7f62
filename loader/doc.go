// Package loader reads IAM policy documents and the worlds they live in,
// and compiles every policy into the data form the Rego evaluator reads.
//
// Policies are decoded in two steps. DecodeJSON, DecodeYAML and Decode turn
// bytes into a position-annotated value tree (Node): every value knows its
// file, line, column and JSON path, and decoding is strict (duplicate object
// keys, trailing data and invalid syntax are errors, as they are for AWS).
// ParsePolicy then checks the tree against the whole IAM policy grammar for a
// policy kind (identity, boundary, session, resource, trust, SCP, RCP) and
// compiles it into a Policy: lower-cased action patterns, resource patterns
// and condition values in the internal glob form (see GlobEscape), condition
// values typed by operator family, and policy variables split into
// Templates. Every grammar error is an *Error naming the file, the JSON path,
// the line and column, and what was expected.
//
// ValidateCreatePolicy adds the rules IAM's CreatePolicy applies to a
// managed policy on top of the grammar, with AWS's own error messages.
// ParseDate parses a date the way the Date condition operators do; the
// engine uses it for request values too.
package loader
