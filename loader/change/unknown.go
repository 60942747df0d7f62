package change

import (
	"fmt"

	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/tree"
)

// UnknownDocument is a policy document a change writes that is known only
// after deployment (Edit.Unknown): the world keeps what it had in its place,
// and a review reports it, so that it is never taken for an empty policy.
type UnknownDocument struct {
	Kind   Kind   // the Edit's kind
	Name   string // the entity: the role, the policy, the resource ARN
	Symbol Symbol
	At     Source
}

// unknownDocument handles an Edit whose document is unknown. It returns
// true when the Edit is done: a Put of an inline, managed, resource or
// organization policy with an unknown document changes nothing in the world
// (what the entity had stays; a new one is not created) and is recorded.
// A role whose trust policy is unknown is still created (other Edits name
// it): its trust is a stand-in that lets only the symbol assume it, so the
// review shows an unknown principal may, and no one the world holds can.
func (ap *applier) unknownDocument(e *Edit) (bool, error) {
	if e.Unknown == nil || e.Op != Put {
		return false, nil
	}
	name := e.Name
	if e.Kind == ResourcePolicy || e.Kind == ResourceStatement {
		name = e.Resource
	}
	switch {
	case (e.Kind == Role || e.Kind == TrustPolicy) && e.Trust == nil:
		ap.out.UnknownDocuments = append(ap.out.UnknownDocuments, UnknownDocument{Kind: e.Kind, Name: name, Symbol: *e.Unknown, At: e.At})
		if e.Kind == TrustPolicy {
			return true, nil
		}
		trust, err := standInTrust(e)
		if err != nil {
			return true, err
		}
		c := *e
		c.Trust, c.Unknown = trust, nil
		return true, ap.role(&c)
	case e.Policy == nil && e.Kind != Role:
		ap.out.UnknownDocuments = append(ap.out.UnknownDocuments, UnknownDocument{Kind: e.Kind, Name: name, Symbol: *e.Unknown, At: e.At})
		return true, nil
	}
	return false, nil
}

// standInTrust is the trust policy of a role whose own is unknown: only
// the symbol (a principal no world holds) may assume it.
func standInTrust(e *Edit) (*policy.Policy, error) {
	doc := fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": %q}, "Action": "sts:AssumeRole"}]}`, e.Unknown.Text)
	p, err := policy.ParsePolicyBytes(e.At.File, []byte(doc), policy.KindTrust, e.Name+" (trust policy, unknown until deployment)")
	if err != nil {
		return nil, errAt(e.At, tree.CodeInvalidValue, "role %s: the stand-in for its unknown trust policy: %v", e.Name, err)
	}
	return p, nil
}
