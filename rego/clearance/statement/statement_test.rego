# Tests of statement applicability. Sources: the IAM policy element pages
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
package clearance.statement_test

import data.clearance.statement

_s(over) := object.union(
	{
		"effect": "Allow", "principal": null, "not_principal": false,
		"actions": ["s3:get*"], "not_action": false,
		"resources": ["arn:aws:s3:::bucket/*"], "not_resource": false, "no_resource": false,
		"res_vars": false, "conditions": [],
	},
	over,
)

_req := {"action": "s3:getobject", "resource": "arn:aws:s3:::bucket/a.txt", "context": {}}

test_action_and_resource_match if {
	statement.applies(_s({})) with input as _req
}

test_action_mismatch if {
	not statement.applies(_s({"actions": ["s3:put*"]})) with input as _req
}

# NotAction matches every action except those listed.
test_not_action if {
	statement.applies(_s({"actions": ["iam:*"], "not_action": true})) with input as _req
	not statement.applies(_s({"actions": ["s3:*"], "not_action": true})) with input as _req
}

# NotResource matches every resource except those listed.
test_not_resource if {
	statement.applies(_s({"resources": ["arn:aws:s3:::other/*"], "not_resource": true})) with input as _req
	not statement.applies(_s({"not_resource": true})) with input as _req
}

# A variable in Resource is substituted from the context.
test_resource_variable if {
	s := _s({"res_vars": true, "resources": [{"tmpl": [{"lit": "arn:aws:s3:::bucket/"}, {"var": "aws:username"}]}]})
	req := object.union(_req, {"resource": "arn:aws:s3:::bucket/alice", "context": {"aws:username": ["alice"]}})
	statement.applies(s) with input as req
	not statement.applies(s) with input as object.union(req, {"context": {"aws:username": ["bob"]}})
	not statement.applies(s) with input as object.union(_req, {"resource": "arn:aws:s3:::bucket/alice"})
}

_p := {
	"kind": "role_session", "arn": "arn:aws:sts::111122223333:assumed-role/app/s1",
	"entity_arn": "arn:aws:iam::111122223333:role/app", "account": "111122223333",
	"account_arn": "arn:aws:iam::111122223333:root", "has_boundary": false,
	"enclosing": [
		"arn:aws:sts::111122223333:assumed-role/app/s1",
		"arn:aws:iam::111122223333:role/app",
		"arn:aws:iam::111122223333:root",
	],
}

_pr(aws) := {"any": false, "aws": aws, "service": [], "federated": [], "canonical": []}

test_principal_classes if {
	statement.principal_match({"principal": _pr([_p.arn])}) == "direct" with input.principal as _p
	statement.principal_match({"principal": _pr([_p.entity_arn])}) == "entity" with input.principal as _p
	statement.principal_match({"principal": _pr([_p.account_arn])}) == "account" with input.principal as _p
	statement.principal_match({"principal": object.union(_pr([]), {"any": true})}) == "direct" with input.principal as _p
	not statement.principal_match({"principal": _pr(["arn:aws:iam::444455556666:root"])}) with input.principal as _p
}

# NOTPRINCIPAL: a session is excluded only when the session, its role and
# its account are all listed; a principal with a boundary never is.
test_not_principal if {
	s := {"principal": _pr(_p.enclosing)}
	not statement.not_principal_applies(s) with input.principal as _p
	statement.not_principal_applies({"principal": _pr([_p.arn])}) with input.principal as _p
	statement.not_principal_applies(s) with input.principal as object.union(_p, {"has_boundary": true})
}

# PRINCIPAL ("IAM role principals"): a trust policy that named a role is
# stored with the role's unique id.
test_principal_unique_id if {
	p := object.union(_p, {"entity_unique_id": "AROAEXAMPLEID"})
	statement.principal_match({"principal": _pr(["AROAEXAMPLEID"])}) == "entity" with input.principal as p
}
