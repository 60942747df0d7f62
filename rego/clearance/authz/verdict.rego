# METADATA
# title: Authorization decision
# description: |
#   Combines every policy type AWS evaluates for one request into one
#   decision with its reasons, in the order of the documented evaluation
#   logic: explicit-deny sweep, RCPs, SCPs, the VPC endpoint policy (for a
#   request made through an endpoint), resource-based policy,
#   identity-based policies, permissions boundary, session policy; and the
#   cross-account rule that both the principal's and the resource's side
#   must allow.
#   Source:
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
#
#   The package is laid out by stage, each file with its _test.rego beside
#   it: credentials.rego (what credentials may call whatever the policies
#   say), protected.rego (what AWS refuses whatever the policies say, the
#   resource being its own), guardrails.rego (SCPs, RCPs, VPC endpoint
#   policy, permissions boundary, session policy), combine.rego (how
#   identity and resource-based policies combine, same and cross account)
#   and this file, the verdict: the first stage that decides, with the
#   matched statements. rcp_services.rego is generated from the action
#   catalog.
#
#   The input is built by the engine (engine/input.go): the request, the
#   principal and the candidate statements of each policy set.
package clearance.authz

# decision is the answer with its reasons.
decision := object.union(verdict, {"matched": matched, "applies": _applies})

# matched lists the statements that apply, by policy type.
matched := {
	"identity": _identity,
	"boundary": _boundary,
	"session": _session,
	"resource": _resource,
	"scp": _scp,
	"rcp": _rcp,
	"endpoint": _endpoint,
}

# _applies says which guardrails and resource policy take part, and, for
# each guardrail, whether it lets the request through (<guardrail>_passes,
# guardrails.rego): what the console shows beside the verdict.
_applies := {
	"scp": _scp_applies,
	"rcp": _rcp_applies,
	"boundary": input.principal.has_boundary,
	"session": input.principal.has_session_policy,
	"endpoint": _endpoint_applies,
	"resource_policy": input.has_resource_policy,
	"resource_policy_required": input.resource_policy_required,
	"scp_passes": _scp_passes,
	"rcp_passes": _rcp_passes,
	"endpoint_passes": _endpoint_passes,
	"boundary_passes": _boundary_passes,
	"session_passes": _session_passes,
}

# ---------------------------------------------------------------------------
# The verdict: the first rule that decides, in AWS's order. stage names
# it, decision is the answer and blocked_by the policy type that denied
# (or credential: what the credentials may not call, before the policies;
# or protected: what AWS refuses once they allow, naming what it protects
# and the page that says so).
# (One else-chain rather than separate stage/outcome rules: each rule
# evaluation costs microseconds in OPA's interpreter.)
# ---------------------------------------------------------------------------

verdict := object.union(
	_decided("protected", "implicit-deny", "protected"),
	{"protected": p.what, "protected_source": p.source},
) if {
	_policies.decision == "allow"
	p := _protection
} else := _policies

# _policies is what the policies answer. AWS refuses a request on a
# resource it protects (protected.rego) only once the policies allow it:
# "After your request has been authenticated and authorized, AWS approves
# the actions or operations in your request"
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/intro-structure.html#intro-structure-actions),
# so a request the policies deny is answered with their deny.
_policies := _decided("always-allowed", "allow", "") if {
	_always_allowed
} else := _decided("credential", "implicit-deny", "credential") if {
	_credential_blocks
} else := _decided("explicit-deny", "explicit-deny", t) if {
	t := _explicit_deny_in
} else := _decided("rcp", "implicit-deny", "rcp") if {
	_rcp_blocks
} else := _decided("scp", "implicit-deny", "scp") if {
	_scp_blocks
} else := _decided("endpoint", "implicit-deny", "endpoint") if {
	_endpoint_blocks
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

# Explicit deny in any applicable policy wins. The order only decides which
# type is reported.
_explicit_deny_in := "scp" if {
	some m in _scp
	m.effect == "Deny"
} else := "rcp" if {
	some m in _rcp
	m.effect == "Deny"
} else := "endpoint" if {
	some m in _endpoint
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
