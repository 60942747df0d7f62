package review

// Rule describes one kind of finding: its stable id, its severity (the
// issue's "Decisions already made"), a one-line summary, a description of
// what it detects, and help saying what it means and how to fix it, with
// the AWS pages that are the authority. SARIF's rules and the
// documentation (docs/review-output.md) are written from it.
type Rule struct {
	ID, Severity, Short, Full, Help string
}

// Rule ids. The review and the outputs name rules only through these.
const (
	RuleAdministrator   = "new-administrator"
	RuleEscalation      = "new-privilege-escalation"
	RuleReachAdmin      = "new-administrator-reach"
	RulePublic          = "newly-public"
	RuleOutsideAccess   = "new-outside-access"
	RuleStrangerTrust   = "stranger-trust"
	RuleFederationEntry = "federation-entry-point"
	RuleAssertionFailed = "assertion-failed"
	RuleUnknownAction   = "unknown-action"
	RuleUnknownKey      = "unknown-condition-key"
	RuleUnknownManaged  = "unknown-managed-policy"
	RuleAccessAdded     = "access-added"
	RuleAccessRemoved   = "access-removed"
)

const iamGuide = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"

// Rules lists every rule, most severe first; the order is stable (SARIF's
// ruleIndex and the JUnit test cases follow it).
var Rules = []Rule{
	{RuleAdministrator, Critical, "A principal becomes administrator-equivalent",
		"After the change a user, a role or a session reachable through STS is allowed every action on every resource (\"Action\": \"*\" on \"Resource\": \"*\", as AdministratorAccess grants), which it was not allowed before.",
		"An administrator can read, change and delete everything in the account, including its own permissions and the audit trail. AWS recommends granting only the permissions a task requires (Grant least privilege, " + iamGuide + "access_policies.html#grant-least-priv); AdministratorAccess is a job-function policy for administrators only (" + iamGuide + "access_policies_job-functions.html). Fix: replace \"Action\": \"*\" (or the service wildcards) with the actions the workload calls, scope Resource to its ARNs, or add a permissions boundary that sets the maximum permissions (" + iamGuide + "access_policies_boundaries.html)."},
	{RulePublic, Critical, "A resource becomes public",
		"After the change a resource policy (or a role trust policy) allows anyone, including anonymous or unauthenticated callers and every AWS account, to perform an action on the resource, which nobody outside the intended principals could before.",
		"AWS: \"We strongly recommend that you do not use a wildcard (*) in the Principal element of a resource-based policy with an Allow effect unless you intend to grant public or anonymous access\" (AWS JSON policy elements: Principal, All principals, " + iamGuide + "reference_policies_elements_principal.html#principal-anonymous). Fix: name the intended accounts, roles or services in Principal, or keep \"*\" and restrict it with conditions such as aws:PrincipalOrgID, aws:SourceArn or aws:SourceAccount (" + iamGuide + "reference_policies_condition-keys.html); for S3, keep Block Public Access on."},
	{RuleEscalation, High, "A new privilege-escalation path",
		"After the change a principal holds a set of permissions that lets it raise its own privileges (for example iam:AttachUserPolicy on itself, iam:CreatePolicyVersion on a policy attached to it, or iam:PassRole with a service that runs code under a more privileged role), which it did not hold before. The message names the method.",
		"A principal that can change its own permissions has, in effect, every permission it can grant itself, whatever its policies say today. Fix: remove the IAM write actions from the workload's policy or restrict their Resource so they cannot target the principal itself or its policies; restrict iam:PassRole to the roles the service needs with the Resource element and the iam:PassedToService condition key (Granting a user permissions to pass a role to an AWS service, " + iamGuide + "id_roles_use_passrole.html); use a permissions boundary to cap what a principal can grant (" + iamGuide + "access_policies_boundaries.html)."},
	{RuleReachAdmin, High, "A new path into an administrator role",
		"After the change a principal can reach, through one or more sts:AssumeRole hops allowed by the identity policies and the trust policies, a role that is administrator-equivalent, which it could not reach before.",
		"Being able to assume an administrator role is being an administrator: the session gets the role's permissions (Using IAM roles, " + iamGuide + "id_roles_use.html). The role's trust policy must allow the caller, and a caller in another account also needs its own identity policy to allow sts:AssumeRole (" + iamGuide + "reference_policies_evaluation-logic-cross-account.html). Fix: name only the intended principals in the administrator role's trust policy, remove sts:AssumeRole on that role from the new policy, or require MFA with the aws:MultiFactorAuthPresent condition key."},
	{RuleStrangerTrust, High, "A trust policy a stranger can satisfy",
		"A role trust policy the change writes can be satisfied by someone the account does not know: a web-identity (OIDC) trust without a condition on the provider's sub claim, so any identity of that provider (for GitHub, any repository) can assume the role, or a trust of a third-party account without sts:ExternalId.",
		"AWS: for GitHub as an OIDC provider \"you can use the condition key token.actions.githubusercontent.com:sub to limit access ... If you do not include this condition, then GitHub Actions from organizations or repositories outside of your control are able to assume roles\" (Creating a role for web identity or OIDC federation, " + iamGuide + "id_roles_create_for-idp_oidc.html). A role for a third party should require an external ID known only to you and the third party, against the confused deputy problem (" + iamGuide + "id_roles_create_for-user_externalid.html). Fix: add a StringEquals or StringLike condition on <provider>:sub naming your organization, repository and branch (and <provider>:aud), or a StringEquals condition on sts:ExternalId."},
	{RuleAssertionFailed, High, "An assertion of the --assert file failed",
		"A check of the assertion file (expect: allow, implicit-deny or explicit-deny, judged on the world after the change) got another decision, or a must_not_gain entry matched access a principal gains with the change.",
		"The assertion file records what the deployment must and must not allow; the change breaks it. The finding names the expected and the actual decision and its why. Fix the change, or, if the new behaviour is intended, update the assertion with the reason. How AWS reaches the decision: Policy evaluation logic (" + iamGuide + "reference_policies_evaluation-logic.html)."},
	{RuleOutsideAccess, Medium, "New access from another account or from outside the organization",
		"After the change a principal of another AWS account, or of an account outside the world's organization, is allowed an action on a resource of the account (through a resource policy or a role trust policy) that it was not allowed before.",
		"Cross-account access is allowed when the resource policy of the trusting account and the identity policy of the trusted account both allow it (Cross-account policy evaluation logic, " + iamGuide + "reference_policies_evaluation-logic-cross-account.html); the other account decides who among its principals uses it. Check that the account is the one intended. Fix: name the specific role instead of the account root, restrict with aws:PrincipalOrgID to keep access inside the organization (" + iamGuide + "reference_policies_condition-keys.html#condition-keys-principalorgid), and record intended sharing in a baseline or an accept entry."},
	{RuleUnknownAction, Medium, "An action no AWS service defines",
		"A policy the change writes names an action (service:Action) that the catalogue of AWS actions does not list: a typo, a renamed action or a service prefix that does not exist.",
		"IAM accepts a policy that names an unknown action but the statement never matches a request, so the access it was meant to grant or deny silently does not happen; a Deny on a misspelled action protects nothing. The valid actions of each service are listed in the Service Authorization Reference (Actions, resources, and condition keys for AWS services, " + iamGuide + "reference_policies_actions-resources-contextkeys.html); IAM Access Analyzer's policy validation reports the same (" + iamGuide + "access_policies_policy-validator.html). Fix: correct the action's spelling or service prefix."},
	{RuleUnknownKey, Medium, "A condition key AWS does not define",
		"A policy the change writes uses a condition key that is neither a global condition key nor a key of the action's service.",
		"A condition on a key that is absent from the request context does not match (unless the operator ends in IfExists), so an Allow with it never applies and a Deny with it never denies (AWS global condition context keys, " + iamGuide + "reference_policies_condition-keys.html; Condition element, " + iamGuide + "reference_policies_elements_condition.html). Fix: use a key listed for the service in the Service Authorization Reference (" + iamGuide + "reference_policies_actions-resources-contextkeys.html) or a global key, spelled as documented."},
	{RuleUnknownManaged, Medium, "An attached AWS managed policy whose contents are unknown",
		"The change attaches an AWS managed policy (arn:aws:iam::aws:policy/...) that the world's aws_managed source does not hold, so the review cannot know what it grants; it is not assumed empty.",
		"AWS managed policies are created and updated by AWS and can grant broad access (Managed policies and inline policies, " + iamGuide + "access_policies_managed-vs-inline.html#aws-managed-policies). The review's verdict on the principals it is attached to is incomplete. Fix: add the policy's document to the world's aws_managed source (an export of the account's policies holds it), or attach a customer managed policy that grants only what the workload needs."},
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

// RuleByID returns the rule with that id.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
