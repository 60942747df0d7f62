package shard

import (
	"context"
	"fmt"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/parallel"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/loader/store"
)

// auditSession is the RoleSessionName engine/audit gives role sessions.
const auditSession = "clearance-audit"

// Run audits the shard's accounts of the engine's world (a world Restrict
// made) and returns its partial. opts.Time must be set: every shard of one
// audit must decide at the same time.
func Run(ctx context.Context, e *engine.Engine, s Spec, opts audit.AuditOptions) (*File, error) {
	if opts.Time.IsZero() {
		return nil, fmt.Errorf("shard %s: the audit time is not set", s) // a caller's mistake, not a user's
	}
	snap := e.Store().Snapshot()
	own := ownedARNs(snap, s)
	opts.Scope = func(arn string) bool { return own[arn] }
	opts.SkipReach = true
	rep, err := audit.New(e).Audit(ctx, opts)
	if err != nil {
		return nil, err
	}
	a := &Audit{Time: opts.Time.UTC(), Context: opts.Context, Organization: rep.Organization, Catalog: rep.Catalog, Findings: rep.Findings}
	admins := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule == "administrator" {
			admins[f.Principal] = true
		}
	}
	a.Callers = callers(snap, s, admins, opts.IncludeAWSManaged)
	for _, c := range a.Callers {
		switch {
		case c.Excluded:
			a.Excluded++
		default:
			a.Principals++
		}
	}
	w := sts.New(e)
	if a.Edges, err = edges(ctx, w, snap, a.Callers, opts); err != nil {
		return nil, err
	}
	a.Decisions = rep.Decisions + len(a.Edges)
	return &File{Version: Version, Kind: KindPartial, Shard: s.Index, Shards: s.Count, Accounts: ownedIDs(snap, s), Audit: a}, nil
}

func ownedIDs(snap *store.Snapshot, s Spec) []string {
	var out []string
	for _, acct := range snap.Accounts() {
		if s.Owns(acct.ID) {
			out = append(out, acct.ID)
		}
	}
	return out
}

// ownedARNs are the users, roles and resources of the shard's accounts.
func ownedARNs(snap *store.Snapshot, s Spec) map[string]bool {
	out := map[string]bool{}
	for _, acct := range snap.Accounts() {
		if !s.Owns(acct.ID) {
			continue
		}
		for _, u := range acct.Users {
			out[u.ARN] = true
		}
		for _, r := range acct.Roles {
			out[r.ARN] = true
		}
		for _, res := range acct.Resources {
			out[res.ARN] = true
		}
	}
	return out
}

// callers lists the shard's users and roles in world order, as
// engine/audit's reach search names them.
func callers(snap *store.Snapshot, s Spec, admins map[string]bool, awsManaged bool) []Caller {
	var out []Caller
	for _, acct := range snap.Accounts() {
		if !s.Owns(acct.ID) {
			continue
		}
		root := "arn:aws:iam::" + acct.ID + ":root"
		for _, u := range acct.Users {
			out = append(out, Caller{ARN: u.ARN, Account: acct.ID, Start: u.ARN, Kind: "user", Names: names(u.ARN, u.ID, root, acct.ID), Admin: admins[u.ARN]})
		}
		for _, r := range acct.Roles {
			c := Caller{ARN: r.ARN, Account: acct.ID, Start: "arn:aws:sts::" + r.Account + ":assumed-role/" + r.Name + "/" + auditSession,
				Kind: "role", Names: names(r.ARN, r.ID, root, acct.ID), Admin: admins[r.ARN], Excluded: !awsManaged && audit.AWSManagedRole(r)}
			c.Trust, c.Open = engine.TrustNames(r.Trust)
			c.NoTrust = r.Trust == nil
			out = append(out, c)
		}
	}
	return out
}

func names(all ...string) []string {
	var out []string
	for _, n := range all {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// edges decides, for every caller that is not an administrator, the
// AssumeRole hop into every role of the world whose trust may name it,
// account by account (what the engine derived for one account's sessions
// is dropped before the next).
func edges(ctx context.Context, w *sts.Walker, snap *store.Snapshot, cs []Caller, opts audit.AuditOptions) ([]Edge, error) {
	targets := targetsOf(snap, cs)
	var out []Edge
	for start := 0; start < len(cs); {
		end := start + 1
		for end < len(cs) && cs[end].Account == cs[start].Account {
			end++
		}
		got := make([][]Edge, end-start)
		err := parallel.ForEach(end-start, func(i int) error {
			c := cs[start+i]
			if c.Admin {
				return nil // an administrator needs no way to one
			}
			var err error
			got[i], err = hopsFrom(ctx, w, snap, c, targets[c.ARN], opts)
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, g := range got {
			out = append(out, g...)
		}
		w.DropDerived(snap)
		start = end
	}
	return out, nil
}

// targetsOf maps each caller to the roles, in world order, whose trust
// may name it (engine.TrustNames).
func targetsOf(snap *store.Snapshot, cs []Caller) map[string][]string {
	byName := map[string][]string{}
	for _, c := range cs {
		for _, n := range c.Names {
			byName[n] = append(byName[n], c.ARN)
		}
	}
	out := map[string][]string{}
	for _, acct := range snap.Accounts() {
		for _, r := range acct.Roles {
			names, open := engine.TrustNames(r.Trust)
			seen := map[string]bool{r.ARN: true}
			add := func(c string) {
				if !seen[c] {
					seen[c] = true
					out[c] = append(out[c], r.ARN)
				}
			}
			if open {
				for _, c := range cs {
					add(c.ARN)
				}
				continue
			}
			for _, n := range names {
				for _, c := range byName[n] {
					add(c)
				}
			}
		}
	}
	return out
}

// hopsFrom decides the caller's hop into each target as engine/audit's
// reach search does: the allow index first, the retry with what the trust
// asks for (MFA, an external id), and a refusal of one hop class
// (engine.HopClass) standing for the whole class.
func hopsFrom(ctx context.Context, w *sts.Walker, snap *store.Snapshot, c Caller, targets []string, opts audit.AuditOptions) ([]Edge, error) {
	if len(targets) == 0 {
		return nil, nil
	}
	s, err := engine.StartSession(snap, c.Start)
	if err != nil {
		return nil, err
	}
	refused := map[string]bool{}
	var out []Edge
	for _, t := range targets {
		may, err := w.MayAllow(&engine.Request{Session: s, Action: "sts:AssumeRole", Resource: t})
		if err != nil {
			return nil, err
		}
		if !may {
			continue
		}
		class, err := w.HopClass(snap, s, t, opts.Time)
		if err != nil {
			return nil, err
		}
		if class != "" && refused[class] {
			continue
		}
		o, err := w.HopOnce(ctx, snap, s, &scenario.Step{Op: scenario.OpAssumeRole, Role: t, Session: sts.ReachSession}, opts.Time)
		if err != nil {
			return nil, err
		}
		if o.S == nil {
			if class != "" {
				refused[class] = true
			}
			continue
		}
		out = append(out, Edge{From: c.ARN, To: t, Session: o.Step.Session, ExternalID: o.Step.ExternalID, MFA: o.Step.MFA, Needs: o.Asked})
	}
	return out, nil
}
