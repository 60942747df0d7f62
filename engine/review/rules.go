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
	RulePolicyWarning       = "policy-warning"
	RuleFederationEntry     = "new-federation-entry-point"
	RuleAccessAdded         = "access-added"
	RuleAccessRemoved       = "access-removed"
	sourceConfusedDeputy    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"
	sourceOIDCTrust         = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html"
	sourceEvaluationLogic   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
	sourceCrossAccountLogic = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html"
)

// Rules lists every rule a review reports, most severe first.
var Rules = []Rule{
	{RuleNewAdministrator, Critical, "A principal becomes administrator-equivalent",
		"After the change, a user or role is allowed every administrator probe (IAM permissions management, and data and compute across services, on every resource), which it was not before.",
		"The principal can do anything in the account, including granting itself more. Grant the actions the workload needs on the resources it uses instead of \"*\" (least privilege: " + sourceEvaluationLogic + "); if an administrator is really meant, require MFA and keep the principal out of automation."},
	{RuleNewPublicAccess, Critical, "A resource or role becomes open to anyone",
		"After the change, an anonymous caller is allowed an action on a resource, or any AWS principal may assume a role, with no condition confining the caller.",
		"Anyone on the internet (or in any AWS account) can use the resource. Name the principals the policy is for instead of \"*\", or add a condition on aws:PrincipalOrgID, aws:PrincipalAccount or aws:SourceArn (" + sourceCrossAccountLogic + ")."},
	{RuleNewEscalation, High, "A principal gains a privilege-escalation path",
		"After the change, a user or role is allowed every permission of a privilege-escalation method of the catalogue (pathfinding.cloud, Pacu) that it was not allowed before.",
		"The principal can turn the permissions it has into more (attach a policy to itself, pass a privileged role to a service, rewrite a policy version). Remove the escalating permission or scope it to resources that cannot lead back to the principal; the message names the method and its catalogue entry."},
	{RuleNewAdminReach, High, "A principal can newly reach an administrator role",
		"After the change, a user or role reaches a role that is administrator-equivalent through a chain of sts:AssumeRole calls that did not hold before.",
		"Whoever controls the principal controls the administrator role. Narrow the trust policy of the roles on the path to the principals that need them, or take sts:AssumeRole off the principal."},
	{RuleOpenWebIdentity, High, "A role trusts a web identity provider without pinning the subject",
		"A role's trust policy allows sts:AssumeRoleWithWebIdentity for an identity provider (GitHub Actions, Google, Cognito, any OIDC provider) without a condition on the token's subject (sub, or the provider's equivalent), so any identity the provider vouches for, in any repository or tenant, can assume it.",
		"Anyone with an account at the provider can become the role: for GitHub Actions, any repository. Add a StringEquals or StringLike condition on the provider's sub key (token.actions.githubusercontent.com:sub: repo:ORG/REPO:ref:refs/heads/main) as AWS's OIDC guide says (" + sourceOIDCTrust + ")."},
	{RuleNoExternalID, High, "A role trusts another organization's account without sts:ExternalId",
		"A role's trust policy allows an account outside the organization to assume it without a condition on sts:ExternalId.",
		"A third party acting for several customers can be tricked into using its access to this role on someone else's behalf (the confused deputy). Require the external id the third party gives you with a StringEquals condition on sts:ExternalId (" + sourceConfusedDeputy + ")."},
	{RuleAssertionFailed, High, "An assertion of the review's assertion file fails",
		"A check of the assertion file (expect: allow, implicit-deny or explicit-deny) gets another answer on the world after the change, or a must_not_gain entry matches access the change adds.",
		"The change contradicts what the team wrote down as required. Change the policies so the assertion holds, or, if the assertion is out of date, change the assertion file in the same pull request."},
	{RuleCrossAccount, Medium, "Access from another account or outside the organization is added",
		"After the change, a principal of another account than the resource's (or an account outside the organization) is allowed a request it was not allowed before, or a resource or trust policy newly names such an account.",
		"Access crosses an account boundary, where the other account's administrators decide who uses it. Check the account is the one meant, and confine the grant with aws:PrincipalOrgID or aws:SourceAccount where possible (" + sourceCrossAccountLogic + ")."},
	{RuleUnknownManaged, Medium, "The change attaches a managed policy whose contents are unknown",
		"The change attaches a managed policy (an AWS managed policy without the world's aws_managed source, or another account's) whose document the review cannot read, so the access it grants is not in the comparison.",
		"The review cannot tell what this attachment grants: it is never assumed empty. Give the world an aws_managed source holding the policy, or review the policy's document by hand."},
	{RulePolicyWarning, Medium, "A policy of the change names something AWS does not have",
		"A policy the change writes names an action, a service or a condition key that AWS does not have, tests a multivalued key without a set operator, or breaks a rule of IAM's CreatePolicy.",
		"AWS accepts most such policies, but the statement never matches what its author meant: a typo in a Deny leaves the access open. Correct the name (the message suggests the nearest one)."},
	{RuleFederationEntry, Low, "A role becomes a federation entry point with a pinned subject",
		"A role's trust policy newly admits identities of a web identity or SAML provider, with a condition that pins who they are.",
		"Identities the provider vouches for, within the trust's conditions, get this role's session. Check the pinned subject is the workload meant."},
	{RuleAccessAdded, Low, "Access is added",
		"After the change, a principal is allowed a request (an action on a resource the change touches) that it was not allowed before.",
		"The effective-access difference of the change: review that the principal should have it. The Why says which statements allow it."},
	{RuleAccessRemoved, Low, "Access is removed",
		"After the change, a principal is no longer allowed a request it was allowed before.",
		"A change that removes access can break a workload that relies on it. Check nothing still needs it; the Why says what allowed it before."},
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
