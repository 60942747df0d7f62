# METADATA
# title: Authorization decision
# description: |
#   Combines every policy type AWS evaluates for one request into one
#   decision with its reasons, in the order of the documented evaluation
#   logic: explicit-deny sweep, RCPs, SCPs, resource-based policy,
#   identity-based policies, permissions boundary, session policy; and the
#   cross-account rule that both the principal's and the resource's side
#   must allow.
#   Sources:
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
#
#   The input is built by the engine (engine/input.go): the request, the
#   principal and the candidate statements of each policy set.
package clearance.authz

import data.clearance.statement

# decision is the answer with its reasons.
decision := object.union(verdict, {"matched": matched, "applies": _applies})

# ---------------------------------------------------------------------------
# Matched statements, by policy type.
# ---------------------------------------------------------------------------

matched := {
	"identity": _identity,
	"boundary": _boundary,
	"session": _session,
	"resource": _resource,
	"scp": _scp,
	"rcp": _rcp,
}

# (Written out rather than through a shared function: each function call
# costs microseconds in OPA's interpreter.)
_identity := [{"policy": s.policy, "sid": s.sid, "idx": s.idx, "effect": s.effect, "principal": ""} |
	some s in input.policies.identity
	statement.applies(s)
]

_boundary := [{"policy": s.policy, "sid": s.sid, "idx": s.idx, "effect": s.effect, "principal": ""} |
	some s in input.policies.boundary
	statement.applies(s)
]

_session := [{"policy": s.policy, "sid": s.sid, "idx": s.idx, "effect": s.effect, "principal": ""} |
	some s in input.policies.session
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

# SCPs and RCPs are evaluated level by level (root, OUs, account).
_scp := _level_matches(input.policies.scp) if _scp_applies

else := []

_rcp := _level_matches(input.policies.rcp) if _rcp_applies

else := []

_level_matches(levels) := [m |
	some i, level in levels
	some s in level.statements
	statement.applies(s)
	_rcp_principal_ok(s)
	m := {
		"policy": s.policy, "sid": s.sid, "idx": s.idx, "effect": s.effect, "principal": "",
		"level": level.name, "level_index": i,
	}
]

# RCPs carry a Principal element (in practice "*").
_rcp_principal_ok(s) if s.principal == null

else if s.principal.any

else if statement.principal_match(s)

# ---------------------------------------------------------------------------
# Which guardrails apply.
# ---------------------------------------------------------------------------

# Callers that are not principals of any account: anonymous requests, AWS
# service principals, and outside SAML/OIDC identities calling
# AssumeRoleWithSAML/AssumeRoleWithWebIdentity (unsigned calls: only the
# trust policy decides; SCPs are not evaluated, iam-semantics.md 7.2a).
_outside_kinds := {"anonymous", "service", "federated_identity"}

# SCPs limit the principals of member accounts, the root user included;
# never the management account, service-linked roles, anonymous callers or
# AWS service principals.
default _scp_applies := false

_scp_applies if {
	input.policies.scp != []
	not input.principal.management_account
	not input.principal.service_linked
	not input.principal.kind in _outside_kinds
}

# RCPs limit resources in member accounts, for supported services; never in
# the management account or for service-linked roles.
default _rcp_applies := false

_rcp_applies if {
	input.policies.rcp != []
	not input.resource_in_management_account
	not input.principal.service_linked
	input.service in rcp_services
}

# rcp_services (rcp_services.rego, generated from the action catalog) are
# the services whose resources RCPs cover.

_applies := {
	"scp": _scp_applies,
	"rcp": _rcp_applies,
	"boundary": input.principal.has_boundary,
	"session": input.principal.has_session_policy,
	"resource_policy": input.has_resource_policy,
	"resource_policy_required": input.resource_policy_required,
}

# ---------------------------------------------------------------------------
# The verdict: the first rule that decides, in AWS's order. stage names
# it, decision is the answer and blocked_by the policy type that denied.
# (One else-chain rather than separate stage/outcome rules: each rule
# evaluation costs microseconds in OPA's interpreter.)
# ---------------------------------------------------------------------------

verdict := _decided("always-allowed", "allow", "") if {
	_always_allowed
} else := _decided("credential", "implicit-deny", "credential") if {
	_credential_blocks
} else := _decided("explicit-deny", "explicit-deny", t) if {
	t := _explicit_deny_in
} else := _decided("rcp", "implicit-deny", "rcp") if {
	_rcp_blocks
} else := _decided("scp", "implicit-deny", "scp") if {
	_scp_blocks
} else := _final("unsigned", _unsigned_block) if {
	input.principal.kind in _outside_kinds
} else := _final("same-account", _same_account_block) if {
	input.principal.account == input.resource_account
} else := _final("cross-account", _cross_account_block)

_decided(stage, outcome, by) := {"stage": stage, "decision": outcome, "blocked_by": by}

# _final(stage, block): block is the policy type that fails to allow, or
# null when nothing does.
_final(stage, null) := _decided(stage, "allow", "")

_final(stage, block) := _decided(stage, "implicit-deny", block) if block != null

# ---------------------------------------------------------------------------
# Rules that come before the policy types combine.
# ---------------------------------------------------------------------------

# GetCallerIdentity needs no permission and cannot be denied (STS
# comparison table, footnote). GetSessionToken cannot be controlled by
# policies either: an IAM user or the root user with long-term credentials
# may always call it (id_credentials_temp_control-access_getsessiontoken).
_always_allowed if {
	input.action == "sts:getcalleridentity"
	input.action in policy_free_actions
}

_always_allowed if {
	input.action == "sts:getsessiontoken"
	input.action in policy_free_actions
	input.principal.kind in {"user", "root"}
	input.principal.credential == ""
}

# policy_free_actions are the only actions the logic may allow without an
# Allow statement (besides the root user's own account and the federated
# users it makes). The engine reads this set for its allow index, which
# skips decisions that no statement could allow.
policy_free_actions := {"sts:getcalleridentity", "sts:getsessiontoken"}

# What each kind of credentials may not call, whatever the policies say
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison):
# GetFederationToken sessions: no IAM operation, from STS only
# GetCallerIdentity (handled above). GetSessionToken credentials: no IAM
# operation unless MFA was used, from STS only AssumeRole. Role sessions
# (AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity): not
# GetFederationToken nor GetSessionToken. The root user cannot call
# AssumeRole (iam-semantics.md 7.1: undocumented, rejected).
# (Each body starts with an input equality OPA's rule index can select on.)
_credential_blocks if {
	input.principal.credential == "federation_token"
	input.service in {"iam", "sts"}
}

_credential_blocks if {
	input.principal.credential == "session_token"
	input.service == "iam"
	not input.principal.mfa
}

_credential_blocks if {
	input.principal.credential == "session_token"
	input.service == "sts"
	not input.action in _session_token_sts
}

# AssumeRole, with the permission-only actions its tags and source
# identity need (id_session-tags.html: "In addition to the action that
# matches the API operation, you must have ... sts:TagSession").
_session_token_sts := {"sts:assumerole", "sts:tagsession", "sts:setsourceidentity"}

_credential_blocks if {
	input.principal.credential == "role"
	input.action in {"sts:getfederationtoken", "sts:getsessiontoken"}
}

_credential_blocks if {
	input.principal.kind == "root"
	input.action == "sts:assumerole"
}

# Explicit deny in any applicable policy wins. The order only decides which
# type is reported.
_explicit_deny_in := "scp" if {
	some m in _scp
	m.effect == "Deny"
} else := "rcp" if {
	some m in _rcp
	m.effect == "Deny"
} else := "resource" if {
	some m in _resource
	m.effect == "Deny"
} else := "identity" if {
	some m in _identity
	m.effect == "Deny"
} else := "boundary" if {
	some m in _boundary
	m.effect == "Deny"
} else := "session" if {
	some m in _session
	m.effect == "Deny"
}

# Every level must allow.
_levels_allow(ms, levels) if {
	every i, _ in levels {
		some m in ms
		m.level_index == i
		m.effect == "Allow"
	}
}

_rcp_blocks if {
	_rcp_applies
	not _levels_allow(_rcp, input.policies.rcp)
}

_scp_blocks if {
	_scp_applies
	not _levels_allow(_scp, input.policies.scp)
}

# ---------------------------------------------------------------------------
# How identity and resource-based policies combine. Each _block rule names
# the policy type that fails to allow, or is null when the request is
# allowed.
# ---------------------------------------------------------------------------

_rbp_class(c) if {
	some m in _resource
	m.effect == "Allow"
	m.principal == c
}

_rbp_any if {
	some m in _resource
	m.effect == "Allow"
}

# Anonymous callers and AWS services have no identity policies: only a
# resource-based policy can allow them.
_unsigned_block := null if _rbp_class("direct")

else := "resource"

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

_boundary_ok if not input.principal.has_boundary

else if {
	some m in _boundary
	m.effect == "Allow"
}

# A role session without session policy keeps the role's permissions; a
# GetFederationToken session without one has none.
_session_ok if not input.principal.kind in {"role_session", "federated_user"}

else if {
	input.principal.kind == "role_session"
	not input.principal.has_session_policy
}

else if {
	input.principal.has_session_policy
	some m in _session
	m.effect == "Allow"
}
