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
// not have (AWS accepts such policies; the statement just never matches,
// see Typos), a multivalued key tested without a set operator, or, for a
// customer managed policy, a rule of IAM's CreatePolicy the document
// breaks (IAM would refuse to create it). Statement is -1 when the warning
// is about the document as a whole. File, Line and Col say where the
// entry is written (Line 0: the document as a whole).
type Warning struct {
	Policy    string `json:"policy"`
	Statement int    `json:"statement"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	Col       int    `json:"col,omitempty"`
}

// Lint checks every policy of the world but AWS's own against the action
// catalog (Typos), every policy for multivalued keys tested without a set
// operator, and every customer managed policy against the rules of IAM's
// CreatePolicy.
func (e *Querier) Lint() ([]Warning, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, fault.Internal(err) // embedded data
	}
	snap := e.Store().Snapshot()
	t := NewTypos(cat)
	var out []Warning
	for _, p := range worldPolicies(snap) {
		if authored(p) {
			out = append(out, t.Policy(p)...)
		}
		out = append(out, multivalued(p)...)
	}
	for _, p := range customerManagedPolicies(snap) {
		out = append(out, LintCreatePolicy(p)...)
	}
	sortWarnings(out)
	return out, nil
}

// sortWarnings orders warnings by policy and statement, keeping the order
// of the entries within a statement.
func sortWarnings(ws []Warning) {
	sort.SliceStable(ws, func(i, j int) bool {
		if ws[i].Policy != ws[j].Policy {
			return ws[i].Policy < ws[j].Policy
		}
		return ws[i].Statement < ws[j].Statement
	})
}

// worldPolicies lists every policy document of the world once: those of
// the accounts, then the SCPs and RCPs.
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
	for _, o := range snap.OrgPolicies() {
		if o.Policy != nil {
			out = append(out, o.Policy)
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
		return []Warning{documentWarning(p, -1, refuse+err.Error())}
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
	return []Warning{documentWarning(p, statementIndex(e.Path), msg)}
}

// documentWarning is a CreatePolicy warning: its position, when it has
// one, is in the document's JSON, and said in msg; the warning is placed at
// the string holding the document, or in the policy's file.
func documentWarning(p *policy.Policy, stmt int, msg string) Warning {
	w := Warning{Policy: p.Name, Statement: stmt, Code: CodeCreatePolicy, Message: msg, File: p.File}
	if h := p.HeldIn; h != nil {
		w.File, w.Line, w.Col = h.File, h.Line, h.Col
	}
	return w
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

// LintPolicy reports the typos of a policy (see Typos) and the
// multivalued keys it tests without a set operator.
func LintPolicy(cat *catalog.Catalog, p *policy.Policy) []Warning {
	return append(NewTypos(cat).Policy(p), multivalued(p)...)
}

// multivalued reports the multivalued keys a policy tests without a set
// operator: "Multivalued context keys require a condition set operator"
// (reference_policies_condition-single-vs-multi-valued-context-keys.html).
func multivalued(p *policy.Policy) []Warning {
	var out []Warning
	for _, st := range p.Statements {
		for _, c := range st.Conditions {
			if c.Multivalued && c.Qualifier == "" && c.Base != "Null" {
				out = append(out, at(p, st.Index, c.KeyWritten, CodeMultivalued, fmt.Sprintf("%s on the multivalued key %q never matches when the request carries it: "+
					"use ForAnyValue: or ForAllValues: (reference_policies_condition-single-vs-multi-valued-context-keys.html)", c.Op, c.KeyWritten.Text)))
			}
		}
	}
	return out
}
