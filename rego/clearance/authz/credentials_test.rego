# Tests of the credential rules (credentials.rego). Sources:
# STS-COMPARE https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison
# GST-PERMS https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html
# TAGS https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
package clearance.authz_test

import data.clearance.authz

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

# TAGS: passing tags needs the permission-only action sts:TagSession beside
# AssumeRole, which GetSessionToken credentials may call; so may they
# sts:SetSourceIdentity.
test_session_token_may_tag_and_set_source_identity if {
	_call(_user("session_token", false), "sts:tagsession").decision == "allow"
	_call(_user("session_token", false), "sts:setsourceidentity").decision == "allow"
}
