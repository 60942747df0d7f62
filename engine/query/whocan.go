package query

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/parallel"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
)

// Grant is a principal, session or set of sessions a request is allowed
// for.
type Grant struct {
	// Principal is the principal's ARN, or for a pattern the set's ARN
	// with * for the open-ended name (arn:aws:sts::A:assumed-role/R/*).
	Principal string `json:"principal"`
	Kind      string `json:"kind"` // user, root, role_session, federated_user
	// Pattern is PatternAnySession or PatternAnyFederated when the grant
	// is for every name no policy names (decided through a representative
	// name, the Decision's principal); "" for a single principal.
	Pattern string `json:"pattern,omitempty"`
	// FederatedBy is, for a federated user, the IAM user or root user
	// whose GetFederationToken call makes it (one grant per maker).
	FederatedBy string `json:"federated_by,omitempty"`
	// Except lists, for a pattern, the named members of the set (sessions
	// or federated users a policy names) the request is not allowed for.
	Except []string `json:"except,omitempty"`
	// ReachedBy lists, for a role session, the identities that can obtain
	// it and how (empty: none of the world's IAM users or roots).
	ReachedBy []sts.Reached `json:"reached_by,omitempty"`
	// Conditions names the request context keys the statements'
	// conditions looked at: the grant holds only while they are as the
	// request carried them.
	Conditions []string `json:"conditions,omitempty"`
	// EntryPoints lists, for a role session, the outside identity
	// providers its trust policy admits (SAML, OIDC, Cognito), whose
	// identities reach it when the trust conditions hold.
	EntryPoints []string         `json:"entry_points,omitempty"`
	Decision    *engine.Decision `json:"-"`
}

// WhoCanRequest is a who-can question: the request without a principal.
type WhoCanRequest struct {
	Action, Resource, ResourceAccount string
	Context                           map[string]any
	Time                              time.Time
	// Reach, when set, also finds for each allowed role session which of
	// the world's users and roots can reach it.
	Reach bool
	// Progress, if set, is told after each decision how many of the
	// stage's (StagePrincipals, then StageFederated) are done; Found of
	// each single principal allowed, as soon as it is decided. Both are
	// called from several goroutines at once.
	Progress func(stage string, done, total int)
	Found    func(Grant)
	// Scope, when set, limits the question to the candidates it accepts:
	// the others are not decided and get no grant (a pattern's exceptions
	// are then among the accepted named sessions only). Federated users
	// are accepted or not per maker: Scope is asked once for each, with
	// the account's representative federated user and the maker's ARN
	// (maker is "" for every other candidate).
	Scope func(c Candidate, maker string) bool
}

// The who-can stages Progress names.
const (
	StagePrincipals = "principals"
	StageFederated  = "federated"
)

// tell reports one decision of a stage of n; g is the grant when allowed.
func (q *WhoCanRequest) tell(stage string, done *atomic.Int64, n int, g *Grant) {
	if q.Progress != nil {
		q.Progress(stage, int(done.Add(1)), n)
	}
	if q.Found != nil && g != nil {
		q.Found(*g)
	}
}

// WhoCan evaluates the request for every principal of PrincipalsOf and
// every federated user of federatedOf (with each maker that may call
// GetFederationToken for it), in parallel, and returns those allowed:
// single principals, and patterns for the names no policy names with the
// named members they leave out. Sorted by principal, then maker.
func (e *Querier) WhoCan(ctx context.Context, q WhoCanRequest) ([]Grant, error) {
	snap := e.Store().Snapshot()
	wc := e.candidatesOf(snap)
	if ids := resourceUserIDs(wc.named.templates, q.Resource); len(ids) > 0 {
		if n, grew := wc.named.withUserIDs(snap, ids); grew {
			wc = &whoCanCandidates{named: n, cands: principalsOf(snap, n)}
		}
	}
	cands := wc.cands
	if q.Scope != nil {
		cands = scoped(cands, q.Scope)
	}
	out := make([]*Grant, len(cands))
	var done atomic.Int64
	err := parallel.ForEach(len(cands), func(i int) (err error) {
		if out[i], err = e.grantFor(ctx, cands[i].Arn, "", q); err != nil {
			return err
		}
		var found *Grant
		if c := cands[i]; out[i] != nil && c.Pattern == "" {
			found = &Grant{Principal: c.Shown, Kind: c.Kind, Conditions: out[i].Conditions}
		}
		q.tell(StagePrincipals, &done, len(cands), found)
		return nil
	})
	if err != nil {
		return nil, err
	}
	grants := collect(cands, out)
	fed, err := e.federatedGrants(ctx, snap, wc.named, q)
	if err != nil {
		return nil, err
	}
	grants = append(grants, fed...)
	sort.SliceStable(grants, func(i, j int) bool {
		if grants[i].Principal != grants[j].Principal {
			return grants[i].Principal < grants[j].Principal
		}
		return grants[i].FederatedBy < grants[j].FederatedBy
	})
	if q.Reach {
		if err := e.addReachers(ctx, grants, q.Time); err != nil {
			return nil, err
		}
	}
	return grants, nil
}

// scoped keeps the candidates scope accepts.
func scoped(cands []Candidate, scope func(Candidate, string) bool) []Candidate {
	var out []Candidate
	for _, c := range cands {
		if scope(c, "") {
			out = append(out, c)
		}
	}
	return out
}

// namedSlot is the cache slot of the principals the policies name.
type namedSlot struct{}

// whoCanCandidates are what who-can decides in a store generation.
type whoCanCandidates struct {
	named named
	cands []Candidate // principalsOf
}

// candidatesOf returns the principals the policies name and the
// candidates, found once per store generation.
func (e *Querier) candidatesOf(snap *store.Snapshot) *whoCanCandidates {
	c := e.Cache(snap, namedSlot{})
	if n, ok := c.Load(namedSlot{}); ok {
		return n.(*whoCanCandidates)
	}
	n := namedPrincipals(snap)
	got, _ := c.LoadOrStore(namedSlot{}, &whoCanCandidates{named: n, cands: principalsOf(snap, n)})
	return got.(*whoCanCandidates)
}

// collect turns the decided candidates into grants: each allowed named
// principal, and each allowed representative session as its pattern, with
// the named sessions of its role (and for any session, the session-name
// patterns) that were not allowed and that the pattern holds.
func collect(cands []Candidate, out []*Grant) []Grant {
	refused := map[string][]string{} // role -> its named sessions and name patterns not allowed
	for i, c := range cands {
		if c.Role != "" && out[i] == nil && !strings.HasSuffix(c.Shown, "/*") {
			refused[c.Role] = append(refused[c.Role], c.Shown)
		}
	}
	var grants []Grant
	for i, c := range cands {
		if g := out[i]; g != nil {
			g.Principal, g.Kind, g.Pattern = c.Shown, c.Kind, c.Pattern
			if c.Pattern != "" {
				g.Except = nil
				for _, r := range refused[c.Role] {
					if r != c.Shown && pattern.Glob(c.Shown, r) {
						g.Except = append(g.Except, r)
					}
				}
				sort.Strings(g.Except)
			}
			grants = append(grants, *g)
		}
	}
	return grants
}

// grantFor decides the request for one principal (made by federatedBy,
// for a federated user): a grant when allowed, nil otherwise.
func (e *Querier) grantFor(ctx context.Context, principal, federatedBy string, q WhoCanRequest) (*Grant, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("who-can %s on %s: %w", q.Action, q.Resource, context.Cause(ctx))
	}
	req := &engine.Request{Principal: principal, FederatedBy: federatedBy, Action: q.Action, Resource: q.Resource,
		ResourceAccount: q.ResourceAccount, Context: q.Context, Time: q.Time}
	if may, err := e.MayAllow(req); err != nil || !may {
		return nil, err
	}
	// A grant carries its explained decision, and the allow index has
	// left few requests to deny: the lean verdict first would make most
	// of them twice (benchmarks/README.md, the lean verdict).
	d, err := e.DecideShared(ctx, req)
	if err != nil || d.Decision != engine.Allow {
		return nil, err
	}
	return &Grant{Decision: d, Conditions: d.RequestConditions()}, nil
}

// addReachers fills ReachedBy for role sessions from the reach of every
// user and root of the world (each walked once).
func (e *Querier) addReachers(ctx context.Context, grants []Grant, at time.Time) error {
	byRole := map[string][]sts.Reached{}
	for _, p := range PrincipalsOf(e.Store().Snapshot()) {
		if p.Kind == engine.KindSession {
			continue
		}
		reached, err := e.Reach(ctx, &scenario.Chain{As: p.Arn, Time: at}, 0)
		if err != nil {
			return err
		}
		for _, r := range reached {
			r.Path = append([]string{p.Arn}, r.Path...)
			byRole[r.Role] = append(byRole[r.Role], r)
		}
	}
	snap := e.Store().Snapshot()
	for i := range grants {
		if grants[i].Kind == engine.KindSession && grants[i].Decision != nil {
			role := grants[i].Decision.Principal.EntityARN
			grants[i].ReachedBy = byRole[role]
			if r, ok := snap.Role(role); ok {
				grants[i].EntryPoints = federatedPrincipals(r.Trust)
			}
		}
	}
	return nil
}

// federatedPrincipals lists the Federated principals of a trust policy's
// Allow statements.
func federatedPrincipals(p *policy.Policy) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, st := range p.Statements {
		if st.Effect == "Allow" && st.Principal != nil && !st.NotPrincipal {
			out = append(out, st.Principal.Federated...)
		}
	}
	return out
}
