package clearance.authz

# METADATA
# scope: document
# title: Credential rules
# description: |
#   The rules that come before the policy types combine: the calls that are
#   always allowed whatever the policies say (GetCallerIdentity, and
#   GetSessionToken with long-term credentials), and those each kind of
#   temporary credentials may never make (_credential_blocks below).
#   Sources:
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html
#   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
#
#   This block heads the file. OPA takes one package-scoped METADATA block
#   per package, which verdict.rego holds, so this one is scoped to the
#   rule below.
#
#   GetCallerIdentity needs no permission and cannot be denied (STS
#   comparison table, footnote). GetSessionToken cannot be controlled by
#   policies either: an IAM user or the root user with long-term
#   credentials may always call it (id_credentials_temp_control-access_getsessiontoken).
_always_allowed if {
	input.action == "sts:getcalleridentity"
	input.action in policy_free_actions
}

_always_allowed if {
	input.action == "sts:getsessiontoken"
	input.action in policy_free_actions
	input.principal.kind in {"user", "root"}
	input.principal.credential == ""
}

# policy_free_actions are the only actions the logic may allow without an
# Allow statement (besides the root user's own account and the federated
# users it makes). The engine reads this set for its allow index, which
# skips decisions that no statement could allow.
policy_free_actions := {"sts:getcalleridentity", "sts:getsessiontoken"}

# What each kind of credentials may not call, whatever the policies say
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison):
# GetFederationToken sessions: no IAM operation, from STS only
# GetCallerIdentity (handled above). GetSessionToken credentials: no IAM
# operation unless MFA was used, from STS only AssumeRole. Role sessions
# (AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity): not
# GetFederationToken nor GetSessionToken. The root user cannot call
# AssumeRole (iam-semantics.md 7.1: undocumented, rejected).
# (Each body starts with an input equality OPA's rule index can select on.)
_credential_blocks if {
	input.principal.credential == "federation_token"
	input.service in {"iam", "sts"}
}

_credential_blocks if {
	input.principal.credential == "session_token"
	input.service == "iam"
	not input.principal.mfa
}

_credential_blocks if {
	input.principal.credential == "session_token"
	input.service == "sts"
	not input.action in _session_token_sts
}

# AssumeRole, with the permission-only actions its tags and source
# identity need (id_session-tags.html: "In addition to the action that
# matches the API operation, you must have ... sts:TagSession").
_session_token_sts := {"sts:assumerole", "sts:tagsession", "sts:setsourceidentity"}

_credential_blocks if {
	input.principal.credential == "role"
	input.action in {"sts:getfederationtoken", "sts:getsessiontoken"}
}

_credential_blocks if {
	input.principal.kind == "root"
	input.action == "sts:assumerole"
}
