package review

import (
	"context"
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/loader/policy"
)

// The Progress stages of the audits.
const (
	StageAuditBefore = "audit-before"
	StageAuditAfter  = "audit-after"
)

// compareAudits runs the account audit (scoped to what the change can
// affect) on both worlds and reports the findings the world after has
// and the world before lacks, under the review's rules.
func (r *run) compareAudits(ctx context.Context) error {
	before, err := r.audit(ctx, r.before, StageAuditBefore)
	if err != nil {
		return fmt.Errorf("audit before the change: %w", err)
	}
	after, err := r.audit(ctx, r.after, StageAuditAfter)
	if err != nil {
		return fmt.Errorf("audit after the change: %w", err)
	}
	had := map[string]bool{}
	for _, f := range before.Findings {
		had[auditKey(f)] = true
	}
	for _, f := range after.Findings {
		if !had[auditKey(f)] {
			r.auditFinding(f)
		}
	}
	r.principals = max(r.principals, after.Principals)
	r.decisions += before.Decisions + after.Decisions
	return nil
}

func (r *run) audit(ctx context.Context, s side, stage string) (*audit.Report, error) {
	opts := audit.AuditOptions{Time: r.opts.Time, Context: r.opts.Context, World: r.opts.World}
	if !r.unscoped {
		opts.Scope = r.impact.auditScope()
	}
	if r.opts.Progress != nil {
		opts.Progress = func(_ string, done, total int) { r.opts.Progress(stage, done, total) }
	}
	return (&audit.Auditor{Walker: s.q.Walker}).Audit(ctx, opts)
}

func auditKey(f audit.Finding) string { return f.Rule + "\x00" + f.Principal + "\x00" + f.Subject }

// auditFinding turns a new audit finding into the review's.
func (r *run) auditFinding(a audit.Finding) {
	f := Finding{Change: Added, Principal: a.Principal, Message: a.Title}
	if a.Detail != "" {
		f.Message += ". " + a.Detail
	}
	switch a.Rule {
	case "administrator", "privilege-escalation":
		f.Rule = RuleNewAdministrator
		if a.Rule == "privilege-escalation" {
			f.Rule = RuleNewEscalation
		}
		ev := r.deciding(a.Evidence)
		f.Action, f.Resource, f.Why, f.Replay = ev.Action, ev.Resource, ev.Summary, ev.Why
		f.Location = r.evidenceLocation(ev, a.Principal)
	case "reaches-administrator":
		f.Rule, f.Action, f.Resource = RuleNewAdminReach, "sts:AssumeRole", a.Subject
		if len(a.Evidence) > 0 {
			f.Why, f.Replay = a.Detail, a.Evidence[0].Why
		}
		f.Location = r.loc.fallback(a.Principal, a.Subject)
	case "role-open-to-anyone":
		f.Rule, f.Principal, f.Action, f.Resource = RuleNewPublicAccess, "*", "sts:AssumeRole", a.Principal
		f.Location = r.policyLocation(a, a.Principal)
	case audit.RuleRoleTrustsOutside, audit.RuleRoleTrustsOther:
		// Without an organization loaded the audit cannot tell a third
		// party from a sister account; the review treats every other
		// account as one (a trust without sts:ExternalId is the confused
		// deputy's opening either way). The audit rates a trust that
		// requires sts:ExternalId low.
		f.Rule, f.Principal, f.Action, f.Resource = RuleNoExternalID, a.Subject, "sts:AssumeRole", a.Principal
		if a.Severity == audit.Low {
			f.Rule = RuleCrossAccount
		}
		f.Location = r.policyLocation(a, a.Principal)
	case "federation-entry-point":
		r.federation(a, f)
		return
	case "resource-open-to-world":
		f.Rule, f.Principal, f.Resource = RuleNewPublicAccess, "*", a.Principal
		if len(a.Evidence) > 0 {
			ev := a.Evidence[0]
			f.Action, f.Resource, f.Why, f.Replay = ev.Action, ev.Resource, ev.Summary, ev.Why
		}
		f.Location = r.policyLocation(a, a.Principal)
	case audit.RuleResourceSharedOutside, audit.RuleResourceSharedOther:
		f.Rule, f.Principal, f.Resource = RuleCrossAccount, a.Subject, a.Principal
		f.Location = r.policyLocation(a, a.Principal)
	default:
		return // sensitive-without-mfa: the account audit's, not the review's
	}
	r.add(f)
}

// deciding is the evidence whose allowing statement the change writes,
// else the first.
func (r *run) deciding(evs []audit.Evidence) audit.Evidence {
	for _, ev := range evs {
		for _, m := range ev.Matched {
			if _, ok := r.loc.statement(m); ok && m.Effect == "Allow" {
				return ev
			}
		}
	}
	if len(evs) > 0 {
		return evs[0]
	}
	return audit.Evidence{}
}

func (r *run) evidenceLocation(ev audit.Evidence, principal string) Location {
	for _, m := range ev.Matched {
		if m.Effect != "Allow" {
			continue
		}
		if loc, ok := r.loc.statement(m); ok {
			return loc
		}
	}
	return r.loc.fallback(principal, ev.Resource)
}

// policyLocation is the statement an audit finding names, else the Edit
// of its principal or resource.
func (r *run) policyLocation(a audit.Finding, arn string) Location {
	if a.Policy != "" {
		if loc, ok := r.loc.statement(engine.Match{Policy: a.Policy, Index: a.Statement}); ok {
			return loc
		}
	}
	return r.loc.fallback(arn)
}

// federation reports a new federation entry point: a web identity
// provider trusted without a condition pinning the token's subject is
// high (anyone the provider vouches for), else low.
func (r *run) federation(a audit.Finding, f Finding) {
	f.Principal, f.Action, f.Resource = a.Subject, "sts:AssumeRoleWithWebIdentity", a.Principal
	f.Location = r.policyLocation(a, a.Principal)
	st := r.trustStatement(a)
	key, web := subjectKey(a.Subject)
	switch {
	case !web:
		f.Rule, f.Action = RuleFederationEntry, "sts:AssumeRoleWithSAML"
	case st != nil && pinned(st, key):
		f.Rule = RuleFederationEntry
	default:
		f.Rule = RuleOpenWebIdentity
		f.Message = fmt.Sprintf("role %s trusts web identities of %s without a condition on %s: any identity the provider vouches for can assume it", a.Principal, a.Subject, key)
	}
	r.add(f)
}

func (r *run) trustStatement(a audit.Finding) *policy.Statement {
	role, ok := r.afterSnap.Role(a.Principal)
	if !ok || role.Trust == nil || a.Statement < 0 || a.Statement >= len(role.Trust.Statements) {
		return nil
	}
	return &role.Trust.Statements[a.Statement]
}

// subjectKey is the condition key that pins who a web identity is, for a
// Federated principal (false for a SAML provider): PROVIDER:sub for an
// OIDC provider (arn:aws:iam::A:oidc-provider/HOST, or the provider's
// name: accounts.google.com, token.actions.githubusercontent.com), and
// for Amazon Cognito cognito-identity.amazonaws.com:aud, the identity
// pool (id_roles_providers_oidc_user-id.html; "Cognito identity pools":
// role-based-access-control.html, trust policies with the aud condition).
func subjectKey(federated string) (string, bool) {
	if strings.Contains(federated, ":saml-provider/") {
		return "", false
	}
	host := federated
	if _, rest, ok := strings.Cut(federated, ":oidc-provider/"); ok {
		host = rest
	}
	if host == "cognito-identity.amazonaws.com" {
		return host + ":aud", true
	}
	return strings.ToLower(host) + ":sub", true
}

// pinned reports whether the statement requires the key to equal or
// match a value that is not only wildcards.
func pinned(st *policy.Statement, key string) bool {
	for _, c := range st.Conditions {
		if c.Key != key || c.Negated || c.Base == "Null" {
			continue
		}
		for _, v := range c.Values {
			if s, ok := v.(string); ok && strings.Trim(s, "*?") != "" && s != "repo:*" {
				return true
			}
		}
	}
	return false
}
