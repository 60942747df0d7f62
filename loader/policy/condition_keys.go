package policy

import "strings"

// documentedMultivalued are the multivalued keys the IAM User Guide
// documents outside the Service Authorization Reference: the global keys
// whose "Value type" is Multivalued
// (reference_policies_condition-keys.html: aws:CalledVia,
// aws:PrincipalOrgPaths, aws:PrincipalServiceNamesList,
// aws:ResourceOrgPaths, aws:TagKeys).
var documentedMultivalued = map[string]bool{
	"aws:calledvia": true, "aws:principalorgpaths": true, "aws:principalservicenameslist": true,
	"aws:resourceorgpaths": true, "aws:tagkeys": true,
}

// Multivalued reports whether a (lower-cased) condition key can hold
// several values in a request context. Besides the keys above and the
// list-typed keys of the catalog, a web identity's amr claim
// (<provider>:amr) is multivalued: "The key is multivalued, meaning that
// you test it in a policy using condition set operators"
// (reference_policies_iam-condition-keys.html#ck_amr).
func Multivalued(key string) bool {
	if documentedMultivalued[key] || catalogMultivalued[key] || strings.HasSuffix(key, ":amr") {
		return true
	}
	for _, p := range catalogMultivaluedPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}
