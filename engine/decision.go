package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/open-policy-agent/opa/v1/ast"
)

// The three answers AWS gives.
const (
	Allow        = "allow"
	ExplicitDeny = "explicit-deny"
	ImplicitDeny = "implicit-deny"
)

// PolicyTypes lists the policy types in the order explanations show them.
var PolicyTypes = []string{"scp", "rcp", "endpoint", "resource", "identity", "boundary", "session"}

// Decision is the answer to a Request, with its reasons.
type Decision struct {
	Decision string `json:"decision"`
	// BlockedBy names the policy type that denied: the type holding the
	// explicit deny, or the guardrail (scp, rcp, endpoint, boundary,
	// session), grant (identity, resource) or credential rule whose missing
	// allow made the implicit deny.
	BlockedBy string `json:"blocked_by,omitempty"`
	// Stage is the evaluation rule that decided: always-allowed, credential,
	// explicit-deny, rcp, scp, endpoint, unsigned, same-account,
	// cross-account or protected (AWS refuses what the policies allow:
	// Protected names what it protects, ProtectedSource the page that
	// says so).
	Stage           string `json:"stage"`
	Protected       string `json:"protected,omitempty"`
	ProtectedSource string `json:"protected_source,omitempty"`
	// Matched holds, per policy type, the statements that applied.
	Matched map[string][]Match `json:"matched"`
	// Applies says which guardrails were in force for this request and,
	// as <guardrail>_passes, whether each let it through (the Rego's).
	Applies map[string]bool `json:"applies"`
	// MissingKeys are context keys that conditions needed but the request
	// did not carry.
	MissingKeys []string `json:"missing_keys,omitempty"`
	// Context lists the context keys conditions used, with their values
	// and where each came from.
	Context    []ContextKey  `json:"context,omitempty"`
	Principal  PrincipalInfo `json:"principal"`
	Request    *Request      `json:"-"`
	Generation uint64        `json:"generation"`
}

// Match is a statement that applied to the request.
type Match struct {
	Policy string `json:"policy"`
	Sid    string `json:"sid,omitempty"`
	Index  int    `json:"index"`
	Effect string `json:"effect"`
	// Principal says how a resource-based statement named the requester:
	// direct, entity, account or not-principal.
	Principal string `json:"principal_match,omitempty"`
	Level     string `json:"level,omitempty"` // SCP/RCP level
}

// ContextKey is a context key a condition looked at.
type ContextKey struct {
	Key    string `json:"key"`
	Value  any    `json:"value,omitempty"`
	Source string `json:"source,omitempty"` // principal, resource, organization, clock, request; "" = absent
}

// used reports the context keys the candidate statements' conditions name.
func (b *builtInput) used() []ContextKey {
	seen := map[string]bool{}
	var out []ContextKey
	for _, c := range b.stmts {
		for _, cond := range c.st.Conditions {
			if seen[cond.Key] {
				continue
			}
			seen[cond.Key] = true
			if v, ok := b.ctx[cond.Key]; ok {
				out = append(out, ContextKey{Key: v.Key, Value: v.Value, Source: v.Source})
			} else {
				out = append(out, ContextKey{Key: cond.Key})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// missing lists the context keys that conditions of the candidate
// statements test but the request lacks (a Null test of absence needs no
// value, so it is not listed).
func (b *builtInput) missing() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range b.stmts {
		for _, cond := range c.st.Conditions {
			if seen[cond.Key] || cond.Base == "Null" {
				continue
			}
			seen[cond.Key] = true
			if v, ok := b.ctx[cond.Key]; !ok || isEmptyList(v.Value) {
				out = append(out, cond.Key)
			}
		}
	}
	sort.Strings(out)
	return out
}

func isEmptyList(v any) bool {
	l, ok := v.([]any)
	return ok && len(l) == 0
}

// decodeDecision reads the Rego decision object.
func decodeDecision(t *ast.Term) (*Decision, error) {
	obj, ok := t.Value.(ast.Object)
	if !ok {
		return nil, fault.Errorf(fault.CodeInternal, "decision: expected an object, got %v", t)
	}
	d := &Decision{
		Decision:        str(obj, "decision"),
		BlockedBy:       str(obj, "blocked_by"),
		Stage:           str(obj, "stage"),
		Protected:       str(obj, "protected"),
		ProtectedSource: str(obj, "protected_source"),
		Matched:         map[string][]Match{},
		Applies:         map[string]bool{},
	}
	if m, ok := get(obj, "matched").(ast.Object); ok {
		for _, typ := range PolicyTypes {
			d.Matched[typ] = decodeMatches(get(m, typ))
		}
	}
	if a, ok := get(obj, "applies").(ast.Object); ok {
		a.Foreach(func(k, v *ast.Term) {
			if ks, ok := k.Value.(ast.String); ok {
				b, _ := v.Value.(ast.Boolean)
				d.Applies[string(ks)] = bool(b)
			}
		})
	}
	switch d.Decision {
	case Allow, ExplicitDeny, ImplicitDeny:
		return d, nil
	}
	return nil, fault.Errorf(fault.CodeInternal, "decision: unexpected value %q", d.Decision)
}

func get(o ast.Object, key string) ast.Value {
	if t := o.Get(ast.StringTerm(key)); t != nil {
		return t.Value
	}
	return nil
}

func str(o ast.Object, key string) string {
	s, _ := get(o, key).(ast.String)
	return string(s)
}

func decodeMatches(v ast.Value) []Match {
	arr, ok := v.(*ast.Array)
	if !ok {
		return nil
	}
	out := make([]Match, 0, arr.Len())
	arr.Foreach(func(e *ast.Term) {
		o, ok := e.Value.(ast.Object)
		if !ok {
			return
		}
		m := Match{Policy: str(o, "policy"), Sid: str(o, "sid"), Effect: str(o, "effect"),
			Principal: str(o, "principal"), Level: str(o, "level")}
		if n, ok := get(o, "idx").(ast.Number); ok {
			if i, ok := n.Int(); ok {
				m.Index = i
			}
		}
		out = append(out, m)
	})
	return out
}

// requestConditions names the context keys, given with the request, that
// the statements' conditions looked at: an allow holds only while they are
// as the request carried them.
func (d *Decision) RequestConditions() []string {
	var out []string
	for _, c := range d.Context {
		if c.Source == sourceRequest {
			out = append(out, c.Key)
		}
	}
	return out
}

// String renders a matched statement for people.
func (m Match) String() string {
	var sb strings.Builder
	sb.WriteString(m.Policy)
	if m.Sid != "" {
		fmt.Fprintf(&sb, ", Sid %q", m.Sid)
	}
	fmt.Fprintf(&sb, ", statement %d", m.Index)
	if m.Level != "" {
		fmt.Fprintf(&sb, ", at %s", m.Level)
	}
	if m.Principal != "" {
		fmt.Fprintf(&sb, ", names the requester as %s", m.Principal)
	}
	return sb.String()
}
