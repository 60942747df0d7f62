package engine

import (
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/plan"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// Principal kinds, as the Rego input names them.
const (
	KindUser      = "user"
	KindRoot      = "root"
	KindSession   = "role_session"
	KindFederated = "federated_user"
	kindAnonymous = "anonymous"
	kindService   = "service"
	// kindOutside is an outside SAML or OIDC identity calling
	// AssumeRoleWithSAML or AssumeRoleWithWebIdentity.
	KindOutside = "federated_identity"
)

// Kinds of temporary credentials.
const (
	CredRole       = "role"
	CredFederation = "federation_token"
	CredSession    = "session_token"
)

// principal is the requester resolved against the world.
type principal struct {
	key           string // identifies the principal within a store generation
	kind          string
	arn           string // the ARN policies' Principal elements are matched against
	account       string
	entityARN     string // the role of a role session, the user behind a federated session
	principalARN  string // aws:PrincipalArn
	userID        string // aws:userid
	username      string // aws:username (IAM users only)
	principalType string // aws:PrincipalType
	Tags          map[string]string
	identity      []string // names of identity policies
	boundary      string   // name of the permissions boundary policy, or ""
	serviceLinked bool
	uniqueID      string // the IAM user's unique id (AIDA...)
	entityID      string // the unique id of the role or user behind a session
	// credential is the kind of temporary credentials: "" (long-term),
	// "role", "federation_token" or "session_token"; mfa says whether they
	// were obtained with MFA.
	credential string
	mfa        bool
	// byRoot marks a federated user the root user made: its identity side
	// is the root user's (everything), limited by the session policy.
	byRoot bool
	// sessionPolicies are the session policies the credentials carry.
	sessionPolicies []*policy.Policy
	// keys are context keys the credentials carry (MFA, token issue time,
	// source identity, federation keys).
	keys map[string]any
	// inputs holds the principal's Rego input object without and with a
	// session policy, built once per store generation.
	inputs [2]ast.Value
	vals   [2]plan.Value // inputs in the plan evaluator's form
	// facts renders inputs[0] for the decision memo's key, without and
	// with the principal's names (memoFacts), on first use.
	facts     [2]string
	factsOnce sync.Once
}

// identityKey identifies the principal's identity policy set for the
// candidate cache: sessions of one role share their role's set.
func (p *principal) identityKey() string {
	if p.entityARN != "" {
		return p.entityARN
	}
	return p.arn
}

// PrincipalInfo describes the requester in a decision.
type PrincipalInfo struct {
	Kind      string   `json:"kind"`
	ARN       string   `json:"arn"`
	Account   string   `json:"account,omitempty"`
	EntityARN string   `json:"entity_arn,omitempty"`
	Identity  []string `json:"identity_policies,omitempty"`
	Boundary  string   `json:"boundary,omitempty"`
	// Credential is the kind of temporary credentials ("" = long-term).
	Credential string `json:"credential,omitempty"`
}

func (p *principal) info() PrincipalInfo {
	return PrincipalInfo{Kind: p.kind, ARN: p.arn, Account: p.account, EntityARN: p.entityARN,
		Identity: p.identity, Boundary: p.boundary, Credential: p.credential}
}

func (p *principal) accountARN() string {
	if p.account == "" {
		return ""
	}
	return "arn:aws:iam::" + p.account + ":root"
}

// enclosing lists the identities AWS may check for a NotPrincipal
// exclusion: the principal, its role (sessions), and its account.
func (p *principal) enclosing() []string {
	out := []string{p.arn}
	if p.kind == KindSession {
		out = append(out, p.entityARN)
	}
	if p.kind != KindRoot {
		out = append(out, p.accountARN())
	}
	return out
}

// resolvePrincipal finds the requester in the world.
func resolvePrincipal(snap *store.Snapshot, req *Request) (*principal, error) {
	p, err := resolveKind(snap, req)
	if err != nil {
		return nil, err
	}
	p.key = req.Principal + "\x00" + req.FederatedBy
	return p, nil
}

func resolveKind(snap *store.Snapshot, req *Request) (*principal, error) {
	s := strings.TrimSpace(req.Principal)
	switch {
	case s == "":
		return nil, fault.Errorf(fault.CodeBadRequest, "no principal given")
	case s == "anonymous" || s == "*":
		return &principal{kind: kindAnonymous, userID: "anonymous", principalType: "Anonymous"}, nil
	case strings.HasPrefix(s, "service:") || (!strings.HasPrefix(s, "arn:") && strings.HasSuffix(s, ".amazonaws.com")):
		name := strings.TrimPrefix(s, "service:")
		return &principal{kind: kindService, arn: name, principalType: "AWSService"}, nil
	}
	a, ok := pattern.SplitARN(s)
	if !ok {
		return nil, fault.Errorf(fault.CodeBadRequest, "principal %q: expected an ARN (arn:aws:iam::ACCOUNT:user/NAME, ...), a service principal or \"anonymous\"", s)
	}
	switch {
	case a.Service == "iam" && a.Resource == "root":
		return &principal{kind: KindRoot, arn: s, account: a.Account, principalARN: s,
			userID: a.Account, principalType: "Account"}, nil
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "user/"):
		return resolveUser(snap, s)
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/"):
		return resolveSession(snap, s, a)
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "federated-user/"):
		return resolveFederated(snap, s, a, req.FederatedBy)
	case a.Service == "iam" && strings.HasPrefix(a.Resource, "role/"):
		name := a.Resource[strings.LastIndex(a.Resource, "/")+1:]
		return nil, fault.Errorf(fault.CodeBadRequest, "principal %q: a role does not make requests, its sessions do: use arn:aws:sts::%s:assumed-role/%s/SESSION", s, a.Account, name)
	}
	return nil, fault.Errorf(fault.CodeBadRequest, "principal %q: not a user, root, role session or federated user ARN", s)
}

func resolveUser(snap *store.Snapshot, s string) (*principal, error) {
	u, ok := snap.User(s)
	if !ok {
		return nil, fault.Errorf(fault.CodeUnknownPrincipal, "principal %q: no such IAM user in the world", s)
	}
	p := &principal{kind: KindUser, arn: u.ARN, account: u.Account, principalARN: u.ARN,
		userID: u.ID, username: u.Name, principalType: "User", Tags: u.Tags, boundary: u.Boundary,
		uniqueID: u.ID}
	ids, err := userPolicies(snap, u)
	p.identity = ids
	return p, err
}

// userPolicies lists the user's inline and managed policies and those of
// every group it belongs to.
func userPolicies(snap *store.Snapshot, u *world.User) ([]string, error) {
	var out []string
	for _, pol := range u.Inline {
		out = append(out, pol.Name)
	}
	out = append(out, u.Managed...)
	for _, gname := range u.Groups {
		g, ok := snap.Group(u.Account, gname)
		if !ok {
			// The store checks every group reference on Load.
			return nil, fault.Errorf(fault.CodeInternal, "user %s: group %q not found", u.ARN, gname)
		}
		for _, pol := range g.Inline {
			out = append(out, pol.Name)
		}
		out = append(out, g.Managed...)
	}
	return out, nil
}

func resolveSession(snap *store.Snapshot, s string, a pattern.ARN) (*principal, error) {
	rest := strings.TrimPrefix(a.Resource, "assumed-role/")
	roleName, session, ok := strings.Cut(rest, "/")
	if !ok || roleName == "" || session == "" {
		return nil, fault.Errorf(fault.CodeBadRequest, "principal %q: expected arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION", s)
	}
	r, found := snap.RoleByName(a.Account, roleName)
	if !found {
		return nil, fault.Errorf(fault.CodeUnknownPrincipal, "principal %q: no role %q in account %s", s, roleName, a.Account)
	}
	p := &principal{kind: KindSession, arn: s, account: a.Account, entityARN: r.ARN,
		principalARN: r.ARN, userID: r.ID + ":" + session, principalType: "AssumedRole",
		Tags: r.Tags, boundary: r.Boundary, serviceLinked: r.ServiceLinked(), entityID: r.ID,
		credential: CredRole}
	for _, pol := range r.Inline {
		p.identity = append(p.identity, pol.Name)
	}
	p.identity = append(p.identity, r.Managed...)
	return p, nil
}

// resolveFederated builds a GetFederationToken session: the calling user's
// policies, limited by the session policy.
func resolveFederated(snap *store.Snapshot, s string, a pattern.ARN, by string) (*principal, error) {
	name := strings.TrimPrefix(a.Resource, "federated-user/")
	if by == "" {
		return nil, fault.Errorf(fault.CodeBadRequest, "principal %q: a federated user session needs federated_by, the IAM user that called GetFederationToken", s)
	}
	if by == "arn:aws:iam::"+a.Account+":root" {
		return &principal{kind: KindFederated, arn: s, account: a.Account, entityARN: by,
			principalARN: s, userID: a.Account + ":" + name, principalType: "FederatedUser",
			credential: CredFederation, byRoot: true}, nil
	}
	u, ok := snap.User(by)
	if !ok {
		return nil, fault.Errorf(fault.CodeUnknownPrincipal, "principal %q: federated_by %q is not an IAM user of the world", s, by)
	}
	if u.Account != a.Account {
		return nil, fault.Errorf(fault.CodeBadRequest, "principal %q: federated_by %q is in account %s, not %s", s, by, u.Account, a.Account)
	}
	ids, err := userPolicies(snap, u)
	if err != nil {
		return nil, err
	}
	return &principal{kind: KindFederated, arn: s, account: a.Account, entityARN: u.ARN,
		principalARN: s, userID: a.Account + ":" + name, principalType: "FederatedUser",
		Tags: u.Tags, identity: ids, boundary: u.Boundary, entityID: u.ID, credential: CredFederation}, nil
}
