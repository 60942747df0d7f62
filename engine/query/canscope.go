package query

import (
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// scope gathers the statements that can take part in a principal's
// decisions: those that can grant (its identity policies' Allow
// statements, a resource or trust policy's Allow naming it, a root-made
// federated user's session policy) and those that only limit (Deny
// statements, boundary, session policies, SCPs of its account, every RCP,
// resource-policy Denies naming it). The root user's own access is a
// grant of every action on every resource of its account (allActions).
type scope struct {
	id         *engine.Identity
	grants     []*policy.Statement
	limits     []*policy.Statement
	attached   map[*policy.Statement]*declared // resource-policy statement -> its resource
	allActions bool
	// ctx is the principal's request context, for policy variables.
	ctx map[string]engine.ContextValue
}

func newScope(snap *store.Snapshot, u *universe, id *engine.Identity, req *engine.Request) *scope {
	s := &scope{id: id, attached: map[*policy.Statement]*declared{}, allActions: id.Kind == engine.KindRoot}
	byRoot := id.Kind == engine.KindFederated && id.EntityARN == "arn:aws:iam::"+id.Account+":root"
	for _, name := range id.Policies {
		s.add(snap.AllStatements(name), true)
	}
	if id.Boundary != "" {
		s.add(snap.AllStatements(id.Boundary), false)
	}
	var session []*policy.Policy
	if req.Session != nil {
		session = append(session, req.Session.Policies...)
	}
	if req.SessionPolicy != nil {
		session = append(session, req.SessionPolicy)
	}
	for _, p := range session {
		s.add(statementsOf(p), byRoot)
	}
	for _, name := range orgPolicies(snap, policy.KindSCP, []string{id.Account}) {
		s.add(snap.AllStatements(name), false)
	}
	for _, name := range orgPolicies(snap, policy.KindRCP, accountIDs(snap)) {
		s.add(snap.AllStatements(name), false)
	}
	for _, d := range u.withPolicy {
		for _, st := range d.statements {
			if namesPrincipal(st, id) {
				s.attached[st] = d
				s.add([]*policy.Statement{st}, true)
			}
		}
	}
	return s
}

// add files statements as grants (Allow, when they can grant) or limits.
func (s *scope) add(stmts []*policy.Statement, grant bool) {
	for _, st := range stmts {
		if grant && st.Effect == "Allow" {
			s.grants = append(s.grants, st)
		} else {
			s.limits = append(s.limits, st)
		}
	}
}

func statementsOf(p *policy.Policy) []*policy.Statement {
	out := make([]*policy.Statement, len(p.Statements))
	for i := range p.Statements {
		out[i] = &p.Statements[i]
	}
	return out
}

// namesPrincipal reports whether a resource-based statement's Principal
// may name the principal: itself, its role or user, its account, anyone
// ("*"), or everyone but a list (NotPrincipal): statement.principal_match
// and not_principal_applies decide; this only selects what to ask.
func namesPrincipal(st *policy.Statement, id *engine.Identity) bool {
	pr := st.Principal
	switch {
	case pr == nil:
		return false
	case st.NotPrincipal || pr.Any || slices.Contains(pr.AWS, "*"):
		return true
	case slices.Contains(pr.Service, id.ARN) || slices.Contains(pr.Federated, id.ARN):
		return true
	}
	for _, names := range [][]string{id.Names, id.AccountNames} {
		for _, n := range names {
			if slices.Contains(pr.AWS, n) {
				return true
			}
		}
	}
	return false
}

// orgPolicies lists the store names of the SCPs or RCPs attached on the
// organization paths of the accounts.
func orgPolicies(snap *store.Snapshot, kind policy.PolicyKind, accounts []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range accounts {
		for _, node := range snap.OrgPath(a) {
			names := node.SCPs
			if kind == policy.KindRCP {
				names = node.RCPs
			}
			for _, n := range names {
				if name := world.OrgPolicyName(kind, n); !seen[name] {
					seen[name] = true
					out = append(out, name)
				}
			}
		}
	}
	return out
}

func accountIDs(snap *store.Snapshot) []string {
	var out []string
	for _, a := range snap.Accounts() {
		out = append(out, a.ID)
	}
	return out
}

// declared is a resource the world declares: a resource, a role or a user.
type declared struct {
	arn, account, service string
	tagged                bool
	required              bool // its policy must allow (a KMS key)
	role, bucket          bool
	statements            []*policy.Statement // its resource or trust policy's
}

// universe is the world's declared resources, by service and by ARN.
type universe struct {
	byService  map[string][]*declared
	byARN      map[string]*declared
	withPolicy []*declared
	// stsServed is the resources STS actions name: STS's and the roles.
	stsServed []*declared
}

func newUniverse(snap *store.Snapshot) *universe {
	u := &universe{byService: map[string][]*declared{}, byARN: map[string]*declared{}}
	for _, a := range snap.Accounts() {
		for _, r := range a.Resources {
			d := &declared{arn: r.ARN, account: r.Account, tagged: len(r.Tags) > 0, required: r.PolicyRequired(),
				bucket: strings.HasPrefix(r.ARN, s3Prefix) && !strings.Contains(r.ARN[len(s3Prefix):], "/")}
			if r.Policy != nil {
				d.statements = statementsOf(r.Policy)
			}
			u.add(d)
		}
		for _, r := range snap.Roles(a.ID) {
			d := &declared{arn: r.ARN, account: r.Account, tagged: len(r.Tags) > 0, role: true}
			if r.Trust != nil {
				d.statements = statementsOf(r.Trust)
			}
			u.add(d)
		}
		for _, usr := range a.Users {
			u.add(&declared{arn: usr.ARN, account: usr.Account})
		}
	}
	u.stsServed = slices.Clone(u.byService["sts"])
	for _, d := range u.byService["iam"] {
		if d.role {
			u.stsServed = append(u.stsServed, d)
		}
	}
	return u
}

const s3Prefix = "arn:aws:s3:::"

func (u *universe) add(d *declared) {
	if _, dup := u.byARN[d.arn]; dup {
		return
	}
	if a, ok := pattern.SplitARN(d.arn); ok {
		d.service = a.Service
	}
	u.byARN[d.arn] = d
	u.byService[d.service] = append(u.byService[d.service], d)
	if len(d.statements) > 0 {
		u.withPolicy = append(u.withPolicy, d)
	}
}

// accountOf is the account a request on the resource pattern is decided
// in: a declared resource's (an S3 object's bucket's), the ARN's when it
// names one, else the principal's.
func (u *universe) accountOf(resource, principal string) string {
	if d, ok := u.byARN[resource]; ok {
		return d.account
	}
	if bucket, _, ok := strings.Cut(strings.TrimPrefix(resource, s3Prefix), "/"); ok && strings.HasPrefix(resource, s3Prefix) {
		if d, ok := u.byARN[s3Prefix+bucket]; ok {
			return d.account
		}
	}
	if a := accountOf(resource); len(a) == 12 && strings.Trim(a, "0123456789") == "" {
		return a
	}
	return principal
}
