# Tests of the verdict (verdict.rego): which stage decides. Sources:
# EVAL-DENYALLOW https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
# VPCE https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
package clearance.authz_test

import data.clearance.authz

# EVAL-DENYALLOW: an explicit deny in any policy wins.
test_explicit_deny_wins if {
	d := authz.decision with input as _in({"policies": _pols({"resource": [_rbp(_aws([_session.arn]))], "identity": [_deny_all]})})
	d.decision == "explicit-deny"
	d.blocked_by == "identity"
}

# EVAL-DENYALLOW: by default every request is implicitly denied, except for
# the root user, which has full access to its own account.
test_default_implicit_deny if {
	bare := {"has_resource_policy": false, "policies": _pols({})}
	d := authz.decision with input as _in(object.union(bare, {"principal": _user("", false)}))
	d.decision == "implicit-deny"
	d.blocked_by == "identity"
	root := object.union(_user("", false), {"kind": "root", "arn": "arn:aws:iam::111122223333:root"})
	_outcome(object.union(bare, {"principal": root})) == "allow"
}

# EVAL-DENYALLOW, VPCE: an explicit Deny in the endpoint policy wins over
# every Allow, the resource policy's naming the requester included.
test_endpoint_explicit_deny_wins if {
	deny := object.union(_ep({"any": true}), {"effect": "Deny"})
	pols := _pols({"resource": [_rbp(_aws([_session.arn]))], "endpoint": [_ep({"any": true}), deny]})
	d := authz.decision with input as _in({"vpc_endpoint": "vpce-1", "policies": pols})
	d.decision == "explicit-deny"
	d.blocked_by == "endpoint"
	_outcome({"policies": pols}) == "allow"
}

# The SCP levels are reported before the endpoint policy when both fail to
# allow (the order of the stages; either denies).
test_endpoint_after_scp if {
	gap := [{"name": "root", "statements": []}]
	pols := _pols({"identity": [_allow_all], "boundary": [_allow_all], "scp": gap, "endpoint": []})
	d := authz.decision with input as _in({"vpc_endpoint": "vpce-1", "policies": pols})
	d.blocked_by == "scp"
}
