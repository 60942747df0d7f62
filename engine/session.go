package engine

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// Session is the principal an STS step produced: who it is, which policies
// limit it, and what its later requests carry. A Request made with a
// Session is evaluated like any other request; the chain only decided what
// the principal is.
type Session struct {
	ID string `json:"-"` // identifies the session in the engine's caches (per engine: never output)

	// Kind is user or root (GetSessionToken), role_session or
	// federated_user.
	Kind string `json:"kind"`
	ARN  string `json:"arn"`
	// EntityARN is the role of a role session, or the IAM user behind a
	// federated user or a GetSessionToken session.
	EntityARN  string `json:"entity_arn,omitempty"`
	Account    string `json:"account"`
	UserID     string `json:"userid"`
	Type       string `json:"principal_type"` // aws:PrincipalType
	Credential string `json:"credential"`     // role, federation_token or session_token
	MFA        bool   `json:"mfa"`
	// Policies are the session policies (inline first, then managed); none
	// passed leaves it empty.
	Policies []*policy.Policy `json:"-"`
	// PolicyNames names them for explanations.
	PolicyNames []string `json:"session_policies,omitempty"`
	// Tags are the session tags, inherited transitive tags included; they
	// override the role's or user's tags of the same key.
	Tags map[string]string `json:"session_tags,omitempty"`
	// Transitive are the tags a chained AssumeRole passes on.
	Transitive     map[string]string `json:"transitive_tags,omitempty"`
	SourceIdentity string            `json:"source_identity,omitempty"`
	// Keys are the context keys the session's requests carry.
	Keys     map[string]any `json:"context_keys,omitempty"`
	Issued   time.Time      `json:"issued"`
	Expires  time.Time      `json:"expires"`
	Duration int            `json:"duration_seconds"`
	// Chained marks a role session made by a role session (role chaining).
	Chained bool `json:"-"`
}

var sessionIDs atomic.Uint64

func NewSession() *Session {
	return &Session{ID: "session\x00" + strconv.FormatUint(sessionIDs.Add(1), 10)}
}

// long-term starting identities: an IAM user or the root user.
func StartSession(snap *store.Snapshot, arnStr string) (*Session, error) {
	a, ok := pattern.SplitARN(arnStr)
	sessionARN := ok && a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/")
	if !ok || a.Service != "iam" && !sessionARN {
		return nil, fault.Errorf(fault.CodeChainInput, "chain: as %q: expected an IAM user or account root ARN (arn:aws:iam::ACCOUNT:user/NAME, arn:aws:iam::ACCOUNT:root) or a role session", arnStr)
	}
	s := NewSession()
	s.ARN, s.Account = arnStr, a.Account
	switch {
	case a.Resource == "root":
		s.Kind, s.UserID, s.Type = KindRoot, a.Account, "Account"
	case strings.HasPrefix(a.Resource, "user/"):
		u, ok := snap.User(arnStr)
		if !ok {
			return nil, fault.Errorf(fault.CodeUnknownPrincipal, "chain: as %q: no such IAM user in the world", arnStr)
		}
		s.Kind, s.UserID, s.Type, s.EntityARN = KindUser, u.ID, "User", u.ARN
	case strings.HasPrefix(a.Resource, "assumed-role/"):
		// Credentials of an existing role session (an instance profile,
		// say): AWS does not count them as chaining (ROLE-TERMS), but a
		// further AssumeRole from them is.
		p, err := resolveKind(snap, &Request{Principal: arnStr})
		if err != nil {
			return nil, fmt.Errorf("chain: as: %w", err) // coded by resolveKind
		}
		s.Kind, s.UserID, s.Type, s.EntityARN, s.Credential = KindSession, p.userID, "AssumedRole", p.entityARN, CredRole
		s.Keys = map[string]any{"aws:MultiFactorAuthPresent": false}
	default:
		return nil, fault.Errorf(fault.CodeChainInput, "chain: as %q: a chain starts from an IAM user, the root user or a role session", arnStr)
	}
	return s, nil
}

// principalOf resolves a session against the world.
func PrincipalOf(snap *store.Snapshot, s *Session) (*principal, error) {
	if s.Kind == KindOutside {
		return &principal{key: s.ID, kind: KindOutside, arn: s.ARN, keys: s.Keys}, nil
	}
	req := &Request{Principal: s.ARN}
	if s.Kind == KindFederated {
		req.FederatedBy = s.EntityARN
	}
	p, err := resolveKind(snap, req)
	if err != nil {
		return nil, err
	}
	p.key = s.ID
	p.credential, p.mfa = s.Credential, s.MFA
	p.sessionPolicies = s.Policies
	p.keys = s.Keys
	if len(s.Tags) > 0 {
		p.Tags = world.MergeTags(p.Tags, s.Tags)
	}
	return p, nil
}

// clone copies the mutable parts a hop may change.
func (s *Session) Clone() *Session {
	c := *s
	c.ID = NewSession().ID
	c.Tags, c.Transitive, c.Keys = maps.Clone(s.Tags), maps.Clone(s.Transitive), maps.Clone(s.Keys)
	return &c
}
