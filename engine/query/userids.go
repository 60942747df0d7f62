package query

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
)

// Sessions named through aws:userid. A role session's aws:userid is
// role-id:caller-specified-role-name, a federated user's
// account:caller-specified-name (reference_policies_variables.html,
// "Principal key values"; reference_identifiers.html#identifiers-unique-ids
// shows a condition naming "AROADBQP57FF2AEXAMPLE:role-session-name" and
// "AROA1234567890EXAMPLE:*"). So a condition on aws:userid names sessions
// as surely as a session ARN does: a value with the unique id of a world
// role (AROA...) and a literal name names that session; one whose name
// has a wildcard (AROA...:alice*) names the sessions of a name pattern,
// decided through one member as any-session is. A resource pattern with
// ${aws:userid} (home/${aws:userid}/*,
// reference_policies_examples_s3_federated-home-directory-console.html)
// names the session whose userid the request's resource holds.

// userIDKey is the context key, lower-cased as conditions hold it.
const userIDKey = "aws:userid"

// userIDNames adds to n what the conditions on aws:userid of the
// policies name.
func (n *named) userIDNames(snap *store.Snapshot, policies []*policy.Policy) {
	for _, p := range policies {
		for i := range p.Statements {
			for _, c := range p.Statements[i].Conditions {
				if c.Key != userIDKey || !strings.HasPrefix(c.Positive, "String") {
					continue
				}
				for _, v := range c.Values {
					if s, ok := v.(string); ok {
						n.addUserID(snap, userIDGlob(s, c.Positive), c.Positive == "StringEqualsIgnoreCase")
					}
				}
			}
		}
	}
}

// userIDGlob is a condition value in glob form.
func userIDGlob(v, op string) string {
	if strings.HasPrefix(op, "StringEquals") {
		return pattern.GlobEscape(v)
	}
	return v
}

// addUserID adds the session or federated user a userid value (glob
// form) names, or the role's session-name pattern.
func (n *named) addUserID(snap *store.Snapshot, v string, foldCase bool) {
	id, name, ok := strings.Cut(v, ":")
	if !ok || pattern.GlobHasWildcard(id) || strings.Contains(name, `\`) {
		return
	}
	id = pattern.GlobLiteralPrefix(id)
	if !pattern.GlobHasWildcard(name) {
		if arn := sessionOfUserID(snap, id, name, foldCase); arn != "" && !n.seen[arn] {
			n.seen[arn] = true
			n.add(snap, arn)
		}
		return
	}
	if role := roleOfID(snap, id, foldCase); role != "" && name != "*" && validNamePattern(name) {
		n.sessionPatterns[role] = appendNew(n.sessionPatterns[role], name)
	}
}

// sessionOfUserID is the ARN of the session (or federated user) with this
// userid, "" when the world has no such role (or account).
func sessionOfUserID(snap *store.Snapshot, id, name string, foldCase bool) string {
	if role := roleOfID(snap, id, foldCase); role != "" {
		r, _ := snap.Role(role)
		return "arn:aws:sts::" + r.Account + ":assumed-role/" + r.Name + "/" + name
	}
	if _, ok := snap.Account(id); ok && len(id) == 12 {
		return "arn:aws:sts::" + id + ":federated-user/" + name
	}
	return ""
}

// roleOfID returns the ARN of the world's role with this unique id.
func roleOfID(snap *store.Snapshot, id string, foldCase bool) string {
	if !strings.HasPrefix(strings.ToUpper(id), "AROA") {
		return ""
	}
	for _, a := range snap.Accounts() {
		for _, r := range snap.Roles(a.ID) {
			if r.ID == id || foldCase && strings.EqualFold(r.ID, id) {
				return r.ARN
			}
		}
	}
	return ""
}

// validNamePattern reports whether a name pattern is made of the
// characters a session name may hold and wildcards.
func validNamePattern(p string) bool {
	return sessionName.MatchString(strings.NewReplacer("*", "xx", "?", "x").Replace(p))
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// userIDTemplate is a Resource pattern with ${aws:userid}, as a regular
// expression whose groups capture the userid.
type userIDTemplate struct{ re *regexp.Regexp }

// userIDTemplates lists the Resource and NotResource patterns of the
// policies that hold ${aws:userid}.
func userIDTemplates(policies []*policy.Policy) []userIDTemplate {
	var out []userIDTemplate
	for _, p := range policies {
		for i := range p.Statements {
			for _, r := range p.Statements[i].Resources {
				if t, ok := template(r); ok && templateReads(t, userIDKey) {
					// A literal that is not UTF-8 matches no resource.
					if re, err := regexp.Compile(templateRegexp(t)); err == nil {
						out = append(out, userIDTemplate{re})
					}
				}
			}
		}
	}
	return out
}

// templateRegexp writes a template as an anchored regular expression: its
// literals' wildcards as .* and ., ${aws:userid} as a capture of
// ID:NAME, other variables as .*.
func templateRegexp(t policy.Template) string {
	var sb strings.Builder
	sb.WriteString("^")
	for _, part := range t.Parts {
		switch {
		case part.Var == userIDKey:
			sb.WriteString(`([^:/]+:[\w+=,.@-]+)`)
		case part.Var != "":
			sb.WriteString(".*")
		default:
			sb.WriteString(globRegexp(part.Lit))
		}
	}
	sb.WriteString("$")
	return sb.String()
}

// globRegexp writes a glob-form pattern as a regular expression.
func globRegexp(g string) string {
	var sb strings.Builder
	escaped := false
	for _, c := range g {
		switch {
		case escaped:
			escaped = false
			sb.WriteString(regexp.QuoteMeta(string(c)))
		case c == '\\':
			escaped = true
		case c == '*':
			sb.WriteString(".*")
		case c == '?':
			sb.WriteString(".")
		default:
			sb.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return sb.String()
}

// resourceUserIDs returns the userids the templates find in a resource.
func resourceUserIDs(templates []userIDTemplate, resource string) []string {
	var out []string
	for _, t := range templates {
		if m := t.re.FindStringSubmatch(resource); m != nil {
			for _, id := range m[1:] {
				out = appendNew(out, id)
			}
		}
	}
	return out
}

// withUserIDs returns n with the sessions and federated users the userids
// name (a resource's, for one request), and whether any is new; n itself
// is left as it is (it is shared by the requests of a store generation).
func (n named) withUserIDs(snap *store.Snapshot, ids []string) (named, bool) {
	out := n
	out.sessions, out.federated, out.seen = cloneLists(n.sessions), cloneLists(n.federated), maps.Clone(n.seen)
	for _, id := range ids {
		out.addUserID(snap, pattern.GlobEscape(id), false)
	}
	if len(out.seen) == len(n.seen) {
		return n, false
	}
	out.sortLists()
	return out, true
}

func cloneLists(m map[string][]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = slices.Clip(v)
	}
	return out
}
