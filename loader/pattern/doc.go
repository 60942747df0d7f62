// Package pattern is the leaf both the loader and the engine build on: the
// glob form IAM text is compiled into (form.go: GlobEscape, IAMGlob,
// GlobLiteralPrefix) and the primitive matchers behind the engine's iam.*
// Rego built-ins: IAM wildcards, ARN components, IP ranges, numbers,
// booleans and binary values. Each compares one value with one pattern;
// what a match means for a statement or a condition is decided in Rego.
// The matchers are non-recursive and do not allocate on the common paths.
// It imports nothing of the project's.
package pattern
