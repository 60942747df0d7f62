package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// restrictingKeys are condition keys that confine a "*" principal to
// known callers.
var restrictingKeys = map[string]bool{
	"aws:principalorgid": true, "aws:principalorgpaths": true, "aws:principalaccount": true,
	"aws:principalarn": true, "aws:sourceaccount": true, "aws:sourcearn": true, "aws:sourceowner": true,
	"sts:externalid": true, "aws:sourcevpce": true, "aws:sourcevpc": true, "aws:userid": true,
}

// auditRoles reports roles reachable from outside and federation entry
// points, and which identities reach an administrator role.
func (a *auditor) auditRoles(ctx context.Context) error {
	for _, acct := range a.snap.Accounts() {
		for _, r := range acct.Roles {
			if a.inScope(r.ARN) {
				a.trustExposure(r)
			}
		}
	}
	return a.reachAdmins(ctx)
}

func (a *auditor) trustExposure(r *world.Role) {
	if r.Trust == nil {
		return
	}
	for i := range r.Trust.Statements {
		st := &r.Trust.Statements[i]
		if st.Effect != "Allow" || st.Principal == nil || st.NotPrincipal {
			continue
		}
		loc := Finding{Principal: r.ARN, Policy: r.Trust.Name, Statement: st.Index}
		if st.Principal.Any || slices.Contains(st.Principal.AWS, "*") {
			if !restricted(st) {
				f := loc
				f.Rule, f.Severity = "role-open-to-anyone", Critical
				f.Title = fmt.Sprintf("role %s can be assumed by any AWS principal", r.ARN)
				f.Detail = "Its trust policy allows Principal \"*\" with no condition on the caller's organization, account, ARN or an external id."
				a.add(f)
			}
			continue
		}
		for _, p := range st.Principal.AWS {
			if acct := accountOf(p); acct != "" && acct != r.Account && a.outside(acct) {
				a.add(a.trustsAccount(loc, r, st, p))
			}
		}
		for _, fed := range st.Principal.Federated {
			a.add(a.federation(loc, r, st, fed))
		}
	}
}

// trustsAccount reports a role another account may assume. With an
// organization loaded the account is outside it (high; low with
// sts:ExternalId); without one, Clearance cannot tell whether the account
// is the company's own: "another account", one level lower (medium; low
// with sts:ExternalId). docs/audit-severity.md.
func (a *auditor) trustsAccount(f Finding, r *world.Role, st *policy.Statement, p string) Finding {
	ext := hasKey(st, "sts:externalid")
	f.Subject = p
	f.Rule, f.Severity, f.Title = RuleRoleTrustsOutside, High, fmt.Sprintf("role %s trusts %s, outside the organization", r.ARN, p)
	if !a.report.Organization {
		f.Rule, f.Severity, f.Title = RuleRoleTrustsOther, Medium, fmt.Sprintf("role %s trusts %s, another account (no organization loaded)", r.ARN, p)
	}
	f.Detail = "Without sts:ExternalId a third party's confused deputy can be tricked into assuming it (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)."
	if ext {
		f.Severity, f.Detail = Low, "The trust requires sts:ExternalId."
	}
	return f
}

// federation reports a federation entry point: medium, high when the
// role is an administrator or when the trust is a web identity any
// repository or tenant of a shared provider can satisfy (tenantOpen).
func (a *auditor) federation(f Finding, r *world.Role, st *policy.Statement, fed string) Finding {
	f.Rule, f.Severity, f.Subject = "federation-entry-point", Medium, fed
	if a.admins[r.ARN] {
		f.Severity = High
	}
	f.Title = fmt.Sprintf("identities of %s can become role %s%s", fed, r.ARN, adminSuffix(a.admins[r.ARN]))
	f.Detail = "A federation entry point: whoever the provider vouches for, within the trust policy's conditions, gets this role's session."
	if keys, open := tenantOpen(st, fed); open {
		f.Severity = High
		f.Title = fmt.Sprintf("any %s identity can become role %s: the trust has no %s condition%s", fed, r.ARN, strings.Join(keys, " or "), adminSuffix(a.admins[r.ARN]))
		f.Detail = "The provider issues tokens to every repository, app or tenant it serves; without a condition on " + strings.Join(keys, " or ") +
			" pinning yours, any of them may assume the role (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html)."
	}
	return f
}

func adminSuffix(admin bool) string {
	if admin {
		return ", an administrator"
	}
	return ""
}

func restricted(st *policy.Statement) bool {
	for _, c := range st.Conditions {
		if restrictingKeys[c.Key] && !c.Negated {
			return true
		}
	}
	return false
}

func hasKey(st *policy.Statement, key string) bool {
	for _, c := range st.Conditions {
		if c.Key == key {
			return true
		}
	}
	return false
}

// accountOf returns the account an AWS principal value names.
func accountOf(p string) string {
	if len(p) == 12 && strings.Trim(p, "0123456789") == "" {
		return p
	}
	if a, ok := pattern.SplitARN(p); ok {
		return a.Account
	}
	return ""
}

// outside reports whether an account is not a member of the world's
// organization (or, without one, not in the world).
func (a *auditor) outside(account string) bool {
	acct, ok := a.snap.Account(account)
	if !ok || acct.OutsideOrg {
		return true
	}
	_, _, hasOrg := a.snap.ManagementAccount()
	return hasOrg && len(a.snap.OrgPath(account)) == 0
}

// auditResources reports resource policies open to the world or shared
// with accounts outside the organization.
func (a *auditor) auditResources(ctx context.Context) error {
	cat, err := catalog.Load()
	if err != nil {
		return fault.Internal(err) // embedded data
	}
	for _, acct := range a.snap.Accounts() {
		for _, res := range acct.Resources {
			if res.Policy == nil || !a.inScope(res.ARN) {
				continue
			}
			for i := range res.Policy.Statements {
				if err := a.resourceStatement(ctx, cat, res, &res.Policy.Statements[i]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (a *auditor) resourceStatement(ctx context.Context, cat *catalog.Catalog, res *world.Resource, st *policy.Statement) error {
	if st.Effect != "Allow" || st.Principal == nil || st.NotPrincipal {
		return nil
	}
	loc := Finding{Principal: res.ARN, Policy: res.Policy.Name, Statement: st.Index}
	if st.Principal.Any || slices.Contains(st.Principal.AWS, "*") {
		action := representative(cat, st, res.ARN)
		if action == "" {
			return nil
		}
		target := probeResource(st, res.ARN)
		req := &engine.Request{Principal: "anonymous", Action: action, Resource: target,
			ResourceAccount: res.Account, Context: a.opts.Context, Time: a.opts.Time}
		verdict, err := a.e.Verdict(ctx, req)
		a.decisions.Add(1)
		if err != nil || verdict.Decision != engine.Allow {
			return err
		}
		d, err := a.e.Decide(ctx, req) // the finding's evidence
		if err != nil {
			return err
		}
		if d.Decision == engine.Allow {
			f := loc
			f.Rule, f.Severity = "resource-open-to-world", Critical
			f.Title = fmt.Sprintf("%s is open to the world: anyone may %s on %s", res.ARN, action, target)
			f.Evidence = []Evidence{evidence(d, action, target, fmt.Sprintf("clearance why %s --principal anonymous --action %s --resource %s --resource-account %s%s",
				a.opts.worldFlags(), action, quote(target), res.Account, contextFlags(a.opts.Context)))}
			a.add(f)
		}
		return nil
	}
	for _, p := range st.Principal.AWS {
		if acct := accountOf(p); acct != "" && acct != res.Account && a.outside(acct) {
			f := loc
			f.Rule, f.Severity, f.Subject = RuleResourceSharedOutside, Medium, p
			f.Title = fmt.Sprintf("%s is shared with %s, outside the organization", res.ARN, p)
			if !a.report.Organization {
				f.Rule, f.Severity = RuleResourceSharedOther, Low
				f.Title = fmt.Sprintf("%s is shared with %s, another account (no organization loaded)", res.ARN, p)
			}
			a.add(f)
		}
	}
	return nil
}

// probeResource is a resource the statement covers: its first Resource
// pattern within the policy's resource, wildcards filled in, or the
// resource itself.
func probeResource(st *policy.Statement, resource string) string {
	if st.NotResource {
		return resource
	}
	for _, r := range st.Resources {
		p, ok := r.(string)
		if !ok || !strings.HasPrefix(p, resource) {
			continue
		}
		return strings.NewReplacer(`\*`, "*", `\?`, "?", "*", "clearance-probe", "?", "x").Replace(p)
	}
	return resource
}

// representative picks an action of the statement the catalog knows,
// preferring one of the resource's service.
func representative(cat *catalog.Catalog, st *policy.Statement, resource string) string {
	svc := ""
	if p, ok := pattern.SplitARN(resource); ok {
		svc = p.Service
	}
	var first string
	for _, pat := range st.Actions {
		for _, act := range cat.Expand(pat, st.NotAction) {
			if act.Service == svc {
				return act.String()
			}
			if first == "" {
				first = act.String()
			}
		}
	}
	return first
}
