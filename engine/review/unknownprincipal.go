package review

import (
	"fmt"
	"strings"

	"github.com/clearance-dev/clearance/loader/change"
	"github.com/clearance-dev/clearance/loader/policy"
)

// unknownPrincipals reports every Allow of a trust or resource policy the
// change writes to a principal that is unknown before deployment (a role
// another stack exports, an ARN Terraform learns at apply): who-can cannot
// list a principal the world does not hold, and the grant must not be
// dropped silently. The principal may be in another account, so the
// finding is the cross-account rule's, naming the symbol.
func (r *run) unknownPrincipals() {
	for i := range r.set.Edits {
		e := &r.set.Edits[i]
		if e.Op != change.Put {
			continue
		}
		doc, target := e.Policy, e.Resource
		if isTrustEdit(e) {
			doc, target = e.Trust, r.roleARN(e.Name)
		} else if e.Kind != change.ResourcePolicy && e.Kind != change.ResourceStatement {
			continue
		}
		if doc == nil {
			continue
		}
		for j := range doc.Statements {
			r.unknownGrant(e, doc, &doc.Statements[j], target)
		}
	}
}

func (r *run) unknownGrant(e *change.Edit, doc *policy.Policy, st *policy.Statement, target string) {
	if st.Effect != "Allow" || st.Principal == nil || st.NotPrincipal {
		return
	}
	for _, p := range st.Principal.AWS {
		if !policy.IsSymbol(p) {
			continue
		}
		actions := strings.Join(written(st), ", ")
		loc := sourceLocation(e.At)
		if st.At.Line > 0 && doc.HeldIn == nil {
			loc.Line, loc.Column = st.At.Line, st.At.Col
		}
		r.add(Finding{Rule: RuleCrossAccount, Change: Added, Principal: p, Action: actions, Resource: target,
			Location: loc,
			Message:  fmt.Sprintf("a principal unknown until deployment may now %s on %s: the review cannot tell which account it is in, nor list who it is", actions, target)})
	}
}

// written lists a statement's actions as the document wrote them.
func written(st *policy.Statement) []string {
	out := make([]string, 0, len(st.ActionsWritten))
	for _, w := range st.ActionsWritten {
		out = append(out, w.Text)
	}
	if len(out) == 0 {
		return st.Actions
	}
	return out
}

// roleARN is the ARN of the role of the name in the target account after
// the change, or a plain role ARN when the world has none of that name.
func (r *run) roleARN(name string) string {
	if a, ok := r.afterSnap.Account(r.set.Account); ok {
		for _, role := range a.Roles {
			if strings.EqualFold(role.Name, name) {
				return role.ARN
			}
		}
	}
	return "arn:aws:iam::" + r.set.Account + ":role/" + name
}
