package world

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/clearance-dev/clearance/loader/tree"
)

// IAM's rules for names and paths (IAM User Guide, "IAM and AWS STS
// quotas, name requirements, and character limits",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
// "Names of users, groups, roles, policies, instance profiles, and server
// certificates must be alphanumeric, including the following common
// characters: plus (+), equal (=), comma (,), period (.), at (@),
// underscore (_), and hyphen (-)"; user and role names up to 64
// characters, group, policy and instance profile names up to 128, paths up
// to 512; "Names of users, groups, roles, and instance profiles must be
// unique within the account. They aren't distinguished by case"
// (reference_identifiers.html: "Each IAM user name is unique and
// case-insensitive"). A path is / or /.../ of printable ASCII (the API's
// pattern (\u002F)|(\u002F[\u0021-\u007E]+\u002F)).

// Kinds of IAM names.
const (
	NameUser            = "user"
	NameGroup           = "group"
	NameRole            = "role"
	NamePolicy          = "policy"
	NameInstanceProfile = "instance profile"
)

var (
	namePattern = regexp.MustCompile(`^[A-Za-z0-9+=,.@_-]+$`)
	pathPattern = regexp.MustCompile(`^/([\x21-\x7E]+/)?$`)
	nameMax     = map[string]int{NameUser: 64, NameRole: 64, NameGroup: 128, NamePolicy: 128, NameInstanceProfile: 128}
)

// CheckName checks an IAM name of a kind.
func CheckName(kind, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("a %s name cannot be empty", kind)
	case strings.Contains(name, "/"):
		return fmt.Errorf("a %s name cannot contain /: %q (a path goes in path:, e.g. path: /x/ and name: alice)", kind, name)
	case !namePattern.MatchString(name):
		return fmt.Errorf("%s name %q: IAM names are letters, digits and + = , . @ _ - only", kind, name)
	case len(name) > nameMax[kind]:
		return fmt.Errorf("%s name %q is %d characters; IAM allows %d", kind, name, len(name), nameMax[kind])
	}
	return nil
}

// CheckPath checks an IAM path.
func CheckPath(path string) error {
	switch {
	case len(path) > 512:
		return fmt.Errorf("path is %d characters; IAM allows 512", len(path))
	case !pathPattern.MatchString(path):
		return fmt.Errorf("path %q: an IAM path starts and ends with / (such as / or /engineering/) and holds printable ASCII, no spaces", path)
	}
	return nil
}

var plural = map[string]string{NameUser: "users", NameGroup: "groups", NameRole: "roles",
	NamePolicy: "managed policies", NameInstanceProfile: "instance profiles"}

// named is one name of an account's namespace, with where it was written.
type named struct {
	kind, name string
	at         tree.Loc
}

// CheckUnique refuses two users, groups, roles, instance profiles or
// customer managed policies of an account whose names differ at most in
// case: IAM would refuse the second, and a world holding both would be
// decided by whichever the store kept.
func CheckUnique(a *Account) error {
	var all []named
	for _, u := range a.Users {
		all = append(all, named{NameUser, u.Name, u.At})
	}
	for _, g := range a.Groups {
		all = append(all, named{NameGroup, g.Name, g.At})
	}
	for _, r := range a.Roles {
		all = append(all, named{NameRole, r.Name, r.At})
		for _, ip := range r.InstanceProfiles {
			all = append(all, named{NameInstanceProfile, ip[strings.LastIndex(ip, "/")+1:], r.Refs.At(RefInstanceProfile, ip)})
		}
	}
	for _, p := range a.ManagedPolicies {
		if p.Account != AWSAccount {
			all = append(all, named{NamePolicy, p.Name, p.At})
		}
	}
	seen := map[string]named{}
	for _, n := range all {
		key := n.kind + "\x00" + strings.ToLower(n.name)
		prev, dup := seen[key]
		if !dup {
			seen[key] = n
			continue
		}
		first := ""
		if prev.at.Known() {
			first = " (first at " + prev.at.String() + ")"
		}
		return tree.LocError(n.at, tree.CodeDuplicate,
			"account %s has two %s named %q and %q%s: IAM names are unique within an account regardless of case",
			a.ID, plural[n.kind], prev.name, n.name, first)
	}
	return nil
}
