package review

import (
	"context"
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/explain"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
)

// StageAssertions is the Progress stage of the assertions.
const StageAssertions = "assertions"

// assertions judges the checks on the world after the change and the
// must_not_gain entries on the access the change adds.
func (r *run) assertions(ctx context.Context) error {
	runner := checks.New(r.after.e)
	total := len(r.opts.Checks) + len(r.opts.MustNotGain)
	for i, c := range r.opts.Checks {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.check(runner.RunCheck(ctx, c), i)
		r.progress(StageAssertions, i+1, total)
	}
	for i, g := range r.opts.MustNotGain {
		r.mustNotGain(g)
		r.progress(StageAssertions, len(r.opts.Checks)+i+1, total)
	}
	return nil
}

func (r *run) check(res checks.CheckResult, i int) {
	c := res.Check
	name := c.Name
	if name == "" {
		name = fmt.Sprintf("check %d: %s %s on %s", i+1, c.Principal, c.Action, c.Resource)
	}
	cr := CheckResult{Name: name, Passed: res.Passed(), Expected: c.Expect, Got: res.Answer(),
		Location: Location{File: c.File, Line: c.Line, Column: c.Col}}
	if !cr.Passed {
		cr.Message = res.Problem()
		principal := c.Principal
		if c.Chain != nil {
			principal = c.Chain.As
		}
		f := Finding{Rule: RuleAssertionFailed, Change: Assertion, Principal: principal, Action: c.Action, Resource: c.Resource,
			Message: fmt.Sprintf("assertion %q: %s", name, cr.Message), Location: cr.Location}
		if res.Decision != nil {
			f.Why = explain.Summary(res.Decision)
		}
		r.add(f)
	}
	r.checks = append(r.checks, cr)
}

// mustNotGain reports each access the change adds that the entry's
// patterns match, and the entry's result.
func (r *run) mustNotGain(g Gain) {
	name := fmt.Sprintf("must_not_gain principal=%s action=%s resource=%s", g.Principal, g.Action, g.Resource)
	cr := CheckResult{Name: name, Expected: "no access gained", Location: sourceLocation(g.At)}
	var hits []string
	for _, x := range r.gains {
		if !gainMatches(g, x) {
			continue
		}
		hits = append(hits, fmt.Sprintf("%s %s on %s", x.g.Principal, x.p.action, x.p.resource))
		added := r.findings[x.finding]
		f := Finding{Rule: RuleAssertionFailed, Change: Assertion, Principal: x.g.Principal, Action: x.p.action, Resource: x.p.resource,
			Message:  fmt.Sprintf("%s: %s", name, added.Message),
			Location: added.Location, Why: added.Why, Replay: added.Replay, Probe: added.Probe}
		r.add(f)
	}
	cr.Passed = len(hits) == 0
	cr.Got = fmt.Sprintf("%d gained", len(hits))
	if !cr.Passed {
		cr.Message = "gained: " + strings.Join(hits, "; ")
	}
	r.checks = append(r.checks, cr)
}

// gainMatches reports whether the entry's patterns match the access: the
// principal pattern matches the grant's principal, or the role of a role
// session; the action pattern matches case-insensitively.
func gainMatches(g Gain, x gain) bool {
	who := []string{x.g.Principal}
	if x.g.Kind == engine.KindSession {
		if x.g.Decision != nil && x.g.Decision.Principal.EntityARN != "" {
			who = append(who, x.g.Decision.Principal.EntityARN)
		}
	}
	matched := false
	for _, w := range who {
		matched = matched || pattern.Glob(pattern.IAMGlob(g.Principal), w)
	}
	return matched && pattern.Glob(strings.ToLower(pattern.IAMGlob(g.Action)), strings.ToLower(x.p.action)) &&
		pattern.Glob(pattern.IAMGlob(g.Resource), x.p.resource)
}

// gains adds the requests the must_not_gain entries ask about.
func (ps *pairSet) gains(gs []Gain) {
	for _, g := range gs {
		for _, a := range ps.actions(strings.ToLower(pattern.IAMGlob(g.Action)), false) {
			ps.add(a, probeName(pattern.IAMGlob(g.Resource)))
		}
	}
}

// lint reports the policy warnings of the change's documents (unknown
// actions, services and condition keys, multivalued keys without a set
// operator, CreatePolicy's rules for managed policies).
func (r *run) lint(cat *catalog.Catalog) {
	for i := range r.set.Edits {
		e := &r.set.Edits[i]
		for _, doc := range []*policyDoc{{e.Policy, e.Kind == change.ManagedPolicy}, {e.Trust, false}} {
			if doc.p == nil {
				continue
			}
			ws := query.LintPolicy(cat, doc.p)
			if doc.managed {
				ws = append(ws, query.LintCreatePolicy(doc.p)...)
			}
			for _, w := range ws {
				loc := Location{File: w.File, Line: w.Line, Column: w.Col, Address: e.At.Address}
				if loc.Line == 0 || loc.File == "" {
					loc = sourceLocation(e.At)
				}
				// The warning's subject (the unknown action or key, as
				// the message quotes it) keeps two warnings of one
				// document apart: their fingerprints differ.
				r.add(Finding{Rule: RulePolicyWarning, Change: Error, Principal: ownerName(e), Resource: e.Resource,
					Action: warningSubject(w), Message: fmt.Sprintf("%s (%s)", w.Message, w.Code), Location: loc})
			}
		}
	}
}

type policyDoc struct {
	p       *policy.Policy
	managed bool
}

// ownerName names what an Edit's document belongs to, for a finding.
func ownerName(e *change.Edit) string {
	switch {
	case e.Owner != nil:
		return string(e.Owner.Kind) + "/" + e.Owner.Name
	case e.Resource != "":
		return e.Resource
	}
	return string(e.Kind) + "/" + e.Name
}

// unknownManaged reports each managed policy whose contents are unknown.
func (r *run) unknownDocuments() {
	for _, u := range r.opts.UnknownDocuments {
		f := Finding{Rule: RuleUnknownDocument, Change: Error, Resource: u.Name, Symbols: []string{u.Symbol.Expr},
			Message:  fmt.Sprintf("the %s %s has a document known only after deployment (%s): the access it grants or denies is not in the comparison", u.Kind, u.Name, u.Symbol.Expr),
			Location: sourceLocation(u.At)}
		r.add(f)
	}
}

func (r *run) unknownManaged() {
	for _, u := range r.opts.UnknownManaged {
		r.add(Finding{Rule: RuleUnknownManaged, Change: Error, Resource: u.ARN,
			Message:  fmt.Sprintf("the change attaches %s, whose document is unknown: the access it grants is not in the comparison", u.ARN),
			Location: sourceLocation(u.At)})
	}
}

// warningSubject is what a lint warning is about: the first value its
// message quotes (an unknown action, a condition key), with its code.
func warningSubject(w query.Warning) string {
	if _, rest, ok := strings.Cut(w.Message, `"`); ok {
		if q, _, ok := strings.Cut(rest, `"`); ok {
			return q
		}
	}
	return w.Code
}
