package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine/audit"
)

// SARIF writes an audit's report as SARIF 2.1.0: one result per finding,
// located at the line of the world's file that holds the statement the
// finding rests on (or the entity it is about: Sources.FindingPlace) and,
// logically, at the policy and statement; each rule carries its
// remediation (the table of remediation.go) as help.
func SARIF(w io.Writer, rep *audit.Report, o AuditOptions) error {
	var run sarifRun
	run.Tool.Driver.Version = o.ToolVersion
	index, ruleSev := auditRules(&run, rep)
	for _, f := range rep.Findings {
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel[f.Severity], Message: sarifMessage{Text: f.Title},
			Locations:           []sarifLocation{auditLocation(f, o)},
			PartialFingerprints: partialFingerprints(auditFingerprint(f)),
			Properties:          map[string]any{"severity": f.Severity, "principal": f.Principal}}
		if s := securitySeverity[f.Severity]; s != "" && f.Severity != ruleSev[f.Rule] {
			res.Properties["security-severity"] = s // this result's, when the rule's default differs
		}
		if f.Subject != "" {
			res.Properties["subject"] = f.Subject
		}
		if len(f.Evidence) > 0 {
			res.Properties["replay"] = f.Evidence[0].Why
		}
		run.Results = append(run.Results, res)
	}
	return writeSARIF(w, run)
}

// auditLocation places a finding in the world's files; a finding the
// files do not place (a world built in code) points at line 1 of World.
func auditLocation(f audit.Finding, o AuditOptions) sarifLocation {
	pl, ok := o.Sources.FindingPlace(f)
	if !ok {
		pl = Place{File: o.World, Line: 1, Col: 1}
	}
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(pl.File, o.BaseDir)},
		Region: sarifRegion{StartLine: pl.Line, StartColumn: pl.Col}}}
	name, fqn, kind := f.Principal, f.Principal, "member"
	if f.Policy != "" {
		name, fqn, kind = f.Policy, fmt.Sprintf("%s/Statement[%d]", f.Policy, f.Statement), "resource"
	}
	loc.LogicalLocations = []sarifLogical{{Name: name, FullyQualifiedName: fqn, Kind: kind}}
	return loc
}

// auditRules lists the rules the findings use, sorted, each with its
// remediation as help and the severity of its most severe finding as
// default; it returns their indexes and those severities.
func auditRules(run *sarifRun, rep *audit.Report) (map[string]int, map[string]string) {
	sev := map[string]string{}
	for _, f := range rep.Findings {
		if cur, ok := sev[f.Rule]; !ok || sevRank(f.Severity) < sevRank(cur) {
			sev[f.Rule] = f.Severity
		}
	}
	ids := make([]string, 0, len(sev))
	for id := range sev {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
		r := RemedyFor(id)
		rule := sarifRule{ID: id, ShortDescription: sarifMessage{Text: r.Title}, FullDescription: sarifMessage{Text: r.Title + "."},
			Help:                 remedyHelp(r),
			DefaultConfiguration: sarifConfig{Level: sarifLevel[sev[id]]}, Properties: ruleProperties(sev[id])}
		if len(r.Refs) > 0 {
			rule.HelpURI = r.Refs[0].URL
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
	}
	return index, sev
}

func sevRank(s string) int {
	for i, x := range []string{audit.Critical, audit.High, audit.Medium, audit.Low} {
		if s == x {
			return i
		}
	}
	return 4
}

// remedyHelp is a rule's remediation as SARIF help, in text and Markdown.
func remedyHelp(r Remedy) sarifHelp {
	const tail = " Each result's properties.replay is the clearance command that replays the decision and shows the statements behind it."
	text, md := r.Fix+tail, r.Fix+"\n\n"
	for _, ref := range r.Refs {
		text += " See " + ref.URL + "."
		md += fmt.Sprintf("- [%s](%s)\n", ref.Title, ref.URL)
	}
	return sarifHelp{Text: text, Markdown: md + "\n" + strings.TrimSpace(tail)}
}

// auditFingerprint identifies an audit finding across runs by what it is
// about (rule, principal, subject, policy), not by its wording or line.
func auditFingerprint(f audit.Finding) string {
	sum := sha256.Sum256([]byte(f.Rule + "\x00" + f.Principal + "\x00" + f.Subject + "\x00" + f.Policy))
	return hex.EncodeToString(sum[:16])
}
