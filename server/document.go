package server

import (
	"fmt"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// refEndpoint is the kind of a VPC endpoint's policy in a document
// answer's ref: shown, never edited.
const refEndpoint = "endpoint"

// Statement is where one statement of a document answer is in its text:
// Index is its position in the Statement list (a matched statement's
// index), Line to EndLine (1-based, inclusive) the lines it spans.
type Statement struct {
	Index   int    `json:"index"`
	Sid     string `json:"sid,omitempty"`
	Effect  string `json:"effect"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	EndLine int    `json:"end_line"`
}

// policyDocument answers a policy message with the document's text, its
// ref and where its statements are in that text.
func policyDocument(v *view, m *PolicyGet) Out {
	var p *policy.Policy
	ref := m.PolicyRef
	var err error
	switch {
	case m.Named != "" && (m.Kind != "" || m.Target != "" || m.Name != ""):
		err = fmt.Errorf("policy: give either named or kind and target, not both")
	case m.Named != "":
		p, ref, err = named(v, m.Named)
	case m.Kind == "" || m.Target == "":
		err = fmt.Errorf("policy: kind and target (or named) are required")
	default:
		p, err = document(v.world, m.PolicyRef)
	}
	if err != nil {
		return errorOut(m.ID, err)
	}
	text := documentText(p)
	return Out{Type: outDocument, ID: m.ID, Document: text, Ref: &ref, Statements: statementSpans(p, text), Overlay: v.version}
}

// named finds the document explanations call name: one of the world's
// (eachPolicy), a VPC endpoint's, or one of AWS's default SCP and RCP
// (FullAWSAccess, RCPFullAWSAccess) that the store adds.
func named(v *view, name string) (*policy.Policy, PolicyRef, error) {
	var found *policy.Policy
	var ref PolicyRef
	eachPolicy(v.world, func(r PolicyRef, p *policy.Policy) {
		if found == nil && p != nil && p.Name == name {
			found, ref = p, r
		}
	})
	for _, a := range v.world.Accounts {
		for _, e := range a.VPCEndpoints {
			if found == nil && e.Policy != nil && e.Policy.Name == name {
				found, ref = e.Policy, PolicyRef{Kind: refEndpoint, Target: e.ID}
			}
		}
	}
	if found == nil {
		for _, op := range v.eng.Store().Snapshot().OrgPolicies() {
			if op.Policy != nil && op.Policy.Name == name {
				found, ref = op.Policy, PolicyRef{Kind: string(op.Kind), Target: op.Name}
			}
		}
	}
	if found == nil {
		return nil, ref, fmt.Errorf("policy: no document named %q in the world", name)
	}
	return found, ref, nil
}

// eachPolicy calls fn with every editable document of the world and its
// ref, in the order policyRefs lists them.
func eachPolicy(w *world.World, fn func(PolicyRef, *policy.Policy)) {
	inline := func(owner string, ps []*policy.Policy) {
		for _, p := range ps {
			fn(PolicyRef{Kind: refInline, Target: owner, Name: inlineName(p)}, p)
		}
	}
	for _, a := range w.Accounts {
		for _, u := range a.Users {
			inline(u.ARN, u.Inline)
		}
		for _, g := range a.Groups {
			inline(g.ARN, g.Inline)
		}
		for _, r := range a.Roles {
			fn(PolicyRef{Kind: refTrust, Target: r.ARN}, r.Trust)
			inline(r.ARN, r.Inline)
		}
		for _, m := range a.ManagedPolicies {
			fn(PolicyRef{Kind: refManaged, Target: m.ARN}, m.Policy)
		}
		for _, r := range a.Resources {
			if r.Policy != nil {
				fn(PolicyRef{Kind: refResource, Target: r.ARN}, r.Policy)
			}
		}
	}
	if w.Organization != nil {
		for _, p := range w.Organization.Policies {
			fn(PolicyRef{Kind: string(p.Kind), Target: p.Name}, p.Policy)
		}
	}
}

// statementSpans places p's statements in text, the document as served:
// text is parsed again (it is p's document re-indented, so the positions
// the loader recorded, in a scenario file or in a string held in one, are
// not the text's), and each statement runs from where it starts to its
// closing brace.
func statementSpans(p *policy.Policy, text string) []Statement {
	again, err := policy.ParsePolicyBytes("document", []byte(text), p.Kind, p.Name)
	if err != nil {
		return nil
	}
	lines := lineStarts(text)
	var out []Statement
	for _, st := range again.Statements {
		if st.At.Line < 1 || st.At.Line > len(lines) {
			continue
		}
		start := lines[st.At.Line-1] + max(st.At.Col-1, 0)
		end := closing(text, start)
		out = append(out, Statement{Index: st.Index, Sid: st.Sid, Effect: st.Effect,
			Line: st.At.Line, Col: st.At.Col, EndLine: lineOf(lines, end)})
	}
	return out
}

// lineStarts lists the offset where each line of text starts.
func lineStarts(text string) []int {
	out := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			out = append(out, i+1)
		}
	}
	return out
}

// lineOf is the 1-based line of offset off.
func lineOf(starts []int, off int) int {
	n := 0
	for n < len(starts) && starts[n] <= off {
		n++
	}
	return n
}

// closing is the offset of the bracket that closes the one at start (the
// last offset of text when it is not closed), skipping strings.
func closing(text string, start int) int {
	depth, inString := 0, false
	for i := start; i < len(text); i++ {
		c := text[i]
		switch {
		case inString && c == '\\':
			i++
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(text) - 1
}
