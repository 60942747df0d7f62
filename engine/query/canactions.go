package query

import (
	"strings"
	"sync"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/policy"
)

// The actions can decides. Every action a statement's Action or NotAction
// element names by a pattern other than "*" is decided on its own (when a
// grant covers it); the other actions of a service are alike to every
// statement (only "*" and NotAction lists reach them) and to the logic,
// which reads an action only through the statements and its service
// (the RCP services, the IAM endpoint, the credentials' limits on IAM and
// STS), except for STS, whose actions the logic names one by one: so STS
// is decided action by action, and every other service through one
// representative action, the first it has that no pattern names.

// actionPlan is what can decides.
type actionPlan struct {
	each    []catalog.Action // decided one by one
	named   map[string]bool  // lower-cased: the actions a pattern other than "*" names
	reps    []catalog.Action // per service, the representative of its other actions
	others  map[string]bool  // services with actions no pattern names (sts aside)
	unknown []string         // grant patterns the catalog has no action for
}

// plan works out the actions of the principal's scope.
func (s *scope) plan(e *Querier, cat *catalog.Catalog) actionPlan {
	p := actionPlan{named: map[string]bool{}, others: map[string]bool{}}
	s.namedActions(cat, &p)
	for _, svc := range servicesOf(cat) {
		repDone := false
		for _, a := range svc.actions {
			name := strings.ToLower(a.String())
			if svc.name == "sts" || p.named[name] {
				if e.PolicyFree(name) || s.granted(name) {
					p.each = append(p.each, a)
				}
				continue
			}
			if !repDone {
				repDone, p.others[svc.name] = true, true
				if s.granted(name) {
					p.reps = append(p.reps, a)
				}
			}
		}
	}
	return p
}

// namedActions expands every Action and NotAction pattern of the scope
// but "*" into p.named, and lists the grants' patterns the catalog has no
// action for in p.unknown.
func (s *scope) namedActions(cat *catalog.Catalog, p *actionPlan) {
	expanded := map[string][]catalog.Action{}
	for k, set := range [][]*policy.Statement{s.grants, s.limits} {
		for _, st := range set {
			for _, pat := range st.Actions {
				if pat == "*" {
					continue
				}
				got, done := expanded[pat]
				if !done {
					got = cat.Expand(pat, false)
					expanded[pat] = got
				}
				for _, a := range got {
					p.named[strings.ToLower(a.String())] = true
				}
				if len(got) == 0 && k == 0 && !st.NotAction {
					p.unknown = append(p.unknown, pat)
				}
			}
		}
	}
}

// granted reports whether a grant of the scope covers the action.
func (s *scope) granted(action string) bool {
	if s.allActions {
		return true
	}
	for _, st := range s.grants {
		if engine.StatementMentions(st, action) {
			return true
		}
	}
	return false
}

// service is a catalog service with its actions, sorted.
type service struct {
	name    string
	actions []catalog.Action
}

var (
	servicesOnce sync.Once
	services     []service
)

// servicesOf groups the catalog's actions by service, once.
func servicesOf(cat *catalog.Catalog) []service {
	servicesOnce.Do(func() {
		for _, a := range cat.Expand("*", false) {
			if n := len(services); n == 0 || services[n-1].name != a.Service {
				services = append(services, service{name: a.Service})
			}
			services[len(services)-1].actions = append(services[len(services)-1].actions, a)
		}
	})
	return services
}
