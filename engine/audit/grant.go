package audit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/engine"
)

// Grant is a policy statement that allows what a finding rests on.
type Grant struct {
	Action    string `json:"action"`
	Policy    string `json:"policy"`
	Statement int    `json:"statement"` // the statement's index in the policy, from 0
	Sid       string `json:"sid"`
	// Group is the group through which a user holds the policy ("" when
	// the policy is the principal's own).
	Group string `json:"group"`
}

// grantsOf lists the identity-policy Allow statements that applied to an
// allowed decision, each with the group the actor holds it through.
func grantsOf(d *engine.Decision, action string, ac *actor) []Grant {
	var out []Grant
	for _, m := range d.Matched["identity"] {
		if m.Effect != "Allow" {
			continue
		}
		out = append(out, Grant{Action: action, Policy: m.Policy, Statement: m.Index, Sid: m.Sid, Group: ac.via[m.Policy]})
	}
	return out
}

// viaGroups maps the policies a user holds only through a group (the
// group's inline policies, managed policies attached to the group and not
// to the user) to that group's ARN.
func viaGroups(userManaged []string, groups map[string][]string, inline map[string][]string) map[string]string {
	own := map[string]bool{}
	for _, p := range userManaged {
		own[p] = true
	}
	out := map[string]string{}
	for g, managed := range groups {
		for _, p := range managed {
			if !own[p] && out[p] == "" {
				out[p] = g
			}
		}
		for _, p := range inline[g] {
			out[p] = g
		}
	}
	return out
}

// located sets a finding's Policy and Statement to its first grant and
// keeps every distinct grant of its evidence; the title says the group a
// grant comes through.
func (f Finding) located() Finding {
	seen := map[string]bool{}
	for _, ev := range f.Evidence {
		for _, g := range ev.Grants {
			key := fmt.Sprintf("%s\x00%d", g.Policy, g.Statement)
			if seen[key] {
				continue
			}
			seen[key] = true
			f.Grants = append(f.Grants, g)
		}
	}
	if len(f.Grants) == 0 {
		return f
	}
	f.Policy, f.Statement = f.Grants[0].Policy, f.Grants[0].Statement
	var groups []string
	for _, g := range f.Grants {
		if g.Group != "" && !slices.Contains(groups, g.Group) {
			groups = append(groups, g.Group)
		}
	}
	if len(groups) > 0 {
		f.Title += " (via group " + strings.Join(groupNames(groups), ", group ") + ")"
	}
	return f
}

// groupNames keeps a group ARN's name.
func groupNames(arns []string) []string {
	out := make([]string, len(arns))
	for i, a := range arns {
		out[i] = a[strings.LastIndex(a, "/")+1:]
	}
	return out
}
