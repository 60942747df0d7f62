package policy

import (
	"fmt"
	"github.com/clearance-dev/clearance/loader/tree"
	"strings"
)

// Principal and NotPrincipal:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html

var principalKeys = []string{"AWS", "Service", "Federated", "CanonicalUser"}

// principals reads Principal/NotPrincipal under the kind's rules.
func (pp *policyParser) principals(n *tree.Node, st *Statement) error {
	pn, not, err := pp.pick(n, "Principal", "NotPrincipal")
	if err != nil {
		return err
	}
	name := elemName("Principal", "NotPrincipal", not)
	switch {
	case pn == nil && pp.rules.principal:
		return pp.errAt(n, tree.CodeMissingElement, "statement has no Principal; %s policies must name one", pp.kind)
	case pn == nil:
		return nil
	case !pp.rules.principal:
		return pp.errAt(pn, tree.CodeForbiddenElement, "%s is not allowed in %s policies (the principal is whoever the policy is attached to)", name, pp.kind)
	case not && !pp.rules.notPrincipal:
		return pp.errAt(pn, tree.CodeForbiddenElement, "NotPrincipal is not supported in %s policies", pp.kind)
	case not && st.Effect != "Deny":
		return pp.errAt(pn, tree.CodeForbiddenElement, "NotPrincipal is supported only with \"Effect\": \"Deny\"")
	}
	p, err := pp.principal(pn, name)
	if err != nil {
		return err
	}
	st.Principal, st.NotPrincipal = p, not
	return nil
}

// principal compiles "*" or a map of principal types to values.
func (pp *policyParser) principal(n *tree.Node, name string) (*Principal, error) {
	p := &Principal{AWS: []string{}, Service: []string{}, Federated: []string{}, Canonical: []string{}}
	switch {
	case n.Kind == tree.String && n.Str == "*":
		p.Any = true
		return p, nil
	case n.Kind != tree.Object:
		return nil, pp.errAt(n, tree.CodeInvalidPrincipal, `%s must be "*" or an object with AWS, Service, Federated or CanonicalUser; got %s`, name, describe(n))
	case len(n.Keys) == 0:
		return nil, pp.errAt(n, tree.CodeInvalidPrincipal, "%s is empty; expected AWS, Service, Federated or CanonicalUser", name)
	}
	if err := pp.knownKeys(n, name, principalKeys...); err != nil {
		return nil, err
	}
	for i, k := range n.Keys {
		vals, err := pp.principalValues(n.Vals[i], name+"."+k)
		if err != nil {
			return nil, err
		}
		if err := pp.addPrincipals(p, k, vals); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (pp *policyParser) addPrincipals(p *Principal, typ string, vals []*tree.Node) error {
	for _, v := range vals {
		switch typ {
		case "AWS":
			if v.Str == "*" {
				p.Any = true
				continue
			}
			arn, msg := normalizeAWSPrincipal(v.Str)
			if msg != "" {
				return pp.errAt(v, tree.CodeInvalidPrincipal, "%s", msg)
			}
			p.AWS = append(p.AWS, arn)
		case "Service":
			p.Service = append(p.Service, v.Str)
		case "Federated":
			p.Federated = append(p.Federated, v.Str)
		case "CanonicalUser":
			p.Canonical = append(p.Canonical, v.Str)
		}
	}
	return nil
}

// principalValues reads a string (or a number: an account ID written
// without quotes) or a non-empty list of them.
func (pp *policyParser) principalValues(n *tree.Node, elem string) ([]*tree.Node, error) {
	items := []*tree.Node{n}
	if n.Kind == tree.Array {
		items = n.Items
		if len(items) == 0 {
			return nil, pp.errAt(n, tree.CodeInvalidPrincipal, "%s list is empty", elem)
		}
	}
	for _, it := range items {
		if it.Kind != tree.String && it.Kind != tree.Number {
			return nil, pp.errAt(it, tree.CodeWrongType, "%s must be a string or a list of strings; got %s", elem, kindOf(it))
		}
		if strings.TrimSpace(it.Str) == "" {
			return nil, pp.errAt(it, tree.CodeInvalidPrincipal, "%s value is empty", elem)
		}
	}
	return items, nil
}

// normalizeAWSPrincipal checks a value of Principal.AWS and returns its
// canonical form: an account ID becomes its root ARN. It returns a message
// saying what was expected when the value is not a principal.
func normalizeAWSPrincipal(s string) (string, string) {
	if isAccountID(s) {
		return "arn:aws:iam::" + s + ":root", ""
	}
	if isUniqueID(s) { // trust policies show these once the entity is deleted
		return s, ""
	}
	if IsSymbol(s) { // a value unknown before deployment: it matches only itself
		return s, ""
	}
	if strings.ContainsAny(s, "*?") {
		return "", fmt.Sprintf(`principal %q has a wildcard; only the whole value "*" may be one`, s)
	}
	f := strings.SplitN(s, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[1] == "" || f[3] != "" {
		return "", fmt.Sprintf("principal %q is not an account ID or an IAM/STS principal ARN", s)
	}
	if !isAccountID(f[4]) {
		return "", fmt.Sprintf("principal %q: %q is not a 12-digit account ID", s, f[4])
	}
	if !validPrincipalResource(f[2], f[5]) {
		return "", fmt.Sprintf("principal %q: expected root, user/NAME or role/NAME (iam), "+
			"or assumed-role/ROLE/SESSION or federated-user/NAME (sts)", s)
	}
	return s, ""
}

func validPrincipalResource(service, res string) bool {
	switch service {
	case "iam":
		return res == "root" || hasNamedPrefix(res, "user/") || hasNamedPrefix(res, "role/")
	case "sts":
		if r, ok := strings.CutPrefix(res, "assumed-role/"); ok {
			role, session, found := strings.Cut(r, "/")
			return found && role != "" && session != ""
		}
		return hasNamedPrefix(res, "federated-user/")
	}
	return false
}

func hasNamedPrefix(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	return ok && rest != "" && !strings.HasSuffix(rest, "/")
}

func isAccountID(s string) bool {
	return len(s) == 12 && allDigits(s)
}

// isUniqueID reports whether s looks like a user or role unique ID
// (AIDA..., AROA...).
func isUniqueID(s string) bool {
	if len(s) < 16 || len(s) > 128 || !(strings.HasPrefix(s, "AIDA") || strings.HasPrefix(s, "AROA")) {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// elemName returns b when not is true, else a.
func elemName(a, b string, not bool) string {
	if not {
		return b
	}
	return a
}
