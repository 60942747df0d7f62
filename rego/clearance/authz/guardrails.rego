package clearance.authz

import data.clearance.statement

# METADATA
# scope: document
# title: Guardrails
# description: |
#   The policy types that grant nothing and only limit: SCPs (for the
#   principals of member accounts), RCPs (for the resources of member
#   accounts), the VPC endpoint policy (for the requests made through the
#   endpoint), the permissions boundary and the session policy. Which of
#   them apply, their matched statements, and whether each lets an allow
#   through.
#   Sources:
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
#   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html
#   https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
#
#   This block heads the file. OPA takes one package-scoped METADATA block
#   per package, which verdict.rego holds, so this one is scoped to the
#   rule below.
#
#   SCPs limit the principals of member accounts, the root user included;
#   never the management account, service-linked roles, anonymous callers
#   or AWS service principals.
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

# ---------------------------------------------------------------------------
# SCPs and RCPs: evaluated level by level (root, OUs, account).
# ---------------------------------------------------------------------------

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
# Permissions boundary and session policy: they limit the principal's side.
# ---------------------------------------------------------------------------

# (Written out rather than through a shared function: each function call
# costs microseconds in OPA's interpreter.)
_boundary := [{"policy": s.policy, "sid": s.sid, "idx": s.idx, "effect": s.effect, "principal": ""} |
	some s in input.policies.boundary
	statement.applies(s)
]

_session := [{"policy": s.policy, "sid": s.sid, "idx": s.idx, "effect": s.effect, "principal": ""} |
	some s in input.policies.session
	statement.applies(s)
]

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

# ---------------------------------------------------------------------------
# VPC endpoint policy: it limits the requests made through the endpoint.
# ---------------------------------------------------------------------------

# An endpoint policy "is a resource-based policy that you attach to a VPC
# endpoint to control which AWS principals can use the endpoint to access
# an AWS service" (vpc-endpoints-access.html): it grants nothing, so a
# request through the endpoint needs one of its statements to allow it,
# and plays no part in a request made elsewhere. Its Principal names the
# requester as a resource policy's does, except that an account
# ("AWS": "account_id") stands for its root user only: "access is granted
# to the AWS account root user only, and not all users and roles for the
# account" (#vpc-endpoint-policies-gateway).
_endpoint := [{"policy": s.policy, "sid": s.sid, "idx": s.idx, "effect": s.effect, "principal": how} |
	_endpoint_applies
	some s in input.policies.endpoint
	how := _resource_principal(s)
	how != "account"
	statement.applies(s)
]

default _endpoint_applies := false

_endpoint_applies if input.vpc_endpoint != ""

_endpoint_blocks if {
	_endpoint_applies
	not _endpoint_allows
}

_endpoint_allows if {
	some m in _endpoint
	m.effect == "Allow"
}

# ---------------------------------------------------------------------------
# Whether each guardrail lets the request through, whatever the other
# policy types say: it is in force, none of its matched statements denies
# ("an explicit deny in any of these policies overrides the allow",
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
# and it has the Allow it needs (every SCP or RCP level, the
# endpoint policy, the boundary, the session policy). A guardrail not in
# force does not pass: it plays no part. The verdict does not read these:
# they say, beside it, which guardrail allowed and which blocked.
# ---------------------------------------------------------------------------

default _scp_passes := false

_scp_passes if {
	_scp_applies
	not _denies(_scp)
	_levels_allow(_scp, input.policies.scp)
}

default _rcp_passes := false

_rcp_passes if {
	_rcp_applies
	not _denies(_rcp)
	_levels_allow(_rcp, input.policies.rcp)
}

default _endpoint_passes := false

_endpoint_passes if {
	_endpoint_allows
	not _denies(_endpoint)
}

default _boundary_passes := false

_boundary_passes if {
	input.principal.has_boundary
	_boundary_ok
	not _denies(_boundary)
}

# A session policy is in force for a session that has one; a
# GetFederationToken session without one is capped to nothing (its
# _session_ok fails), so it does not pass either.
default _session_passes := false

_session_passes if {
	input.principal.has_session_policy
	_session_ok
	not _denies(_session)
}

_denies(ms) if {
	some m in ms
	m.effect == "Deny"
}
