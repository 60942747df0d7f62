# Tests of the guardrails (guardrails.rego). Sources:
# SCP https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
# SCP-PAGE https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
# RCP https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
# RCP-EVAL https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
# BOUNDARY https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
# EVAL-DENYALLOW https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
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
