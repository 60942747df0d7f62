# Tests of how policy types combine. Sources:
# EVAL-DENYALLOW https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
# XACCT https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
# SCP https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
# PB-TEST shared/conformance/permissions-boundary-test (observed on AWS)
package clearance.authz_test

import data.clearance.authz

_allow_all := {
	"policy": "p", "sid": "", "idx": 0, "effect": "Allow", "principal": null, "not_principal": false,
	"actions": ["*"], "not_action": false, "resources": ["*"], "not_resource": false,
	"no_resource": false, "res_vars": false, "conditions": [],
}

_deny_all := object.union(_allow_all, {"effect": "Deny"})

_rbp(principal) := object.union(_allow_all, {"policy": "bucket", "principal": principal})

_aws(arns) := {"any": false, "aws": arns, "service": [], "federated": [], "canonical": []}

_session := {
	"kind": "role_session", "arn": "arn:aws:sts::111122223333:assumed-role/r/s",
	"entity_arn": "arn:aws:iam::111122223333:role/r", "account": "111122223333",
	"account_arn": "arn:aws:iam::111122223333:root", "has_boundary": true,
	"has_session_policy": false, "management_account": false, "service_linked": false,
	"enclosing": [],
}

_in(over) := object.union(
	{
		"action": "s3:putobject", "service": "s3", "resource": "arn:aws:s3:::b/k",
		"resource_account": "111122223333", "resource_in_management_account": false,
		"resource_policy_required": false, "has_resource_policy": true,
		"principal": _session, "context": {},
		"policies": {"identity": [], "boundary": [], "session": [], "resource": [], "scp": [], "rcp": []},
	},
	over,
)

_pols(over) := object.union({"identity": [], "boundary": [], "session": [], "resource": [], "scp": [], "rcp": []}, over)

_outcome(over) := d.decision if {
	d := authz.decision with input as _in(over)
}

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

# EVAL-DENYALLOW: an explicit deny in any policy wins.
test_explicit_deny_wins if {
	d := authz.decision with input as _in({"policies": _pols({"resource": [_rbp(_aws([_session.arn]))], "identity": [_deny_all]})})
	d.decision == "explicit-deny"
	d.blocked_by == "identity"
}

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

# XACCT: cross-account needs the principal's identity side and the resource policy.
test_cross_account_both_sides if {
	x := {"resource_account": "444455556666"}
	rbp := [_rbp(_aws(["arn:aws:iam::111122223333:root"]))]
	_outcome(object.union(x, {"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all], "resource": rbp})})) == "allow"
	d := authz.decision with input as _in(object.union(x, {"policies": _pols({"identity": [_allow_all], "boundary": [_allow_all]})}))
	d.blocked_by == "resource"
	_outcome(object.union(x, {"policies": _pols({"resource": rbp, "boundary": [_allow_all]})})) == "implicit-deny"
}

# EVAL-DENYALLOW: a GetFederationToken session without session policy has no permissions.
test_federated_without_session_policy if {
	p := object.union(_session, {"kind": "federated_user", "has_boundary": false})
	d := authz.decision with input as _in({"principal": p, "policies": _pols({"identity": [_allow_all]})})
	d.decision == "implicit-deny"
	d.blocked_by == "session"
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

# RCP page, "List of AWS services that support RCPs": the five services of
# the launch (S3, STS, KMS, SQS, Secrets Manager) and those added since
# (among them DynamoDB, ECR, CloudWatch Logs) are covered; EC2, Lambda and
# IAM are not.
test_rcp_services if {
	every s in {"s3", "sts", "kms", "sqs", "secretsmanager", "dynamodb", "ecr", "logs"} {
		s in authz.rcp_services
	}
	every s in {"ec2", "lambda", "iam"} {
		not s in authz.rcp_services
	}
}
