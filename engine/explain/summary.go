// Package explain says in one sentence why a decision came out as it did:
// the stage that decided, the policy type that denied, and, for what AWS
// protects or what credentials may not call, the page that says so.
package explain

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/engine"
)

// Summary says in one sentence why the decision came out as it did.
func Summary(d *engine.Decision) string {
	switch d.Stage {
	case "always-allowed":
		if d.Request != nil && strings.EqualFold(d.Request.Action, "sts:GetSessionToken") {
			return "GetSessionToken cannot be controlled by policies: an IAM user or the root user with long-term credentials may always call it."
		}
		return "sts:GetCallerIdentity needs no permission and cannot be denied."
	case "credential":
		return credentialSummary(d)
	case "protected":
		return protectedSummary(d)
	case "explicit-deny":
		m := firstMatch(d.Matched[d.BlockedBy], "Deny")
		return fmt.Sprintf("An explicit Deny in the %s wins over every Allow: %s.", typeName(d.BlockedBy), m)
	case "rcp":
		return "A resource control policy level of the resource's account has no Allow for this request, so every caller is denied."
	case "scp":
		return "A service control policy level of the principal's account has no Allow for this action, so the request is denied whatever IAM policies say."
	case "endpoint":
		return fmt.Sprintf("The request goes through the VPC endpoint %s, whose endpoint policy has no Allow for this principal, action and resource, so it is denied whatever IAM policies say.", endpointOf(d))
	}
	if d.Decision == engine.Allow {
		return allowSummary(d)
	}
	return denySummary(d)
}

// credentialSummary explains a request the caller's kind of credentials may
// not make (the comparison of STS credentials, id_credentials_temp_request).
func credentialSummary(d *engine.Decision) string {
	switch {
	case d.Principal.Kind == engine.KindRoot && d.Principal.Credential == "":
		return "The root user cannot call AssumeRole: \"You cannot assume a role when you are signed in as the AWS account root user\" (IAM User Guide, id_roles_use_switch-role-api)."
	case d.Principal.Credential == engine.CredFederation:
		return "GetFederationToken credentials cannot call IAM operations, nor any STS operation except GetCallerIdentity."
	case d.Principal.Credential == engine.CredSession:
		return "GetSessionToken credentials cannot call IAM operations unless MFA was used to obtain them, nor any STS operation except AssumeRole and GetCallerIdentity."
	case d.Principal.Credential == engine.CredRole:
		return "Role session credentials cannot call GetFederationToken or GetSessionToken."
	}
	return "These credentials may not make this request."
}

// protectedWhat says, for each kind of resource AWS protects (the Rego's
// protected.rego), why the policies' allow does not stand.
var protectedWhat = map[string]string{
	"aws-managed-policy":  "an AWS managed policy is AWS's: it cannot be changed, deleted or tagged",
	"kms-aws-alias":       "the alias/aws/ prefix is reserved for the aliases of AWS managed KMS keys",
	"service-linked-role": "a service-linked role's trust and permissions are its service's: only that service changes or deletes it",
}

// protectedSummary explains a request the policies allow but AWS refuses,
// the resource being its own, citing the page that says so.
func protectedSummary(d *engine.Decision) string {
	what, ok := protectedWhat[d.Protected]
	if !ok {
		what = "the resource is AWS's own"
	}
	return fmt.Sprintf("Protected by AWS: the policies allow it, but %s (%s).", what, d.ProtectedSource)
}

func allowSummary(d *engine.Decision) string {
	for _, m := range d.Matched["resource"] {
		if m.Effect == "Allow" && m.Principal == "direct" && d.Stage != "cross-account" {
			return fmt.Sprintf("The resource-based policy names the requester directly and allows it (%s); nothing denies.", m)
		}
	}
	if d.Stage == "cross-account" {
		return "Both sides allow: the principal's own policies in its account, and the resource-based policy in the resource's account."
	}
	if d.Principal.Kind == engine.KindRoot {
		return "The account's root user may do anything in its own account that no policy denies."
	}
	if firstMatch(d.Matched["identity"], "Allow").Policy == "" {
		if m := firstMatch(d.Matched["resource"], "Allow"); m.Policy != "" {
			return fmt.Sprintf("The resource-based policy names the requester's %s and allows it (%s); no guardrail limits it.", m.Principal, m)
		}
	}
	return "An identity-based policy allows it, and no guardrail (SCP, RCP, VPC endpoint policy, boundary, session policy) limits it."
}

func denySummary(d *engine.Decision) string {
	switch d.BlockedBy {
	case "resource":
		if d.Applies["resource_policy_required"] && !d.Applies["resource_policy"] {
			return "This resource's policy (a role trust policy or a KMS key policy) must explicitly allow the caller, and the world holds none for it: " +
				"every KMS key has exactly one key policy and every role a trust policy, so declare the resource with its policy to decide this."
		}
		if d.Applies["resource_policy_required"] {
			return "This resource's policy (a role trust policy or a KMS key policy) must explicitly allow the caller, and it does not."
		}
		if d.Stage == "cross-account" {
			return "Cross-account access needs the resource's policy to allow the caller, and it does not (or there is none)."
		}
		return "Only a resource-based policy could allow this caller, and none does."
	case "identity":
		switch d.Principal.Kind {
		case engine.KindFederated:
			return fmt.Sprintf("No identity-based policy of %s, the IAM user that created this federated session, allows this action on this resource (implicit deny).", d.Principal.EntityARN)
		case engine.KindSession:
			return fmt.Sprintf("No identity-based policy of the session's role %s allows this action on this resource (implicit deny).", d.Principal.EntityARN)
		}
		return "No identity-based policy allows this action on this resource (implicit deny)."
	case "boundary":
		return "The permissions boundary does not allow it, so the grant is capped (implicit deny)."
	case "session":
		if d.Principal.Kind == engine.KindFederated && !d.Applies["session"] {
			return "A GetFederationToken session without a session policy has no permissions except what resource policies grant the session itself."
		}
		return "The session policy does not allow it, so the session's permissions are capped (implicit deny)."
	}
	return "Nothing allows it (implicit deny)."
}

func firstMatch(ms []engine.Match, effect string) engine.Match {
	for _, m := range ms {
		if m.Effect == effect {
			return m
		}
	}
	return engine.Match{}
}

func typeName(t string) string {
	switch t {
	case "scp":
		return "service control policies"
	case "rcp":
		return "resource control policies"
	case "resource":
		return "resource-based policy"
	case "identity":
		return "identity-based policies"
	case "boundary":
		return "permissions boundary"
	case "session":
		return "session policy"
	case "endpoint":
		return "VPC endpoint policy"
	}
	return t
}

// endpointOf names the VPC endpoint a decision's request went through.
func endpointOf(d *engine.Decision) string {
	if d.Request == nil {
		return "(unknown)"
	}
	return d.Request.VPCEndpoint
}
