package shard

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/fault"
	"github.com/clearance-dev/clearance/engine/sts"
)

// Merge joins every shard's partial of one audit into its report: the
// shards' findings, and the reach into administrator roles searched over
// the joined hops (search.go). world labels the replay commands.
func Merge(files []*File, world string) (*audit.Report, error) {
	if err := complete(files); err != nil {
		return nil, err
	}
	sorted := slices.Clone(files)
	slices.SortFunc(sorted, func(x, y *File) int { return cmp.Compare(x.Shard, y.Shard) })
	rep := &audit.Report{Catalog: sorted[0].Audit.Catalog, Organization: sorted[0].Audit.Organization}
	g := newGraph()
	for _, f := range sorted {
		a := f.Audit
		rep.Findings = append(rep.Findings, a.Findings...)
		rep.Principals += a.Principals
		rep.Decisions += a.Decisions
		rep.ExcludedAWSManaged += a.Excluded
		g.add(a)
	}
	g.order()
	reach, err := g.search(world, sorted[0].Audit)
	if err != nil {
		return nil, err
	}
	rep.Findings = audit.Fold(append(rep.Findings, reach...))
	SortFindings(rep.Findings)
	return rep, nil
}

// complete checks that the files are the partials of every shard of one
// audit, once each.
func complete(files []*File) error {
	if len(files) == 0 {
		return fault.Errorf(fault.CodeBadRequest, "merge: no partial given")
	}
	n := files[0].Shards
	seen := make([]bool, n)
	for _, f := range files {
		switch {
		case f.Kind != KindPartial || f.Audit == nil:
			return fault.Errorf(fault.CodeBadRequest, "merge: shard %d/%d is a %s file, not a partial", f.Shard, f.Shards, f.Kind)
		case f.Shards != n:
			return fault.Errorf(fault.CodeBadRequest, "merge: shard %d/%d is from an audit in %d shards, another is in %d", f.Shard, f.Shards, f.Shards, n)
		case seen[f.Shard]:
			return fault.Errorf(fault.CodeBadRequest, "merge: shard %d/%d is given twice", f.Shard, n)
		case !f.Audit.Time.Equal(files[0].Audit.Time):
			return fault.Errorf(fault.CodeBadRequest, "merge: shard %d/%d audited at %s, shard %d/%d at %s: one audit has one time",
				f.Shard, n, f.Audit.Time, files[0].Shard, n, files[0].Audit.Time)
		case f.Audit.Organization != files[0].Audit.Organization:
			return fault.Errorf(fault.CodeBadRequest, "merge: shards %d and %d disagree on whether an organization is loaded", f.Shard, files[0].Shard)
		}
		seen[f.Shard] = true
	}
	for i, ok := range seen {
		if !ok {
			return fault.Errorf(fault.CodeBadRequest, "merge: shard %d/%d is missing", i, n)
		}
	}
	return nil
}

var severityRank = map[string]int{audit.Critical: 0, audit.High: 1, audit.Medium: 2, audit.Low: 3}

// SortFindings orders findings as engine/audit's report does: by
// severity, rule, then principal (and, for a merge to be reproducible,
// subject and title).
func SortFindings(fs []audit.Finding) {
	slices.SortStableFunc(fs, func(x, y audit.Finding) int {
		return cmp.Or(cmp.Compare(severityRank[x.Severity], severityRank[y.Severity]),
			cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.Principal, y.Principal),
			cmp.Compare(x.Subject, y.Subject), cmp.Compare(x.Title, y.Title))
	})
}

// reachFinding is engine/audit's reaches-administrator finding for a
// caller's path.
func reachFinding(c *Caller, path []Edge, admin, world string, at string) audit.Finding {
	var hops, needs, steps []string
	for _, e := range path {
		hops = append(hops, "AssumeRole "+e.To)
		needs = append(needs, e.Needs...)
		steps = append(steps, "--step "+quote(stepFlag(e)))
	}
	note := ""
	if len(needs) > 0 {
		note = " (with " + strings.Join(needs, ", ") + ")"
	}
	return audit.Finding{Rule: "reaches-administrator", Severity: audit.High, Principal: c.ARN, Subject: admin,
		Title:  fmt.Sprintf("%s %s reaches the administrator role %s%s", c.Kind, c.ARN, admin, note),
		Detail: "Path: " + strings.Join(hops, " -> "),
		Evidence: []audit.Evidence{{Action: "sts:AssumeRole", Resource: admin, Decision: engine.Allow, Summary: "every hop is allowed",
			Why: fmt.Sprintf("clearance why --world %s --as %s %s --time %s", quote(world), quote(c.Start), strings.Join(steps, " "), at)}}}
}

func stepFlag(e Edge) string {
	s := "AssumeRole role=" + e.To + " session=" + e.Session
	if e.ExternalID != "" {
		s += " external-id=" + e.ExternalID
	}
	if e.MFA {
		s += " mfa=true"
	}
	return s
}

func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\"*?$`\\!&;|<>(){}[]#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// maxDepth is the search's depth, engine/audit's.
const maxDepth = sts.DefaultReachDepth
