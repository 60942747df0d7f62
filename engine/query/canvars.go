package query

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
)

// Resource patterns with policy variables (${aws:username}, ...) name a
// resource only once the principal's context fills them in
// (reference_policies_variables.html): can takes as candidates the
// patterns the principal's own context gives, as the logic expands them
// (a variable without a value and without a default drops the pattern).

// template returns a Resource entry's template, if it is one.
func template(r any) (policy.Template, bool) {
	switch t := r.(type) {
	case policy.Template:
		return t, true
	case *policy.Template:
		return *t, t != nil
	}
	return policy.Template{}, false
}

// expand fills a template in from the context (keys lower-cased), escaping
// the values as the glob form needs.
func expand(t policy.Template, ctx map[string]engine.ContextValue) (string, bool) {
	var sb strings.Builder
	for _, part := range t.Parts {
		if part.Var == "" {
			sb.WriteString(part.Lit)
			continue
		}
		v, ok := ctx[part.Var]
		if s, single := scalar(v.Value); ok && single {
			sb.WriteString(pattern.GlobEscape(s))
		} else if !ok && part.HasDefault {
			sb.WriteString(pattern.GlobEscape(part.Default))
		} else {
			return "", false
		}
	}
	return sb.String(), true
}

// scalar renders a single-valued context value (a one-element list
// counts) as IAM compares it.
func scalar(v any) (string, bool) {
	if l, ok := v.([]any); ok {
		if len(l) != 1 {
			return "", false
		}
		v = l[0]
	}
	switch x := v.(type) {
	case string:
		return x, true
	case bool, int, int64, float64:
		return fmt.Sprint(x), true
	}
	return "", false
}

// readsResourceTags reports whether a statement's conditions read the
// resource's tags (aws:ResourceTag/..., the only keys the engine derives
// from them), as a key or through a variable.
func readsResourceTags(st *policy.Statement) bool {
	for _, c := range st.Conditions {
		if strings.HasPrefix(c.Key, "aws:resourcetag/") {
			return true
		}
		for _, v := range c.Values {
			if t, ok := template(v); ok && templateReads(t, "aws:resourcetag/") {
				return true
			}
		}
	}
	return false
}

func templateReads(t policy.Template, prefix string) bool {
	for _, p := range t.Parts {
		if strings.HasPrefix(p.Var, prefix) {
			return true
		}
	}
	return false
}
