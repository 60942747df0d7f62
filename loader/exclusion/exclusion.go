// Package exclusion reads an audit's exclusions file (--exclusions FILE):
// the findings a team has looked at and accepts, each with why and,
// optionally, until when.
//
//	exclusions:
//	  - principal: "arn:aws:iam::111122223333:role/break-glass*"  # IAM-style globs: * and ?
//	    rule: administrator                  # a rule id of the audit
//	    reason: break-glass role, ticket SEC-12
//	    expires: 2026-06-30                  # optional: YYYY-MM-DD (through that day, UTC) or RFC 3339
//	  - policy: AdministratorAccess          # a policy name, or an ARN pattern
//	    reason: the platform team's own roles
//	  - fingerprint: 3f2a9c...               # one finding, as the report prints it
//	    reason: accepted in review SEC-40
//
// An entry names at least one of principal, rule, policy or fingerprint;
// a finding is excluded when it matches every one the entry names. The
// file is YAML or JSON; unknown keys are refused and every error is a
// *tree.Error at its line and column.
package exclusion

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/tree"
)

// MaxBytes bounds an exclusions file.
const MaxBytes = 4 << 20

// Entry is one exclusion.
type Entry struct {
	// Principal is a pattern over the finding's principal ARN ("" when
	// not given: any).
	Principal string
	// Rule is a rule id ("" : any).
	Rule string
	// Policy is a pattern over the name or id of the policies that grant
	// the finding ("" : any).
	Policy string
	// Fingerprint is one finding's fingerprint ("" : any).
	Fingerprint string
	Reason      string
	// Expires is when the exclusion ends (zero: never). A date
	// (YYYY-MM-DD) is read as the end of that day, UTC.
	Expires time.Time
	At      tree.Loc
}

// Options tune the reader.
type Options struct {
	// Rules, when set, are the rule ids an entry may name: a typo would
	// exclude nothing, silently.
	Rules []string
}

// Parse decodes an exclusions file; file names it in errors.
func Parse(file string, data []byte, opts Options) ([]Entry, error) {
	if len(data) > MaxBytes {
		return nil, &tree.Error{File: file, Path: "$", Line: 1, Col: 1, Code: tree.CodeLimitExceeded,
			Msg: fmt.Sprintf("exclusions file is %d bytes, more than the %d this reader takes", len(data), MaxBytes)}
	}
	root, err := tree.Decode(file, data)
	if err != nil {
		return nil, err
	}
	if root.Kind == tree.Null {
		return nil, nil
	}
	o, err := tree.OpenObject(root, "exclusions")
	if err != nil {
		return nil, positioned(root, err)
	}
	n := o.Get("exclusions")
	if n == nil || n.Kind == tree.Null {
		return nil, nil
	}
	items, err := tree.List(n)
	if err != nil {
		return nil, positioned(n, err)
	}
	out := make([]Entry, 0, len(items))
	for _, it := range items {
		e, err := decode(it, opts)
		if err != nil {
			return nil, positioned(it, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func decode(n *tree.Node, opts Options) (Entry, error) {
	o, err := tree.OpenObject(n, "principal", "rule", "policy", "fingerprint", "reason", "expires")
	if err != nil {
		return Entry{}, err
	}
	e := Entry{At: n.Loc()}
	if err := tree.Strs(o, map[string]*string{"principal": &e.Principal, "rule": &e.Rule, "policy": &e.Policy,
		"fingerprint": &e.Fingerprint, "reason": &e.Reason}); err != nil {
		return Entry{}, err
	}
	for _, f := range []struct{ key, val string }{{"principal", e.Principal}, {"rule", e.Rule}, {"policy", e.Policy}, {"fingerprint", e.Fingerprint}} {
		if o.Get(f.key) != nil && (f.val == "" || strings.ContainsFunc(f.val, isSpace)) {
			return Entry{}, o.Errorf(f.key, tree.CodeInvalidValue, "%s: %q: expected a value without spaces or control characters", f.key, f.val)
		}
	}
	switch {
	case strings.TrimSpace(e.Reason) == "":
		return Entry{}, tree.NodeError(n, tree.CodeMissingElement, "an exclusion needs a reason (why the finding is accepted)")
	case e.Principal == "" && e.Rule == "" && e.Policy == "" && e.Fingerprint == "":
		return Entry{}, tree.NodeError(n, tree.CodeMissingElement, "an exclusion names a principal, a rule, a policy or a fingerprint")
	}
	if e.Principal != "" && e.Principal != "*" && !(strings.HasPrefix(e.Principal, "arn:") && strings.Count(e.Principal, ":") >= 5) {
		return Entry{}, o.Errorf("principal", tree.CodeInvalidValue, "principal: %q: expected \"*\" or an ARN pattern (arn:aws:iam::111122223333:role/app-*)", e.Principal)
	}
	if e.Rule != "" && opts.Rules != nil && !slices.Contains(opts.Rules, e.Rule) {
		return Entry{}, o.Errorf("rule", tree.CodeInvalidValue, "rule: %q is not a rule of the audit (docs/audit-severity.md lists them: %s)", e.Rule, strings.Join(opts.Rules, ", "))
	}
	if e.Expires, err = expiry(o); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// expiry reads expires: optional, a date (the end of that day, UTC) or an
// RFC 3339 time.
func expiry(o *tree.ObjReader) (time.Time, error) {
	if o.Get("expires") == nil {
		return time.Time{}, nil
	}
	s, err := o.Str("expires", true)
	if err != nil {
		return time.Time{}, err
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.AddDate(0, 0, 1), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, o.Errorf("expires", tree.CodeInvalidValue, "expires: expected a date (2026-06-30) or an RFC 3339 time (2026-06-30T12:00:00Z), got %q", s)
}

// Expired reports whether the exclusion has ended at now.
func (e Entry) Expired(now time.Time) bool { return !e.Expires.IsZero() && !now.Before(e.Expires) }

// Matches reports whether the exclusion covers a finding of the rule
// about the principal, with the fingerprint, granted by the policies
// (every one must match the policy pattern; none granted: no match).
func (e Entry) Matches(rule, principal, fingerprint string, policies []string) bool {
	switch {
	case e.Rule != "" && e.Rule != rule,
		e.Fingerprint != "" && e.Fingerprint != fingerprint,
		e.Principal != "" && !glob(e.Principal, principal):
		return false
	case e.Policy == "":
		return true
	case len(policies) == 0:
		return false
	}
	for _, p := range policies {
		if !glob(e.Policy, p) && !glob(e.Policy, PolicyName(p)) {
			return false
		}
	}
	return true
}

// PolicyName is the name in a policy id: a managed policy ARN's last path
// element, an inline policy's name after '#', a trust policy's role name.
func PolicyName(id string) string {
	id = strings.TrimSuffix(id, " (trust policy)")
	if i := strings.LastIndex(id, "#"); i >= 0 {
		return id[i+1:]
	}
	return id[strings.LastIndex(id, "/")+1:]
}

// Name says which findings the exclusion covers, for reports.
func (e Entry) Name() string {
	var parts []string
	for _, f := range []struct{ key, val string }{{"fingerprint", e.Fingerprint}, {"rule", e.Rule}, {"principal", e.Principal}, {"policy", e.Policy}} {
		if f.val != "" {
			parts = append(parts, f.key+" "+f.val)
		}
	}
	return strings.Join(parts, ", ")
}

func glob(p, v string) bool { return pattern.Glob(pattern.IAMGlob(p), v) }

func isSpace(r rune) bool {
	return r <= ' ' || r == 0x7f || r == 0x85 || r == 0xa0 || r == 0x2028 || r == 0x2029
}

// positioned places an error the tree readers left without a position.
func positioned(n *tree.Node, err error) error {
	if _, ok := err.(*tree.Error); ok {
		return err
	}
	return tree.NodeError(n, tree.CodeWrongType, "%v", err)
}
