# Fixtures shared by the stage tests (credentials_test.rego,
# guardrails_test.rego, combine_test.rego, verdict_test.rego): statements,
# principals and the request as the engine builds it (engine/input.go).
package clearance.authz_test

import data.clearance.authz

_allow_all := {
	"policy": "p", "sid": "", "idx": 0, "effect": "Allow", "principal": null, "not_principal": false,
	"actions": ["*"], "not_action": false, "resources": ["*"], "not_resource": false,
	"no_resource": false, "res_vars": false, "conditions": [],
}

_deny_all := object.union(_allow_all, {"effect": "Deny"})

_rbp(principal) := object.union(_allow_all, {"policy": "bucket", "principal": principal})

_ep(principal) := object.union(_allow_all, {"policy": "vpce-1 (endpoint policy)", "sid": "Default", "principal": principal})

_aws(arns) := {"any": false, "aws": arns, "service": [], "federated": [], "canonical": []}

_session := {
	"kind": "role_session", "arn": "arn:aws:sts::111122223333:assumed-role/r/s",
	"entity_arn": "arn:aws:iam::111122223333:role/r", "account": "111122223333",
	"account_arn": "arn:aws:iam::111122223333:root", "has_boundary": true,
	"has_session_policy": false, "management_account": false, "service_linked": false,
	"enclosing": [],
}

_user(credential, mfa) := {
	"kind": "user", "arn": "arn:aws:iam::111122223333:user/u", "entity_arn": "",
	"account": "111122223333", "account_arn": "arn:aws:iam::111122223333:root",
	"has_boundary": false, "has_session_policy": false, "management_account": false,
	"service_linked": false, "enclosing": [], "credential": credential, "mfa": mfa,
}

_in(over) := object.union(
	{
		"action": "s3:putobject", "service": "s3", "resource": "arn:aws:s3:::b/k",
		"resource_account": "111122223333", "resource_in_management_account": false,
		"resource_policy_required": false, "has_resource_policy": true,
		"principal": _session, "context": {}, "vpc_endpoint": "",
		"policies": {"identity": [], "boundary": [], "session": [], "resource": [], "scp": [], "rcp": [], "endpoint": []},
	},
	over,
)

_pols(over) := object.union({"identity": [], "boundary": [], "session": [], "resource": [], "scp": [], "rcp": [], "endpoint": []}, over)

_outcome(over) := d.decision if {
	d := authz.decision with input as _in(over)
}
