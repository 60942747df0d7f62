package review

import (
	"strings"

	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// impact is what a change can affect, found from its Edits and the two
// worlds. A decision can differ between the worlds only if a policy or
// fact it reads differs: the principal's identity side (its inline and
// managed policies, its groups', its boundary, its tags, its existence),
// the resource's side (its resource policy, a role's trust policy, its
// existence and tags), or the organization's (SCPs, RCPs). So:
//   - principals holds the users and roles whose identity side an Edit
//     changes: the user or role edited, the members of an edited group,
//     every holder (directly, through a group, or as boundary) of an
//     edited managed policy, the owner of an inline policy, an attachment
//     or a membership, in either world;
//   - resources holds the ARNs whose resource side an Edit changes: the
//     users, groups, roles and managed policies edited (a role's trust
//     policy is its resource policy), and every resource whose policy an
//     Edit writes;
//   - all is set when an organization policy or attachment changes: every
//     principal of every account may be affected.
//
// A question about (action, resource) is then asked of every principal
// when the resource's side changed, and of the principals above otherwise
// (who-can's Scope); the differential test compares that with asking
// everyone.
type impact struct {
	all        bool
	principals map[string]bool
	resources  map[string]bool
	// changes says, per affected principal, which actions its change can
	// concern (principal.go); reach, per resource whose side changes, whom
	// (reach.go). The who-can Scope of a question uses them.
	changes map[string]*principalChange
	reach   map[string]*reach
	// hasPolicy reports whether a resource (or its bucket) has a resource
	// or trust policy in either world; policyFree whether the logic may
	// allow an action without an Allow statement.
	hasPolicy  func(string) bool
	policyFree func(string) bool
	// edits lists, per ARN, the Edits that concern it (where a finding
	// points when no statement of the change decides it).
	edits map[string][]int
}

func newImpact(set *change.Set, before, after *store.Snapshot, policyFree func(string) bool) *impact {
	m := &impact{principals: map[string]bool{}, resources: map[string]bool{}, edits: map[string][]int{},
		changes: map[string]*principalChange{}, reach: map[string]*reach{}, policyFree: policyFree}
	for i := range set.Edits {
		m.edit(set, i, before, after)
	}
	for arn := range m.principals {
		m.changes[arn] = changeOf(arn, before, after)
	}
	for arn := range m.resources {
		m.reach[arn] = reachOf(arn, before, after)
	}
	m.hasPolicy = func(resource string) bool {
		return withPolicy(before, resource) || withPolicy(after, resource)
	}
	return m
}

func (m *impact) principal(i int, arns ...string) {
	for _, a := range arns {
		m.principals[a] = true
		m.edits[a] = append(m.edits[a], i)
	}
}

func (m *impact) resource(i int, arns ...string) {
	for _, a := range arns {
		m.resources[a] = true
		m.edits[a] = append(m.edits[a], i)
	}
}

func (m *impact) edit(set *change.Set, i int, before, after *store.Snapshot) {
	e := &set.Edits[i]
	acct := set.Account
	snaps := []*store.Snapshot{before, after}
	switch e.Kind {
	case change.User, change.Role:
		arns := entityARNs(snaps, acct, e.Kind, e.Name)
		m.principal(i, arns...)
		m.resource(i, arns...)
	case change.TrustPolicy: // the role is the resource; its sessions keep their permissions
		m.resource(i, entityARNs(snaps, acct, change.Role, e.Name)...)
	case change.Group:
		m.principal(i, members(snaps, acct, e.Name)...)
		m.resource(i, entityARNs(snaps, acct, change.Group, e.Name)...)
	case change.ManagedPolicy:
		arns := policyARNs(snaps, acct, e.Name)
		m.resource(i, arns...)
		for _, arn := range arns {
			m.principal(i, holders(snaps, arn)...)
		}
	case change.InlinePolicy, change.Attachment, change.Membership:
		if e.Owner != nil {
			m.principal(i, ownerPrincipals(snaps, acct, e.Owner)...)
		}
		if e.Kind == change.Attachment && e.PolicyARN != "" {
			m.edits[e.PolicyARN] = append(m.edits[e.PolicyARN], i)
		}
	case change.ResourcePolicy, change.ResourceStatement:
		m.resource(i, e.Resource)
	case change.OrgPolicy, change.OrgAttachment:
		m.all = true
	}
}

// entityARNs finds the user, group or role of the name in the account in
// each world (its path may differ between them).
func entityARNs(snaps []*store.Snapshot, account string, kind change.Kind, name string) []string {
	var out []string
	for _, s := range snaps {
		a, ok := s.Account(account)
		if !ok {
			continue
		}
		switch kind {
		case change.User:
			for _, u := range a.Users {
				if strings.EqualFold(u.Name, name) {
					out = appendNew(out, u.ARN)
				}
			}
		case change.Role:
			for _, r := range a.Roles {
				if strings.EqualFold(r.Name, name) {
					out = appendNew(out, r.ARN)
				}
			}
		case change.Group:
			for _, g := range a.Groups {
				if strings.EqualFold(g.Name, name) {
					out = appendNew(out, g.ARN)
				}
			}
		}
	}
	return out
}

// members lists the users of the group in either world.
func members(snaps []*store.Snapshot, account, group string) []string {
	var out []string
	for _, s := range snaps {
		if a, ok := s.Account(account); ok {
			for _, u := range a.Users {
				for _, g := range u.Groups {
					if strings.EqualFold(g, group) {
						out = appendNew(out, u.ARN)
					}
				}
			}
		}
	}
	return out
}

// policyARNs finds the customer managed policy of the name in the account
// in each world.
func policyARNs(snaps []*store.Snapshot, account, name string) []string {
	var out []string
	for _, s := range snaps {
		if a, ok := s.Account(account); ok {
			for _, p := range a.ManagedPolicies {
				if p.Name == name {
					out = appendNew(out, p.ARN)
				}
			}
		}
	}
	return out
}

// holders lists the users and roles that hold the managed policy, in
// either world: attached to them or to one of their groups, or as their
// permissions boundary.
func holders(snaps []*store.Snapshot, arn string) []string {
	var out []string
	has := func(managed []string, boundary string) bool {
		return boundary == arn || contains(managed, arn)
	}
	for _, s := range snaps {
		for _, a := range s.Accounts() {
			groups := map[string]bool{}
			for _, g := range a.Groups {
				groups[g.Name] = has(g.Managed, "")
			}
			for _, u := range a.Users {
				in := has(u.Managed, u.Boundary)
				for _, g := range u.Groups {
					in = in || groups[g]
				}
				if in {
					out = appendNew(out, u.ARN)
				}
			}
			for _, r := range a.Roles {
				if has(r.Managed, r.Boundary) {
					out = appendNew(out, r.ARN)
				}
			}
		}
	}
	return out
}

// ownerPrincipals lists the users and roles an owner's policy applies to:
// the user or role, or the group's members.
func ownerPrincipals(snaps []*store.Snapshot, account string, o *change.Owner) []string {
	if o.Kind == change.Group {
		return members(snaps, account, o.Name)
	}
	return entityARNs(snaps, account, o.Kind, o.Name)
}

// reachOf is the reach of the resource's changed side, or of its
// bucket's for an S3 object (nil: unchanged).
func (m *impact) reachOf(resource string) *reach {
	if r := m.reach[resource]; r != nil {
		return r
	}
	if b := bucketOf(resource); b != "" {
		return m.reach[b]
	}
	return nil
}

// openResource reports whether the resource side of questions about the
// resource changes: the resource is one the change edits, or an object
// of an edited bucket.
func (m *impact) openResource(resource string) bool {
	if m.all || m.resources[resource] {
		return true
	}
	if rest, ok := strings.CutPrefix(resource, "arn:"); ok && world.TypeOf(resource) == world.TypeS3Object {
		bucket, _, _ := strings.Cut(rest, "/")
		return m.resources["arn:"+bucket]
	}
	return false
}

// whoCanScope is who-can's Scope for a pair: nil (everyone) when an
// organization policy changes; else the affected principals whose change
// can concern the pair (their sessions and the federated users they
// make), and those the changed resource side of the pair's resource may
// name.
func (m *impact) whoCanScope(p pair) func(query.Candidate, string) bool {
	if m.all {
		return nil
	}
	rc := m.reachOf(p.resource)
	if rc != nil && rc.everyone {
		return nil
	}
	asked := m.hasPolicy(p.resource) || m.policyFree(p.action)
	action := strings.ToLower(p.action)
	return func(c query.Candidate, maker string) bool {
		who := []string{c.Arn, c.Role}
		if maker != "" {
			who = []string{maker}
		}
		for _, w := range who {
			if ch := m.changes[w]; w != "" && ch != nil && (asked || ch.concerns(action)) {
				return true
			}
		}
		return rc != nil && rc.names(c, maker)
	}
}

// auditScope is the audit's Scope: the affected principals and resources.
func (m *impact) auditScope() func(string) bool {
	if m.all {
		return nil
	}
	return func(arn string) bool { return m.principals[arn] || m.openResource(arn) }
}

func appendNew(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
