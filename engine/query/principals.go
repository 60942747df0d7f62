package query

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// The principals who-can decides: every IAM user and root user of the
// world, every session of a role that a policy names by its session ARN
// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, in a Principal or
// NotPrincipal element), and for each role one representative session
// whose name no policy names; every federated user a policy names
// (arn:aws:sts::ACCOUNT:federated-user/NAME, in a Principal element or as
// the resource of sts:GetFederationToken) and one representative per
// account, each made by each user or root of its account that may call
// GetFederationToken for it (federated.go). A representative stands for
// the open-ended set of names no policy names: the logic reads a
// session's name only through its ARN and aws:userid, so every such name
// gets its answer. A condition on aws:userid names sessions too (a name,
// or a name pattern decided through one member), and a ${aws:userid}
// resource the session its request's resource holds (userids.go; see the
// Principal element page,
// reference_policies_elements_principal.html, "Role session principals"
// and "AWS STS federated user session principals").

// Patterns of principals: an open-ended set decided once, through a
// representative member.
const (
	PatternAnySession   = "any-session"        // any session of a role
	PatternAnyFederated = "any-federated-user" // any federated user one user or root makes
)

// Candidate is a principal who-can decides.
type Candidate struct {
	Arn  string // the principal decided (a representative for a pattern)
	Kind string
	// Pattern is "" for a named principal, or the set Arn stands for;
	// Shown is what the answer names: Arn, or the pattern's ARN.
	Pattern, Shown string
	Role           string // the role of a role session
}

// representative is the session (or federated user) name who-can decides
// for the names no policy names; it is made unique when a policy names it.
const representative = "who-can"

// Valid names (STS API reference, AssumeRole RoleSessionName: 2 to 64
// characters; GetFederationToken Name: 2 to 32; both [\w+=,.@-]*).
var (
	sessionName   = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	federatedName = regexp.MustCompile(`^[\w+=,.@-]{2,32}$`)
)

// named holds the session and federated-user ARNs the world's policies
// name, by role ARN and by account.
type named struct {
	sessions  map[string][]string // role ARN -> session ARNs
	federated map[string][]string // account -> federated-user ARNs
	// makerPatterns are, per IAM user, the federated-user name patterns
	// its policies allow sts:GetFederationToken on (not "*").
	makerPatterns map[string][]string
	// sessionPatterns are, per role ARN, the session-name patterns (glob
	// form, not "*") conditions on aws:userid name (userids.go).
	sessionPatterns map[string][]string
	// templates are the Resource patterns with ${aws:userid}, which name
	// the session a request's resource holds the userid of.
	templates []userIDTemplate
	seen      map[string]bool // the ARNs added
}

// namedPrincipals scans the Principal and NotPrincipal elements of every
// resource policy, trust policy and RCP for session and federated-user
// ARNs of the world's roles and accounts, and the identity policies for
// the federated users a statement allows sts:GetFederationToken on by
// name (its maker may make that one only).
func namedPrincipals(snap *store.Snapshot) named {
	n := named{sessions: map[string][]string{}, federated: map[string][]string{}, makerPatterns: makerPatterns(snap),
		sessionPatterns: map[string][]string{}, seen: map[string]bool{}}
	add := func(arn string) {
		if !n.seen[arn] {
			n.seen[arn] = true
			n.add(snap, arn)
		}
	}
	all := append(append(principalPolicies(snap), identityPolicies(snap)...), scpDocs(snap)...)
	n.userIDNames(snap, all)
	n.templates = userIDTemplates(all)
	for _, p := range principalPolicies(snap) {
		for i := range p.Statements {
			if pr := p.Statements[i].Principal; pr != nil {
				for _, arn := range pr.AWS {
					add(arn)
				}
			}
		}
	}
	for _, p := range identityPolicies(snap) {
		for i := range p.Statements {
			st := &p.Statements[i]
			if st.NotResource || !engine.StatementMentions(st, "sts:getfederationtoken") {
				continue
			}
			for _, r := range st.Resources {
				if arn, ok := r.(string); ok && !pattern.GlobHasWildcard(arn) {
					add(arn)
				}
			}
		}
	}
	n.sortLists()
	return n
}

func (n named) sortLists() {
	for _, list := range [](map[string][]string){n.sessions, n.federated, n.sessionPatterns} {
		for _, v := range list {
			sort.Strings(v)
		}
	}
}

// scpDocs lists the SCPs attached in the organization.
func scpDocs(snap *store.Snapshot) []*policy.Policy {
	var out []*policy.Policy
	for _, name := range orgPolicies(snap, policy.KindSCP, accountIDs(snap)) {
		for _, st := range snap.AllStatements(name) {
			out = append(out, &policy.Policy{Statements: []policy.Statement{*st}})
		}
	}
	return out
}

func (n named) add(snap *store.Snapshot, arn string) {
	a, ok := pattern.SplitARN(arn)
	if !ok || a.Service != "sts" {
		return
	}
	rest := strings.SplitN(arn, ":", 6)[5]
	if r, ok := strings.CutPrefix(rest, "assumed-role/"); ok {
		role, session, _ := strings.Cut(r, "/")
		if rr, found := snap.RoleByName(a.Account, role); found && sessionName.MatchString(session) {
			n.sessions[rr.ARN] = append(n.sessions[rr.ARN], arn)
		}
		return
	}
	if name, ok := strings.CutPrefix(rest, "federated-user/"); ok && federatedName.MatchString(name) {
		if _, found := snap.Account(a.Account); found {
			n.federated[a.Account] = append(n.federated[a.Account], arn)
		}
	}
}

// principalPolicies lists the policies that carry a Principal element:
// resource policies, trust policies and the RCPs of the organization.
func principalPolicies(snap *store.Snapshot) []*policy.Policy {
	var out []*policy.Policy
	rcps := map[string]bool{}
	for _, a := range snap.Accounts() {
		for _, r := range a.Resources {
			if r.Policy != nil {
				out = append(out, r.Policy)
			}
		}
		for _, r := range snap.Roles(a.ID) {
			if r.Trust != nil {
				out = append(out, r.Trust)
			}
		}
		for _, node := range snap.OrgPath(a.ID) {
			for _, name := range node.RCPs {
				if op, ok := snap.OrgPolicy(policy.KindRCP, name); ok && !rcps[name] && op.Policy != nil {
					rcps[name] = true
					out = append(out, op.Policy)
				}
			}
		}
	}
	return out
}

// makerPatterns finds, for each IAM user, the federated-user name
// patterns with a wildcard (other than a bare "*") that its identity
// policies' statements for sts:GetFederationToken name in its account.
func makerPatterns(snap *store.Snapshot) map[string][]string {
	out := map[string][]string{}
	for _, a := range snap.Accounts() {
		for _, u := range a.Users {
			for _, p := range userPolicyDocs(snap, u) {
				for i := range p.Statements {
					out[u.ARN] = appendMakerPatterns(out[u.ARN], &p.Statements[i], u.Account)
				}
			}
		}
	}
	return out
}

func appendMakerPatterns(out []string, st *policy.Statement, account string) []string {
	if st.Effect != "Allow" || st.NotResource || !engine.StatementMentions(st, "sts:getfederationtoken") {
		return out
	}
	for _, r := range st.Resources {
		arn, ok := r.(string)
		parts := strings.SplitN(arn, ":", 6)
		if !ok || len(parts) != 6 || parts[2] != "sts" || !pattern.Glob(parts[4], account) {
			continue
		}
		name, ok := strings.CutPrefix(parts[5], "federated-user/")
		p := "arn:aws:sts::" + account + ":federated-user/" + name
		if ok && name != "*" && pattern.GlobHasWildcard(name) && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// userPolicyDocs lists an IAM user's identity policies: inline, managed
// and its groups'.
func userPolicyDocs(snap *store.Snapshot, u *world.User) []*policy.Policy {
	out := append([]*policy.Policy(nil), u.Inline...)
	managed := slices.Clone(u.Managed)
	for _, name := range u.Groups {
		if g, ok := snap.Group(u.Account, name); ok {
			out = append(out, g.Inline...)
			managed = append(managed, g.Managed...)
		}
	}
	for _, arn := range managed {
		if m, ok := snap.ManagedPolicy(arn); ok && m.Policy != nil {
			out = append(out, m.Policy)
		}
	}
	return out
}

// identityPolicies lists the inline policies of the world's users,
// groups and roles and its customer managed policies.
func identityPolicies(snap *store.Snapshot) []*policy.Policy {
	var out []*policy.Policy
	for _, a := range snap.Accounts() {
		for _, u := range a.Users {
			out = append(out, u.Inline...)
		}
		for _, g := range a.Groups {
			out = append(out, g.Inline...)
		}
		for _, r := range snap.Roles(a.ID) {
			out = append(out, r.Inline...)
		}
		for _, m := range a.ManagedPolicies {
			if m.Policy != nil {
				out = append(out, m.Policy)
			}
		}
	}
	return out
}

// representativeName returns a name not among the named ARNs' last
// components, and (when it can) whose ARN no name pattern matches.
func representativeName(namedARNs []string, patterns ...[]string) string {
	taken := map[string]bool{}
	for _, a := range namedARNs {
		taken[a[strings.LastIndex(a, "/")+1:]] = true
	}
	prefix := ""
	if len(namedARNs) > 0 {
		prefix = namedARNs[0][:strings.LastIndex(namedARNs[0], "/")+1]
	}
	matched := func(name string) bool {
		for _, list := range patterns {
			for _, p := range list {
				if prefix == "" {
					prefix = p[:strings.LastIndex(p, "/")+1]
				}
				if pattern.Glob(p, prefix+name) {
					return true
				}
			}
		}
		return false
	}
	name := representative
	for i := 2; taken[name] || i < 100 && matched(name); i++ {
		name = representative + "-" + strconv.Itoa(i)
	}
	return name
}

// PrincipalsOf lists the principals who-can decides that need no maker:
// every account's root user, every IAM user, and per role its named
// sessions and its representative session (federated users are listed by
// federatedOf, with their makers). Sorted by Shown, then Arn.
func PrincipalsOf(snap *store.Snapshot) []Candidate {
	return principalsOf(snap, namedPrincipals(snap))
}

func principalsOf(snap *store.Snapshot, n named) []Candidate {
	var out []Candidate
	for _, a := range snap.Accounts() {
		root := "arn:aws:iam::" + a.ID + ":root"
		out = append(out, Candidate{Arn: root, Kind: engine.KindRoot, Shown: root})
		for _, u := range a.Users {
			out = append(out, Candidate{Arn: u.ARN, Kind: engine.KindUser, Shown: u.ARN})
		}
		for _, r := range a.Roles {
			out = append(out, roleSessions(r, n.sessions[r.ARN], n.sessionPatterns[r.ARN])...)
		}
	}
	sortCandidates(out)
	return out
}

// roleSessions lists a role's named sessions, its representative one,
// and a member of each of its session-name patterns (a name no policy
// names, matching no other pattern but its own).
func roleSessions(r *world.Role, sessions, patterns []string) []Candidate {
	prefix := "arn:aws:sts::" + r.Account + ":assumed-role/" + r.Name + "/"
	shown := make([]string, len(patterns))
	for i, p := range patterns {
		shown[i] = prefix + p
	}
	rep := prefix + representativeName(sessions, shown)
	out := []Candidate{{Arn: rep, Kind: engine.KindSession, Pattern: PatternAnySession, Shown: prefix + "*", Role: r.ARN}}
	for i, p := range patterns {
		if m, ok := memberOf(prefix, p, sessions, slices.Delete(slices.Clone(shown), i, i+1)); ok {
			out = append(out, Candidate{Arn: m, Kind: engine.KindSession, Pattern: PatternAnySession, Shown: shown[i], Role: r.ARN})
		}
	}
	for _, s := range sessions {
		out = append(out, Candidate{Arn: s, Kind: engine.KindSession, Shown: s, Role: r.ARN})
	}
	return out
}

// memberOf returns a session of a name pattern that is not named and
// matches none of the other patterns, when there is one of the forms
// tried (each * as "who-can", "who-can-2", ..., each ? as "x").
func memberOf(prefix, namePattern string, named, others []string) (string, bool) {
	for i := 1; i <= 8; i++ {
		fill := representative
		if i > 1 {
			fill += "-" + strconv.Itoa(i)
		}
		arn := prefix + strings.NewReplacer("*", fill, "?", "x").Replace(namePattern)
		if !slices.Contains(named, arn) && !slices.ContainsFunc(others, func(o string) bool { return pattern.Glob(o, arn) }) &&
			sessionName.MatchString(arn[len(prefix):]) {
			return arn, true
		}
	}
	return "", false
}

// federatedOf lists an account's named federated users and its
// representative one.
func federatedOf(account string, names []string) []Candidate {
	prefix := "arn:aws:sts::" + account + ":federated-user/"
	out := []Candidate{{Arn: prefix + representativeName(names), Kind: engine.KindFederated, Pattern: PatternAnyFederated, Shown: prefix + "*"}}
	for _, f := range names {
		out = append(out, Candidate{Arn: f, Kind: engine.KindFederated, Shown: f})
	}
	return out
}

func sortCandidates(cs []Candidate) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Shown != cs[j].Shown {
			return cs[i].Shown < cs[j].Shown
		}
		return cs[i].Arn < cs[j].Arn
	})
}
