// Package rego holds Clearance's IAM decision logic, written in Rego and
// embedded into the binary. The engine package compiles it with OPA.
//
// Layout (package = directory):
//
//	clearance/authz      the decision: how policy types combine, in AWS's order
//	clearance/statement  whether one statement applies (Action, Resource, Principal)
//	clearance/condition  the Condition element: operators, keys, set qualifiers
//
// Each package has _test.rego tests run by the engine's Go tests.
package rego

import "embed"

// FS holds every .rego file under clearance/, tests included.
//
//go:embed clearance
var FS embed.FS

// Query is the rule the engine evaluates for one decision.
const Query = "data.clearance.authz.decision"

// PolicyFreeQuery is the set of actions the logic may allow without an
// Allow statement (the engine's allow index sends them to the logic).
const PolicyFreeQuery = "data.clearance.authz.policy_free_actions"
