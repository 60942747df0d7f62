// Package export reads what AWS lets an auditor export, in AWS's own
// formats, into world accounts: `aws iam get-account-authorization-details`
// (one or several pages), the resource policies (a bundle or files named by
// ARN), the AWS managed policies, and the organization (a directory of
// `aws organizations` outputs or one bundle file).
package export
