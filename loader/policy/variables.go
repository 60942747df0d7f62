package policy

import (
	"github.com/clearance-dev/clearance/loader/pattern"
	"strconv"
	"strings"
)

// Policy variables (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
//
//	${key}              the value of context key (case-insensitive)
//	${key, 'default'}   ... or default when the key is absent
//	${*} ${?} ${$}      a literal *, ? or $
//
// They are recognised only under Version 2012-10-17 ("If you don't include
// the Version element ..., variables like ${aws:username} are treated as
// literal strings"), in Resource/NotResource patterns and in String*, Arn*
// and Bool condition values. (The page allows them only after the fifth
// colon of a resource ARN, but AWS's managed policies use them in the
// account field too; see policyParser.resource.)
//
// Text that starts with "${" but is not one of the forms above, including an
// unterminated "${", is kept as literal text and reported as a warning. The
// variables page documents only the complete forms and says nothing about
// malformed ones; literal text is what a 2008-10-17 policy does with the
// same characters, so that is the reading chosen here.

// textCompiler compiles policy text that may contain variables.
type textCompiler struct {
	glob bool // literal parts in glob form (Like, Arn and Resource contexts)
	vars bool // variables are recognised (Version 2012-10-17)
}

// compile returns s as a plain string (glob form or raw, per tc.glob) when
// it has no variable, or as a Template. Malformed variable syntax is
// described in the returned warnings.
func (tc textCompiler) compile(s string) (any, []string) {
	lit := func(t string) string {
		if tc.glob {
			return pattern.IAMGlob(t)
		}
		return t
	}
	if !tc.vars || !strings.Contains(s, "${") {
		return lit(s), nil
	}
	var (
		parts []TemplatePart
		cur   strings.Builder // current literal part, already converted
		warns []string
	)
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, TemplatePart{Lit: cur.String()})
			cur.Reset()
		}
	}
	for s != "" {
		i := strings.Index(s, "${")
		if i < 0 {
			cur.WriteString(lit(s))
			break
		}
		cur.WriteString(lit(s[:i]))
		v, n, problem := scanVariable(s[i:])
		switch {
		case problem != "":
			if len(warns) == 0 { // one is enough per value
				warns = append(warns, problem)
			}
			cur.WriteString(lit(s[i : i+n]))
		case v.Var == "": // ${*}, ${?}, ${$}
			if tc.glob {
				cur.WriteString(pattern.GlobEscape(v.Lit))
			} else {
				cur.WriteString(v.Lit)
			}
		default:
			flush()
			parts = append(parts, v)
		}
		s = s[i+n:]
	}
	flush()
	return finishTemplate(parts), warns
}

// finishTemplate returns a Template, or the literal string when no part is
// a variable.
func finishTemplate(parts []TemplatePart) any {
	var b strings.Builder
	for _, p := range parts {
		if p.Var != "" {
			return Template{Parts: parts}
		}
		b.WriteString(p.Lit)
	}
	return b.String()
}

// scanVariable reads the variable at the start of s (which starts with
// "${"). It returns the part (Lit set for the escapes ${*} ${?} ${$}) and
// the bytes consumed; or, when the text is not a variable, a description
// and how many bytes to take as literal text (stopping before any later
// "$" that may start a variable, so compile stays linear).
func scanVariable(s string) (TemplatePart, int, string) {
	if len(s) >= 4 && s[3] == '}' && strings.IndexByte("*?$", s[2]) >= 0 {
		return TemplatePart{Lit: s[2:3]}, 4, ""
	}
	end := strings.IndexAny(s[2:], ",}$")
	switch {
	case end < 0: // no later "${" can be terminated either
		return TemplatePart{}, len(s), `unterminated "${" is taken as literal text`
	case s[2+end] == '$': // a variable may start there
		return TemplatePart{}, 2 + end, quoteVar(s[:2+end]) + " is not a policy variable; taken as literal text"
	}
	end += 2
	key := strings.TrimSpace(s[2:end])
	if key == "" || strings.ContainsAny(key, "{'") {
		return TemplatePart{}, end + 1, quoteVar(s[:end+1]) + " is not a policy variable; taken as literal text"
	}
	part := TemplatePart{Var: strings.ToLower(key)}
	if s[end] == '}' {
		return part, end + 1, ""
	}
	def, n, ok := scanDefault(s[end+1:])
	if !ok {
		return TemplatePart{}, 1, quoteVar(s[:end+1]) + " has a malformed default (expected , 'value'}); taken as literal text"
	}
	part.Default, part.HasDefault = def, true
	return part, end + 1 + n, ""
}

// scanDefault reads " 'value'}" after the comma of ${key, 'value'}.
func scanDefault(s string) (string, int, bool) {
	i := skipSpaces(s, 0)
	if i >= len(s) || s[i] != '\'' {
		return "", 0, false
	}
	j := strings.IndexByte(s[i+1:], '\'')
	if j < 0 {
		return "", 0, false
	}
	def := s[i+1 : i+1+j]
	k := skipSpaces(s, i+j+2)
	if k >= len(s) || s[k] != '}' {
		return "", 0, false
	}
	return def, k + 1, true
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func quoteVar(s string) string {
	const limit = 60
	if len(s) > limit {
		s = s[:limit] + "..."
	}
	return strconv.Quote(s)
}
