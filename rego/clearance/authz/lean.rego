package clearance.authz

import data.clearance.statement

# METADATA
# scope: document
# title: The lean verdict
# description: |
#   verdict_lean answers what verdict answers (the decision and blocked_by)
#   without the reasons: no matched-statement list is built. Each rule
#   below stops at the first statement that settles it (a rule with a
#   constant value stops at its first solution; every and not stop at the
#   first counter-example), in the same order of stages and from the same
#   sources as verdict.rego, guardrails.rego and combine.rego, whose rules
#   it restates statement by statement. The bulk questions (who-can, can,
#   reach, the audit's probes, the review's comparisons) ask it; the
#   explained decision (data.clearance.authz.decision) is computed when a
#   reason is shown. The engine's tests hold the two equal on every
#   corpus, conformance and generated request (engine/lean_test.go).
#   Sources:
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
#
#   This block heads the file. OPA takes one package-scoped METADATA block
#   per package, which verdict.rego holds, so this one is scoped to the
#   rule below.
verdict_lean := {"decision": "implicit-deny", "blocked_by": "protected"} if {
	_lean_policies.decision == "allow"
	_protection
} else := _lean_policies

# _lean_policies is _policies (verdict.rego) without stage and lists.
_lean_policies := {"decision": "allow", "blocked_by": ""} if {
	_always_allowed
} else := {"decision": "implicit-deny", "blocked_by": "credential"} if {
	_credential_blocks
} else := {"decision": "explicit-deny", "blocked_by": t} if {
	t := _lean_explicit_deny
} else := {"decision": "implicit-deny", "blocked_by": "rcp"} if {
	_rcp_applies
	not _lean_levels_allow(input.policies.rcp)
} else := {"decision": "implicit-deny", "blocked_by": "scp"} if {
	_scp_applies
	not _lean_levels_allow(input.policies.scp)
} else := {"decision": "implicit-deny", "blocked_by": "endpoint"} if {
	_endpoint_applies
	not _lean_endpoint_allows
} else := _lean_final(_lean_unsigned_block) if {
	input.principal.kind in _outside_kinds
} else := _lean_final(_lean_same_account_block) if {
	input.principal.account == input.resource_account
} else := _lean_final(_lean_cross_account_block)

_lean_final(null) := {"decision": "allow", "blocked_by": ""}

_lean_final(block) := {"decision": "implicit-deny", "blocked_by": block} if block != null

# ---------------------------------------------------------------------------
# Explicit deny (_explicit_deny_in): the first policy type, in the order
# reported, with a Deny statement that applies.
# ---------------------------------------------------------------------------

_lean_explicit_deny := "scp" if {
	_scp_applies
	_lean_level_denies(input.policies.scp)
} else := "rcp" if {
	_rcp_applies
	_lean_level_denies(input.policies.rcp)
} else := "endpoint" if {
	_endpoint_applies
	some s in input.policies.endpoint
	s.effect == "Deny"
	_resource_principal(s) != "account"
	statement.applies(s)
} else := "resource" if {
	some s in input.policies.resource
	s.effect == "Deny"
	_resource_principal(s)
	statement.applies(s)
} else := "identity" if {
	some s in input.policies.identity
	s.effect == "Deny"
	statement.applies(s)
} else := "boundary" if {
	some s in input.policies.boundary
	s.effect == "Deny"
	statement.applies(s)
} else := "session" if {
	some s in input.policies.session
	s.effect == "Deny"
	statement.applies(s)
}

_lean_level_denies(levels) if {
	some level in levels
	some s in level.statements
	s.effect == "Deny"
	statement.applies(s)
	_rcp_principal_ok(s)
}

# Every level must allow (_levels_allow).
_lean_levels_allow(levels) if {
	every level in levels {
		_lean_level_allows(level)
	}
}

_lean_level_allows(level) if {
	some s in level.statements
	s.effect == "Allow"
	statement.applies(s)
	_rcp_principal_ok(s)
}

_lean_endpoint_allows if {
	some s in input.policies.endpoint
	s.effect == "Allow"
	_resource_principal(s) != "account"
	statement.applies(s)
}

# ---------------------------------------------------------------------------
# How identity and resource-based policies combine (combine.rego), with
# the guardrails of the principal's side (guardrails.rego).
# ---------------------------------------------------------------------------

_lean_rbp_class(c) if {
	some s in input.policies.resource
	s.effect == "Allow"
	_resource_principal(s) == c
	statement.applies(s)
}

_lean_rbp_any if {
	some s in input.policies.resource
	s.effect == "Allow"
	_resource_principal(s)
	statement.applies(s)
}

_lean_unsigned_block := null if _lean_rbp_class("direct")

else := "resource"

_lean_same_account_block := "resource" if {
	input.resource_policy_required
	not _lean_rbp_any
} else := null if {
	_lean_rbp_class("direct")
	not _identity_required
} else := _lean_principal_side_block

_lean_entity_stands_in if {
	_lean_rbp_class("entity")
	not _identity_required
}

_lean_cross_account_block := "identity" if {
	not _lean_identity_allows
} else := "boundary" if {
	not _lean_boundary_ok
} else := "session" if {
	not _lean_session_ok
} else := null if {
	_lean_rbp_any
} else := "resource"

_lean_principal_side_block := "identity" if {
	not _lean_identity_allows
	not _lean_entity_stands_in
} else := "boundary" if {
	not _lean_boundary_ok
} else := "session" if {
	not _lean_session_ok
} else := null

_lean_identity_allows if input.principal.kind == "root"

else if input.principal.federated_by_root

else if {
	some s in input.policies.identity
	s.effect == "Allow"
	statement.applies(s)
}

_lean_boundary_ok if not input.principal.has_boundary

else if {
	some s in input.policies.boundary
	s.effect == "Allow"
	statement.applies(s)
}

_lean_session_ok if not input.principal.kind in {"role_session", "federated_user"}

else if {
	input.principal.kind == "role_session"
	not input.principal.has_session_policy
}

else if {
	input.principal.has_session_policy
	some s in input.policies.session
	s.effect == "Allow"
	statement.applies(s)
}
