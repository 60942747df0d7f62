package shard

import (
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/loader/pattern"
	"github.com/clearance-dev/clearance/loader/policy"
	"github.com/clearance-dev/clearance/loader/world"
)

// Owned lists the world's accounts the shard owns, sorted.
func (s Spec) Owned(w *world.World) []string {
	var out []string
	for _, a := range w.Accounts {
		if s.Owns(a.ID) {
			out = append(out, a.ID)
		}
	}
	slices.Sort(out)
	return out
}

// Trusts lists the shard's roles whose trust policy may admit a principal
// of an account the shard does not own: it names "*" (or uses
// NotPrincipal), another account or a principal of one, or a unique id
// (which account it is in the trust does not say). The first pass of a
// sharded audit: it needs no decision.
func Trusts(w *world.World, s Spec) *File {
	f := &File{Version: Version, Kind: KindTrusts, Shard: s.Index, Shards: s.Count, Accounts: s.Owned(w)}
	for _, a := range w.Accounts {
		if !s.Owns(a.ID) {
			continue
		}
		for _, r := range a.Roles {
			if r.Trust == nil || !admitsOutside(r.Trust, s) {
				continue
			}
			f.Trusts = append(f.Trusts, TrustedRole{ARN: r.ARN, Account: r.Account, Name: r.Name, Path: r.Path, ID: r.ID,
				Tags: r.Tags, MaxSessionDuration: r.MaxSessionDuration, Trust: string(r.Trust.Source)})
		}
	}
	return f
}

func admitsOutside(trust *policy.Policy, s Spec) bool {
	names, open := engine.TrustNames(trust)
	if open {
		return true
	}
	for _, n := range names {
		if acct := accountOf(n); acct == "" || !s.Owns(acct) {
			return true
		}
	}
	return false
}

// admitsOwn reports whether a trust's names may name a principal of the
// shard's accounts.
func admitsOwn(trust *policy.Policy, s Spec) bool {
	names, open := engine.TrustNames(trust)
	if open {
		return true
	}
	for _, n := range names {
		if acct := accountOf(n); acct == "" || s.Owns(acct) {
			return true
		}
	}
	return false
}

// accountOf returns the account an AWS principal value names ("" for a
// unique id).
func accountOf(p string) string {
	if len(p) == 12 && strings.Trim(p, "0123456789") == "" {
		return p
	}
	if a, ok := pattern.SplitARN(p); ok {
		return a.Account
	}
	return ""
}

// Restrict returns the shard's world: the shard's accounts as they are,
// every other account of the organization reduced to its id, name and
// place in the organization (what the organizations export gives), and,
// in those accounts, the other shards' trusted roles that may admit one
// of the shard's principals (the trusts files of the first pass). The
// world must hold an organization: without one a shard cannot tell the
// company's accounts from outside ones.
func Restrict(w *world.World, s Spec, trusts []*File) (*world.World, error) {
	if w.Organization == nil {
		return nil, fault.Errorf(fault.CodeBadRequest, "a sharded audit needs the organization's export (its accounts tell the organization's accounts from outside ones)")
	}
	out := &world.World{Organization: w.Organization, Warnings: w.Warnings, Sources: w.Sources}
	byID := map[string]*world.Account{}
	for _, a := range w.Accounts {
		if s.Owns(a.ID) {
			out.Accounts = append(out.Accounts, a)
			continue
		}
		stub := &world.Account{ID: a.ID, Name: a.Name, OrgPath: a.OrgPath, OutsideOrg: a.OutsideOrg, SCPs: a.SCPs, RCPs: a.RCPs, At: a.At, Refs: a.Refs}
		byID[a.ID] = stub
		out.Accounts = append(out.Accounts, stub)
	}
	for _, f := range trusts {
		for _, tr := range f.Trusts {
			if s.Owns(tr.Account) {
				continue
			}
			if err := addTrusted(out, byID, tr, s); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func addTrusted(w *world.World, byID map[string]*world.Account, tr TrustedRole, s Spec) error {
	trust, err := policy.ParsePolicyBytes(tr.ARN, []byte(tr.Trust), policy.KindTrust, world.TrustPolicyName(tr.ARN))
	if err != nil {
		return fault.Wrap(fault.CodeBadRequest, err, "trusted role %s", tr.ARN)
	}
	if !admitsOwn(trust, s) {
		return nil
	}
	acct, ok := byID[tr.Account]
	if !ok {
		acct = &world.Account{ID: tr.Account, OutsideOrg: true}
		byID[tr.Account] = acct
		w.Accounts = append(w.Accounts, acct)
	}
	for _, r := range acct.Roles {
		if r.ARN == tr.ARN {
			return nil // named by two trusts files: the same role
		}
	}
	acct.Roles = append(acct.Roles, &world.Role{ARN: tr.ARN, Account: tr.Account, Name: tr.Name, Path: tr.Path, ID: tr.ID,
		Tags: tr.Tags, MaxSessionDuration: tr.MaxSessionDuration, Trust: trust})
	return nil
}
