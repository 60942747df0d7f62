package render

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// Sources tells the audit's reports what the world's files hold: each
// policy document (its statements' text) and where each policy, statement
// and entity is written, so that the HTML report can show the statement
// that grants a finding and SARIF can point at its line. A nil *Sources
// knows nothing (the reports then name policies without text or line).
type Sources struct {
	policies map[string]*policy.Policy // by Policy.Name
	entities map[string]entity         // users, groups, roles, managed policies by ARN
	accounts map[string]string         // resource ARN -> account
	foreign  map[string]bool           // managed policies filled in from outside the world's files
}

// entity is where an IAM entity is written and where it names each
// managed policy it holds.
type entity struct {
	at   tree.Loc
	refs world.Refs
}

// Place is a position in one of the world's files.
type Place struct {
	File      string
	Line, Col int
}

// NewSources indexes a world's policies and entities.
func NewSources(w *world.World) *Sources {
	s := &Sources{policies: map[string]*policy.Policy{}, entities: map[string]entity{}, accounts: map[string]string{},
		foreign: map[string]bool{}}
	if w == nil {
		return s
	}
	add := func(ps ...*policy.Policy) {
		for _, p := range ps {
			if p != nil {
				s.policies[p.Name] = p
			}
		}
	}
	for _, a := range w.Accounts {
		for _, u := range a.Users {
			add(u.Inline...)
			s.entities[u.ARN] = entity{u.At, u.Refs}
		}
		for _, g := range a.Groups {
			add(g.Inline...)
			s.entities[g.ARN] = entity{g.At, g.Refs}
		}
		for _, r := range a.Roles {
			add(r.Trust)
			add(r.Inline...)
			s.entities[r.ARN] = entity{r.At, r.Refs}
		}
		for _, m := range a.ManagedPolicies {
			if m.Policy != nil {
				s.policies[m.ARN] = m.Policy
			}
			if m.Source != "" {
				s.foreign[m.ARN] = true
			}
			s.entities[m.ARN] = entity{at: m.At}
		}
		for _, r := range a.Resources {
			add(r.Policy)
			s.accounts[r.ARN] = r.Account
		}
	}
	if w.Organization != nil {
		for _, p := range w.Organization.Policies {
			if p.Policy != nil {
				s.policies[world.OrgPolicyName(p.Kind, p.Name)] = p.Policy
			}
		}
	}
	return s
}

// Account is the account an ARN belongs to: the ARN's own account field,
// or, for a resource whose ARN has none (S3), the account the world
// places it in.
func (s *Sources) Account(arn string) string {
	if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 && parts[0] == "arn" && parts[4] != "" {
		return parts[4]
	}
	if s != nil {
		return s.accounts[arn]
	}
	return ""
}

// statement returns a policy's statement by index.
func (s *Sources) statement(name string, idx int) (*policy.Policy, *policy.Statement) {
	if s == nil {
		return nil, nil
	}
	p := s.policies[name]
	if p == nil {
		return nil, nil
	}
	for i := range p.Statements {
		if p.Statements[i].Index == idx {
			return p, &p.Statements[i]
		}
	}
	return p, nil
}

// StatementText is a policy statement as its document wrote it,
// pretty-printed ("" when the world does not hold the document).
func (s *Sources) StatementText(name string, idx int) string {
	p, _ := s.statement(name, idx)
	if p == nil || len(p.Source) == 0 {
		return ""
	}
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal(p.Source, &doc) != nil || len(doc.Statement) == 0 {
		return ""
	}
	raw := doc.Statement
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil || idx < 0 || idx >= len(list) {
			return ""
		}
		raw = list[idx]
	} else if idx != 0 {
		return ""
	}
	var out bytes.Buffer
	if json.Indent(&out, raw, "", "  ") != nil {
		return ""
	}
	return out.String()
}

// StatementPlace is where a policy statement is written: the statement
// object's line in the policy's file, or, for a document given as a
// string (an export's encoded document, JSON in a YAML string), the line
// of that string.
func (s *Sources) StatementPlace(name string, idx int) (Place, bool) {
	p, st := s.statement(name, idx)
	switch {
	case p == nil:
		return Place{}, false
	case p.HeldIn != nil && p.HeldIn.Line > 0:
		return Place{p.HeldIn.File, p.HeldIn.Line, max(p.HeldIn.Col, 1)}, true
	case st != nil && st.At.Line > 0 && p.File != "":
		return Place{p.File, st.At.Line, max(st.At.Col, 1)}, true
	}
	return Place{}, false
}

// EntityPlace is where a user, group, role or managed policy is named.
func (s *Sources) EntityPlace(arn string) (Place, bool) {
	if s == nil {
		return Place{}, false
	}
	e, ok := s.entities[arn]
	if !ok || e.at.Line < 1 || e.at.File == "" {
		return Place{}, false
	}
	return Place{e.at.File, e.at.Line, max(e.at.Col, 1)}, true
}

// refPlace is where an entity names a managed policy it holds.
func (s *Sources) refPlace(arn, managed string) (Place, bool) {
	if s == nil {
		return Place{}, false
	}
	l := s.entities[arn].refs.At(world.RefManaged, managed)
	if l.Line < 1 || l.File == "" {
		return Place{}, false
	}
	return Place{l.File, l.Line, max(l.Col, 1)}, true
}

// FindingPlace is where a finding is best shown in the world's files:
// the statement it names, then the statement of each grant, then, for a
// policy the world's files do not hold (an AWS managed policy filled in
// from a snapshot), where the principal (or the group it comes through)
// names it, then the principal itself.
func (s *Sources) FindingPlace(f audit.Finding) (Place, bool) {
	if f.Policy != "" {
		if pl, ok := s.held(f.Policy, f.Statement); ok {
			return pl, true
		}
	}
	for _, g := range f.Grants {
		if pl, ok := s.held(g.Policy, g.Statement); ok {
			return pl, true
		}
	}
	for _, g := range f.Grants {
		owner := f.Principal
		if g.Group != "" {
			owner = g.Group
		}
		if pl, ok := s.refPlace(owner, g.Policy); ok {
			return pl, true
		}
	}
	if pl, ok := s.EntityPlace(f.Principal); ok {
		return pl, true
	}
	if f.Policy != "" {
		return s.EntityPlace(f.Policy)
	}
	return Place{}, false
}

// held is StatementPlace for a policy the world's own files hold (not a
// managed policy filled in from elsewhere).
func (s *Sources) held(name string, idx int) (Place, bool) {
	if s == nil || s.foreign[name] {
		return Place{}, false
	}
	return s.StatementPlace(name, idx)
}
