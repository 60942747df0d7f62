package review

// Rule is one kind of finding, as SARIF's rules and the documentation
// describe it: a stable kebab-case id, its severity, a one-line and a full
// description, and help that says what it means and how to fix it.
type Rule struct {
	ID, Severity, Short, Full, Help string
}

// The rule ids.
const (
	RuleNewAdministrator    = "new-administrator"
	RuleNewPublicAccess     = "new-public-access"
	RuleNewEscalation       = "new-privilege-escalation"
	RuleNewAdminReach       = "new-admin-reach"
	RuleOpenWebIdentity     = "web-identity-trust-without-subject"
	RuleNoExternalID        = "third-party-trust-without-external-id"
	RuleAssertionFailed     = "assertion-failed"
	RuleCrossAccount        = "new-cross-account-access"
	RuleUnknownManaged      = "unknown-managed-policy"
	RuleUnknownDocument     = "unknown-policy-document"
	RulePolicyWarning       = "policy-warning"
	RuleFederationEntry     = "new-federation-entry-point"
	RuleAccessAdded         = "access-added"
	RuleAccessRemoved       = "access-removed"
	sourceConfusedDeputy    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"
	sourceOIDCTrust         = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html"
	sourceEvaluationLogic   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
	sourceCrossAccountLogic = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html"
)

const iamGuide = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"

// Rules lists every rule a review reports, most severe first.
var Rules = []Rule{
	{RuleNewAdministrator, Critical, "A principal becomes administrator-equivalent",
		"After the change a user, a role or a session reachable through STS is allowed every action on every resource (\"Action\": \"*\" on \"Resource\": \"*\", as AdministratorAccess grants), which it was not allowed before.",
		"An administrator can read, change and delete everything in the account, including its own permissions and the audit trail. AWS recommends granting only the permissions a task requires (Grant least privilege, " + iamGuide + "access_policies.html#grant-least-priv); AdministratorAccess is a job-function policy for administrators only (" + iamGuide + "access_policies_job-functions.html). Fix: replace \"Action\": \"*\" (or the service wildcards) with the actions the workload calls, scope Resource to its ARNs, or add a permissions boundary that sets the maximum permissions (" + iamGuide + "access_policies_boundaries.html)."},
	{RuleNewPublicAccess, Critical, "A resource becomes public",
		"After the change a resource policy (or a role trust policy) allows anyone, including anonymous or unauthenticated callers and every AWS account, to perform an action on the resource, which nobody outside the intended principals could before.",
		"AWS: \"We strongly recommend that you do not use a wildcard (*) in the Principal element of a resource-based policy with an Allow effect unless you intend to grant public or anonymous access\" (AWS JSON policy elements: Principal, All principals, " + iamGuide + "reference_policies_elements_principal.html#principal-anonymous). Fix: name the intended accounts, roles or services in Principal, or keep \"*\" and restrict it with conditions such as aws:PrincipalOrgID, aws:SourceArn or aws:SourceAccount (" + iamGuide + "reference_policies_condition-keys.html); for S3, keep Block Public Access on."},
	{RuleNewEscalation, High, "A new privilege-escalation path",
		"After the change a principal holds a set of permissions that lets it raise its own privileges (for example iam:AttachUserPolicy on itself, iam:CreatePolicyVersion on a policy attached to it, or iam:PassRole with a service that runs code under a more privileged role), which it did not hold before. The message names the method.",
		"A principal that can change its own permissions has, in effect, every permission it can grant itself, whatever its policies say today. Fix: remove the IAM write actions from the workload's policy or restrict their Resource so they cannot target the principal itself or its policies; restrict iam:PassRole to the roles the service needs with the Resource element and the iam:PassedToService condition key (Granting a user permissions to pass a role to an AWS service, " + iamGuide + "id_roles_use_passrole.html); use a permissions boundary to cap what a principal can grant (" + iamGuide + "access_policies_boundaries.html)."},
	{RuleNewAdminReach, High, "A new path into an administrator role",
		"After the change a principal can reach, through one or more sts:AssumeRole hops allowed by the identity policies and the trust policies, a role that is administrator-equivalent, which it could not reach before.",
		"Being able to assume an administrator role is being an administrator: the session gets the role's permissions (Using IAM roles, " + iamGuide + "id_roles_use.html). The role's trust policy must allow the caller, and a caller in another account also needs its own identity policy to allow sts:AssumeRole (" + iamGuide + "reference_policies_evaluation-logic-cross-account.html). Fix: name only the intended principals in the administrator role's trust policy, remove sts:AssumeRole on that role from the new policy, or require MFA with the aws:MultiFactorAuthPresent condition key."},
	{RuleOpenWebIdentity, High, "A role trusts a web identity provider without pinning the subject",
		"A role's trust policy allows sts:AssumeRoleWithWebIdentity for an identity provider (GitHub Actions, Google, Cognito, any OIDC provider) without a condition on the token's subject (sub, or the provider's equivalent), so any identity the provider vouches for, in any repository or tenant, can assume it.",
		"Anyone with an account at the provider can become the role: for GitHub Actions, any repository. Add a StringEquals or StringLike condition on the provider's sub key (token.actions.githubusercontent.com:sub: repo:ORG/REPO:ref:refs/heads/main) as AWS's OIDC guide says (" + sourceOIDCTrust + ")."},
	{RuleNoExternalID, High, "A role trusts another organization's account without sts:ExternalId",
		"A role's trust policy allows an account outside the organization to assume it without a condition on sts:ExternalId.",
		"A third party acting for several customers can be tricked into using its access to this role on someone else's behalf (the confused deputy). Require the external id the third party gives you with a StringEquals condition on sts:ExternalId (" + sourceConfusedDeputy + ")."},
	{RuleAssertionFailed, High, "An assertion of the --assert file failed",
		"A check of the assertion file (expect: allow, implicit-deny or explicit-deny, judged on the world after the change) got another decision, or a must_not_gain entry matched access a principal gains with the change.",
		"The assertion file records what the deployment must and must not allow; the change breaks it. The finding names the expected and the actual decision and its why. Fix the change, or, if the new behaviour is intended, update the assertion with the reason. How AWS reaches the decision: Policy evaluation logic (" + iamGuide + "reference_policies_evaluation-logic.html)."},
	{RuleCrossAccount, Medium, "New access from another account or from outside the organization",
		"After the change a principal of another AWS account, or of an account outside the world's organization, is allowed an action on a resource of the account (through a resource policy or a role trust policy) that it was not allowed before.",
		"Cross-account access is allowed when the resource policy of the trusting account and the identity policy of the trusted account both allow it (Cross-account policy evaluation logic, " + iamGuide + "reference_policies_evaluation-logic-cross-account.html); the other account decides who among its principals uses it. Check that the account is the one intended. Fix: name the specific role instead of the account root, restrict with aws:PrincipalOrgID to keep access inside the organization (" + iamGuide + "reference_policies_condition-keys.html#condition-keys-principalorgid), and record intended sharing in a baseline or an accept entry."},
	{RuleUnknownDocument, Medium, "A policy the change writes is known only after deployment",
		"A policy document of the change (an identity, trust, resource or organization policy) is computed at deployment: a Terraform value known only after apply, or a template value that cannot be resolved. The review keeps what the world had in its place and compares without it; a role whose trust policy is unknown can be assumed, as far as the review knows, only by the unknown principal.",
		"What the document allows or denies is not in the comparison, and it is not assumed empty. Make the document known in the plan (render it from an aws_iam_policy_document data source whose inputs are known, or from constants), or review the document that deployment will produce by hand (Policy evaluation logic, " + iamGuide + "reference_policies_evaluation-logic.html)."},
	{RuleUnknownManaged, Medium, "An attached AWS managed policy whose contents are unknown",
		"The change attaches an AWS managed policy (arn:aws:iam::aws:policy/...) that the world's aws_managed source does not hold, so the review cannot know what it grants; it is not assumed empty.",
		"AWS managed policies are created and updated by AWS and can grant broad access (Managed policies and inline policies, " + iamGuide + "access_policies_managed-vs-inline.html#aws-managed-policies). The review's verdict on the principals it is attached to is incomplete. Fix: add the policy's document to the world's aws_managed source (an export of the account's policies holds it), or attach a customer managed policy that grants only what the workload needs."},
	{RulePolicyWarning, Medium, "A policy of the change names something AWS does not have",
		"A policy the change writes names an action, a service or a condition key that AWS does not have (a typo, a renamed action, a service prefix that does not exist), tests a multivalued key without a set operator, or breaks a rule of IAM's CreatePolicy.",
		"IAM accepts a policy that names an unknown action but the statement never matches a request, so the access it was meant to grant or deny silently does not happen; a Deny on a misspelled action protects nothing. The valid actions of each service are listed in the Service Authorization Reference (Actions, resources, and condition keys for AWS services, " + iamGuide + "reference_policies_actions-resources-contextkeys.html); IAM Access Analyzer's policy validation reports the same (" + iamGuide + "access_policies_policy-validator.html). Fix: correct the action's spelling or service prefix."},
	{RuleFederationEntry, Low, "A new federation entry point",
		"A role trust policy the change writes lets federated identities (web identity or SAML) assume the role, with the subject pinned by a condition. It is reported so that reviewers see every way into the account.",
		"Federated users of the identity provider get the role's permissions when the trust policy's conditions match their token (Identity providers and federation, " + iamGuide + "id_roles_providers.html; " + iamGuide + "id_roles_create_for-idp_oidc.html). Check that the pinned subject (repository, branch, user pool, SAML audience) is the intended one and that the role's permissions are the least the workload needs. No fix is needed when the entry point is intended: accept it in the assertion file or the baseline."},
	{RuleAccessAdded, Low, "Access added by the change",
		"After the change a principal is allowed an action on a resource that it was not allowed before, and no more specific rule (administrator, escalation, public, outside access) applies.",
		"Every permission a change adds is reported so that the reviewer can compare it with what the workload needs; the finding's why shows the statements that now allow it (Policy evaluation logic, " + iamGuide + "reference_policies_evaluation-logic.html). Fix nothing if the access is intended; otherwise narrow the statement's Action and Resource (Grant least privilege, " + iamGuide + "access_policies.html#grant-least-priv)."},
	{RuleAccessRemoved, Low, "Access removed by the change",
		"Before the change a principal was allowed an action on a resource that it is no longer allowed after: a deleted or narrowed statement, a new Deny, a boundary, an SCP or an RCP.",
		"Removing access is safe for security but can break a workload that still uses it. The finding's why shows the decision before the change and what now denies it (Policy evaluation logic, " + iamGuide + "reference_policies_evaluation-logic.html). Check with IAM last-accessed information whether the permission is used (" + iamGuide + "access_policies_access-advisor.html) before removing it."},
}

// RuleByID returns the rule with the id.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
