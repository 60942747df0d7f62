// Package scenario reads the scenario format: a world (inline accounts,
// the organization, and exports it names), checks with the decision each
// expects and its source, and STS chains (a starting identity and its
// steps). Errors are positioned *tree.Error values.
package scenario
