# Tests of the credential restrictions and the outside-identity caller.
# Sources:
# STS-COMPARE https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison
# GST-PERMS https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html
# SAML-ROLE https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html
package clearance.authz_test

import data.clearance.authz

_user(credential, mfa) := {
	"kind": "user", "arn": "arn:aws:iam::111122223333:user/u", "entity_arn": "",
	"account": "111122223333", "account_arn": "arn:aws:iam::111122223333:root",
	"has_boundary": false, "has_session_policy": false, "management_account": false,
	"service_linked": false, "enclosing": [], "credential": credential, "mfa": mfa,
}

_call(principal, action) := d if {
	service := split(action, ":")[0]
	d := authz.decision with input as _in({
		"action": action, "service": service, "resource": "*", "has_resource_policy": false,
		"principal": principal, "policies": _pols({"identity": [_allow_all]}),
	})
}

# STS-COMPARE: GetSessionToken credentials cannot call IAM operations unless
# MFA information was included with the GetSessionToken request.
test_session_token_without_mfa_no_iam if {
	d := _call(_user("session_token", false), "iam:listusers")
	d.decision == "implicit-deny"
	d.blocked_by == "credential"
}

test_session_token_with_mfa_may_call_iam if {
	_call(_user("session_token", true), "iam:listusers").decision == "allow"
}

# STS-COMPARE: GetSessionToken credentials cannot call STS operations except
# AssumeRole and GetCallerIdentity.
test_session_token_sts_limits if {
	_call(_user("session_token", true), "sts:assumerole").decision == "allow"
	_call(_user("session_token", true), "sts:getfederationtoken").decision == "implicit-deny"
	_call(_user("session_token", false), "sts:getcalleridentity").decision == "allow"
}

# STS-COMPARE: GetFederationToken credentials cannot call IAM operations, nor
# STS operations except GetCallerIdentity.
test_federation_token_limits if {
	p := object.union(_user("federation_token", false), {"kind": "federated_user"})
	_call(p, "iam:getuser").blocked_by == "credential"
	_call(p, "sts:assumerole").blocked_by == "credential"
	_call(p, "sts:getcalleridentity").decision == "allow"
}

# STS-COMPARE: role session credentials cannot call GetFederationToken or
# GetSessionToken.
test_role_session_cannot_get_tokens if {
	p := object.union(_session, {"credential": "role", "mfa": false, "has_boundary": false})
	_call(p, "sts:getfederationtoken").blocked_by == "credential"
	_call(p, "sts:getsessiontoken").blocked_by == "credential"
	_call(p, "sts:assumerole").decision == "allow"
}

# GST-PERMS: GetSessionToken cannot be controlled by policies; an explicit
# deny does not stop a long-term IAM user.
test_get_session_token_always_allowed_for_long_term if {
	d := authz.decision with input as _in({
		"action": "sts:getsessiontoken", "service": "sts", "resource": "*", "has_resource_policy": false,
		"principal": _user("", false), "policies": _pols({"identity": [_deny_all]}),
	})
	d.decision == "allow"
}

# iam-semantics.md 7.1: the root user calling AssumeRole is rejected.
test_root_cannot_assume_role if {
	p := object.union(_user("", false), {"kind": "root", "arn": "arn:aws:iam::111122223333:root"})
	_call(p, "sts:assumerole").blocked_by == "credential"
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

# GFT-PERMS (id_credentials_temp_control-access_getfederationtoken.html): a
# federated user made by the root user has the root user's permissions
# limited by its session policy; without one it has none.
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

# id_session-tags.html: passing tags needs the permission-only action
# sts:TagSession beside AssumeRole, which GetSessionToken credentials may
# call; so may they sts:SetSourceIdentity.
test_session_token_may_tag_and_set_source_identity if {
	_call(_user("session_token", false), "sts:tagsession").decision == "allow"
	_call(_user("session_token", false), "sts:setsourceidentity").decision == "allow"
}

# id_credentials_temp_control-access_monitor.html: in role chaining,
# sts:SetSourceIdentity must be in the calling role's permissions policy
# too; a trust policy naming the role does not stand in for it.
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
