// Package match holds the primitive matchers behind the engine's iam.*
// Rego built-ins: IAM wildcards, ARN components, IP ranges, numbers,
// booleans and binary values. Each compares one value with one pattern;
// what a match means for a statement or a condition is decided in Rego.
// The matchers are non-recursive and do not allocate on the common paths.
package match
