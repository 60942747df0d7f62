package render

import (
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine/review"
)

// SARIFOptions tune ReviewSARIF.
type SARIFOptions struct {
	// ToolVersion is Clearance's version (tool.driver.version): GitHub
	// uses it to tell a tool upgrade from a change of the code.
	ToolVersion string
	// BaseDir, when set, makes artifact URIs relative to it (the
	// repository's root), with forward slashes, as GitHub code scanning
	// resolves them against the repository.
	BaseDir string
	// IncludeAccepted writes the accepted findings (baseline, accept
	// entries) too, as suppressed results. By default they are left out:
	// GitHub code scanning does not honour SARIF suppressions and would
	// open an alert for each, while a result that disappears closes its
	// alert, which is what --baseline means.
	IncludeAccepted bool
}

// ReviewSARIF writes a review's report as SARIF 2.1.0 for GitHub code
// scanning and other SARIF viewers: every rule of review.Rules with its
// descriptions, help and security-severity; one result per finding, at
// the change's file, line and column (line 1 column 1 when unknown), the
// Terraform address as logical location, the finding's fingerprint as
// partial fingerprint. Accepted findings are left out unless
// opts.IncludeAccepted, which writes them with an external suppression.
func ReviewSARIF(w io.Writer, rep *review.Report, opts SARIFOptions) error {
	var run sarifRun
	run.Tool.Driver.Version = opts.ToolVersion
	index := reviewRules(&run, rep)
	for i := range rep.Findings {
		if rep.Findings[i].Accepted != "" && !opts.IncludeAccepted {
			continue
		}
		run.Results = append(run.Results, reviewResult(&rep.Findings[i], index, opts.BaseDir))
	}
	sum := normalizedSummary(rep.Summary)
	run.Properties = map[string]any{"summary": sum}
	return writeSARIF(w, run)
}

// reviewRules writes review.Rules, in their order, then any rule a finding
// names that the list lacks (sorted), and returns the rules' indexes.
func reviewRules(run *sarifRun, rep *review.Report) map[string]int {
	rules := append([]review.Rule(nil), review.Rules...)
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	var extra []string
	for _, f := range rep.Findings {
		if !known[f.Rule] {
			known[f.Rule] = true
			extra = append(extra, f.Rule)
		}
	}
	sort.Strings(extra)
	for _, id := range extra {
		rules = append(rules, review.Rule{ID: id, Severity: review.Low, Short: "Clearance rule " + id,
			Full: "Findings of rule " + id + ".", Help: "See the finding's message and why."})
	}
	index := map[string]int{}
	for i, r := range rules {
		index[r.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID: r.ID, Name: ruleName(r.ID),
			ShortDescription:     sarifMessage{Text: r.Short},
			FullDescription:      sarifMessage{Text: r.Full},
			Help:                 sarifHelp{Text: r.Help, Markdown: helpMarkdown(r)},
			HelpURI:              urlPattern.FindString(r.Help),
			DefaultConfiguration: sarifConfig{Level: sarifLevel[r.Severity]},
			Properties:           ruleProperties(r.Severity),
		})
	}
	return index
}

func reviewResult(f *review.Finding, index map[string]int, base string) sarifResult {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: artifactURI(f.Location.File, base)},
		Region:           sarifRegion{StartLine: max(f.Location.Line, 1), StartColumn: max(f.Location.Column, 1)},
	}}
	if f.Location.Address != "" {
		loc.LogicalLocations = []sarifLogical{{Name: f.Location.Address, FullyQualifiedName: f.Location.Address, Kind: "resource"}}
	}
	fp := f.Fingerprint
	if fp == "" {
		fp = review.Fingerprint(f)
	}
	props := map[string]any{"severity": f.Severity, "change": f.Change, "principal": f.Principal,
		"action": f.Action, "resource": f.Resource, "why": f.Why}
	for k, v := range map[string]string{"replay": f.Replay, "accepted": f.Accepted, "address": f.Location.Address} {
		if v != "" {
			props[k] = v
		}
	}
	msg := f.Message
	if len(f.Symbols) > 0 {
		props["symbols"] = f.Symbols
		msg += " (values unknown until deployment: " + strings.Join(f.Symbols, ", ") + ")"
	}
	res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel[f.Severity],
		Message: sarifMessage{Text: msg}, Locations: []sarifLocation{loc},
		PartialFingerprints: partialFingerprints(fp), Properties: props}
	if res.Level == "" {
		res.Level = "note"
	}
	if f.Accepted != "" {
		res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: f.Accepted}}
	}
	return res
}

var urlPattern = regexp.MustCompile(`https://[^\s)"]+[^\s)".,;]`)

// helpMarkdown is the rule's help for GitHub's alert page: the summary in
// bold, the description, then the help with its AWS pages as links.
func helpMarkdown(r review.Rule) string {
	help := urlPattern.ReplaceAllStringFunc(r.Help, func(u string) string { return "<" + u + ">" })
	return "**" + r.Short + "** (" + r.Severity + ")\n\n" + r.Full + "\n\n" + help
}

// ruleName turns a rule id into the PascalCase name SARIF viewers show
// (new-administrator → NewAdministrator).
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// artifactURI is a file as a SARIF artifact URI: relative to base when the
// file is under it, with forward slashes and percent-escapes; an absolute
// path outside base becomes a file:// URI.
func artifactURI(file, base string) string {
	if base != "" {
		if rel, ok := relativeTo(file, base); ok {
			file = rel
		}
	}
	p := filepath.ToSlash(file)
	if filepath.IsAbs(file) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x → /C:/x
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

func relativeTo(file, base string) (string, bool) {
	af, err1 := filepath.Abs(file)
	ab, err2 := filepath.Abs(base)
	if err1 != nil || err2 != nil {
		return "", false
	}
	rel, err := filepath.Rel(ab, af)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}
