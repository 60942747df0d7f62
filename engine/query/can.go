package query

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/parallel"
	"github.com/clearance-dev/clearance/loader/catalog"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
)

// Permission is one action a principal may perform on a resource pattern.
type Permission struct {
	Action   string `json:"action"`
	Service  string `json:"service"`
	Access   string `json:"access"`
	Resource string `json:"resource"`
	// Conditions are the request keys the deciding statements conditioned
	// on (the grant holds only when they hold).
	Conditions []string `json:"conditions,omitempty"`
}

// Effective is what a principal or session can do.
type Effective struct {
	Principal   string       `json:"principal"`
	Permissions []Permission `json:"permissions"`
	// Unknown lists identity-policy action patterns that match no action
	// of the catalog (a typo, or an action newer than the catalog).
	Unknown []string `json:"unknown_actions,omitempty"`
	Checked int      `json:"checked"` // (action, resource) pairs decided
}

type probe struct {
	action   catalog.Action
	resource string
}

// Can works out a principal's effective permissions: every action its
// identity policies' Allow statements name (wildcards and NotAction
// expanded through the catalog), on each resource pattern they name, is
// decided by the full logic (SCPs, boundary, session policies, denies).
// Grants that only resource policies make are not enumerated here (see
// WhoCan for a given resource).
func (e *Querier) Can(ctx context.Context, req *engine.Request) (*Effective, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, fault.Internal(err) // embedded data
	}
	snap := e.Store().Snapshot()
	p, err := e.Identify(snap, req)
	if err != nil {
		return nil, err
	}
	probes, unknown := probesOf(cat, snap, p)
	perms, err := e.runProbes(ctx, req, p, probes)
	if err != nil {
		return nil, err
	}
	return &Effective{Principal: p.ARN, Permissions: perms, Unknown: unknown, Checked: len(probes)}, nil
}

// probesOf lists the (action, resource) pairs the identity policies' Allow
// statements name, deduplicated.
func probesOf(cat *catalog.Catalog, snap *store.Snapshot, p *engine.Identity) ([]probe, []string) {
	seen := map[string]bool{}
	var out []probe
	var unknown []string
	for _, name := range p.Policies {
		for _, st := range snap.AllStatements(name) {
			if st.Effect != "Allow" {
				continue
			}
			for _, a := range expandActions(cat, st, &unknown) {
				for _, r := range probeResources(st) {
					k := a.String() + "\x00" + r
					if !seen[k] {
						seen[k] = true
						out = append(out, probe{a, r})
					}
				}
			}
		}
	}
	return out, unknown
}

func expandActions(cat *catalog.Catalog, st *policy.Statement, unknown *[]string) []catalog.Action {
	if st.NotAction {
		var out []catalog.Action
		for _, a := range cat.Expand("*", false) {
			if !anyGlob(st.Actions, strings.ToLower(a.String())) {
				out = append(out, a)
			}
		}
		return out
	}
	var out []catalog.Action
	for _, pat := range st.Actions {
		got := cat.Expand(pat, false)
		if len(got) == 0 {
			*unknown = append(*unknown, pat)
		}
		out = append(out, got...)
	}
	return out
}

// probeResources are the resource patterns a statement names, or "*".
func probeResources(st *policy.Statement) []string {
	if st.NotResource || st.NoResource || st.ResVars {
		return []string{"*"}
	}
	var out []string
	for _, r := range st.Resources {
		if s, ok := r.(string); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return []string{"*"}
	}
	return out
}

func (e *Querier) runProbes(ctx context.Context, base *engine.Request, p *engine.Identity, probes []probe) ([]Permission, error) {
	results := make([]*Permission, len(probes))
	err := parallel.ForEach(len(probes), func(i int) (err error) {
		results[i], err = e.tryProbe(ctx, base, p, probes[i])
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []Permission
	for _, r := range results {
		if r != nil {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Action != out[j].Action {
			return out[i].Action < out[j].Action
		}
		return out[i].Resource < out[j].Resource
	})
	return out, nil
}

func (e *Querier) tryProbe(ctx context.Context, base *engine.Request, p *engine.Identity, pr probe) (*Permission, error) {
	req := *base
	req.Action, req.Resource = pr.action.String(), pr.resource
	if a, ok := pattern.SplitARN(pr.resource); !ok || a.Account == "" || strings.ContainsAny(a.Account, "*?") {
		req.ResourceAccount = p.Account
	}
	d, err := e.DecideShared(ctx, &req)
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", req.Action, req.Resource, err) // coded by DecideShared
	}
	if d.Decision != engine.Allow {
		return nil, nil
	}
	perm := &Permission{Action: req.Action, Service: pr.action.Service, Access: pr.action.Access, Resource: pr.resource}
	perm.Conditions = d.RequestConditions()
	return perm, nil
}

func anyGlob(patterns []string, v string) bool {
	for _, p := range patterns {
		if pattern.Glob(p, v) {
			return true
		}
	}
	return false
}
