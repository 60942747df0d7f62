package query

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/export"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/tree"
)

// Warning is something in a policy that is valid JSON and valid grammar but
// probably not what its author meant: an action or condition key AWS does
// not have (AWS accepts such policies; the statement just never matches),
// or, for a customer managed policy, a rule of IAM's CreatePolicy the
// document breaks (IAM would refuse to create it). Statement is -1 when the
// warning is about the document as a whole.
type Warning struct {
	Policy    string `json:"policy"`
	Statement int    `json:"statement"`
	Message   string `json:"message"`
}

// Lint checks every policy of the world against the action catalog, and
// every customer managed policy against the rules of IAM's CreatePolicy.
func (e *Querier) Lint() ([]Warning, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, fault.Internal(err) // embedded data
	}
	snap := e.Store().Snapshot()
	var out []Warning
	for _, p := range worldPolicies(snap) {
		out = append(out, LintPolicy(cat, p)...)
	}
	for _, p := range customerManagedPolicies(snap) {
		out = append(out, LintCreatePolicy(p)...)
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

// customerManagedPolicies lists the customer managed policies of the
// world: those CreatePolicy makes. AWS managed policies
// (arn:aws:iam::aws:policy/...) are not the user's to create, and inline
// policies are put with PutUserPolicy and its kin, under other limits.
func customerManagedPolicies(snap *store.Snapshot) []*policy.Policy {
	var out []*policy.Policy
	for _, a := range snap.Accounts() {
		for _, m := range a.ManagedPolicies {
			if m.Account != "aws" && !export.IsAWSManaged(m.ARN) {
				out = append(out, m.Policy)
			}
		}
	}
	return out
}

// LintCreatePolicy reports why IAM's CreatePolicy would refuse a managed
// policy's document (policy.ValidateCreatePolicy: IAM's own rules on top of
// the grammar, with AWS's message). The position, when the error has one,
// is in the document's text (Policy.Source: the document as given, or its
// JSON when the world gave it as a mapping or as YAML text); the JSON path
// holds either way. A policy with no Source (built in code) has no
// document to check.
func LintCreatePolicy(p *policy.Policy) []Warning {
	if len(p.Source) == 0 {
		return nil
	}
	doc := p.Source
	if _, err := tree.DecodeJSON(p.File, doc); err != nil {
		// The world gave the document as YAML text; CreatePolicy takes its JSON.
		if n, yerr := tree.DecodeYAML(p.File, doc); yerr == nil {
			doc = n.JSON()
		}
	}
	err := policy.ValidateCreatePolicy(p.File, doc)
	if err == nil {
		return nil
	}
	const refuse = "CreatePolicy would refuse this document: "
	var e *tree.Error
	if !errors.As(err, &e) {
		return []Warning{{p.Name, -1, refuse + err.Error()}}
	}
	var at []string // where, unless it is the document as a whole ($)
	if e.Path != "$" {
		if e.Path != "" {
			at = append(at, "at "+e.Path)
		}
		if e.Line > 0 {
			pos := fmt.Sprintf("line %d", e.Line)
			if e.Col > 0 {
				pos += fmt.Sprintf(", column %d", e.Col)
			}
			at = append(at, pos+" of the document")
		}
	}
	msg := refuse + e.Msg
	if len(at) > 0 {
		msg += " (" + strings.Join(at, ", ") + ")"
	}
	return []Warning{{p.Name, statementIndex(e.Path), msg}}
}

// statementIndex returns the statement a JSON path of a policy document
// points into: N for $.Statement[N]..., 0 for a path inside a lone
// statement object ($.Statement.Effect), else -1 (the whole document).
func statementIndex(path string) int {
	rest, ok := strings.CutPrefix(path, "$.Statement")
	switch {
	case ok && strings.HasPrefix(rest, "["):
		if end := strings.IndexByte(rest, ']'); end > 0 {
			if n, err := strconv.Atoi(rest[1:end]); err == nil {
				return n
			}
		}
	case ok && strings.HasPrefix(rest, "."):
		return 0
	}
	return -1
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
