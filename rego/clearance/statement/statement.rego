# METADATA
# title: Statement applicability
# description: |
#   Whether one compiled statement applies to the request in input:
#   its Action/NotAction, Resource/NotResource, Principal/NotPrincipal and
#   Condition elements. Statements are the Rego data form produced by the
#   loader (see loader/policy.go). Primitive string matching is done by the
#   iam.* built-ins; every rule about what the elements mean lives here.
#   Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
package clearance.statement

import data.clearance.condition

# applies holds when action, resource and conditions of s match the request.
# The principal of resource-based statements is checked separately (see
# principal_match) because how it matched decides how the policy combines.
# Action matches case-insensitively (both sides are lower-cased already);
# NotAction matches every action except those listed.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
# (The Action test is written here rather than in a helper: each function
# call costs microseconds in OPA's interpreter.)
applies(s) if {
	iam.glob_any(s.actions, input.action) != s.not_action
	_resource_ok(s)
	every c in s.conditions {
		condition.holds(c)
	}
}

# action_resource_ok holds when action and resource match, whatever the
# conditions say.
action_resource_ok(s) if {
	iam.glob_any(s.actions, input.action) != s.not_action
	_resource_ok(s)
}

# A resource-based statement without Resource covers the resource the policy
# is attached to (trust policies never carry Resource). NotResource matches
# every resource except those listed.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
_resource_ok(s) if s.no_resource

else if {
	not s.res_vars
	iam.resource_any(s.resources, input.resource) != s.not_resource
} else if {
	s.res_vars
	iam.resource_any(_expanded_resources(s), input.resource) != s.not_resource
}

# A pattern whose variable cannot be resolved matches no resource, so it is
# dropped. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
_expanded_resources(s) := [p |
	some r in s.resources
	p := _expand_resource(r)
]

_expand_resource(r) := r if is_string(r)

_expand_resource(r) := iam.expand(r.tmpl, input.context, true) if is_object(r)

# principal_match classifies how the Principal element of a resource-based
# statement names the requester:
#   "direct"  the requester itself (IAM user ARN for that user, the session
#             ARN of a role session or federated user, "*", a service name);
#   "entity"  the IAM entity behind a session (the role of a role session,
#             the IAM user who created a federated session);
#   "account" the requester's account (account id or root ARN).
# Source: EVAL-DENYALLOW and access_policies_boundaries.html#access_policies_boundaries-eval-logic
principal_match(s) := "direct" if s.principal.any

else := "direct" if input.principal.arn in s.principal.aws

# Trust policies store the unique id of a named user or role
# (reference_policies_elements_principal.html, "IAM user principals").
else := "direct" if {
	input.principal.unique_id != ""
	input.principal.unique_id in s.principal.aws
}

else := "direct" if {
	input.principal.kind == "service"
	input.principal.arn in s.principal.service
}

else := "direct" if {
	input.principal.kind == "federated_identity"
	input.principal.arn in s.principal.federated
}

else := "entity" if {
	input.principal.entity_arn != ""
	input.principal.entity_arn in s.principal.aws
}

else := "entity" if {
	input.principal.entity_unique_id != ""
	input.principal.entity_unique_id in s.principal.aws
}

else := "account" if {
	not input.principal.kind in {"anonymous", "service", "federated_identity"}
	input.principal.account_arn in s.principal.aws
}

# not_principal_applies holds when a Deny with NotPrincipal covers the
# requester: it is excluded only when the list names its own ARN and every
# enclosing identity AWS may check (role and account for sessions, the
# account for users). A requester with a permissions boundary is never
# excluded.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
not_principal_applies(s) if not _excluded(s)

_excluded(s) if s.principal.any

_excluded(s) if {
	not input.principal.has_boundary
	not input.principal.kind in {"anonymous", "service", "federated_identity"}
	every arn in input.principal.enclosing {
		arn in s.principal.aws
	}
}

_excluded(s) if {
	input.principal.kind == "service"
	input.principal.arn in s.principal.service
}
