package query

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/export"
	"github.com/clearance-dev/clearance/loader/policy"
)

// Warning codes.
const (
	CodeUnknownAction       = "unknown_action"        // a service's action it does not have
	CodeUnknownService      = "unknown_service"       // a service prefix no service has
	CodeNoMatchingAction    = "no_matching_action"    // a wildcard pattern that matches no action
	CodeUnknownConditionKey = "unknown_condition_key" // a service's condition key it does not define
	CodeMultivalued         = "multivalued_key"       // a multivalued key tested without a set operator
	CodeCreatePolicy        = "create_policy"         // a rule of IAM's CreatePolicy the document breaks
)

// Typos finds the names AWS does not have in policies and requests: an
// action no service has (kms:Decrpyt), a service prefix that does not
// exist (s4:GetObject), a wildcard pattern that matches no action
// (s3:Get*Objekt) and a service condition key the service does not define
// (s3:prefixx), each with the catalog's nearest name. AWS accepts such
// policies, and such a statement never matches ("If the service name
// includes a typo, then the policy provides no access to the service",
// access_policies_understand-policy-summary-access-level-summaries.html):
// these are warnings, and decisions do not change. AWS managed policies
// are not checked (see authored). Global keys (aws:) are checked against
// the IAM User Guide's list (catalog.KnownGlobalKey); SAML keys and identity providers' keys (saml:, accounts.google.com:,
// an OIDC provider's URL) are not checked. Typos remembers what it found
// for each name; it is not safe for concurrent use.
type Typos struct {
	cat     *catalog.Catalog
	actions map[string]finding // lower-cased action pattern -> what is wrong
	keys    map[string]finding // lower-cased condition key -> what is wrong
}

// finding is what is wrong with a name (code "" when nothing is).
type finding struct {
	code       string
	service    string // the unknown prefix, or the service's name for no_matching_action
	suggestion string // "did you mean" (a whole name), or ""
	suggestSvc string // the nearest service prefix, when no whole name is near
}

// NewTypos returns a typo finder over the catalog.
func NewTypos(cat *catalog.Catalog) *Typos {
	return &Typos{cat: cat, actions: map[string]finding{}, keys: map[string]finding{}}
}

// Typos reports the typos of every policy of the world (see Typos).
func (e *Querier) Typos() ([]Warning, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, fault.Internal(err) // embedded data
	}
	t := NewTypos(cat)
	var out []Warning
	for _, p := range worldPolicies(e.Store().Snapshot()) {
		if authored(p) {
			out = append(out, t.Policy(p)...)
		}
	}
	sortWarnings(out)
	return out, nil
}

// authored reports whether a policy is the world's own, not an AWS managed
// policy: AWS's documents keep the actions of services AWS retired
// (ReadOnlyAccess and deepcomposer:), which are not the user's typos and
// which the user cannot edit.
func authored(p *policy.Policy) bool { return !export.IsAWSManaged(p.Name) }

// Action describes what is wrong with an action (or action pattern) as
// written, or returns "" when AWS has it.
func (t *Typos) Action(action string) (code, msg string) {
	f := t.action(action)
	return f.code, f.message("action", action)
}

// ConditionKey describes what is wrong with a policy's condition key as
// written, or returns "" when it is known or not checked.
func (t *Typos) ConditionKey(key string) (code, msg string) {
	f := t.key(key)
	return f.code, f.message("condition key", key)
}

// ContextKey is ConditionKey for a key of a request's context.
func (t *Typos) ContextKey(key string) (code, msg string) {
	f := t.key(key)
	return f.code, f.message("context key", key)
}

// Policy reports the typos of a policy's Action, NotAction and Condition
// entries, each where it is written.
func (t *Typos) Policy(p *policy.Policy) []Warning {
	var out []Warning
	for i := range p.Statements {
		st := &p.Statements[i]
		for _, w := range st.ActionsWritten {
			if f := t.action(w.Text); f.code != "" {
				out = append(out, at(p, st.Index, w, f.code, f.message("action", w.Text)))
			}
		}
		for _, c := range st.Conditions {
			if f := t.key(c.KeyWritten.Text); f.code != "" {
				out = append(out, at(p, st.Index, c.KeyWritten, f.code, f.message("condition key", c.KeyWritten.Text)))
			}
		}
	}
	return out
}

func (t *Typos) action(a string) finding {
	la := strings.ToLower(a)
	if f, ok := t.actions[la]; ok {
		return f
	}
	var f finding
	prefix, _, _ := strings.Cut(la, ":")
	switch {
	case t.cat.Matches(la):
	case !strings.ContainsAny(prefix, "*?") && t.cat.ServiceName(prefix) == "":
		f = finding{code: CodeUnknownService, service: prefix, suggestion: t.cat.SuggestAction(la), suggestSvc: t.cat.SuggestService(prefix)}
	case strings.ContainsAny(la, "*?"):
		f = finding{code: CodeNoMatchingAction, service: t.cat.ServiceName(prefix)}
	default:
		f = finding{code: CodeUnknownAction, suggestion: t.cat.SuggestAction(la)}
	}
	t.actions[la] = f
	return f
}

func (t *Typos) key(k string) finding {
	lk := strings.ToLower(k)
	if f, ok := t.keys[lk]; ok {
		return f
	}
	var f finding
	prefix, _, found := strings.Cut(lk, ":")
	switch {
	case found && prefix == "aws":
		if !catalog.KnownGlobalKey(k) {
			f = finding{code: CodeUnknownConditionKey, suggestion: catalog.SuggestGlobalKey(k)}
		}
	case !found || !serviceKeyPrefix(prefix) || t.cat.KnownConditionKey(lk):
	case t.cat.ServiceName(prefix) == "":
		f = finding{code: CodeUnknownService, service: prefix, suggestion: t.cat.SuggestConditionKey(k), suggestSvc: t.cat.SuggestService(prefix)}
	default:
		f = finding{code: CodeUnknownConditionKey, suggestion: t.cat.SuggestConditionKey(k)}
	}
	t.keys[lk] = f
	return f
}

// serviceKeyPrefix reports whether a condition key's prefix (lower-cased)
// names a service, whose keys the catalog lists: not aws: (the global
// keys), saml: or an identity provider's (accounts.google.com:,
// cognito-identity.amazonaws.com:, an OIDC provider's URL), which hold a
// dot or a slash (reference_policies_iam-condition-keys.html).
func serviceKeyPrefix(prefix string) bool {
	return prefix != "aws" && prefix != "saml" && !strings.ContainsAny(prefix, "./")
}

// message describes the finding about written, an action or a condition
// key (what).
func (f finding) message(what, written string) string {
	var msg string
	switch f.code {
	case "":
		return ""
	case CodeUnknownService:
		msg = fmt.Sprintf("unknown service %q in %s %q", f.service, what, written)
	case CodeNoMatchingAction:
		msg = fmt.Sprintf("action %q matches no action", written)
		if f.service != "" {
			msg += " of " + f.service
		}
	default:
		msg = fmt.Sprintf("unknown %s %q", what, written)
	}
	switch {
	case f.suggestion != "":
		msg += fmt.Sprintf(" (did you mean %q?)", f.suggestion)
	case f.suggestSvc != "":
		msg += fmt.Sprintf(" (did you mean the service %q?)", f.suggestSvc)
	}
	return msg
}

// at makes a warning about an entry of a policy's statement, placed where
// the entry is written: in the policy's file, or at the string holding the
// document, saying where in the document.
func at(p *policy.Policy, stmt int, w policy.Written, code, msg string) Warning {
	out := Warning{Policy: p.Name, Statement: stmt, Code: code, Message: msg, File: p.File, Line: w.Line, Col: w.Col}
	if h := p.HeldIn; h != nil {
		out.File, out.Line, out.Col = h.File, h.Line, h.Col
		if w.Line > 0 {
			out.Message += fmt.Sprintf(" (at line %d, column %d of the document)", w.Line, w.Col)
		}
	}
	return out
}
