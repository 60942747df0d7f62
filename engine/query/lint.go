package query

import (
	"fmt"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
)

// Warning is something in a policy that is valid JSON and valid grammar but
// probably not what its author meant: an action or condition key AWS does
// not have. AWS accepts such policies; the statement just never matches.
type Warning struct {
	Policy    string `json:"policy"`
	Statement int    `json:"statement"`
	Message   string `json:"message"`
}

// Lint checks every policy of the world against the action catalog.
func (e *Querier) Lint() ([]Warning, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	snap := e.Store().Snapshot()
	var out []Warning
	for _, p := range worldPolicies(snap) {
		out = append(out, LintPolicy(cat, p)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Policy != out[j].Policy {
			return out[i].Policy < out[j].Policy
		}
		return out[i].Statement < out[j].Statement
	})
	return out, nil
}

// worldPolicies lists every policy document of the world once.
func worldPolicies(snap *store.Snapshot) []*policy.Policy {
	var out []*policy.Policy
	for _, a := range snap.Accounts() {
		for _, m := range a.ManagedPolicies {
			out = append(out, m.Policy)
		}
		for _, u := range a.Users {
			out = append(out, u.Inline...)
		}
		for _, g := range a.Groups {
			out = append(out, g.Inline...)
		}
		for _, r := range a.Roles {
			out = append(out, r.Trust)
			out = append(out, r.Inline...)
		}
		for _, r := range a.Resources {
			if r.Policy != nil {
				out = append(out, r.Policy)
			}
		}
		for _, ep := range a.VPCEndpoints {
			out = append(out, ep.Policy) // the store gives every endpoint one
		}
	}
	return out
}

// LintPolicy reports actions that match no action of the catalog, service
// condition keys the service does not define, and multivalued keys tested
// without a set operator.
func LintPolicy(cat *catalog.Catalog, p *policy.Policy) []Warning {
	var out []Warning
	for _, st := range p.Statements {
		for _, a := range st.Actions {
			if a == "*" {
				continue
			}
			if svc, _, _ := strings.Cut(a, ":"); cat.ServiceName(svc) == "" && !strings.ContainsAny(svc, "*?") {
				out = append(out, Warning{p.Name, st.Index, fmt.Sprintf("unknown service %q in action %q", svc, a)})
			} else if len(cat.Expand(a, false)) == 0 {
				out = append(out, Warning{p.Name, st.Index, fmt.Sprintf("action %q matches no action of the catalog (%s)", a, cat.Source)})
			}
		}
		for _, c := range st.Conditions {
			if prefix, _, _ := strings.Cut(c.Key, ":"); prefix != "aws" && cat.ServiceName(prefix) != "" && !cat.KnownConditionKey(c.Key) {
				out = append(out, Warning{p.Name, st.Index, fmt.Sprintf("condition key %q is not defined by the service", c.Key)})
			}
			if c.Multivalued && c.Qualifier == "" && c.Base != "Null" {
				out = append(out, Warning{p.Name, st.Index, fmt.Sprintf("%s on the multivalued key %q never matches when the request carries it: "+
					"use ForAnyValue: or ForAllValues: (reference_policies_condition-single-vs-multi-valued-context-keys.html)", c.Op, c.Key)})
			}
		}
	}
	return out
}
