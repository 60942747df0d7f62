# Tests of the verdict (verdict.rego): which stage decides. Source:
# EVAL-DENYALLOW https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
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
