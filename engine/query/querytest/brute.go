package querytest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/engine/parallel"
	"github.com/clearance-dev/clearance/loader/catalog"
)

// The brute force: every principal of the world (and every session and
// federated user the policies name, with one unnamed member of each open
// set), every (action, resource) pair, each decided by Decide alone (no
// index, no memo): what `why` answers.

// principal is one principal the brute force decides.
type principal struct {
	arn, federatedBy string
	// pattern is the who-can pattern an unnamed member stands for ("" for
	// a named principal); shown is the principal who-can names.
	pattern, shown, role string
	// onlyFor is, for a session only a ${aws:userid} resource names, that
	// resource: who-can lists it for that resource only (elsewhere the
	// role's any-session pattern holds it).
	onlyFor string
}

// pair is an action on a resource.
type pair struct{ action, resource string }

// Names of the unnamed members: no policy names them (the generator's
// names are r*, s*, fed-* and who-can).
const (
	unnamedSession   = "brute-force"
	unnamedFederated = "brute-fed"
)

// principals lists the brute force's principals.
func (w *World) principals() []principal {
	var out []principal
	for _, a := range w.Accounts {
		root := "arn:aws:iam::" + a + ":root"
		out = append(out, principal{arn: root, shown: root})
		for _, u := range w.Users[a] {
			out = append(out, principal{arn: u, shown: u})
		}
		for _, r := range w.Roles[a] {
			prefix := "arn:aws:sts::" + a + ":assumed-role/" + r[strings.LastIndex(r, "/")+1:] + "/"
			out = append(out, principal{arn: prefix + unnamedSession, pattern: "any-session", shown: prefix + "*", role: r})
			for _, p := range w.SessionPatterns[r] {
				out = append(out, principal{arn: prefix + strings.ReplaceAll(p, "*", unnamedSession), pattern: "any-session",
					shown: prefix + p, role: r})
			}
			for _, s := range w.Sessions[r] {
				out = append(out, principal{arn: s, shown: s, role: r})
			}
			for s, object := range w.HomeSessions {
				if strings.HasPrefix(s, prefix) && !slices.Contains(w.Sessions[r], s) {
					out = append(out, principal{arn: s, shown: s, role: r, onlyFor: object})
				}
			}
		}
		makers := append([]string{root}, w.Users[a]...)
		for _, m := range makers {
			prefix := "arn:aws:sts::" + a + ":federated-user/"
			out = append(out, principal{arn: prefix + unnamedFederated, federatedBy: m, pattern: "any-federated-user", shown: prefix + "*"})
			for _, p := range w.FederatedPatterns[a] {
				out = append(out, principal{arn: strings.ReplaceAll(p, "*", unnamedFederated), federatedBy: m,
					pattern: "any-federated-user", shown: p})
			}
			for _, f := range w.Federated[a] {
				out = append(out, principal{arn: f, federatedBy: m, shown: f})
			}
		}
	}
	return out
}

// actions are the catalog actions the world's patterns name, and a few
// no policy names (which only "*" and NotAction reach).
func (w *World) actions(t testing.TB) []string {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range append(w.Patterns, "dynamodb:GetItem", "ec2:DescribeInstances", "sts:GetCallerIdentity", "iam:CreateUser") {
		for _, a := range cat.Expand(p, false) {
			if !seen[a.String()] {
				seen[a.String()] = true
				out = append(out, a.String())
			}
		}
	}
	return out
}

// pairs joins each action with the resources of the types it acts on
// (its resource types in the Service Authorization Reference, as the
// catalog lists them), and with "*", which every request may name.
func (w *World) pairs(t testing.TB, actions []string) []pair {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out []pair
	for _, name := range actions {
		a, _ := cat.Lookup(name)
		types := map[string]bool{"": true}
		for _, rt := range a.ResourceTypes {
			types[strings.TrimPrefix(rt, "*")] = true
		}
		for _, r := range w.Resources {
			if types[w.Types[r]] {
				out = append(out, pair{name, r})
			}
		}
	}
	return out
}

// request is the brute force's request of a principal for a pair.
func (w *World) request(p principal, pr pair) *engine.Request {
	return &engine.Request{Principal: p.arn, FederatedBy: p.federatedBy, Action: pr.action, Resource: pr.resource,
		ResourceAccount: w.accountOf(pr.resource, accountOf(p.arn)), Context: w.Context, Time: enginetest.T0}
}

// makeRequest is the GetFederationToken call a maker makes for a
// federated user: the world's context, in us-east-1 (the global
// endpoint's Region) unless the context names one.
func (w *World) makeRequest(maker, federated string) *engine.Request {
	keys := maps.Clone(w.Context)
	if _, ok := keys["aws:RequestedRegion"]; !ok {
		keys["aws:RequestedRegion"] = "us-east-1"
	}
	return &engine.Request{Principal: maker, Action: "sts:GetFederationToken", Resource: federated,
		ResourceAccount: accountOf(federated), Context: keys, Time: enginetest.T0}
}

// accountOf is the account a resource is in: a bucket's (by the
// generator's names, gen-I-J in the I-th account) for S3, the ARN's, or
// else the principal's.
func (w *World) accountOf(resource, principal string) string {
	if rest, ok := strings.CutPrefix(resource, "arn:aws:s3:::gen-"); ok {
		var i int
		if _, err := fmt.Sscanf(rest, "%d", &i); err == nil && i < len(w.Accounts) {
			return w.Accounts[i]
		}
	}
	if a := accountOf(resource); a != "" {
		return a
	}
	return principal
}

func accountOf(arn string) string {
	if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 {
		return parts[4]
	}
	return ""
}

// matrix holds the brute force's decisions: by principal, by pair.
type matrix struct {
	principals []principal
	pairs      []pair
	dec        [][]*engine.Decision
	makes      []bool // per principal: its maker may make it (federated users)
}

func bruteForce(t testing.TB, e *engine.Engine, w *World, pairs []pair) *matrix {
	m := &matrix{principals: w.principals(), pairs: pairs}
	m.dec = make([][]*engine.Decision, len(m.principals))
	m.makes = make([]bool, len(m.principals))
	err := parallel.ForEach(len(m.principals), func(i int) error {
		p := m.principals[i]
		m.dec[i] = make([]*engine.Decision, len(pairs))
		for j, pr := range pairs {
			req := w.request(p, pr)
			d, err := e.Decide(context.Background(), req)
			if err != nil {
				return err
			}
			if err := SameVerdict(e, req, d); err != nil {
				return err
			}
			m.dec[i][j] = d
		}
		if p.federatedBy != "" {
			d, err := e.Decide(context.Background(), w.makeRequest(p.federatedBy, p.arn))
			if err != nil {
				return err
			}
			m.makes[i] = d.Decision == engine.Allow
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// SameVerdict reports (as an error) a lean verdict (Engine.Verdict) of req
// that differs from the explained decision d: the decision, blocked_by,
// or for an allow the request's conditions. The brute force checks every
// request it decides, so every generated world holds the two equal.
func SameVerdict(e *engine.Engine, req *engine.Request, d *engine.Decision) error {
	v, err := e.Verdict(context.Background(), req)
	if err != nil {
		return fmt.Errorf("%s %s on %s: the lean verdict fails: %w", req.Principal, req.Action, req.Resource, err)
	}
	var conds []string
	if d.Decision == engine.Allow {
		conds = d.RequestConditions()
	}
	if v.Decision != d.Decision || v.BlockedBy != d.BlockedBy || !slices.Equal(v.Conditions, conds) {
		return fmt.Errorf("%s %s on %s: lean verdict %s/%s %v, explained decision %s/%s %v", req.Principal, req.Action,
			req.Resource, v.Decision, v.BlockedBy, v.Conditions, d.Decision, d.BlockedBy, conds)
	}
	return nil
}
