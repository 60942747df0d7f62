package clearance.authz

import data.clearance.statement

# METADATA
# scope: document
# title: How identity and resource-based policies combine
# description: |
#   Once no credential rule, explicit deny or organization guardrail has
#   decided: the matched identity-based and resource-based statements, and
#   how they combine for an unsigned caller, in the same account and across
#   accounts. Each _block rule names the policy type that fails to allow,
#   or is null when the request is allowed.
#   Sources:
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html
#
#   This block heads the file. OPA takes one package-scoped METADATA block
#   per package, which verdict.rego holds, so this one is scoped to the
#   rule below.
#
#   (_identity and _resource are written out rather than through a shared
#   function: each function call costs microseconds in OPA's interpreter.)
_identity := [{"policy": s.policy, "sid": s.sid, "idx": s.idx, "effect": s.effect, "principal": ""} |
	some s in input.policies.identity
	statement.applies(s)
]

# Resource-based statements must also name the requester.
_resource := [{"policy": s.policy, "sid": s.sid, "idx": s.idx, "effect": s.effect, "principal": how} |
	some s in input.policies.resource
	how := _resource_principal(s)
	statement.applies(s)
]

_resource_principal(s) := statement.principal_match(s) if not s.not_principal

_resource_principal(s) := "not-principal" if {
	s.not_principal
	statement.not_principal_applies(s)
}

_rbp_class(c) if {
	some m in _resource
	m.effect == "Allow"
	m.principal == c
}

_rbp_any if {
	some m in _resource
	m.effect == "Allow"
}

# ---------------------------------------------------------------------------
# Unsigned callers.
# ---------------------------------------------------------------------------

# Callers that are not principals of any account: anonymous requests, AWS
# service principals, and outside SAML/OIDC identities calling
# AssumeRoleWithSAML/AssumeRoleWithWebIdentity (unsigned calls: only the
# trust policy decides; SCPs are not evaluated, iam-semantics.md 7.2a).
_outside_kinds := {"anonymous", "service", "federated_identity"}

# Anonymous callers and AWS services have no identity policies: only a
# resource-based policy can allow them.
_unsigned_block := null if _rbp_class("direct")

else := "resource"

# ---------------------------------------------------------------------------
# Same account.
# ---------------------------------------------------------------------------

# Same account (EVAL-DENYALLOW): a resource-policy grant to the requester
# itself is final, except that trust and KMS key policies grant only with
# an identity-side allow unless they name the requester directly. A grant
# to the entity behind a session counts as that entity's own permission and
# stays limited by boundary and session policy. A grant to the account only
# delegates: the identity policy must allow.
_same_account_block := "resource" if {
	input.resource_policy_required
	not _rbp_any
} else := null if {
	_rbp_class("direct")
	not _identity_required
} else := _principal_side_block

_entity_stands_in if {
	_rbp_class("entity")
	not _identity_required
}

# In role chaining, sts:SetSourceIdentity must be allowed by the calling
# role's permissions policy as well as by the trust policy: "permissions
# for sts:SetSourceIdentity are required in both the permissions policy of
# the principal who is assuming the role and in the role trust policy of
# the target role" (id_credentials_temp_control-access_monitor.html).
_identity_required if {
	input.action == "sts:setsourceidentity"
	input.principal.kind == "role_session"
}

# ---------------------------------------------------------------------------
# Cross account, and the principal's side.
# ---------------------------------------------------------------------------

# Cross account: the principal's side (identity, boundary, session) and the
# resource's side (a resource policy naming the principal) must both allow.
_cross_account_block := "identity" if {
	not _identity_allows
} else := "boundary" if {
	not _boundary_ok
} else := "session" if {
	not _session_ok
} else := null if {
	_rbp_any
} else := "resource"

_principal_side_block := "identity" if {
	not _identity_allows
	not _entity_stands_in
} else := "boundary" if {
	not _boundary_ok
} else := "session" if {
	not _session_ok
} else := null

# The root user has every permission in its own account, and so has the
# identity side of a federated user the root user made with
# GetFederationToken (limited by its session policy like any other:
# id_credentials_temp_control-access_getfederationtoken.html).
_identity_allows if input.principal.kind == "root"

else if input.principal.federated_by_root

else if {
	some m in _identity
	m.effect == "Allow"
}
