# Tests of the lean verdict (lean.rego): each case gives the answer AWS's
# documentation gives, and the lean verdict must give it and agree with the
# explained decision (verdict.rego) on the same input. Sources:
# EVAL-DENYALLOW https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
# XACCT https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
# SCP-EVAL https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
# VPCE https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
# STS-CMP https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison
# PB-TEST shared/conformance/permissions-boundary-test (observed on AWS)
package clearance.authz_test

import data.clearance.authz

_lean_cases := [
	# EVAL-DENYALLOW: "By default, all requests are implicitly denied".
	{"name": "default deny", "want": ["implicit-deny", "identity"], "in": {"has_resource_policy": false}},
	# EVAL-DENYALLOW: an identity-based Allow allows in the same account
	# (the session's boundary allows too).
	{"name": "identity allow", "want": ["allow", ""], "in": {"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all]})}},
	# EVAL-DENYALLOW: "An explicit deny in any policy overrides any allows".
	{"name": "explicit deny", "want": ["explicit-deny", "identity"], "in": {"policies": _pols({"identity": [_allow_all, _deny_all], "boundary": [_allow_all]})}},
	# EVAL-DENYALLOW: the deny is reported in the order of the policy types.
	{"name": "deny order", "want": ["explicit-deny", "resource"], "in": {"policies": _pols({"resource": [object.union(_rbp({"any": true}), {"effect": "Deny"})], "boundary": [_deny_all]})}},
	# PB-TEST "Role as resource policy principal": (boundary -, role -, RBP Allow) -> Deny.
	{"name": "boundary caps role grant", "want": ["implicit-deny", "boundary"], "in": {"policies": _pols({"resource": [_rbp(_aws([_session.entity_arn]))]})}},
	# PB-TEST "Assumed role session as resource policy principal": (-, -, Allow) -> Allow.
	{"name": "session grant", "want": ["allow", ""], "in": {"policies": _pols({"resource": [_rbp(_aws([_session.arn]))]})}},
	# XACCT: across accounts the resource's side must allow too.
	{"name": "cross account no rbp", "want": ["implicit-deny", "resource"], "in": {"resource_account": "444455556666", "policies": _pols({"identity": [_allow_all], "boundary": [_allow_all]})}},
	{"name": "cross account both", "want": ["allow", ""], "in": {"resource_account": "444455556666", "policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "resource": [_rbp(_aws([_session.account_arn]))]})}},
	# SCP-EVAL: every level from the root down must allow.
	{"name": "scp level gap", "want": ["implicit-deny", "scp"], "in": {"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "scp": [{"name": "root", "statements": [_allow_all]}, {"name": "ou", "statements": []}]})}},
	{"name": "scp every level", "want": ["allow", ""], "in": {"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "scp": [{"name": "root", "statements": [_allow_all]}, {"name": "ou", "statements": [_allow_all]}]})}},
	{"name": "scp deny", "want": ["explicit-deny", "scp"], "in": {"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "scp": [{"name": "root", "statements": [_allow_all, _deny_all]}]})}},
	# VPCE: a request through an endpoint needs its policy to allow.
	{"name": "endpoint without allow", "want": ["implicit-deny", "endpoint"], "in": {"vpc_endpoint": "vpce-1", "policies": _pols({"identity": [_allow_all], "boundary": [_allow_all]})}},
	{"name": "endpoint account is root only", "want": ["implicit-deny", "endpoint"], "in": {"vpc_endpoint": "vpce-1", "policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "endpoint": [_ep(_aws([_session.account_arn]))]})}},
	{"name": "endpoint allows", "want": ["allow", ""], "in": {"vpc_endpoint": "vpce-1", "policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "endpoint": [_ep({"any": true})]})}},
	# STS-CMP: GetFederationToken sessions cannot call IAM.
	{"name": "credential", "want": ["implicit-deny", "credential"], "in": {"action": "iam:getuser", "service": "iam", "principal": _user("federation_token", false), "policies": _pols({"identity": [_allow_all]})}},
	# STS-CMP: GetCallerIdentity needs no permission.
	{"name": "always allowed", "want": ["allow", ""], "in": {"action": "sts:getcalleridentity", "service": "sts", "policies": _pols({"identity": [_deny_all]})}},
]

test_lean_verdict_cases if {
	every c in _lean_cases {
		v := authz.verdict_lean with input as _in(c["in"])
		[v.decision, v.blocked_by] == c.want
	}
}

# The lean verdict agrees with the explained decision on every case.
test_lean_agrees_with_decision if {
	every c in _lean_cases {
		v := authz.verdict_lean with input as _in(c["in"])
		d := authz.decision with input as _in(c["in"])
		[v.decision, v.blocked_by] == [d.decision, d.blocked_by]
	}
}

# protected.rego: an AWS managed policy cannot be deleted whatever the
# policies say (access_policies_manage-delete.html#delete-managed-policy).
test_lean_protected if {
	over := {
		"action": "iam:deletepolicy", "service": "iam", "resource": "arn:aws:iam::aws:policy/ReadOnlyAccess",
		"principal": _user("", false), "policies": _pols({"identity": [_allow_all]}),
	}
	v := authz.verdict_lean with input as _in(over)
	v == {"decision": "implicit-deny", "blocked_by": "protected"}
}

# The lean verdict is two fields: no matched lists.
test_lean_has_no_lists if {
	v := authz.verdict_lean with input as _in({"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all]})})
	object.keys(v) == {"decision", "blocked_by"}
}
