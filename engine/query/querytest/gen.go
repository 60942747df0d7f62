// Package querytest holds the differential check of who-can and can: on
// generated worlds (root users, users in groups, roles whose trust
// policies name sessions, resource policies naming federated users,
// sessions, roles and accounts, cross-account buckets, queues and keys,
// boundaries, SCPs and RCPs), both must equal the brute force over Decide
// (what `why` answers) on every declared resource and every action a
// policy mentions. The tests of engine/query run it on small worlds, the
// benchmarks on a large one. Only tests and benchmarks import it.
package querytest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
)

// Size says how big a generated world is.
type Size struct {
	// Accounts: the first is the organization's management account; with
	// three or more, the last is outside the organization. One seed in
	// three makes a world without an organization.
	Accounts int
	// Users, Roles and Buckets per account.
	Users, Roles, Buckets int
	// Wide adds statements whose action patterns name whole services
	// (s3:*, kms:*): many more actions to check.
	Wide bool
}

// World is a generated world and what the brute force needs to know of
// it, independently of what who-can and can find in it.
type World struct {
	Seed uint64
	// Scenario is the world as a scenario document (JSON, no checks).
	Scenario []byte
	Accounts []string
	// Users and Roles list the ARNs per account; Sessions the session
	// ARNs the policies name, by role ARN; Federated the federated-user
	// ARNs they name, by account.
	Users, Roles        map[string][]string
	Sessions, Federated map[string][]string
	// FederatedPatterns are the federated-user name patterns (other than
	// "*") statements allow sts:GetFederationToken on, by account.
	FederatedPatterns map[string][]string
	// SessionPatterns are the session-name patterns (app-*) conditions on
	// aws:userid name, by role ARN; HomeSessions the sessions a
	// ${aws:userid} resource names, with the one declared object that
	// names each (userids.go).
	SessionPatterns map[string][]string
	HomeSessions    map[string]string
	// Patterns are the action patterns the statements name.
	Patterns []string
	// Resources are the declared resources, objects of the buckets,
	// federated-user ARNs and "*"; Types their resource types as the
	// Service Authorization Reference names them (bucket, object, queue,
	// key, role, user, federated-user; "" for "*").
	Resources []string
	Types     map[string]string
	Context   map[string]any
}

const orgID = "o-gen"

// gen is the generator's state.
type gen struct {
	r        *rand.Rand
	size     Size
	w        *World
	patterns map[string]bool
	// sessions and federated are the names a policy may use (by role, by
	// account); used marks those a policy does use.
	sessions, federated map[string][]string
	used                map[string]bool
	// userIDSessions are the sessions conditions on aws:userid name, by
	// role.
	userIDSessions map[string][]string
	// objects is the action pattern of object statements.
	objects string
	org     bool // the world has an organization
}

// Generate builds the world of a seed.
func Generate(seed uint64, size Size) *World {
	g := &gen{r: rand.New(rand.NewPCG(seed, 11)), size: size, patterns: map[string]bool{},
		sessions: map[string][]string{}, federated: map[string][]string{}, used: map[string]bool{},
		userIDSessions: map[string][]string{},
		w: &World{Seed: seed, Users: map[string][]string{}, Roles: map[string][]string{},
			Sessions: map[string][]string{}, Federated: map[string][]string{}, FederatedPatterns: map[string][]string{},
			SessionPatterns: map[string][]string{}, HomeSessions: map[string]string{}, Types: map[string]string{}}}
	g.objects, g.org = "s3:*tObject", seed%3 != 0
	if size.Wide {
		g.objects = "s3:*Object"
	}
	g.names()
	accounts := make([]any, len(g.w.Accounts))
	for i := range g.w.Accounts {
		accounts[i] = g.account(i)
	}
	world := map[string]any{"accounts": accounts}
	if g.org {
		world["organization"] = g.organization()
	}
	doc, err := json.MarshalIndent(map[string]any{"description": fmt.Sprintf("generated world, seed %d", seed), "world": world}, "", " ")
	if err != nil {
		panic(err) // maps of strings and slices always marshal
	}
	g.w.Scenario = doc
	for _, a := range g.w.Accounts {
		for _, r := range g.w.Roles[a] {
			g.w.Sessions[r] = usedOf(g, g.sessions[r])
			for _, s := range g.userIDSessions[r] {
				if !slices.Contains(g.w.Sessions[r], s) {
					g.w.Sessions[r] = append(g.w.Sessions[r], s)
				}
			}
		}
		g.w.Federated[a] = usedOf(g, g.federated[a])
	}
	for p := range g.patterns {
		g.w.Patterns = append(g.w.Patterns, p)
	}
	sort.Strings(g.w.Patterns)
	g.w.Context = map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": seed%4 != 3}
	return g.w
}

// names fixes every account, user, role, named session and named
// federated user before any policy refers to them.
func (g *gen) names() {
	for i := 0; i < g.size.Accounts; i++ {
		a := fmt.Sprintf("2000000000%02d", i)
		g.w.Accounts = append(g.w.Accounts, a)
		for j := 0; j < g.size.Users; j++ {
			g.w.Users[a] = append(g.w.Users[a], fmt.Sprintf("arn:aws:iam::%s:user/u%d-%d", a, i, j))
		}
		for j := 0; j < g.size.Roles; j++ {
			name := fmt.Sprintf("r%d-%d", i, j)
			role := "arn:aws:iam::" + a + ":role/" + name
			g.w.Roles[a] = append(g.w.Roles[a], role)
			if g.r.IntN(2) == 0 {
				session := fmt.Sprintf("s%d-%d", i, j)
				if g.r.IntN(4) == 0 {
					session = "who-can" // the name who-can would give its representative
				}
				g.sessions[role] = append(g.sessions[role], "arn:aws:sts::"+a+":assumed-role/"+name+"/"+session)
			}
		}
		g.federated[a] = []string{fmt.Sprintf("arn:aws:sts::%s:federated-user/fed-%d", a, i)}
		if g.r.IntN(3) == 0 {
			g.federated[a] = append(g.federated[a], "arn:aws:sts::"+a+":federated-user/who-can")
		}
	}
}

// pick returns one of the items.
func pick[T any](g *gen, items []T) T { return items[g.r.IntN(len(items))] }

// anySession picks a session name some role may have, and marks it used.
func (g *gen) anySession() (string, bool) {
	var all []string
	for _, a := range g.w.Accounts {
		for _, r := range g.w.Roles[a] {
			all = append(all, g.sessions[r]...)
		}
	}
	if len(all) == 0 {
		return "", false
	}
	return g.use(pick(g, all)), true
}

func (g *gen) hasSessions() bool {
	for _, s := range g.sessions {
		if len(s) > 0 {
			return true
		}
	}
	return false
}

// anyFederated picks a federated user of the account, and marks it used.
func (g *gen) anyFederated(a string) string { return g.use(pick(g, g.federated[a])) }

func (g *gen) use(arn string) string {
	g.used[arn] = true
	return arn
}

func usedOf(g *gen, names []string) []string {
	var out []string
	for _, n := range names {
		if g.used[n] {
			out = append(out, n)
		}
	}
	return out
}

// other returns an account other than a (a itself when it is the only
// one).
func (g *gen) other(a string) string {
	for range 4 {
		if o := pick(g, g.w.Accounts); o != a {
			return o
		}
	}
	return a
}

func (g *gen) organization() map[string]any {
	members := []any{}
	for i, a := range g.w.Accounts {
		if i > 0 && !(g.outside(i)) {
			members = append(members, a)
		}
	}
	return map[string]any{
		"id": orgID, "management_account": g.w.Accounts[0],
		"policies": []any{
			g.orgPolicy("ProtectPrivate", "scp", stmt("Deny", []string{"s3:DeleteObject", "s3:PutObject"}, []string{"arn:aws:s3:::gen-*-0/private/*"})),
			g.orgPolicy("NoPurge", "scp", stmt("Deny", []string{"sqs:PurgeQueue"}, []string{"*"})),
			g.orgPolicy("AllowList", "scp", stmt("Allow", []string{g.objects, "s3:ListBucket", "sqs:*Message", "kms:*crypt",
				"sts:AssumeRole", "sts:GetFederationToken", "iam:PassRole"}, []string{"*"})),
			g.orgPolicy("OrgOnly", "rcp", with(naming(stmt("Deny", []string{g.objects}, []string{"*"}), "*"), map[string]any{
				"StringNotEqualsIfExists": map[string]any{"aws:PrincipalOrgID": orgID},
				"BoolIfExists":            map[string]any{"aws:PrincipalIsAWSService": "false"}})),
		},
		"root": map[string]any{"id": "r-gen", "scps": []any{"FullAWSAccess", "NoPurge"}, "rcps": []any{"OrgOnly"},
			"children": []any{map[string]any{"name": "Work", "id": "ou-gen-work", "scps": []any{"FullAWSAccess", "ProtectPrivate"}}}},
	}
}

// outside reports whether the i-th account is outside the organization.
func (g *gen) outside(i int) bool { return i == len(g.w.Accounts)-1 && len(g.w.Accounts) >= 3 }

func (g *gen) orgPolicy(name, kind string, stmts ...map[string]any) map[string]any {
	g.note(stmts...)
	return map[string]any{"name": name, "type": kind, "document": doc(stmts...)}
}

func (g *gen) account(i int) map[string]any {
	a := g.w.Accounts[i]
	acct := map[string]any{"id": a, "name": fmt.Sprintf("acct-%d", i)}
	switch {
	case !g.org:
	case g.outside(i):
		acct["outside_org"] = true
	case i > 0:
		acct["org_path"] = "Work"
		if i == 2 {
			acct["scps"] = []any{"AllowList"}
		}
	}
	acct["managed_policies"] = []any{
		map[string]any{"name": "Boundary", "document": g.doc(g.boundary(i)...)},
		map[string]any{"name": "Shared", "document": g.doc(g.identity(a, i), g.identity(a, i))},
	}
	// The group's *.txt statement overlaps private/* (the SCP
	// ProtectPrivate's, a bucket policy's, an identity Deny's) without
	// nesting in every world.
	acct["groups"] = []any{map[string]any{"name": "devs", "policies": []any{g.inline("devs", g.identity(a, i), g.identityS3(i, 7))}}}
	acct["users"] = g.users(a, i)
	acct["roles"] = g.roles(a, i)
	acct["resources"] = g.resources(a, i)
	return acct
}
