package change

import (
	"slices"

	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// Resource-based policies, matched by the resource's ARN. A resource the
// world lacks is created, typed by its ARN (world.TypeOf), in the account
// that owns it: the ARN's, or the target account for S3 buckets and
// objects, whose ARNs name none.

// resourcePolicyName is the name the world gives a resource's policy.
func resourcePolicyName(arn string) string { return arn + "#policy" }

// resource finds the resource arn in the world; create adds it when
// missing. It returns nil (and no error) when the resource is missing and
// create is false.
func (ap *applier) resource(e *Edit, create bool) (*world.Resource, error) {
	arn := e.Resource
	if err := world.CheckConcreteARN(arn); err != nil {
		return nil, errAt(e.At, tree.CodeInvalidARN, "%s: %v", e.Kind, err)
	}
	if world.TypeOf(arn) == world.TypeIAMRole {
		return nil, errAt(e.At, tree.CodeInvalidValue, "%s: %s is a role, whose resource-based policy is its trust policy (a trust-policy edit)", e.Kind, arn)
	}
	for _, a := range ap.w.Accounts {
		for _, r := range a.Resources {
			if r.ARN == arn {
				return r, nil
			}
		}
	}
	if !create {
		return nil, nil
	}
	parts, _ := pattern.SplitARN(arn)
	owner := parts.Account
	if owner == "" {
		owner = ap.acct.ID
	}
	if !world.AccountIDPattern.MatchString(owner) {
		return nil, errAt(e.At, tree.CodeInvalidARN, "%s: %s names no account that could own it", e.Kind, arn)
	}
	a := ap.account(owner, e.At)
	r := &world.Resource{ARN: arn, Account: a.ID, Type: world.TypeOf(arn)}
	a.Resources = append(a.Resources, r)
	return r, nil
}

func (ap *applier) resourcePolicy(e *Edit) error {
	r, err := ap.resource(e, e.Op == Put)
	if err != nil {
		return err
	}
	if e.Op == Delete {
		if r == nil || r.Policy == nil {
			ap.warn(e.At, "%s has no resource-based policy: nothing to delete", e.Resource)
			return nil
		}
		ap.forget(r.Policy)
		r.Policy = nil
		return nil
	}
	if e.Policy == nil {
		return errAt(e.At, tree.CodeMissingElement, "resource policy of %s: no policy document", e.Resource)
	}
	if err := checkKind(e, e.Policy, policy.KindResource); err != nil {
		return err
	}
	ap.forget(r.Policy)
	r.Policy = ap.write(e.Policy, resourcePolicyName(r.ARN), e.At)
	return nil
}

// resourceStatement adds statements to a resource's policy (replacing
// those of the same Sid, as a permission updated in place is), or removes
// the statements of the Sids the Edit's document names.
func (ap *applier) resourceStatement(e *Edit) error {
	if e.Policy == nil {
		return errAt(e.At, tree.CodeMissingElement, "statement of %s: no policy document", e.Resource)
	}
	if err := checkKind(e, e.Policy, policy.KindResource); err != nil {
		return err
	}
	r, err := ap.resource(e, e.Op == Put)
	if err != nil {
		return err
	}
	sids := map[string]bool{}
	for _, st := range e.Policy.Statements {
		if st.Sid == "" && e.Op == Delete {
			return errAt(e.At, tree.CodeMissingElement, "statement of %s: removing a statement needs its Sid", e.Resource)
		}
		sids[st.Sid] = sids[st.Sid] || st.Sid != ""
	}
	if e.Op == Delete && (r == nil || r.Policy == nil) {
		ap.warn(e.At, "%s has no resource-based policy: no statement to remove", e.Resource)
		return nil
	}
	name := resourcePolicyName(r.ARN)
	var keep []policy.Statement
	var srcs []Source
	if r.Policy != nil {
		old := ap.sources(r.Policy, Source{File: r.Policy.File})
		for i, st := range r.Policy.Statements {
			if !sids[st.Sid] {
				keep, srcs = append(keep, st), append(srcs, old[i])
			}
		}
	}
	if e.Op == Put {
		keep, srcs = append(keep, e.Policy.Statements...), append(srcs, statementSources(e.Policy, e.At)...)
	}
	ap.forget(r.Policy)
	r.Policy = nil
	if len(keep) > 0 {
		r.Policy = merged(e.Policy, keep, name)
		ap.out.Statements[name] = srcs
	}
	return nil
}

// sources says where p's statements are written: what the change
// recorded, else their places in p's own file.
func (ap *applier) sources(p *policy.Policy, at Source) []Source {
	if src, ok := ap.out.Statements[p.Name]; ok && len(src) == len(p.Statements) {
		return src
	}
	return statementSources(p, at)
}

// merged is a resource policy made of statements from several documents,
// numbered anew (the store keys statements by policy name and index). Its
// Source is empty: no one document holds it; Applied.Statements says
// where each statement is.
func merged(like *policy.Policy, statements []policy.Statement, name string) *policy.Policy {
	p := &policy.Policy{Name: name, Kind: policy.KindResource, Version: like.Version, Statements: slices.Clone(statements)}
	for i := range p.Statements {
		p.Statements[i].Index = i
		p.Statements[i].Policy = name
	}
	return p
}
