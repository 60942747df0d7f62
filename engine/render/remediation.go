package render

import "github.com/clearance-dev/clearance/engine/audit"

// Remedy is what a rule means and how to fix its findings, with the AWS
// pages the advice rests on. The HTML report shows it under each finding
// and the audit's SARIF gives it as the rule's help.
type Remedy struct {
	Title string // one line: what the rule reports
	Fix   string // the remediation paragraph
	Refs  []Ref
}

// Ref is a page the remediation cites.
type Ref struct {
	Title, URL string
}

const iamGuide = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"

var (
	refLeastPrivilege = Ref{"IAM User Guide: Security best practices in IAM (apply least-privilege permissions)", iamGuide + "best-practices.html"}
	refLastAccessed   = Ref{"IAM User Guide: Refine permissions using last accessed information", iamGuide + "access_policies_last-accessed.html"}
	refBoundaries     = Ref{"IAM User Guide: Permissions boundaries for IAM entities", iamGuide + "access_policies_boundaries.html"}
	refPassRole       = Ref{"IAM User Guide: Grant a user permissions to pass a role to an AWS service", iamGuide + "id_roles_use_passrole.html"}
	refTrust          = Ref{"IAM User Guide: IAM roles (trust policies)", iamGuide + "id_roles_terms-and-concepts.html"}
	refConfusedDeputy = Ref{"IAM User Guide: The confused deputy problem", iamGuide + "confused-deputy.html"}
	refExternalID     = Ref{"IAM User Guide: Access to AWS accounts owned by third parties (external ID)", iamGuide + "id_roles_create_for-user_externalid.html"}
	refOrgID          = Ref{"IAM User Guide: AWS global condition context keys (aws:PrincipalOrgID)", iamGuide + "reference_policies_condition-keys.html#condition-keys-principalorgid"}
	refOIDC           = Ref{"IAM User Guide: Create a role for OpenID Connect federation", iamGuide + "id_roles_create_for-idp_oidc.html"}
	refSAML           = Ref{"IAM User Guide: Create a role for a third-party identity provider (SAML 2.0 federation)", iamGuide + "id_roles_create_for-idp_saml.html"}
	refAnalyzer       = Ref{"IAM User Guide: Resources that IAM Access Analyzer supports (external access)", iamGuide + "access-analyzer-resources.html"}
	refS3Public       = Ref{"Amazon S3 User Guide: Blocking public access to your Amazon S3 storage", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"}
	refMFA            = Ref{"IAM User Guide: Secure API access with MFA", iamGuide + "id_credentials_mfa_configure-api-require.html"}
	refMFACondition   = Ref{"IAM User Guide: AWS global condition context keys (aws:MultiFactorAuthPresent)", iamGuide + "reference_policies_condition-keys.html#condition-keys-multifactorauthpresent"}
)

// remedies is the remediation of each rule id the audit reports.
var remedies = map[string]Remedy{
	"data-access": {
		Title: "Principal may read data across a wide resource",
		Fix: "A read of stored data (S3 objects, secrets, parameters, KMS decryption, table items) is allowed on every resource " +
			"or on a wildcard pattern. Scope the statement's Resource to the buckets, secrets, parameters, keys and tables the " +
			"work reads, or add conditions (aws:ResourceTag, s3:prefix); IAM's last accessed information shows what is used.",
		Refs: []Ref{refLeastPrivilege, refLastAccessed},
	},
	"resource-exposure": {
		Title: "Principal may change who can use resources",
		Fix: "Actions that write resource-based policies or sharing settings (bucket, key, queue and topic policies, RAM shares, " +
			"Lambda permissions) are allowed broadly: the principal can open those resources to other accounts or to anyone. " +
			"Restrict the actions to the resources it manages, or deny them with a permissions boundary or an SCP, and keep " +
			"S3 Block Public Access on.",
		Refs: []Ref{refLeastPrivilege, refBoundaries, refAnalyzer},
	},
	"credentials-exposure": {
		Title: "Principal may obtain or create credentials",
		Fix: "Actions that return credentials or tokens (access keys, login profiles, federation tokens, service-specific " +
			"credentials) are allowed broadly: the principal can act as other identities. Restrict them to the principal's " +
			"own user (arn:aws:iam::ACCOUNT:user/${aws:username}) or remove them.",
		Refs: []Ref{refLeastPrivilege, refBoundaries},
	},
	"unused-access": {
		Title: "Role not used within the audit's window",
		Fix: "IAM's RoleLastUsed shows no use within the window (or none since the role was created). Remove the role, or its " +
			"permissions, if nothing needs it: unused access is attack surface. Check last accessed information first.",
		Refs: []Ref{refLastAccessed, refLeastPrivilege},
	},
	"administrator": {
		Title: "Principal is administrator-equivalent",
		Fix: "Replace the granting statements (listed under the finding) with policies that allow only the actions and resources " +
			"this principal's work needs; keep full administrator access to a few roles assumed with MFA for break-glass use, " +
			"not to users with long-term keys. IAM's last accessed information shows which services the principal really uses; " +
			"a permissions boundary caps what it can be given later.",
		Refs: []Ref{refLeastPrivilege, refLastAccessed, refBoundaries},
	},
	"privilege-escalation": {
		Title: "Principal can escalate its privileges",
		Fix: "The principal holds every permission of an escalation method (named with its catalogue entries): used together they " +
			"give it more access than its policies grant. Remove one of the permissions, or scope it: restrict iam:PassRole to the " +
			"roles the principal must pass (Resource) and the service that receives them (iam:PassedToService); restrict policy " +
			"and credential management actions (iam:CreatePolicyVersion, iam:Attach*Policy, iam:Put*Policy, iam:CreateAccessKey, " +
			"iam:UpdateAssumeRolePolicy) to resources the principal owns, or deny them with a permissions boundary.",
		Refs: []Ref{refPassRole, refBoundaries, refLeastPrivilege},
	},
	"reaches-administrator": {
		Title: "Principal reaches an administrator role through AssumeRole",
		Fix: "Each hop of the path is allowed: the caller's identity policy allows sts:AssumeRole on the next role and that role's " +
			"trust policy trusts it. Cut the path where it should not exist: name only the intended principals in the " +
			"administrator role's trust policy (not the account root, which delegates to every principal the account allows), " +
			"narrow the Resource of sts:AssumeRole in the callers' policies, and require MFA (aws:MultiFactorAuthPresent) in " +
			"the trust policy of the administrator role.",
		Refs: []Ref{refTrust, refMFACondition, refLeastPrivilege},
	},
	"sensitive-without-mfa": {
		Title: "User holds sensitive permissions without MFA",
		Fix: "The user's access keys alone are allowed actions that change who can do what. Condition those actions on MFA: " +
			"an Allow with \"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"} or a Deny with \"BoolIfExists\": " +
			"{\"aws:MultiFactorAuthPresent\": \"false\"} (the key is absent from requests signed with long-term keys), or move " +
			"the permissions to a role the user assumes with MFA.",
		Refs: []Ref{refMFA, refMFACondition},
	},
	"role-open-to-anyone": {
		Title: "Role can be assumed by any AWS principal",
		Fix: "The trust policy allows Principal \"*\" without a condition that limits who: any AWS account can assume the role. " +
			"Name the principals that need it (account, role or user ARNs), or add a condition on aws:PrincipalOrgID, " +
			"aws:PrincipalAccount or aws:PrincipalArn.",
		Refs: []Ref{refTrust, refOrgID, refConfusedDeputy},
	},
	audit.RuleRoleTrustsOutside: {
		Title: "Role trusts an account outside the organization",
		Fix: "Confirm the trusted account is the intended third party. If it is, require the sts:ExternalId the third party " +
			"gives you in the trust policy (this prevents the confused deputy); if not, remove the account from the trust policy.",
		Refs: []Ref{refExternalID, refConfusedDeputy},
	},
	audit.RuleRoleTrustsOther: {
		Title: "Role trusts another account (no organization loaded)",
		Fix: "Check that the trusted account is one of yours (load the organization export so the audit can tell); for a third " +
			"party, require its sts:ExternalId in the trust policy; otherwise remove the account from the trust policy.",
		Refs: []Ref{refExternalID, refConfusedDeputy, refOrgID},
	},
	"federation-entry-point": {
		Title: "Federated identities can assume the role",
		Fix: "Whoever the identity provider vouches for gets this role within the trust policy's conditions. For OIDC, pin the " +
			"audience (aud) and the subject (sub, e.g. one GitHub repository and branch) with StringEquals or StringLike on " +
			"values that start with your own organization; for SAML, condition on SAML:aud and the attributes your IdP sends; " +
			"keep administrator permissions off roles that federated identities can assume.",
		Refs: []Ref{refOIDC, refSAML},
	},
	"resource-open-to-world": {
		Title: "Resource policy allows anyone",
		Fix: "An anonymous request is allowed by the resource policy. Remove Principal \"*\" from the statement or restrict it " +
			"with aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn; for S3, turn on Block Public Access for the bucket " +
			"and the account unless the data is meant to be public.",
		Refs: []Ref{refS3Public, refOrgID, refAnalyzer},
	},
	audit.RuleResourceSharedOutside: {
		Title: "Resource policy shares with an account outside the organization",
		Fix: "Confirm the account should have access; if not, remove it from the resource policy, or restrict the statement to " +
			"your organization with aws:PrincipalOrgID. IAM Access Analyzer reports such external access continuously.",
		Refs: []Ref{refAnalyzer, refOrgID},
	},
	audit.RuleResourceSharedOther: {
		Title: "Resource policy shares with another account (no organization loaded)",
		Fix: "Check that the account is one of yours (load the organization export so the audit can tell); otherwise remove it " +
			"from the resource policy or restrict the statement with aws:PrincipalOrgID.",
		Refs: []Ref{refAnalyzer, refOrgID},
	},
}

// RemedyFor is the remediation of a rule; a rule the table does not know
// gets its id as title and a pointer to the finding's detail.
func RemedyFor(rule string) Remedy {
	if r, ok := remedies[rule]; ok {
		return r
	}
	return Remedy{Title: rule, Fix: "See the finding's detail and the granting statements: remove or narrow the permission " +
		"the finding rests on.", Refs: []Ref{refLeastPrivilege}}
}
