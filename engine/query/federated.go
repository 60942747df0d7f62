package query

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/parallel"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/store"
)

// Federated users for who-can. A federated user is made by an IAM user
// (or the root user) calling GetFederationToken with its long-term
// credentials, and the call needs sts:GetFederationToken on
// arn:aws:sts::ACCOUNT:federated-user/NAME
// (id_credentials_temp_control-access_getfederationtoken.html; STS API
// reference, GetFederationToken). Its permissions are its maker's limited
// by the session policy, none without one, except what a resource policy
// grants it by name. The world says of no federated user which session
// policy it carries, so each is decided without one: a resource policy
// naming it, or granting "*", is what can allow it.
//
// Per maker, who-can decides the named federated users of its account and
// a representative of the names no policy names; when the maker may not
// make that representative, one per federated-user pattern its policies
// allow GetFederationToken on (arn:aws:sts::A:federated-user/app-*), so
// that "any federated user named app-* made by U" is not missed.

// makerBlock is one maker's federated users: the representative, the
// named ones, and the representatives of its own name patterns.
type makerBlock struct {
	maker           string
	generic         Candidate
	named, patterns []Candidate
	genericOK       bool // the maker may make the representative
	allowed         map[string]*Grant
	makeable        map[string]bool
}

// federatedGrants decides every account's federated users as made by each
// user and the root user of the account, keeping those allowed whose maker
// may call GetFederationToken for them.
func (e *Querier) federatedGrants(ctx context.Context, snap *store.Snapshot, n named, q WhoCanRequest) ([]Grant, error) {
	var blocks []*makerBlock
	for _, a := range snap.Accounts() {
		fed := federatedOf(a.ID, n.federated[a.ID])
		for _, m := range makersOf(a.ID, snap) {
			if q.Scope != nil && !q.Scope(fed[0], m) {
				continue
			}
			b := &makerBlock{maker: m, generic: fed[0], named: fed[1:], allowed: map[string]*Grant{}, makeable: map[string]bool{}}
			for _, p := range n.makerPatterns[m] {
				b.patterns = append(b.patterns, patternCandidate(p, fed[1:]))
			}
			blocks = append(blocks, b)
		}
	}
	if err := e.decideBlocks(ctx, blocks, q); err != nil {
		return nil, err
	}
	var grants []Grant
	for _, b := range blocks {
		grants = append(grants, b.grants()...)
	}
	return grants, nil
}

// decideBlocks decides, in parallel, each block's federated users on the
// request and whether the maker may make them.
func (e *Querier) decideBlocks(ctx context.Context, blocks []*makerBlock, q WhoCanRequest) error {
	type job struct {
		b *makerBlock
		c Candidate
	}
	var jobs []job
	for _, b := range blocks {
		for _, c := range append(append([]Candidate{b.generic}, b.named...), b.patterns...) {
			jobs = append(jobs, job{b, c})
		}
	}
	grants := make([]*Grant, len(jobs))
	makes := make([]bool, len(jobs))
	var done atomic.Int64
	err := parallel.ForEach(len(jobs), func(i int) (err error) {
		j := jobs[i]
		if grants[i], err = e.grantFor(ctx, j.c.Arn, j.b.maker, q); err != nil {
			return err
		}
		// Whether the maker may make it matters for an allowed one, for
		// the representative (the patterns stand in for it), and for the
		// exceptions of the patterns.
		if makes[i], err = e.mayMake(ctx, j.b.maker, j.c.Arn, q); err != nil {
			return err
		}
		var found *Grant
		if grants[i] != nil && makes[i] && j.c.Pattern == "" && j.c.Arn != j.b.generic.Arn {
			found = &Grant{Principal: j.c.Arn, Kind: j.c.Kind, FederatedBy: j.b.maker, Conditions: grants[i].Conditions}
		}
		q.tell(StageFederated, &done, len(jobs), found)
		return nil
	})
	for i, j := range jobs {
		j.b.allowed[j.c.Arn], j.b.makeable[j.c.Arn] = grants[i], makes[i]
	}
	for _, b := range blocks {
		b.genericOK = b.makeable[b.generic.Arn]
	}
	return err
}

// grants are the block's allowed federated users: the named ones, the
// representative as its pattern, and the maker's own patterns when it may
// not make the representative; each pattern with the named federated
// users it covers that the maker may make but the request refuses.
func (b *makerBlock) grants() []Grant {
	var out []Grant
	add := func(c Candidate, shown string) {
		g := b.allowed[c.Arn]
		if g == nil || !b.makeable[c.Arn] {
			return
		}
		g.Principal, g.Kind, g.Pattern, g.FederatedBy = shown, c.Kind, c.Pattern, b.maker
		if c.Pattern != "" {
			g.Except = nil
			for _, m := range b.named {
				if b.allowed[m.Arn] == nil && b.makeable[m.Arn] && pattern.Glob(shown, m.Arn) {
					g.Except = append(g.Except, m.Arn)
				}
			}
		}
		out = append(out, *g)
	}
	add(b.generic, b.generic.Shown)
	for _, c := range b.named {
		add(c, c.Shown)
	}
	if !b.genericOK {
		for _, c := range b.patterns {
			add(c, c.Shown)
		}
	}
	return out
}

// patternCandidate is the representative of a federated-user name
// pattern: the pattern with each * as "who-can" and each ? as "x", made
// unique against the named ones.
func patternCandidate(p string, named []Candidate) Candidate {
	prefix, namePattern, _ := strings.Cut(p, "federated-user/")
	prefix += "federated-user/"
	arn := prefix + strings.NewReplacer("*", representative, "?", "x").Replace(namePattern)
	for i, base := 2, arn; slices.ContainsFunc(named, func(c Candidate) bool { return c.Arn == arn }); i++ {
		arn = base + "-" + strconv.Itoa(i)
	}
	return Candidate{Arn: arn, Kind: engine.KindFederated, Pattern: PatternAnyFederated, Shown: p}
}

// makersOf lists who may call GetFederationToken in an account: its root
// user and its IAM users.
func makersOf(account string, snap *store.Snapshot) []string {
	out := []string{"arn:aws:iam::" + account + ":root"}
	if a, ok := snap.Account(account); ok {
		for _, u := range a.Users {
			out = append(out, u.ARN)
		}
	}
	return out
}

// mayMake decides whether maker may call GetFederationToken for the
// federated user: the request's context, with the global STS endpoint's
// Region (us-east-1) when the request gives none.
func (e *Querier) mayMake(ctx context.Context, maker, federated string, q WhoCanRequest) (bool, error) {
	keys := maps.Clone(q.Context)
	if keys == nil {
		keys = map[string]any{}
	}
	if !hasKey(keys, "aws:RequestedRegion") {
		keys["aws:RequestedRegion"] = "us-east-1"
	}
	req := &engine.Request{Principal: maker, Action: "sts:GetFederationToken", Resource: federated,
		ResourceAccount: accountOf(federated), Context: keys, Time: q.Time}
	if may, err := e.MayAllow(req); err != nil || !may {
		return false, err
	}
	v, err := e.VerdictShared(ctx, req)
	return err == nil && v.Decision == engine.Allow, err
}

func hasKey(m map[string]any, key string) bool {
	for k := range m {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// accountOf is the account field of an ARN.
func accountOf(arn string) string {
	if a, ok := pattern.SplitARN(arn); ok {
		return a.Account
	}
	return ""
}
