package query

import (
	"slices"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/pattern"
)

// outcome is one decided (action, resource) candidate.
type outcome struct {
	resource, account string
	allowed           bool
	conds             []string
}

// within reports whether candidate d lies inside candidate c: c's pattern
// matches d's name, in the same account.
func within(d, c outcome) bool {
	return d.resource != c.resource && d.account == c.account && pattern.ResourceMatch(c.resource, d.resource)
}

// allowedCandidate is an allowed candidate with its exceptions.
type allowedCandidate struct {
	o      outcome
	except []string
}

// permissionsOf turns one action's decided candidates into permissions:
// each allowed candidate with the refused candidates inside it as its
// exceptions (the outermost ones), leaving out an allowed candidate that
// another one already covers on the same conditions.
func permissionsOf(a catalog.Action, outs []outcome) []Permission {
	var all []allowedCandidate
	for _, c := range outs {
		if c.allowed {
			all = append(all, allowedCandidate{c, exceptionsOf(c, outs)})
		}
	}
	var perms []Permission
	for i, c := range all {
		if !coveredByOther(i, all) {
			perms = append(perms, Permission{Action: a.String(), Service: a.Service, Access: a.Access,
				Resource: c.o.resource, Account: c.o.account, Except: c.except, Conditions: c.o.conds})
		}
	}
	return perms
}

// exceptionsOf lists the refused candidates inside c, outermost only.
func exceptionsOf(c outcome, outs []outcome) []string {
	var in []outcome
	for _, d := range outs {
		if !d.allowed && within(d, c) {
			in = append(in, d)
		}
	}
	// Only a pattern with a wildcard can hold another candidate.
	var holders []outcome
	for _, e := range in {
		if pattern.GlobHasWildcard(e.resource) {
			holders = append(holders, e)
		}
	}
	var out []string
	for _, d := range in {
		if !slices.ContainsFunc(holders, func(e outcome) bool { return within(d, e) && !within(e, d) }) {
			out = append(out, d.resource)
		}
	}
	sort.Strings(out)
	return out
}

// coveredByOther reports whether another allowed candidate holds the i-th
// outside its exceptions, on the same conditions (of two that hold each
// other, the first stays).
func coveredByOther(i int, all []allowedCandidate) bool {
	c := all[i].o
	for j, o := range all {
		if j == i || !within(c, o.o) || !slices.Equal(c.conds, o.o.conds) || (j > i && within(o.o, c)) {
			continue
		}
		if !slices.ContainsFunc(o.except, func(e string) bool { return pattern.ResourceMatch(e, c.resource) }) {
			return true
		}
	}
	return false
}

// signature renders a representative's permissions without its action,
// to find the services whose other actions are answered alike.
func signature(perms []Permission) string {
	var parts []string
	for _, p := range perms {
		parts = append(parts, p.Resource+"\x00"+p.Account+"\x00"+strings.Join(p.Except, ",")+"\x00"+strings.Join(p.Conditions, ","))
	}
	sort.Strings(parts)
	return strings.Join(parts, "\x01")
}

// otherActions assembles the answer from the permissions of the actions
// decided one by one (each, in plan order) and of the representatives
// (reps, by service): the services whose representative is answered like
// most (the majority signature) are covered by action "*", the others
// with an answer by "svc:*". An action decided on its own whose answer is
// its service's group's is folded into it; the others stay as their own
// permissions, and the group's ExceptActions names them (and, for "*",
// the services answered apart).
func otherActions(p actionPlan, each [][]Permission, reps map[string][]Permission, cat *catalog.Catalog) []Permission {
	major := majority(reps)
	groupSig := groupSignatures(p, reps, major, cat)
	var out []Permission
	folded := map[string]bool{}
	for i, a := range p.each {
		if sig := groupSig[a.Service]; len(each[i]) > 0 && sig != "" && signature(each[i]) == sig {
			folded[strings.ToLower(a.String())] = true
			continue
		}
		out = append(out, each[i]...)
	}
	var apart []string
	for _, svc := range servicesOf(cat) {
		if groupSig[svc.name] == major && major != "" {
			continue
		}
		if p.others[svc.name] {
			apart = append(apart, svc.name+":*")
		} else {
			apart = append(apart, unfolded(p, svc, folded)...)
		}
		for _, perm := range reps[svc.name] {
			perm.Action, perm.Access, perm.ExceptActions = svc.name+":*", otherAccess, unfolded(p, svc, folded)
			out = append(out, perm)
		}
	}
	for _, perm := range starOf(reps, major) {
		perm.Action, perm.Service, perm.Access = "*", "*", otherAccess
		perm.ExceptActions = apart
		for _, svc := range servicesOf(cat) {
			if groupSig[svc.name] == major {
				perm.ExceptActions = append(perm.ExceptActions, unfolded(p, svc, folded)...)
			}
		}
		sort.Strings(perm.ExceptActions)
		out = append(out, perm)
	}
	return out
}

// groupSignatures gives each service the signature its other actions
// share: its representative's, the majority's for a service every action
// of which a pattern names (the "*" group may hold them), "" for none.
func groupSignatures(p actionPlan, reps map[string][]Permission, major string, cat *catalog.Catalog) map[string]string {
	out := map[string]string{}
	for _, svc := range servicesOf(cat) {
		switch perms, has := reps[svc.name]; {
		case has && len(perms) > 0:
			out[svc.name] = signature(perms)
		case !p.others[svc.name] && major != "":
			out[svc.name] = major
		}
	}
	return out
}

// majority is the signature most representatives share (ties: the
// smallest), "" when none is allowed anywhere.
func majority(reps map[string][]Permission) string {
	count := map[string]int{}
	for _, perms := range reps {
		if len(perms) > 0 {
			count[signature(perms)]++
		}
	}
	major, best := "", 0
	for sig, n := range count {
		if n > best || n == best && sig < major {
			major, best = sig, n
		}
	}
	return major
}

// starOf returns the permissions of a representative with the majority
// signature.
func starOf(reps map[string][]Permission, major string) []Permission {
	if major == "" {
		return nil
	}
	names := make([]string, 0, len(reps))
	for svc := range reps {
		names = append(names, svc)
	}
	sort.Strings(names)
	for _, svc := range names {
		if len(reps[svc]) > 0 && signature(reps[svc]) == major {
			return reps[svc]
		}
	}
	return nil
}

// otherAccess is the access level shown for the other actions.
const otherAccess = "every other action"

// unfolded lists the service's actions named by a pattern (decided one by
// one, or not granted) that no group holds, as "svc:*" when that is all of
// them.
func unfolded(p actionPlan, svc service, folded map[string]bool) []string {
	var out []string
	for _, a := range svc.actions {
		name := strings.ToLower(a.String())
		if (p.named[name] || svc.name == "sts") && !folded[name] {
			out = append(out, a.String())
		}
	}
	if len(out) == len(svc.actions) {
		return []string{svc.name + ":*"}
	}
	return out
}
