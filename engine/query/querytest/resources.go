package querytest

import (
	"fmt"
	"strings"
)

// resources makes an account's buckets, queue and KMS key, with their
// policies, and lists them (and the objects checked in each bucket, the
// account's roles, users and federated users) in World.Resources.
func (g *gen) resources(a string, i int) []any {
	var out []any
	for j := 0; j < g.size.Buckets; j++ {
		out = append(out, g.bucket(a, fmt.Sprintf("arn:aws:s3:::gen-%d-%d", i, j)))
	}
	out = append(out, g.queue(a, i), g.key(a, i))
	for _, r := range g.w.Roles[a] {
		g.resource(r, "role")
	}
	for _, u := range g.w.Users[a] {
		g.resource(u, "user")
	}
	for _, f := range append(g.federated[a], "arn:aws:sts::"+a+":federated-user/unnamed") {
		g.resource(f, "federated-user")
	}
	if i == 0 {
		g.resource("*", "")
	}
	return out
}

// bucket makes a bucket, four in five with a policy of three statements,
// and lists it with objects at its top, under public/, private/ and a
// user's name: private/x.bin, x.txt and private/x.txt lie in private/*
// only, in *.txt only and in both (patterns that overlap without
// nesting).
func (g *gen) bucket(a, b string) map[string]any {
	res := map[string]any{"arn": b, "type": "s3-bucket"}
	if g.r.IntN(5) > 0 {
		res["policy"] = g.doc(g.bucketStatement(a, b), g.bucketStatement(a, b), g.bucketStatement(a, b))
	}
	g.resource(b, "bucket")
	for _, key := range []string{"x.txt", "public/x.txt", "private/x.txt", "private/x.bin"} {
		g.resource(b+"/"+key, "object")
	}
	if users := g.w.Users[g.w.Accounts[0]]; len(users) > 0 {
		g.resource(b+"/"+users[0][strings.LastIndex(users[0], "/")+1:]+"/x.txt", "object")
	}
	return res
}

// queue makes the account's tagged queue, half the time with a policy
// granting another account and a named session.
func (g *gen) queue(a string, i int) map[string]any {
	q := "arn:aws:sqs:us-east-1:" + a + ":q" + fmt.Sprint(i)
	queue := map[string]any{"arn": q, "type": "sqs-queue", "tags": map[string]any{"team": pick(g, []string{"blue", "red"})}}
	if g.r.IntN(2) == 0 {
		queue["policy"] = g.doc(naming(stmt("Allow", []string{"sqs:SendMessage"}, []string{q}), "arn:aws:iam::"+g.other(a)+":root"),
			g.sessionGrant([]string{"sqs:ReceiveMessage"}, q))
	}
	g.resource(q, "queue")
	return queue
}

// key makes the account's KMS key, whose policy grants the account, one
// of its roles and another account.
func (g *gen) key(a string, i int) map[string]any {
	key := "arn:aws:kms:us-east-1:" + a + ":key/k" + fmt.Sprint(i)
	stmts := []map[string]any{naming(stmt("Allow", []string{"kms:*crypt"}, []string{"*"}), "arn:aws:iam::"+a+":root")}
	if len(g.w.Roles[a]) > 0 {
		stmts = append(stmts, naming(stmt("Allow", []string{"kms:Decrypt"}, []string{"*"}), pick(g, g.w.Roles[a])))
	}
	stmts = append(stmts, naming(stmt("Allow", []string{"kms:Encrypt"}, []string{"*"}), "arn:aws:iam::"+g.other(a)+":root"))
	if g.size.Wide {
		stmts = append(stmts, naming(stmt("Allow", []string{"kms:*"}, []string{"*"}), "arn:aws:iam::"+a+":root"))
	}
	g.resource(key, "key")
	return map[string]any{"arn": key, "type": "kms-key", "policy": g.doc(stmts...)}
}

// resource lists a resource the brute force asks about, with its type.
func (g *gen) resource(arn, typ string) {
	g.w.Resources = append(g.w.Resources, arn)
	g.w.Types[arn] = typ
}

// sessionGrant allows a named session (or, with none, a role) the actions
// on the resource.
func (g *gen) sessionGrant(actions []string, resource string) map[string]any {
	if g.hasSessions() {
		s, _ := g.anySession()
		return naming(stmt("Allow", actions, []string{resource}), s)
	}
	return naming(stmt("Allow", actions, []string{resource}), "arn:aws:iam::"+g.w.Accounts[0]+":root")
}

// bucketStatement draws a bucket-policy statement for bucket b of account
// a: grants to a named session, a named federated user, another account,
// a role of another account, a user, anyone; denies to anyone without
// TLS, to a user, and to everyone but a role, its session and the account
// (NotPrincipal).
func (g *gen) bucketStatement(a, b string) map[string]any {
	objects := []string{b + "/*"}
	switch n := g.r.IntN(9); {
	case n == 0:
		return g.sessionGrant([]string{"s3:GetObject"}, b+"/private/*")
	case n == 1:
		return naming(stmt("Allow", []string{g.objects}, objects), g.anyFederated(a))
	case n == 2:
		return naming(stmt("Allow", []string{"s3:GetObject", "s3:ListBucket"}, []string{b, b + "/*"}), "arn:aws:iam::"+g.other(a)+":root")
	case n == 3 && len(g.w.Roles[g.other(a)]) > 0:
		return naming(stmt("Allow", []string{"s3:PutObject"}, []string{b + "/public/*"}), pick(g, g.w.Roles[g.other(a)]))
	case n == 4 && len(g.w.Users[a]) > 0:
		return naming(stmt("Allow", []string{"s3:DeleteObject"}, objects), pick(g, g.w.Users[a]))
	case n == 5:
		return naming(stmt("Allow", []string{"s3:GetObject"}, []string{b + "/public/*"}), "*")
	case n == 6:
		return with(naming(stmt("Deny", []string{g.objects}, objects), "*"),
			map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}})
	case n == 7 && len(g.w.Users[a]) > 0:
		return naming(stmt("Deny", []string{"s3:GetObject"}, []string{b + "/private/*"}), pick(g, g.w.Users[a]))
	case n == 8 && len(g.w.Roles[a]) > 0:
		role := pick(g, g.w.Roles[a])
		except := []string{"arn:aws:iam::" + a + ":root", role}
		for _, s := range g.sessions[role] {
			except = append(except, g.use(s))
		}
		st := stmt("Deny", []string{"s3:DeleteObject"}, objects)
		st["NotPrincipal"] = map[string]any{"AWS": list(except)}
		return st
	}
	return naming(stmt("Allow", []string{"s3:ListBucket"}, []string{b}), "arn:aws:iam::"+a+":root")
}
