package querytest

import (
	"fmt"
	"strings"
)

// Sessions named through aws:userid, whose value for a role session is
// role-id:caller-specified-role-name (reference_policies_variables.html,
// "Principal key values"). Every role has a fixed unique id; statements
// name a session of a role by a condition on aws:userid (a name, and a
// name pattern app-*: one member of it is decided as a pattern), deny one
// name of the pattern, and grant a home folder by ${aws:userid}
// (reference_policies_examples_s3_federated-home-directory-console.html),
// whose one declared object names its session for that object only.

// roleID is the unique id the generator gives a role.
func roleID(i, j int) string { return fmt.Sprintf("AROAGEN%02d%02dEXAMPLE", i, j) }

// identityUserID is the k-th aws:userid statement of account a (index i).
func (g *gen) identityUserID(a string, i, k int) map[string]any {
	if len(g.w.Roles[a]) == 0 {
		return stmt("Allow", []string{"s3:ListBucket"}, []string{fmt.Sprintf("arn:aws:s3:::gen-%d-0", i)})
	}
	j := g.r.IntN(len(g.w.Roles[a]))
	role, id := g.w.Roles[a][j], roleID(i, j)
	switch k {
	case 0:
		name := fmt.Sprintf("uid-%d-%d", i, j)
		g.nameSession(role, name)
		g.namePattern(role, "app-*")
		return with(stmt("Allow", []string{"s3:GetObject"}, []string{fmt.Sprintf("arn:aws:s3:::gen-%d-0/private/*", i)}),
			map[string]any{"StringLike": map[string]any{"aws:userid": list([]string{id + ":" + name, id + ":app-*"})}})
	case 1:
		g.nameSession(role, "app-blocked")
		return with(stmt("Deny", []string{"s3:GetObject"}, []string{"*"}),
			map[string]any{"StringEquals": map[string]any{"aws:userid": id + ":app-blocked"}})
	}
	name := fmt.Sprintf("home-%d-%d", i, j)
	object := fmt.Sprintf("arn:aws:s3:::gen-%d-0/home/%s:%s/x.txt", i, id, name)
	if g.w.Types[object] == "" {
		g.resource(object, "object")
		g.w.HomeSessions[sessionARN(role, name)] = object
	}
	return stmt("Allow", []string{"s3:PutObject"}, []string{fmt.Sprintf("arn:aws:s3:::gen-%d-0/home/${aws:userid}/*", i)})
}

// sessionARN is the ARN of a role's session.
func sessionARN(role, name string) string {
	a := accountOf(role)
	return "arn:aws:sts::" + a + ":assumed-role/" + role[strings.LastIndex(role, "/")+1:] + "/" + name
}

// nameSession records a session a condition on aws:userid names.
func (g *gen) nameSession(role, name string) {
	s := sessionARN(role, name)
	for _, x := range g.userIDSessions[role] {
		if x == s {
			return
		}
	}
	g.userIDSessions[role] = append(g.userIDSessions[role], s)
}

// namePattern records a session-name pattern a condition names.
func (g *gen) namePattern(role, p string) {
	for _, x := range g.w.SessionPatterns[role] {
		if x == p {
			return
		}
	}
	g.w.SessionPatterns[role] = append(g.w.SessionPatterns[role], p)
}
