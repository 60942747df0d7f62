# Tests of what AWS protects (protected.rego) and where the verdict places
# it (verdict.rego). Sources:
# MANAGED https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
# DELETE-POLICY https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-delete.html#delete-managed-policy
# VERSIONING https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html#default-version
# EDIT https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-edit.html
# TAG-POLICY https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagPolicy.html
# SLR https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html#troubleshoot_roles_cant-edit-delete-role
# SLR-BOUNDARY https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePermissionsBoundary.html
# TAG-ROLE https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagRole.html
# KMS-ALIAS https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
# KMS-ALIAS-MANAGE https://docs.aws.amazon.com/kms/latest/developerguide/alias-delete.html
# IC https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html
# ORDER https://docs.aws.amazon.com/IAM/latest/UserGuide/intro-structure.html#intro-structure-actions
package clearance.authz_test

import data.clearance.authz

_managed := "arn:aws:iam::aws:policy/ReadOnlyAccess"

_customer := "arn:aws:iam::111122223333:policy/Common"

_slr := "arn:aws:iam::111122223333:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk"

_role := "arn:aws:iam::111122223333:role/deploy"

_sso := "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_Admin_0123456789abcdef"

# _admin_call: a same-account user whose identity policy allows everything.
_admin_call(action, resource) := d if {
	d := authz.decision with input as _in({
		"action": action, "service": split(action, ":")[0], "resource": resource,
		"has_resource_policy": false, "principal": _user("", false),
		"policies": _pols({"identity": [_allow_all]}),
	})
}

_protected(action, resource, what) if {
	d := _admin_call(action, resource)
	d.decision == "implicit-deny"
	d.stage == "protected"
	d.blocked_by == "protected"
	d.protected == what
	startswith(d.protected_source, "https://docs.aws.amazon.com/")
}

# MANAGED, EDIT, VERSIONING, DELETE-POLICY, TAG-POLICY: an AWS managed policy
# cannot be changed, deleted or tagged, whatever the identity policy allows;
# a customer managed one can.
test_aws_managed_policy_protected if {
	every a in ["iam:createpolicyversion", "iam:deletepolicyversion", "iam:setdefaultpolicyversion", "iam:deletepolicy", "iam:tagpolicy", "iam:untagpolicy"] {
		_protected(a, _managed, "aws-managed-policy")
		_admin_call(a, _customer).decision == "allow"
	}
	_protected("iam:createpolicyversion", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "aws-managed-policy")
	_protected("iam:deletepolicy", "arn:aws-cn:iam::aws:policy/ReadOnlyAccess", "aws-managed-policy")
}

# Reading an AWS managed policy, or attaching it, is not a change to it.
test_aws_managed_policy_reads_left_to_policies if {
	_admin_call("iam:getpolicy", _managed).decision == "allow"
	_admin_call("iam:getpolicyversion", _managed).decision == "allow"
}

# MANAGED: each rule cites its own page.
test_aws_managed_policy_sources if {
	_admin_call("iam:createpolicyversion", _managed).protected_source == "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies"
	_admin_call("iam:setdefaultpolicyversion", _managed).protected_source == "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html#default-version"
	_admin_call("iam:deletepolicy", _managed).protected_source == "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-delete.html#delete-managed-policy"
}

# SLR, SLR-BOUNDARY: a service-linked role cannot be deleted, nor its trust,
# permissions or boundary changed, in IAM; a role of the account's own can.
test_service_linked_role_protected if {
	every a in ["iam:deleterole", "iam:updateassumerolepolicy", "iam:putrolepolicy", "iam:deleterolepolicy", "iam:attachrolepolicy", "iam:detachrolepolicy", "iam:putrolepermissionsboundary", "iam:deleterolepermissionsboundary"] {
		_protected(a, _slr, "service-linked-role")
		_admin_call(a, _role).decision == "allow"
	}
}

# SLR ("edit only the description"), TAG-ROLE ("The role can be a regular
# role or a service-linked role"), and the service's own deletion flow: left
# to the policies.
test_service_linked_role_left_to_policies if {
	every a in ["iam:updateroledescription", "iam:tagrole", "iam:untagrole", "iam:deleteservicelinkedrole", "iam:getrole", "iam:passrole"] {
		_admin_call(a, _slr).decision == "allow"
	}
}

# KMS-ALIAS, KMS-ALIAS-MANAGE: alias/aws/ is reserved for AWS managed keys;
# other aliases are the account's.
test_kms_aws_alias_protected if {
	every a in ["kms:createalias", "kms:updatealias", "kms:deletealias"] {
		_protected(a, "arn:aws:kms:us-east-1:111122223333:alias/aws/s3", "kms-aws-alias")
		_admin_call(a, "arn:aws:kms:us-east-1:111122223333:alias/app").decision == "allow"
	}
	_admin_call("kms:createalias", "arn:aws:kms:us-east-1:111122223333:alias/awsome").decision == "allow"
	_admin_call("kms:describekey", "arn:aws:kms:us-east-1:111122223333:alias/aws/s3").decision == "allow"
}

# IC: no page states that AWS refuses changes to the roles Identity Center
# creates; the policies decide.
test_identity_center_roles_left_to_policies if {
	every a in ["iam:deleterole", "iam:putrolepolicy", "iam:updateassumerolepolicy"] {
		_admin_call(a, _sso).decision == "allow"
	}
}

# ORDER: AWS authorizes before it carries out the operation, so a request
# the policies deny is answered with their deny, not the protection.
test_policies_deny_first if {
	bare := authz.decision with input as _in({
		"action": "iam:deleterole", "service": "iam", "resource": _slr, "has_resource_policy": false,
		"principal": _user("", false), "policies": _pols({}),
	})
	bare.stage == "same-account"
	bare.blocked_by == "identity"
	denied := authz.decision with input as _in({
		"action": "iam:deletepolicy", "service": "iam", "resource": _managed, "has_resource_policy": false,
		"principal": _user("", false), "policies": _pols({"identity": [_allow_all, _deny_all]}),
	})
	denied.decision == "explicit-deny"
	denied.blocked_by == "identity"
}

# The root user has every permission in its own account, and still cannot
# change what AWS protects.
test_root_user_protected if {
	root := object.union(_user("", false), {"kind": "root", "arn": "arn:aws:iam::111122223333:root"})
	d := authz.decision with input as _in({
		"action": "iam:deleterole", "service": "iam", "resource": _slr, "has_resource_policy": false,
		"principal": root, "policies": _pols({}),
	})
	d.stage == "protected"
}
