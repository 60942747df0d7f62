# Tests of the guardrails (guardrails.rego). Sources:
# SCP https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
# SCP-PAGE https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
# RCP https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
# RCP-EVAL https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
# BOUNDARY https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
# EVAL-DENYALLOW https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
# VPCE https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
package clearance.authz_test

import data.clearance.authz

# SCP: every level from the root to the account must allow.
test_scp_every_level if {
	ok := [{"name": "root", "statements": [_allow_all]}, {"name": "account", "statements": [_allow_all]}]
	gap := [{"name": "root", "statements": [_allow_all]}, {"name": "account", "statements": []}]
	base := {"identity": [_allow_all], "boundary": [_allow_all]}
	_outcome({"policies": _pols(object.union(base, {"scp": ok}))}) == "allow"
	d := authz.decision with input as _in({"policies": _pols(object.union(base, {"scp": gap}))})
	d.decision == "implicit-deny"
	d.blocked_by == "scp"
}

# SCP: the management account is not restricted.
test_scp_management_exempt if {
	gap := [{"name": "root", "statements": []}]
	p := object.union(_session, {"management_account": true})
	_outcome({"principal": p, "policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "scp": gap})}) == "allow"
}

# SCP-PAGE: SCPs do not affect service-linked roles.
test_scp_service_linked_exempt if {
	gap := [{"name": "root", "statements": []}]
	p := object.union(_session, {"service_linked": true})
	_outcome({"principal": p, "policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "scp": gap})}) == "allow"
}

# RCP-EVAL: any RCP from the root to the resource's account can deny. RCP:
# RCPs don't affect resources in the management account.
test_rcp_deny_member_accounts_only if {
	deny := [{"name": "root", "statements": [_deny_all]}]
	pols := _pols({"identity": [_allow_all], "boundary": [_allow_all], "rcp": deny})
	d := authz.decision with input as _in({"policies": pols})
	d.decision == "explicit-deny"
	d.blocked_by == "rcp"
	_outcome({"resource_in_management_account": true, "policies": pols}) == "allow"
}

# RCP, "List of AWS services that support RCPs": EC2 is not among them, so
# an RCP does not limit its resources.
test_rcp_unsupported_service if {
	deny := [{"name": "root", "statements": [_deny_all]}]
	_outcome({
		"action": "ec2:runinstances", "service": "ec2", "resource": "*", "has_resource_policy": false,
		"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "rcp": deny}),
	}) == "allow"
}

# BOUNDARY: the effective permissions are what both the identity-based
# policy and the permissions boundary allow.
test_boundary_caps_identity_policy if {
	d := authz.decision with input as _in({"policies": _pols({"identity": [_allow_all]})})
	d.decision == "implicit-deny"
	d.blocked_by == "boundary"
	_outcome({"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all]})}) == "allow"
}

# EVAL-DENYALLOW: a GetFederationToken session without session policy has no permissions.
test_federated_without_session_policy if {
	p := object.union(_session, {"kind": "federated_user", "has_boundary": false})
	d := authz.decision with input as _in({"principal": p, "policies": _pols({"identity": [_allow_all]})})
	d.decision == "implicit-deny"
	d.blocked_by == "session"
}

# VPCE: an endpoint policy controls "which AWS principals can use the
# endpoint": a request through the endpoint that no statement allows is
# denied, whatever the identity policy grants.
test_endpoint_without_allow_blocks if {
	base := {"identity": [_allow_all], "boundary": [_allow_all]}
	other := object.union(_ep(_aws(["arn:aws:iam::444455556666:role/x"])), {"sid": "Other"})
	d := authz.decision with input as _in({"vpc_endpoint": "vpce-1", "policies": _pols(object.union(base, {"endpoint": [other]}))})
	d.decision == "implicit-deny"
	d.blocked_by == "endpoint"
	d.stage == "endpoint"
	d.applies.endpoint
}

# VPCE, "Default endpoint policy": it grants full access through the endpoint.
test_endpoint_default_policy_allows if {
	base := {"identity": [_allow_all], "boundary": [_allow_all]}
	d := authz.decision with input as _in({"vpc_endpoint": "vpce-1", "policies": _pols(object.union(base, {"endpoint": [_ep({"any": true})]}))})
	d.decision == "allow"
	[m.sid | some m in d.matched.endpoint] == ["Default"]
}

# VPCE: an endpoint policy plays a part only in the requests made through
# the endpoint.
test_endpoint_only_through_it if {
	d := authz.decision with input as _in({"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all]})})
	d.decision == "allow"
	not d.applies.endpoint
}

# VPCE, "Principals for gateway endpoints": "If you specify the principal
# in the format "AWS": "account_id", access is granted to the AWS account
# root user only, and not all users and roles for the account."
test_endpoint_account_principal_is_root_only if {
	base := {"identity": [_allow_all], "boundary": [_allow_all]}
	acct := _ep(_aws(["arn:aws:iam::111122223333:root"]))
	d := authz.decision with input as _in({"vpc_endpoint": "vpce-1", "policies": _pols(object.union(base, {"endpoint": [acct]}))})
	d.blocked_by == "endpoint"
	root := object.union(_user("", false), {"kind": "root", "arn": "arn:aws:iam::111122223333:root"})
	_outcome({"principal": root, "vpc_endpoint": "vpce-1", "policies": _pols({"endpoint": [acct]})}) == "allow"
}

# VPCE: the endpoint policy names principals as a resource-based policy
# does; a statement naming a role covers its sessions.
test_endpoint_names_the_role if {
	base := {"identity": [_allow_all], "boundary": [_allow_all]}
	role := _ep(_aws([_session.entity_arn]))
	d := authz.decision with input as _in({"vpc_endpoint": "vpce-1", "policies": _pols(object.union(base, {"endpoint": [role]}))})
	d.decision == "allow"
	[m.principal | some m in d.matched.endpoint] == ["entity"]
}

# Which guardrail lets the request through, beside the verdict. SCP: every
# level must allow; a level without an Allow does not pass, one that does
# passes. EVAL-DENYALLOW: an explicit Deny in a guardrail makes it block,
# whatever it allows.
test_guardrail_passes_scp_levels if {
	ok := [{"name": "root", "statements": [_allow_all]}, {"name": "account", "statements": [_allow_all]}]
	gap := [{"name": "root", "statements": [_allow_all]}, {"name": "account", "statements": []}]
	denied := [{"name": "root", "statements": [_allow_all, _deny_all]}, {"name": "account", "statements": [_allow_all]}]
	base := {"identity": [_allow_all], "boundary": [_allow_all]}
	a := authz.decision.applies with input as _in({"policies": _pols(object.union(base, {"scp": ok}))})
	a.scp_passes == true
	a.boundary_passes == true
	b := authz.decision.applies with input as _in({"policies": _pols(object.union(base, {"scp": gap}))})
	b.scp_passes == false
	c := authz.decision.applies with input as _in({"policies": _pols(object.union(base, {"scp": denied}))})
	c.scp_passes == false
	c.boundary_passes == true
}

# BOUNDARY: a boundary that does not allow the action blocks it, while
# the identity policy's explicit Deny decides the verdict: each guardrail
# is told apart from the verdict. A guardrail not in force does not pass.
test_guardrail_passes_boundary_and_not_in_force if {
	d := authz.decision with input as _in({"policies": _pols({"identity": [_allow_all, _deny_all], "boundary": []})})
	d.decision == "explicit-deny"
	d.applies.boundary_passes == false
	d.applies.scp_passes == false
	d.applies.scp == false
	d.applies.endpoint_passes == false
	d.applies.session_passes == false
	d.applies.rcp_passes == false
}

# VPCE: an endpoint policy statement that allows lets the request through.
test_guardrail_passes_endpoint if {
	base := {"identity": [_allow_all], "boundary": [_allow_all], "endpoint": [_ep({"any": true})]}
	a := authz.decision.applies with input as _in({"vpc_endpoint": "vpce-1", "policies": _pols(base)})
	a.endpoint_passes == true
	b := authz.decision.applies with input as _in({"vpc_endpoint": "vpce-1", "policies": _pols(object.union(base, {"endpoint": []}))})
	b.endpoint_passes == false
}
