// Package assertion reads a review's assertions file (--assert FILE): what
// a change must keep true, judged on the world after it, and the findings
// a team accepts for a while.
//
//	checks:          # the scenario check shape (corpus/README.md); source optional
//	  - name: ci cannot read the vault
//	    principal: arn:aws:iam::111111111111:role/ci
//	    action: secretsmanager:GetSecretValue
//	    resource: arn:aws:secretsmanager:us-east-1:111111111111:secret:vault
//	    expect: implicit-deny
//	must_not_gain:   # no principal may be allowed after what it was not before
//	  - principal: "arn:aws:iam::111111111111:role/app-*"   # IAM-style globs: * and ?
//	    action: "iam:*"
//	    resource: "*"
//	accept:          # findings accepted until an expiry date, with a reason
//	  - fingerprint: 3f2a...            # one finding, or
//	    rule: resource-shared-outside   # a rule with patterns
//	    resource: "arn:aws:s3:::partner-drop*"
//	    reason: partner drop bucket, ticket SEC-123
//	    expires: 2026-06-30             # YYYY-MM-DD (through that day, UTC) or RFC 3339
//
// The file is YAML or JSON; unknown keys are refused and every error is a
// *tree.Error at its line and column.
package assertion

import (
	"fmt"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/loader/files"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/tree"
)

// File is an assertions file.
type File struct {
	Checks      []*scenario.Check
	MustNotGain []Gain
	Accept      []Accept
}

// Gain is a must_not_gain entry: no principal matching Principal may gain
// (be allowed after the change and not before) an action matching Action
// on a resource matching Resource. Patterns are IAM-style globs (* and ?;
// an absent one is "*"); Principal matches a principal's ARN and the ARNs
// of its sessions; Action matches regardless of case, as IAM compares
// actions.
type Gain struct {
	Principal, Action, Resource string
	At                          tree.Loc
}

// Accept is an accept entry: findings a team accepts, with why and until
// when. It matches one finding by Fingerprint, or, without one, every
// finding of Rule whose principal, action and resource match the patterns
// (absent: "*").
type Accept struct {
	Rule, Principal, Action, Resource, Fingerprint, Reason string
	// Expires is when the acceptance ends: an expired one fails the
	// review. A date (YYYY-MM-DD) is read as the end of that day, UTC.
	Expires time.Time
	At      tree.Loc
}

// Load reads an assertions file through rd (confined to the folders the
// review may read).
func Load(rd *files.Reader, path string) (*File, error) {
	data, err := rd.ReadFile(path)
	if err != nil {
		return nil, &tree.Error{File: path, Code: tree.CodeInvalidValue, Msg: fmt.Sprintf("read assertions: %v", err), Err: err}
	}
	return Parse(path, data)
}

// Parse decodes an assertions file; file names it in errors.
func Parse(file string, data []byte) (*File, error) {
	root, err := tree.Decode(file, data)
	if err != nil {
		return nil, err
	}
	if root.Kind == tree.Null {
		return &File{}, nil
	}
	o, err := tree.OpenObject(root, "checks", "must_not_gain", "accept")
	if err != nil {
		return nil, err
	}
	f := &File{}
	if n := o.Get("checks"); n != nil {
		if f.Checks, err = scenario.DecodeChecks(n, nil, scenario.CheckOptions{SourceOptional: true}); err != nil {
			return nil, err
		}
	}
	if n := o.Get("must_not_gain"); n != nil {
		if f.MustNotGain, err = decodeList(n, decodeGain); err != nil {
			return nil, err
		}
	}
	if n := o.Get("accept"); n != nil {
		if f.Accept, err = decodeList(n, decodeAccept); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func decodeList[T any](n *tree.Node, f func(*tree.Node) (T, error)) ([]T, error) {
	items, err := tree.List(n)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		v, err := f(it)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func decodeGain(n *tree.Node) (Gain, error) {
	o, err := tree.OpenObject(n, "principal", "action", "resource")
	if err != nil {
		return Gain{}, err
	}
	if len(n.Keys) == 0 {
		return Gain{}, tree.NodeError(n, tree.CodeMissingElement, "a must_not_gain entry names a principal, an action or a resource pattern")
	}
	g := Gain{At: n.Loc()}
	if err := patterns(o, &g.Principal, &g.Action, &g.Resource); err != nil {
		return Gain{}, err
	}
	return g, nil
}

func decodeAccept(n *tree.Node) (Accept, error) {
	o, err := tree.OpenObject(n, "rule", "principal", "action", "resource", "fingerprint", "reason", "expires")
	if err != nil {
		return Accept{}, err
	}
	a := Accept{At: n.Loc()}
	if err := tree.Strs(o, map[string]*string{"rule": &a.Rule, "fingerprint": &a.Fingerprint, "reason": &a.Reason}); err != nil {
		return Accept{}, err
	}
	switch {
	case strings.TrimSpace(a.Reason) == "":
		return Accept{}, tree.NodeError(n, tree.CodeMissingElement, "an accept entry needs a reason (why the finding is accepted)")
	case a.Fingerprint == "" && a.Rule == "":
		return Accept{}, tree.NodeError(n, tree.CodeMissingElement, "an accept entry names a finding's fingerprint, or a rule (with principal, action, resource patterns)")
	case a.Fingerprint != "" && (a.Rule != "" || o.Get("principal") != nil || o.Get("action") != nil || o.Get("resource") != nil):
		return Accept{}, o.Errorf("fingerprint", tree.CodeConflict, "fingerprint: an accept entry matches by fingerprint or by rule and patterns, not both")
	case strings.ContainsFunc(a.Rule, isSpace):
		return Accept{}, o.Errorf("rule", tree.CodeInvalidValue, "rule: a rule id holds no spaces, got %q", a.Rule)
	case strings.ContainsFunc(a.Fingerprint, isSpace):
		return Accept{}, o.Errorf("fingerprint", tree.CodeInvalidValue, "fingerprint: a fingerprint holds no spaces, got %q", a.Fingerprint)
	}
	if a.Expires, err = expiry(o); err != nil {
		return Accept{}, err
	}
	if a.Fingerprint == "" {
		if err := patterns(o, &a.Principal, &a.Action, &a.Resource); err != nil {
			return Accept{}, err
		}
	}
	return a, nil
}

// patterns reads the principal, action and resource patterns ("*" when
// absent) and checks their form.
func patterns(o *tree.ObjReader, principal, action, resource *string) error {
	for _, f := range []struct {
		key   string
		dst   *string
		check func(string) string
	}{{"principal", principal, arnPattern}, {"action", action, actionPattern}, {"resource", resource, arnPattern}} {
		v, err := o.Str(f.key, false)
		if err != nil {
			return err
		}
		if o.Get(f.key) == nil {
			v = "*"
		}
		if msg := f.check(v); msg != "" {
			return o.Errorf(f.key, tree.CodeInvalidValue, "%s: %q: %s", f.key, v, msg)
		}
		*f.dst = v
	}
	return nil
}

// arnPattern checks a principal or resource pattern: "*", or an ARN
// pattern (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, wildcards
// allowed).
func arnPattern(p string) string {
	switch {
	case p == "":
		return "a pattern cannot be empty (use \"*\" for any)"
	case strings.ContainsFunc(p, isSpace):
		return "a pattern holds no spaces or control characters"
	case p == "*" || strings.HasPrefix(p, "arn:") && strings.Count(p, ":") >= 5:
		return ""
	case strings.HasPrefix(p, "arn:"):
		return "an ARN pattern has six colon-separated parts (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE; * and ? are wildcards)"
	}
	return "expected \"*\" or an ARN pattern (arn:aws:iam::111111111111:role/app-*)"
}

// actionPattern checks an action pattern: "*" or service:action, with
// wildcards.
func actionPattern(p string) string {
	switch {
	case p == "*":
		return ""
	case strings.ContainsFunc(p, isSpace):
		return "a pattern holds no spaces or control characters"
	}
	svc, act, ok := strings.Cut(p, ":")
	if !ok || svc == "" || act == "" || strings.Contains(act, ":") {
		return "expected \"*\" or service:action (s3:GetObject, iam:*, s3:Put*)"
	}
	return ""
}

func isSpace(r rune) bool {
	return r <= ' ' || r == 0x7f || r == 0x85 || r == 0xa0 || r == 0x2028 || r == 0x2029
}

// expiry reads expires: required, a date (the end of that day, UTC) or an
// RFC 3339 time.
func expiry(o *tree.ObjReader) (time.Time, error) {
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

// Matches reports whether the acceptance covers a finding: by its
// fingerprint, or by its rule and the patterns.
func (a Accept) Matches(rule, principal, action, resource, fingerprint string) bool {
	if a.Fingerprint != "" {
		return a.Fingerprint == fingerprint
	}
	return a.Rule == rule && glob(a.Principal, principal) && glob(strings.ToLower(a.Action), strings.ToLower(action)) && glob(a.Resource, resource)
}

// Expired reports whether the acceptance has ended at now: an expired
// acceptance fails the review, so that it is renewed or the finding fixed.
func (a Accept) Expired(now time.Time) bool { return !now.Before(a.Expires) }

// Matches reports whether a gain of action on resource by principal (the
// principal's ARN or one of its sessions') is one the entry forbids.
func (g Gain) Matches(principal, action, resource string) bool {
	return glob(g.Principal, principal) && glob(strings.ToLower(g.Action), strings.ToLower(action)) && glob(g.Resource, resource)
}

// glob matches an IAM-style pattern (* and ? are wildcards, nothing
// escapes) against a value.
func glob(p, v string) bool { return pattern.Glob(pattern.IAMGlob(p), v) }
