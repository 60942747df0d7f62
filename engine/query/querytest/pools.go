package querytest

import (
	"fmt"
	"slices"
	"strings"
)

// The statements the generator draws from. Action patterns are kept
// narrow (s3:*tObject is GetObject and PutObject) so that every action a policy
// mentions can be checked on every resource; Size.Wide adds whole
// services.

// stmt is a statement; without resources it has no Resource element
// (trust policies).
func stmt(effect string, actions, resources []string) map[string]any {
	st := map[string]any{"Effect": effect, "Action": list(actions)}
	if resources != nil {
		st["Resource"] = list(resources)
	}
	return st
}

func list(items []string) []any {
	out := make([]any, len(items))
	for i, s := range items {
		out[i] = s
	}
	return out
}

// naming sets the statement's Principal: "*" or AWS principals.
func naming(st map[string]any, who ...string) map[string]any {
	if len(who) == 1 && who[0] == "*" {
		st["Principal"] = "*"
	} else {
		st["Principal"] = map[string]any{"AWS": list(who)}
	}
	return st
}

func with(st map[string]any, cond map[string]any) map[string]any {
	st["Condition"] = cond
	return st
}

func doc(stmts ...map[string]any) map[string]any {
	out := make([]any, len(stmts))
	for i, s := range stmts {
		out[i] = s
	}
	return map[string]any{"Version": "2012-10-17", "Statement": out}
}

// doc makes a policy document and notes its action patterns.
func (g *gen) doc(stmts ...map[string]any) map[string]any {
	g.note(stmts...)
	return doc(stmts...)
}

func (g *gen) note(stmts ...map[string]any) {
	for _, st := range stmts {
		for _, k := range []string{"Action", "NotAction"} {
			if acts, ok := st[k].([]any); ok {
				for _, a := range acts {
					if a != "*" {
						g.patterns[a.(string)] = true
					}
				}
			}
		}
	}
}

func (g *gen) inline(name string, stmts ...map[string]any) map[string]any {
	return map[string]any{"name": name, "document": g.doc(stmts...)}
}

// identity draws an identity-policy statement for account a (index i):
// one of nine S3 statements, of three on aws:userid, or of nine others
// (eleven with Size.Wide).
func (g *gen) identity(a string, i int) map[string]any {
	n := 21
	if g.size.Wide {
		n = 23
	}
	switch k := g.r.IntN(n); {
	case k < 9:
		return g.identityS3(i, k)
	case k < 12:
		return g.identityUserID(a, i, k-9)
	default:
		return g.identityOther(a, k-12)
	}
}

// identityS3 is the k-th S3 statement: object reads across buckets, the
// account's public prefix, its buckets' listing, a Deny on private/, a
// policy variable, a principal-tag condition, a NotResource Deny, reads
// and deletes of *.txt objects (a pattern that overlaps private/* without
// nesting: private/x.txt is in both), and every action.
func (g *gen) identityS3(i, k int) map[string]any {
	own := fmt.Sprintf("arn:aws:s3:::gen-%d-0", i)
	switch k {
	case 0:
		return stmt("Allow", []string{"s3:GetObject"}, []string{"arn:aws:s3:::gen-*/*"})
	case 1:
		return stmt("Allow", []string{g.objects}, []string{own + "/public/*"})
	case 2:
		return stmt("Allow", []string{"s3:ListBucket"}, []string{fmt.Sprintf("arn:aws:s3:::gen-%d-*", i)})
	case 3:
		return stmt("Deny", []string{"s3:DeleteObject"}, []string{"arn:aws:s3:::gen-*/private/*"})
	case 4:
		return stmt("Allow", []string{"s3:GetObject"}, []string{"arn:aws:s3:::gen-*/${aws:username}/*"})
	case 5:
		return with(stmt("Allow", []string{"s3:PutObject"}, []string{"*"}),
			map[string]any{"StringEquals": map[string]any{"aws:PrincipalTag/team": "blue"}})
	case 6:
		st := stmt("Deny", []string{"s3:PutObject"}, nil)
		st["NotResource"] = list([]string{own + "/*"})
		return st
	case 7:
		return stmt("Allow", []string{"s3:GetObject", "s3:DeleteObject"}, []string{"arn:aws:s3:::gen-*/*.txt"})
	}
	return stmt("Allow", []string{"*"}, []string{"*"})
}

// identityOther is the k-th other statement: SQS (one on tagged queues),
// KMS, AssumeRole, GetFederationToken on any name, one name or app-*,
// NotAction, PassRole; with Size.Wide whole services.
func (g *gen) identityOther(a string, k int) map[string]any {
	fed := "arn:aws:sts::" + a + ":federated-user/"
	switch k {
	case 0:
		return stmt("Allow", []string{"sqs:*Message"}, []string{"arn:aws:sqs:*:" + a + ":*"})
	case 1:
		return with(stmt("Allow", []string{"sqs:SendMessage"}, []string{"*"}),
			map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/team": "blue"}})
	case 2:
		return stmt("Allow", []string{"kms:*crypt"}, []string{"*"})
	case 3:
		return stmt("Allow", []string{"sts:AssumeRole"}, []string{"arn:aws:iam::*:role/*"})
	case 4:
		return stmt("Allow", []string{"sts:GetFederationToken"}, []string{fed + "*"})
	case 5:
		return stmt("Allow", []string{"sts:GetFederationToken"}, []string{g.anyFederated(a)})
	case 6:
		if !slices.Contains(g.w.FederatedPatterns[a], fed+"app-*") {
			g.w.FederatedPatterns[a] = append(g.w.FederatedPatterns[a], fed+"app-*")
		}
		return stmt("Allow", []string{"sts:GetFederationToken"}, []string{fed + "app-*"})
	case 7:
		st := with(stmt("Allow", nil, []string{"*"}), map[string]any{"Bool": map[string]any{"aws:SecureTransport": "true"}})
		delete(st, "Action")
		st["NotAction"] = list([]string{"iam:PassRole", "sts:AssumeRole"})
		return st
	case 8:
		return stmt("Allow", []string{"iam:PassRole"}, []string{"arn:aws:iam::" + a + ":role/*"})
	case 9:
		return stmt("Allow", []string{"s3:*"}, []string{"*"})
	}
	return stmt("Allow", []string{"kms:*", "sqs:*"}, []string{"*"})
}

// boundary draws a permissions boundary document.
func (g *gen) boundary(i int) []map[string]any {
	switch g.r.IntN(3) {
	case 0:
		return []map[string]any{stmt("Allow", []string{g.objects, "s3:ListBucket", "sqs:*Message", "kms:*crypt"}, []string{"*"})}
	case 1:
		return []map[string]any{stmt("Allow", []string{"s3:GetObject"}, []string{"arn:aws:s3:::gen-*/public/*"}),
			stmt("Allow", []string{"sts:AssumeRole", "sts:GetFederationToken"}, []string{"*"})}
	}
	return []map[string]any{stmt("Allow", []string{"*"}, []string{"*"}), stmt("Deny", []string{"s3:DeleteObject"}, []string{"*"})}
}

func (g *gen) users(a string, i int) []any {
	var out []any
	for _, arn := range g.w.Users[a] {
		u := map[string]any{"name": arn[strings.LastIndex(arn, "/")+1:],
			"policies": []any{g.inline("own", g.identity(a, i))},
			"tags":     map[string]any{"team": pick(g, []string{"blue", "red"})}}
		if g.r.IntN(2) == 0 {
			u["groups"] = []any{"devs"}
		}
		if g.r.IntN(3) == 0 {
			u["managed_policies"] = []any{"arn:aws:iam::" + a + ":policy/Shared"}
		}
		if g.r.IntN(3) == 0 {
			u["boundary"] = "arn:aws:iam::" + a + ":policy/Boundary"
		}
		out = append(out, u)
	}
	return out
}

func (g *gen) roles(a string, i int) []any {
	var out []any
	for _, arn := range g.w.Roles[a] {
		r := map[string]any{"name": arn[strings.LastIndex(arn, "/")+1:], "id": roleID(i, len(out)),
			"trust":    g.doc(g.trust(a, arn), g.trust(a, arn)),
			"policies": []any{g.inline("own", g.identity(a, i))},
			"tags":     map[string]any{"team": pick(g, []string{"blue", "red"})}}
		if g.r.IntN(3) == 0 {
			r["managed_policies"] = []any{"arn:aws:iam::" + a + ":policy/Shared"}
		}
		if g.r.IntN(3) == 0 {
			r["boundary"] = "arn:aws:iam::" + a + ":policy/Boundary"
		}
		out = append(out, r)
	}
	return out
}

// trust draws a trust-policy statement for a role of account a.
func (g *gen) trust(a, role string) map[string]any {
	assume := []string{"sts:AssumeRole"}
	switch n := g.r.IntN(7); {
	case n == 0:
		return naming(stmt("Allow", assume, nil), "arn:aws:iam::"+a+":root")
	case n == 1:
		return naming(stmt("Allow", assume, nil), "arn:aws:iam::"+g.other(a)+":root")
	case n == 2 && len(g.w.Users[a]) > 0:
		return naming(stmt("Allow", assume, nil), pick(g, g.w.Users[a]))
	case n == 3 && g.hasSessions():
		session, _ := g.anySession()
		return naming(stmt("Allow", assume, nil), session)
	case n == 4:
		return with(naming(stmt("Allow", assume, nil), "*"), map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": orgID}})
	case n == 5 && len(g.w.Users[a]) > 0:
		return naming(stmt("Deny", assume, nil), pick(g, g.w.Users[a]))
	}
	st := stmt("Allow", assume, nil)
	st["Principal"] = map[string]any{"Service": "lambda.amazonaws.com"}
	return st
}
