package audit

import (
	"fmt"
	"time"

	"github.com/clearance-dev/clearance/loader/world"
)

// Unused access: roles the account export says were not used lately.
// get-account-authorization-details writes each role's RoleLastUsed
// ({LastUsedDate, Region}, or {} when "the role has not been used within
// the tracking period" of 400 days: id_roles_manage_delete.html, View role
// access). Users' PasswordLastUsed (list-users, get-user) and their access
// keys' last use (get-access-key-last-used) are not in that export, and
// Clearance reads no other IAM listing: users are not rated
// (docs/audit-severity.md).

// lastUsedLayouts are how exports write dates: the AWS CLI's
// "2019-01-20 18:48:00+00:00" and RFC 3339.
var lastUsedLayouts = []string{"2006-01-02 15:04:05-07:00", time.RFC3339, "2006-01-02T15:04:05-07:00", time.DateOnly}

func parseExportTime(s string) (time.Time, bool) {
	for _, l := range lastUsedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// auditUnused flags the roles whose last use (or, never used, creation)
// is more than opts.UnusedDays before the audit time. Roles the world
// has no usage data for (a scenario file, an export without
// RoleLastUsed) are not rated.
func (a *auditor) auditUnused() {
	if a.opts.UnusedDays <= 0 {
		return
	}
	cutoff := a.opts.Time.AddDate(0, 0, -a.opts.UnusedDays)
	for _, acct := range a.snap.Accounts() {
		for _, r := range acct.Roles {
			if a.excluded[r.ARN] || !a.inScope(r.ARN) || !r.UsageTracked {
				continue
			}
			if f, ok := a.unusedRole(r, cutoff); ok {
				a.add(f)
			}
		}
	}
}

func (a *auditor) unusedRole(r *world.Role, cutoff time.Time) (Finding, bool) {
	f := Finding{Rule: RuleUnusedAccess, Severity: Low, Principal: r.ARN}
	days := a.opts.UnusedDays
	if r.LastUsed != "" {
		last, ok := parseExportTime(r.LastUsed)
		if !ok || !last.Before(cutoff) {
			return f, false // an unreadable date is not evidence of disuse
		}
		f.Title = fmt.Sprintf("role %s has not been used for %d days or more (last used %s)", r.ARN, days, r.LastUsed)
		f.Detail = fmt.Sprintf("RoleLastUsed.LastUsedDate is %s, %d days before the audit time %s. Remove the role, or its permissions, if nothing needs it.",
			r.LastUsed, int(a.opts.Time.Sub(last).Hours()/24), a.opts.Time.UTC().Format(time.RFC3339))
		return f, true
	}
	if created, ok := parseExportTime(r.Created); ok && !created.Before(cutoff) {
		return f, false // too new to call unused
	}
	f.Title = fmt.Sprintf("role %s has not been used in IAM's tracking period", r.ARN)
	f.Detail = "RoleLastUsed is empty: the role has not been used within the tracking period (400 days, or since the Region began tracking). Remove the role, or its permissions, if nothing needs it."
	if r.Created != "" {
		f.Detail += " Created " + r.Created + "."
	}
	return f, true
}
