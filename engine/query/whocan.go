package query

import (
	"context"
	"sort"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/parallel"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
)

// Grant is a principal or session a request is allowed for.
type Grant struct {
	Principal string `json:"principal"`
	Kind      string `json:"kind"` // user, root, role_session
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
}

// WhoCan evaluates the request for every IAM user, every account's root
// user and a session of every role in the world, in parallel, and returns
// those allowed, sorted by principal.
func (e *Querier) WhoCan(ctx context.Context, q WhoCanRequest) ([]Grant, error) {
	cands := PrincipalsOf(e.Store().Snapshot())
	out := make([]*Grant, len(cands))
	err := parallel.ForEach(len(cands), func(i int) (err error) {
		out[i], err = e.grantFor(ctx, cands[i], q)
		return err
	})
	if err != nil {
		return nil, err
	}
	var grants []Grant
	for _, g := range out {
		if g != nil {
			grants = append(grants, *g)
		}
	}
	if q.Reach {
		if err := e.addReachers(ctx, grants, q.Time); err != nil {
			return nil, err
		}
	}
	return grants, nil
}

type candidatePrincipal struct{ Arn, kind string }

// whoCanSession is the session name who-can gives every role.
const whoCanSession = "who-can"

func PrincipalsOf(snap *store.Snapshot) []candidatePrincipal {
	var out []candidatePrincipal
	for _, a := range snap.Accounts() {
		out = append(out, candidatePrincipal{"arn:aws:iam::" + a.ID + ":root", engine.KindRoot})
		for _, u := range a.Users {
			out = append(out, candidatePrincipal{u.ARN, engine.KindUser})
		}
		for _, r := range a.Roles {
			out = append(out, candidatePrincipal{"arn:aws:sts::" + a.ID + ":assumed-role/" + r.Name + "/" + whoCanSession, engine.KindSession})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Arn < out[j].Arn })
	return out
}

func (e *Querier) grantFor(ctx context.Context, p candidatePrincipal, q WhoCanRequest) (*Grant, error) {
	req := &engine.Request{Principal: p.Arn, Action: q.Action, Resource: q.Resource,
		ResourceAccount: q.ResourceAccount, Context: q.Context, Time: q.Time}
	if may, err := e.MayAllow(req); err != nil || !may {
		return nil, err
	}
	d, err := e.DecideShared(ctx, req)
	if err != nil || d.Decision != engine.Allow {
		return nil, err
	}
	g := &Grant{Principal: p.Arn, Kind: p.kind, Decision: d}
	g.Conditions = d.RequestConditions()
	return g, nil
}

// addReachers fills ReachedBy for role sessions from the reach of every
// user and root of the world (each walked once).
func (e *Querier) addReachers(ctx context.Context, grants []Grant, at time.Time) error {
	byRole := map[string][]sts.Reached{}
	for _, p := range PrincipalsOf(e.Store().Snapshot()) {
		if p.kind == engine.KindSession {
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
