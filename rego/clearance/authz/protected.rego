package clearance.authz

# METADATA
# scope: document
# title: Resources AWS protects
# description: |
#   The requests AWS refuses whatever the policies say, because the
#   resource is AWS's own: AWS managed policies, the alias/aws/ aliases of
#   AWS managed KMS keys, and service-linked roles. Each rule quotes the
#   sentence of the AWS page it rests on; _protection names what is
#   protected and that page. verdict.rego answers it as stage "protected"
#   once the policies allow the request (AWS authorizes before it carries
#   out the operation); like the credential rules, it holds whatever they
#   say.
#
#   Left to the policies, because no AWS page states a refusal:
#   - roles that IAM Identity Center creates under
#     /aws-reserved/sso.amazonaws.com/. The Identity Center page says
#     only that "IAM Identity Center manages the role" and updates it as
#     the permission set changes
#     (https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html).
#     An AWS Knowledge Center article reports an error when "you use the
#     IAM console to modify a role name that begins with AWSReservedSSO"
#     (https://repost.aws/knowledge-center/identity-center-aws-reserved-sso):
#     that is the console, not the API calls this engine decides.
#   - on a service-linked role: iam:DeleteServiceLinkedRole (the deletion
#     flow the IAM User Guide documents), iam:UpdateRoleDescription and
#     iam:UpdateRole ("You can use the IAM console, AWS CLI, or API to edit
#     only the description of a service-linked role": the request does not
#     say which fields UpdateRole changes), iam:TagRole and iam:UntagRole
#     (API_TagRole: "The role can be a regular role or a service-linked
#     role"), iam:PassRole and sts:AssumeRole (the trust policy decides).
#   - AWS managed KMS keys, whose ARN (key/ID) does not say who manages
#     them: their key policy, which AWS writes, decides.
#
#   This block heads the file. OPA takes one package-scoped METADATA block
#   per package, which verdict.rego holds, so this one is scoped to the
#   rule below.
_protection := {"what": "aws-managed-policy", "source": page} if {
	input.service == "iam"
	page := _managed_policy_pages[input.action]
	_arn_resource(input.resource, "iam", "aws", "policy/")
}

# AWS managed policies (account "aws" in the ARN:
# arn:aws:iam::aws:policy/IAMReadOnlyAccess) cannot be changed, deleted
# or tagged:
# - CreatePolicyVersion: "You cannot change the permissions defined in AWS
#   managed policies." (access_policies_managed-vs-inline.html#aws-managed-policies)
# - DeletePolicyVersion: "You can edit customer managed policies and inline
#   policies in IAM. AWS managed policies cannot be edited."
#   (access_policies_manage-edit.html, whose procedures include deleting a
#   version)
# - SetDefaultPolicyVersion: "You cannot set the default version for an AWS
#   managed policy or an inline policy." (access_policies_managed-versioning.html#default-version)
# - DeletePolicy: "You can delete a customer managed policy to remove it
#   from your AWS account. You cannot delete AWS managed policies."
#   (access_policies_manage-delete.html#delete-managed-policy)
# - TagPolicy, UntagPolicy: "Adds one or more tags to an IAM customer
#   managed policy." / "Removes the specified tags from the customer
#   managed policy." (IAM API Reference, API_TagPolicy, API_UntagPolicy:
#   the operations take a customer managed policy's ARN only)
_managed_policy_pages := {
	"iam:createpolicyversion": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies",
	"iam:deletepolicyversion": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-edit.html",
	"iam:setdefaultpolicyversion": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html#default-version",
	"iam:deletepolicy": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-delete.html#delete-managed-policy",
	"iam:tagpolicy": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagPolicy.html",
	"iam:untagpolicy": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagPolicy.html",
}

_protection := {"what": "kms-aws-alias", "source": page} if {
	input.service == "kms"
	page := _kms_alias_pages[input.action]
	_arn_resource(input.resource, "kms", "", "alias/aws/")
}

# The alias/aws/ prefix names the aliases of AWS managed keys: "Aliases for
# these KMS keys always have the form aws/<service-name>" (kms-alias.html).
# - CreateAlias: "The alias name cannot begin with alias/aws/. The
#   alias/aws/ prefix is reserved for AWS managed keys." (KMS API
#   Reference, API_CreateAlias, AliasName; alias-create.html says the same)
# - UpdateAlias, DeleteAlias: "You cannot manage aliases for AWS managed
#   keys or AWS owned keys." (alias-delete.html, where it stands in the
#   console procedure; for UpdateAlias the API Reference adds "You don't
#   have permission to associate an alias with an AWS managed key.")
_kms_alias_pages := {
	"kms:createalias": "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
	"kms:updatealias": "https://docs.aws.amazon.com/kms/latest/developerguide/alias-delete.html",
	"kms:deletealias": "https://docs.aws.amazon.com/kms/latest/developerguide/alias-delete.html",
}

_protection := {"what": "service-linked-role", "source": page} if {
	input.service == "iam"
	page := _service_linked_role_pages[input.action]
	_arn_resource(input.resource, "iam", "", "role/aws-service-role/")
}

# Service-linked roles live under the path /aws-service-role/
# (using-service-linked-roles.html: "arn:aws:iam::*:role/aws-service-role/*").
# - DeleteRole, the permissions and trust policies: "You cannot delete or
#   edit the permissions for a service-linked role in IAM. These roles
#   include predefined trusts and permissions that are required by the
#   service in order to perform actions on your behalf. You can use the IAM
#   console, AWS CLI, or API to edit only the description of a
#   service-linked role." (troubleshoot_roles.html#troubleshoot_roles_cant-edit-delete-role)
# - the permissions boundary: "You cannot set the boundary for a
#   service-linked role." (IAM API Reference, API_PutRolePermissionsBoundary
#   and API_DeleteRolePermissionsBoundary)
# Each of these operations lists the UnmodifiableEntity error: "service-linked
# roles are protected AWS resources. Only the service that depends on the
# service-linked role can modify or delete the role on your behalf."
_service_linked_role_pages := {
	"iam:deleterole": _slr_page,
	"iam:updateassumerolepolicy": _slr_page,
	"iam:putrolepolicy": _slr_page,
	"iam:deleterolepolicy": _slr_page,
	"iam:attachrolepolicy": _slr_page,
	"iam:detachrolepolicy": _slr_page,
	"iam:putrolepermissionsboundary": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePermissionsBoundary.html",
	"iam:deleterolepermissionsboundary": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRolePermissionsBoundary.html",
}

_slr_page := "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html#troubleshoot_roles_cant-edit-delete-role"

# _arn_resource holds when arn is an ARN of service, whose account is
# account (any when ""), in any partition and Region, and whose resource
# part starts with prefix (case-sensitive, as ARNs are).
_arn_resource(arn, service, account, prefix) if {
	parts := split(arn, ":")
	count(parts) > 5
	parts[0] == "arn"
	parts[2] == service
	_account_is(parts[4], account)
	startswith(concat(":", array.slice(parts, 5, count(parts))), prefix)
}

_account_is(_, "")

_account_is(a, account) if {
	account != ""
	a == account
}
