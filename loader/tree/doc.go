// Package tree decodes JSON and YAML into a position-annotated value tree
// (Node): every value knows its file, line, column and JSON path, and
// decoding is strict (duplicate object keys, trailing data, invalid syntax
// and excessive nesting are errors, as they are for AWS).
//
// Every error of the loader's packages is an *Error from this package: a
// stable Code, the file, the JSON path, the line and column, and what was
// expected. The readers in read.go (OpenObject, List, Strs) check a node's
// shape for the formats built on the tree.
package tree
