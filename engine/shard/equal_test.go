package shard_test

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/benchmarks"
	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/shard"
	"github.com/clearance-dev/clearance/loader/pattern"
)

var big = flag.Bool("shard.big", false, "also compare a bigger generated organization (40 accounts × 60 roles; minutes)")

// key is what makes two audits' findings the same finding.
func key(f audit.Finding) string {
	return strings.Join([]string{f.Rule, f.Principal, f.Subject, f.Severity}, " | ")
}

// TestMergeEqualsSingleMachine audits generated organizations on one
// machine and in N shards, and compares the merged report with the
// single-machine one finding for finding (rule, principal, subject,
// severity). The expected report is the single-machine audit's own
// (engine/audit), so the test holds the sharded run to the engine's
// decisions, whatever they are.
func TestMergeEqualsSingleMachine(t *testing.T) {
	cases := []struct{ accounts, roles, shards int }{
		{5, 12, 1}, {7, 12, 3},
	}
	if *big {
		cases = append(cases, struct{ accounts, roles, shards int }{40, 60, 8}, struct{ accounts, roles, shards int }{9, 30, 4})
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%dx%d/%d", c.accounts, c.roles, c.shards), func(t *testing.T) {
			compare(t, c.accounts, c.roles, c.shards)
		})
	}
}

func compare(t *testing.T, accounts, roles, shards int) {
	ctx := context.Background()
	w, err := benchmarks.OrgWorld(accounts, roles, 1)
	if err != nil {
		t.Fatal(err)
	}
	opts := audit.AuditOptions{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), World: "org",
		Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}}
	e, err := shard.Open(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	single, err := audit.New(e).Audit(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := shard.AuditLocal(ctx, w, shards, opts)
	if err != nil {
		t.Fatal(err)
	}
	merged, err := shard.Merge(roundTrip(t, parts), "org")
	if err != nil {
		t.Fatal(err)
	}
	want, got := keys(single.Findings), keys(merged.Findings)
	for k := range want {
		if !got[k] {
			t.Errorf("missing from the merge: %s", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("only in the merge: %s", k)
		}
	}
	if len(single.Findings) != len(merged.Findings) || single.Principals != merged.Principals {
		t.Errorf("findings %d, principals %d on one machine; %d, %d merged", len(single.Findings), single.Principals, len(merged.Findings), merged.Principals)
	}
	if n := reachAcross(merged.Findings); n == 0 {
		t.Errorf("no reach finding crosses three accounts: the organization does not test the join")
	} else {
		t.Logf("%d findings, %d reach paths across three accounts or more", len(merged.Findings), n)
	}
}

func keys(fs []audit.Finding) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		out[key(f)] = true
	}
	return out
}

// reachAcross counts the reach findings whose path (the principal and
// the roles of "Path: AssumeRole A -> AssumeRole B") spans three accounts.
func reachAcross(fs []audit.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Rule != "reaches-administrator" {
			continue
		}
		accts := map[string]bool{}
		arns := []string{f.Principal}
		for _, hop := range strings.Split(strings.TrimPrefix(f.Detail, "Path: "), " -> ") {
			arns = append(arns, strings.TrimPrefix(hop, "AssumeRole "))
		}
		for _, a := range arns {
			if p, ok := pattern.SplitARN(a); ok {
				accts[p.Account] = true
			}
		}
		if len(accts) >= 3 {
			n++
		}
	}
	return n
}
