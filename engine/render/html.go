package render

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/clearance-dev/clearance/engine/audit"
)

// AuditOptions tell the audit's HTML and SARIF writers what the report
// itself does not hold.
type AuditOptions struct {
	// World names what was audited (a file, or a label for several).
	World string
	// Sources are the world's policies and entities (NewSources): the
	// statements' text for the HTML report, their lines for SARIF. Nil
	// leaves the text out and points SARIF at line 1 of World.
	Sources *Sources
	// BaseDir, if set, makes SARIF's file URIs relative to it (the
	// repository root GitHub resolves them against).
	BaseDir string
	// ToolVersion is SARIF's tool.driver.version ("" leaves it out).
	ToolVersion string
}

// The HTML report is one self-contained file (no network): the findings
// as JSON data in the page, and a script that lists, filters, searches and
// groups them, builds a finding's details (the granting statements' text,
// the evidence, the remediation) when it is expanded, and draws who
// reaches each administrator role as one small tree per role. Nothing is
// built before it is shown, so 2,000 findings load in well under a second
// (the browser test measures it).

// htmlData is the page's data.
type htmlData struct {
	World        string                `json:"world"`
	Principals   int                   `json:"principals"`
	Decisions    int                   `json:"decisions"`
	Catalog      []string              `json:"catalog"`
	Excluded     int                   `json:"excluded_aws_managed"`
	Organization bool                  `json:"organization"`
	Rules        map[string]htmlRemedy `json:"rules"`
	Statements   []htmlStatement       `json:"statements"`
	// Texts and Methods hold, once, the details, evidence summaries and
	// escalation methods many findings share (findings index them): they
	// are a third of the page otherwise.
	Texts    []string          `json:"texts"`
	Methods  []audit.MethodRef `json:"methods"`
	Findings []htmlFinding     `json:"findings"`
	Targets  []htmlTarget      `json:"targets"`
}

type htmlRemedy struct {
	Title string `json:"title"`
	Fix   string `json:"fix"`
	Refs  []Ref  `json:"refs"`
}

// htmlStatement is a policy statement findings rest on, given once.
type htmlStatement struct {
	Policy string `json:"policy"`
	Index  int    `json:"index"`
	Sid    string `json:"sid"`
	Text   string `json:"text"`
	Place  string `json:"place"` // file:line
}

type htmlFinding struct {
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	Principal string `json:"principal"`
	Account   string `json:"account"`
	Title     string `json:"title"`
	Detail    int    `json:"detail"` // in htmlData.Texts
	Subject   string `json:"subject"`
	// Policies are the policies the finding is grouped under: its own and
	// each grant's.
	Policies []string `json:"policies"`
	// Statements index htmlData.Statements, in the order of Grants (the
	// finding's own statement first when it has no grants).
	Statements []int          `json:"statements"`
	Grants     []audit.Grant  `json:"grants"`
	Methods    []int          `json:"methods"` // in htmlData.Methods
	Evidence   []htmlEvidence `json:"evidence"`
}

type htmlEvidence struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
	Decision string `json:"decision"`
	Summary  int    `json:"summary"` // in htmlData.Texts
	Why      string `json:"why"`
}

// htmlTarget is an administrator role (or a role a federation enters)
// with who reaches it.
type htmlTarget struct {
	Role    string      `json:"role"`
	Admin   bool        `json:"admin"`
	Reached []htmlReach `json:"reached"`
}

type htmlReach struct {
	From    string   `json:"from"`
	Rule    string   `json:"rule"`
	Path    []string `json:"path"` // the hops from From to the role, both ends included
	Finding int      `json:"finding"`
}

// HTML writes an audit's report as one self-contained HTML page.
func HTML(w io.Writer, rep *audit.Report, o AuditOptions) error {
	data, err := json.Marshal(htmlDataOf(rep, o)) // escapes <, > and &: safe inside <script>
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	title := template.HTMLEscapeString(o.World)
	page := strings.NewReplacer("{{TITLE}}", title, "{{CSS}}", pageCSS, "{{JS}}", pageJS, "{{DATA}}", string(data)).Replace(pageHTML)
	if _, err := io.WriteString(w, page); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return nil
}

func htmlDataOf(rep *audit.Report, o AuditOptions) htmlData {
	d := htmlData{World: o.World, Principals: rep.Principals, Decisions: rep.Decisions, Catalog: nonNil(rep.Catalog),
		Excluded: rep.ExcludedAWSManaged, Organization: rep.Organization, Rules: map[string]htmlRemedy{},
		Statements: []htmlStatement{}, Texts: []string{}, Methods: []audit.MethodRef{}, Findings: make([]htmlFinding, 0, len(rep.Findings))}
	in := &interner{d: &d, texts: map[string]int{}, methods: map[audit.MethodRef]int{}}
	stmts := map[string]int{}
	statement := func(policy string, idx int) int {
		key := fmt.Sprintf("%s\x00%d", policy, idx)
		if i, ok := stmts[key]; ok {
			return i
		}
		st := htmlStatement{Policy: policy, Index: idx, Text: o.Sources.StatementText(policy, idx)}
		if _, s := o.Sources.statement(policy, idx); s != nil {
			st.Sid = s.Sid
		}
		if pl, ok := o.Sources.StatementPlace(policy, idx); ok {
			st.Place = fmt.Sprintf("%s:%d", pl.File, pl.Line)
		}
		stmts[key] = len(d.Statements)
		d.Statements = append(d.Statements, st)
		return stmts[key]
	}
	for _, f := range rep.Findings {
		if _, ok := d.Rules[f.Rule]; !ok {
			r := RemedyFor(f.Rule)
			d.Rules[f.Rule] = htmlRemedy{r.Title, r.Fix, r.Refs}
		}
		d.Findings = append(d.Findings, htmlFindingOf(f, o.Sources, statement, in))
	}
	d.Targets = reachTargets(rep.Findings)
	return d
}

func htmlFindingOf(f audit.Finding, src *Sources, statement func(string, int) int, in *interner) htmlFinding {
	h := htmlFinding{Rule: f.Rule, Severity: f.Severity, Principal: f.Principal, Account: src.Account(f.Principal),
		Title: f.Title, Detail: in.text(f.Detail), Subject: f.Subject, Policies: []string{}, Statements: []int{},
		Grants: nonNil(f.Grants), Methods: make([]int, 0, len(f.Methods)), Evidence: make([]htmlEvidence, 0, len(f.Evidence))}
	for _, m := range f.Methods {
		h.Methods = append(h.Methods, in.method(m))
	}
	addPolicy := func(p string) {
		if p != "" && !containsString(h.Policies, p) {
			h.Policies = append(h.Policies, p)
		}
	}
	if len(f.Grants) == 0 && f.Policy != "" {
		h.Statements = append(h.Statements, statement(f.Policy, f.Statement))
	}
	addPolicy(f.Policy)
	for _, g := range f.Grants {
		h.Statements = append(h.Statements, statement(g.Policy, g.Statement))
		addPolicy(g.Policy)
	}
	for _, ev := range f.Evidence {
		h.Evidence = append(h.Evidence, htmlEvidence{ev.Action, ev.Resource, ev.Decision, in.text(ev.Summary), ev.Why})
	}
	return h
}

// interner gives each shared text and method one place in the data.
type interner struct {
	d       *htmlData
	texts   map[string]int
	methods map[audit.MethodRef]int
}

func (in *interner) text(s string) int {
	if i, ok := in.texts[s]; ok {
		return i
	}
	in.texts[s] = len(in.d.Texts)
	in.d.Texts = append(in.d.Texts, s)
	return in.texts[s]
}

func (in *interner) method(m audit.MethodRef) int {
	if i, ok := in.methods[m]; ok {
		return i
	}
	in.methods[m] = len(in.d.Methods)
	in.d.Methods = append(in.d.Methods, m)
	return in.methods[m]
}

// reachTargets groups the findings that reach a role by the role: a
// principal reaching an administrator role (its subject), and a
// provider's identities entering a role (the finding's principal).
func reachTargets(fs []audit.Finding) []htmlTarget {
	admin := map[string]bool{}
	for _, f := range fs {
		if f.Rule == "administrator" && strings.Contains(f.Principal, ":role/") {
			admin[f.Principal] = true
		}
	}
	byRole := map[string]*htmlTarget{}
	var order []string
	for i, f := range fs {
		var role, from string
		switch f.Rule {
		case "reaches-administrator":
			role, from = f.Subject, f.Principal
		case "federation-entry-point":
			role, from = f.Principal, f.Subject
		default:
			continue
		}
		if role == "" {
			continue
		}
		t := byRole[role]
		if t == nil {
			t = &htmlTarget{Role: role, Admin: admin[role] || f.Rule == "reaches-administrator"}
			byRole[role] = t
			order = append(order, role)
		}
		t.Reached = append(t.Reached, htmlReach{From: from, Rule: f.Rule, Path: reachPath(f.Detail, from, role), Finding: i})
	}
	out := make([]htmlTarget, 0, len(order))
	for _, r := range order {
		out = append(out, *byRole[r])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Admin != out[j].Admin {
			return out[i].Admin
		}
		if len(out[i].Reached) != len(out[j].Reached) {
			return len(out[i].Reached) > len(out[j].Reached)
		}
		return out[i].Role < out[j].Role
	})
	return out
}

// reachPath reads the hops of a reach finding's detail ("Path: a -> b ->
// c", engine/audit reach.go); a detail without them gives the two ends.
func reachPath(detail, from, role string) []string {
	if rest, ok := strings.CutPrefix(detail, "Path: "); ok {
		hops := strings.Split(rest, " -> ")
		if len(hops) >= 2 {
			return hops
		}
	}
	return []string{from, role}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
