// ValidateCreatePolicy's rules on single elements: Version (stage 2),
// unique Sids (4), actions present (5), action vendors (7), resources
// present (8) and no Principal.

package policy

import (
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

func (v *createValidator) version() *tree.Error {
	if ver := v.root.Get("Version"); ver == nil || ver.Str != Version2012 {
		return v.fail(orNode(ver, v.root), msgVersion)
	}
	return nil
}

func (v *createValidator) uniqueSids() *tree.Error {
	seen := map[string]bool{}
	for _, st := range v.stmts {
		if sid := st.Get("Sid"); sid != nil && sid.Str != "" {
			if seen[sid.Str] {
				return v.fail(sid, msgSidUnique)
			}
			seen[sid.Str] = true
		}
	}
	return nil
}

func (v *createValidator) actionsExist() *tree.Error {
	return v.elementsExist("Action", "NotAction", msgNoActions)
}

func (v *createValidator) resourcesExist() *tree.Error {
	return v.elementsExist("Resource", "NotResource", msgNoResources)
}

// elementsExist checks every statement has a or b, and not as an empty list.
func (v *createValidator) elementsExist(a, b, msg string) *tree.Error {
	for _, st := range v.stmts {
		x := st.Get(a)
		if x == nil {
			x = st.Get(b)
		}
		if x == nil || x.Kind == tree.Array && len(x.Items) == 0 {
			return v.fail(orNode(x, st), msg)
		}
	}
	return nil
}

// actionPrefixes checks every Action, then every NotAction, has exactly
// one colon and a vendor of letters, digits, '-' and '.'.
func (v *createValidator) actionPrefixes() *tree.Error {
	for _, key := range []string{"Action", "NotAction"} {
		for _, st := range v.stmts {
			for _, it := range listItems(st.Get(key)) {
				if msg := actionPrefixMessage(it.Str); msg != "" {
					return v.fail(it, msg)
				}
			}
		}
	}
	return nil
}

func actionPrefixMessage(a string) string {
	parts := strings.Split(a, ":")
	switch {
	case len(parts) == 1 && parts[0] != "*":
		return msgNoVendor
	case len(parts) > 2:
		return msgOneColon
	}
	if parts[0] == "*" {
		return ""
	}
	for _, r := range parts[0] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return "Vendor " + parts[0] + " is not valid"
		}
	}
	return ""
}

func (v *createValidator) noPrincipal() *tree.Error {
	for _, st := range v.stmts {
		for _, k := range []string{"Principal", "NotPrincipal"} {
			if p := st.Get(k); p != nil {
				return v.fail(p, msgNoPrincipal)
			}
		}
	}
	return nil
}
