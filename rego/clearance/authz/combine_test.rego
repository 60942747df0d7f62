# Tests of how identity and resource-based policies combine (combine.rego).
# Sources:
# EVAL-DENYALLOW https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
# XACCT https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
# SAML-ROLE https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html
# GFT-PERMS https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html
# MONITOR https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
# PB-TEST shared/conformance/permissions-boundary-test (observed on AWS)
package clearance.authz_test

import data.clearance.authz

# PB-TEST "Role as resource policy principal": row (boundary -, role -, RBP Allow) -> Deny.
test_role_arn_grant_capped_by_boundary if {
	_outcome({"policies": _pols({"resource": [_rbp(_aws([_session.entity_arn]))]})}) == "implicit-deny"
}

# PB-TEST "Role as resource policy principal": row (boundary Allow, role -, RBP Allow) -> Allow.
test_role_arn_grant_within_boundary if {
	_outcome({"policies": _pols({"resource": [_rbp(_aws([_session.entity_arn]))], "boundary": [_allow_all]})}) == "allow"
}

# PB-TEST "Assumed role session as resource policy principal": row (-, -, Allow) -> Allow.
test_session_arn_grant_not_capped if {
	_outcome({"policies": _pols({"resource": [_rbp(_aws([_session.arn]))]})}) == "allow"
}

# PB-TEST "Account as resource policy principal": row (boundary Allow, role -, RBP Allow) -> Deny.
test_account_grant_needs_identity if {
	_outcome({"policies": _pols({"resource": [_rbp(_aws([_session.account_arn]))], "boundary": [_allow_all]})}) == "implicit-deny"
}

# XACCT: cross-account needs the principal's identity side and the resource policy.
test_cross_account_both_sides if {
	x := {"resource_account": "444455556666"}
	rbp := [_rbp(_aws(["arn:aws:iam::111122223333:root"]))]
	_outcome(object.union(x, {"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "resource": rbp})})) == "allow"
	d := authz.decision with input as _in(object.union(x, {"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all]})}))
	d.blocked_by == "resource"
	_outcome(object.union(x, {"policies": _pols({"resource": rbp, "boundary": [_allow_all]})})) == "implicit-deny"
}

# EVAL-DENYALLOW: role trust policies must explicitly allow.
test_trust_policy_required if {
	p := object.union(_session, {"has_boundary": false})
	d := authz.decision with input as _in({
		"principal": p, "action": "sts:assumerole", "service": "sts",
		"resource_policy_required": true,
		"policies": _pols({"identity": [_allow_all]}),
	})
	d.decision == "implicit-deny"
	d.blocked_by == "resource"
}

# Anonymous callers: only a resource policy with Principal "*" allows.
test_anonymous if {
	p := {"kind": "anonymous", "arn": "", "entity_arn": "", "account": "", "account_arn": "", "has_boundary": false, "has_session_policy": false, "management_account": false, "service_linked": false, "enclosing": []}
	star := _rbp({"any": true, "aws": [], "service": [], "federated": [], "canonical": []})
	_outcome({"principal": p, "policies": _pols({"resource": [star]})}) == "allow"
	_outcome({"principal": p, "policies": _pols({"identity": [_allow_all]})}) == "implicit-deny"
}

# SAML-ROLE: the trust policy's Principal.Federated names the SAML provider;
# the unsigned call is decided by the trust policy alone.
test_outside_identity_matched_by_federated_principal if {
	provider := "arn:aws:iam::111122223333:saml-provider/okta"
	trust := object.union(_rbp({"any": false, "aws": [], "service": [], "federated": [provider], "canonical": []}), {"policy": "trust"})
	d := authz.decision with input as _saml_input(provider, {"resource": [trust]})
	d.decision == "allow"
	by_account := object.union(trust, {"principal": _aws(["arn:aws:iam::111122223333:root"])})
	other := authz.decision with input as _saml_input(provider, {"resource": [by_account]})
	other.decision == "implicit-deny"
	other.blocked_by == "resource"
}

_saml_input(provider, pols) := _in({
	"action": "sts:assumerolewithsaml", "service": "sts", "resource": "arn:aws:iam::111122223333:role/r",
	"resource_policy_required": true, "policies": _pols(pols),
	"principal": {
		"kind": "federated_identity", "arn": provider, "entity_arn": "", "account": "", "account_arn": "",
		"has_boundary": false, "has_session_policy": false, "management_account": false,
		"service_linked": false, "enclosing": [], "credential": "", "mfa": false,
	},
})

# GFT-PERMS: a federated user made by the root user has the root user's
# permissions limited by its session policy; without one it has none.
test_federated_by_root_limited_by_session_policy if {
	p := object.union(_user("federation_token", false), {
		"kind": "federated_user", "federated_by_root": true, "has_session_policy": true,
	})
	allowed := authz.decision with input as _in({
		"principal": p, "has_resource_policy": false,
		"policies": _pols({"session": [_allow_all]}),
	})
	allowed.decision == "allow"
	capped := authz.decision with input as _in({
		"principal": object.union(p, {"has_session_policy": false}), "has_resource_policy": false,
		"policies": _pols({}),
	})
	capped.decision == "implicit-deny"
	capped.blocked_by == "session"
}

# MONITOR: in role chaining, sts:SetSourceIdentity must be in the calling
# role's permissions policy too; a trust policy naming the role does not
# stand in for it.
test_chained_set_source_identity_needs_identity_allow if {
	p := object.union(_session, {"credential": "role", "mfa": false, "has_boundary": false})
	trust := object.union(_rbp(_aws([_session.entity_arn])), {"policy": "trust"})
	req := {
		"action": "sts:setsourceidentity", "service": "sts", "resource": "arn:aws:iam::111122223333:role/next",
		"resource_policy_required": true, "principal": p,
	}
	without := authz.decision with input as _in(object.union(req, {"policies": _pols({"resource": [trust]})}))
	without.decision == "implicit-deny"
	without.blocked_by == "identity"
	with_allow := authz.decision with input as _in(object.union(req, {"policies": _pols({"resource": [trust], "identity": [_allow_all]})}))
	with_allow.decision == "allow"
	assume := authz.decision with input as _in(object.union(req, {"action": "sts:assumerole", "policies": _pols({"resource": [trust]})}))
	assume.decision == "allow"
}
