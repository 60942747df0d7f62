package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/query"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/tree"
	"github.com/clearance-dev/clearance/loader/world"
)

// view is a world and the engine over it: the loaded world, or an
// overlay's. Version counts the edits of the connection's overlay (0: the
// loaded world); an answer records the version it was decided on, and a
// subscription is re-decided only when the version moved.
type view struct {
	world   *world.World
	eng     *engine.Engine
	walker  *sts.Walker
	q       *query.Querier
	version uint64
}

func newView(eng *engine.Engine, w *world.World, version uint64) *view {
	return &view{world: w, eng: eng, walker: sts.New(eng), q: query.New(eng), version: version}
}

// buildView loads w into a new store and engine: an overlay's world after
// an edit. A world the store refuses (a reference that does not resolve)
// is an error and the overlay keeps its previous world.
func buildView(ctx context.Context, w *world.World, version uint64) (*view, error) {
	st, err := store.NewStore()
	if err != nil {
		return nil, err
	}
	if err := st.Load(w); err != nil {
		return nil, err
	}
	eng, err := engine.New(ctx, st)
	if err != nil {
		return nil, err
	}
	return newView(eng, w, version), nil
}

// Summary describes a world in the welcome message.
type Summary struct {
	Accounts     int         `json:"accounts"`
	Users        int         `json:"users"`
	Groups       int         `json:"groups"`
	Roles        int         `json:"roles"`
	Resources    int         `json:"resources"`
	Organization bool        `json:"organization"`
	Principals   []string    `json:"principals"`
	ResourceARNs []string    `json:"resource_arns"`
	Managed      []string    `json:"managed_policies"`
	AccountIDs   []string    `json:"account_ids"`
	Policies     []PolicyRef `json:"policies"`
	// Boundaries maps each user or role with a permissions boundary to
	// it; OrgLevels are where an SCP or RCP can be attached.
	Boundaries map[string]string `json:"boundaries"`
	OrgLevels  []OrgLevel        `json:"org_levels"`
}

// OrgLevel is the organization's root, an OU or a member account.
type OrgLevel struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Kind string `json:"kind"`
}

// maxNames bounds each list of names a welcome carries; complete serves
// the rest.
const maxNames = 2000

func summarize(w *world.World) *Summary {
	s := &Summary{Accounts: len(w.Accounts), Organization: w.Organization != nil}
	for _, a := range w.Accounts {
		s.AccountIDs = append(s.AccountIDs, a.ID)
		s.Users, s.Groups, s.Roles, s.Resources = s.Users+len(a.Users), s.Groups+len(a.Groups), s.Roles+len(a.Roles), s.Resources+len(a.Resources)
		for _, m := range a.ManagedPolicies {
			s.Managed = append(s.Managed, m.ARN)
		}
		for _, r := range a.Resources {
			s.ResourceARNs = append(s.ResourceARNs, r.ARN)
		}
	}
	s.Principals = principalNames(w)
	s.Policies = policyRefs(w)
	s.Boundaries = boundaries(w)
	s.OrgLevels = orgLevels(w)
	for _, l := range []*[]string{&s.Principals, &s.ResourceARNs, &s.Managed} {
		sort.Strings(*l)
		if len(*l) > maxNames {
			*l = (*l)[:maxNames]
		}
	}
	if len(s.Policies) > maxNames {
		s.Policies = s.Policies[:maxNames]
	}
	return s
}

// boundaries maps each user and role with a permissions boundary to it.
func boundaries(w *world.World) map[string]string {
	out := map[string]string{}
	for _, a := range w.Accounts {
		for _, u := range a.Users {
			if u.Boundary != "" && len(out) < maxNames {
				out[u.ARN] = u.Boundary
			}
		}
		for _, r := range a.Roles {
			if r.Boundary != "" && len(out) < maxNames {
				out[r.ARN] = r.Boundary
			}
		}
	}
	return out
}

// orgLevels lists the root, the OUs (depth first) and the member accounts.
func orgLevels(w *world.World) []OrgLevel {
	if w.Organization == nil || w.Organization.Root == nil {
		return nil
	}
	var out []OrgLevel
	var walk func(u *world.OrgUnit, kind string)
	walk = func(u *world.OrgUnit, kind string) {
		out = append(out, OrgLevel{ID: u.ID, Name: u.Name, Kind: kind})
		for _, c := range u.Children {
			walk(c, "ou")
		}
	}
	walk(w.Organization.Root, "root")
	for _, a := range w.Accounts {
		if !a.OutsideOrg && a.ID != w.Organization.ManagementAccount && len(out) < maxNames {
			out = append(out, OrgLevel{ID: a.ID, Name: a.Name, Kind: "account"})
		}
	}
	return out
}

// principalNames are the ARNs a question may start from: users, roots,
// roles (to assume), identity providers and identity pools.
func principalNames(w *world.World) []string {
	var out []string
	for _, a := range w.Accounts {
		out = append(out, "arn:aws:iam::"+a.ID+":root")
		for _, u := range a.Users {
			out = append(out, u.ARN)
		}
		for _, r := range a.Roles {
			out = append(out, r.ARN)
		}
		for _, p := range a.Providers {
			out = append(out, p.ARN)
		}
		for _, p := range a.IdentityPools {
			out = append(out, p.ID)
		}
	}
	return out
}

// policyRefs lists every policy document an overlay can edit.
func policyRefs(w *world.World) []PolicyRef {
	var out []PolicyRef
	eachPolicy(w, func(r PolicyRef, _ *policy.Policy) { out = append(out, r) })
	return out
}

// document finds the policy ref names in w.
func document(w *world.World, ref PolicyRef) (*policy.Policy, error) {
	var found *policy.Policy
	for _, a := range w.Accounts {
		for _, u := range a.Users {
			found = pick(found, ref, refInline, u.ARN, u.Inline)
		}
		for _, g := range a.Groups {
			found = pick(found, ref, refInline, g.ARN, g.Inline)
		}
		for _, r := range a.Roles {
			found = pick(found, ref, refInline, r.ARN, r.Inline)
			if ref.Kind == refTrust && ref.Target == r.ARN {
				found = r.Trust
			}
		}
		for _, m := range a.ManagedPolicies {
			if ref.Kind == refManaged && ref.Target == m.ARN {
				found = m.Policy
			}
		}
		for _, r := range a.Resources {
			if ref.Kind == refResource && ref.Target == r.ARN {
				found = r.Policy
			}
		}
	}
	if w.Organization != nil {
		for _, p := range w.Organization.Policies {
			if ref.Kind == string(p.Kind) && ref.Target == p.Name {
				found = p.Policy
			}
		}
	}
	if found == nil {
		return nil, fmt.Errorf("no %s policy %s %s in the world", ref.Kind, ref.Target, ref.Name)
	}
	return found, nil
}

func pick(found *policy.Policy, ref PolicyRef, kind, owner string, ps []*policy.Policy) *policy.Policy {
	if ref.Kind != kind || ref.Target != owner {
		return found
	}
	for _, p := range ps {
		if inlineName(p) == ref.Name {
			return p
		}
	}
	return found
}

// documentText is a policy's document as indented JSON, to edit.
func documentText(p *policy.Policy) string {
	src := p.Source
	if !json.Valid(src) {
		n, err := tree.Decode("document", src)
		if err != nil {
			return string(src)
		}
		src = n.JSON()
	}
	var b bytes.Buffer
	if err := json.Indent(&b, src, "", "  "); err != nil {
		return string(src)
	}
	return strings.TrimSpace(b.String()) + "\n"
}
