package review

import (
	"fmt"
	"strings"
)

// subsumeAdministrators folds the access-added findings of a principal
// that becomes administrator-equivalent into its new-administrator
// finding: an administrator holds every permission, so listing each one
// (a statement of "*" on "*" adds hundreds) buries the finding that
// matters. The count of folded findings is said in its message. A role's
// sessions (arn:aws:sts::A:assumed-role/ROLE/...) are the role's.
func subsumeAdministrators(fs []Finding) []Finding {
	admins := map[string]int{}
	for i, f := range fs {
		if f.Rule == RuleNewAdministrator {
			admins[f.Principal] = i
		}
	}
	if len(admins) == 0 {
		return fs
	}
	folded := map[int]int{}
	out := fs[:0:0]
	for _, f := range fs {
		if f.Rule == RuleAccessAdded {
			if i, ok := admins[holder(f.Principal)]; ok {
				folded[i]++
				continue
			}
		}
		out = append(out, f)
	}
	for i := range out {
		if out[i].Rule != RuleNewAdministrator {
			continue
		}
		if n := folded[admins[out[i].Principal]]; n > 0 {
			out[i].Message += fmt.Sprintf(" (%d access-added findings of this principal are folded into this one)", n)
		}
	}
	return out
}

// holder is the IAM principal a grant's principal belongs to: the role of
// a role session or of "any session of" it, else the principal itself.
func holder(principal string) string {
	rest, ok := strings.CutPrefix(principal, "arn:")
	if !ok {
		return principal
	}
	f := strings.SplitN(rest, ":", 5) // partition, service, region, account, resource
	if len(f) != 5 || f[1] != "sts" {
		return principal
	}
	role, ok := strings.CutPrefix(f[4], "assumed-role/")
	if !ok {
		return principal
	}
	role, _, _ = strings.Cut(role, "/")
	return "arn:" + f[0] + ":iam::" + f[3] + ":role/" + role
}
