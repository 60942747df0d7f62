package audit

// Rule ids that depend on whether an organization is loaded: with one, an
// account not in it is "outside the organization"; without one, Clearance
// cannot tell, and says "another account" at a lower severity
// (docs/audit-severity.md).
const (
	RuleRoleTrustsOutside     = "role-trusts-outside-account"
	RuleRoleTrustsOther       = "role-trusts-other-account"
	RuleResourceSharedOutside = "resource-shared-outside"
	RuleResourceSharedOther   = "resource-shared-other-account"
)

// Rule ids of a principal's own findings.
const (
	RuleAdministrator       = "administrator"
	RulePrivilegeEscalation = "privilege-escalation"
	RuleSensitiveWithoutMFA = "sensitive-without-mfa"
)
