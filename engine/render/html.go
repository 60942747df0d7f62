package render

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/clearance-dev/clearance/engine/audit"
)

// The HTML report is one self-contained file: a summary, the reachability
// graph (principals → sessions → sensitive permissions) as inline SVG,
// and the findings with their evidence and replay commands.
var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{"upper": strings.ToUpper}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Clearance audit: {{.World}}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#1d2433}
h1{font-size:1.6em} table{border-collapse:collapse} td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
.sev{font-weight:600;padding:.1em .5em;border-radius:3px;color:#fff}
.critical{background:#b00020}.high{background:#d35400}.medium{background:#b7950b}.low{background:#566573}
details{border:1px solid #ddd;border-radius:4px;margin:.5em 0;padding:.4em .8em} summary{cursor:pointer}
code{background:#f4f4f4;padding:.1em .3em;word-break:break-all;font-size:12px}
svg text{font:12px system-ui,sans-serif}
</style></head><body>
<h1>Clearance audit</h1>
<p>World <code>{{.World}}</code>: {{.Report.Principals}} principals audited with {{.Report.Decisions}} decisions; privilege-escalation methods from {{range $i, $s := .Report.Catalog}}{{if $i}}; {{end}}{{$s}}{{end}}.</p>
<table><tr><th>Severity</th><th>Findings</th></tr>
{{range .Counts}}<tr><td><span class="sev {{.Severity}}">{{upper .Severity}}</span></td><td>{{.N}}</td></tr>{{end}}</table>
<h2>Who reaches what</h2>
<p>Principals (left) reach role sessions (middle) and hold sensitive permissions (right). Every edge is a finding below.</p>
{{.Graph}}
<h2>Findings</h2>
{{range .Report.Findings}}<details><summary><span class="sev {{.Severity}}">{{upper .Severity}}</span> {{.Title}}</summary>
{{if .Detail}}<p>{{.Detail}}</p>{{end}}{{if .Policy}}<p>Policy <code>{{.Policy}}</code>, statement {{.Statement}}</p>{{end}}
{{range .Evidence}}<p><code>{{.Action}}</code> on <code>{{.Resource}}</code>: <b>{{.Decision}}</b>. {{.Summary}}<br>replay: <code>{{.Why}}</code></p>{{end}}
</details>{{end}}
</body></html>
`))

type sevCount struct {
	Severity string
	N        int
}

func HTML(w io.Writer, world string, rep *audit.Report) error {
	counts := map[string]int{}
	for _, f := range rep.Findings {
		counts[f.Severity]++
	}
	var cs []sevCount
	for _, s := range []string{audit.Critical, audit.High, audit.Medium, audit.Low} {
		cs = append(cs, sevCount{s, counts[s]})
	}
	return reportTmpl.Execute(w, struct {
		World  string
		Report *audit.Report
		Counts []sevCount
		Graph  template.HTML
	}{world, rep, cs, reachGraph(rep)})
}

// reachGraph draws the findings as a three-column graph in SVG.
func reachGraph(rep *audit.Report) template.HTML {
	cols := [3][]string{}
	index := [3]map[string]int{{}, {}, {}}
	node := func(col int, name string) int {
		if i, ok := index[col][name]; ok {
			return i
		}
		index[col][name] = len(cols[col])
		cols[col] = append(cols[col], name)
		return index[col][name]
	}
	type edge struct{ fc, fi, tc, ti int }
	var edges []edge
	for _, f := range rep.Findings {
		switch f.Rule {
		case "reaches-administrator", "federation-entry-point":
			role := roleOf(f.Title)
			from := f.Principal
			if f.Rule == "federation-entry-point" {
				from, role = providerOf(f.Title), f.Principal
			}
			edges = append(edges, edge{0, node(0, short(from)), 1, node(1, short(role))})
		case "administrator", "privilege-escalation":
			col := 0
			if strings.HasPrefix(f.Title, "role ") {
				col = 1
			}
			target := "administrator"
			if f.Rule == "privilege-escalation" {
				target = "privilege escalation"
			}
			edges = append(edges, edge{col, node(col, short(f.Principal)), 2, node(2, target)})
		}
	}
	rows := max(len(cols[0]), len(cols[1]), len(cols[2]), 1)
	const rowH, colW, labelMax = 22, 370, 46
	bottom := 20 + rows*rowH
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="reachability graph">`, 3*colW, bottom+30)
	y := func(i int) int { return 20 + i*rowH - 4 }
	labelOf := func(n string) string {
		if len(n) > labelMax {
			return n[:labelMax-1] + "…"
		}
		return n
	}
	for _, e := range edges {
		// 6.6 px per character of the 12 px font, then a gap.
		x1 := e.fc*colW + 14 + int(6.6*float64(len(labelOf(cols[e.fc][e.fi])))) + 6
		y1, x2, y2 := y(e.fi), e.tc*colW+2, y(e.ti)
		if e.tc-e.fc > 1 { // skip the middle column: pass below it
			fmt.Fprintf(&sb, `<path d="M%d %d C%d %d, %d %d, %d %d" fill="none" stroke="#c0392b" stroke-width="1" stroke-dasharray="4 3"/>`,
				x1, y1, x1+40, bottom+20, x2-40, bottom+20, x2, y2)
			continue
		}
		fmt.Fprintf(&sb, `<path d="M%d %d C%d %d, %d %d, %d %d" fill="none" stroke="#7f8c8d" stroke-width="1"/>`, x1, y1, x1+30, y1, x2-30, y2, x2, y2)
	}
	colors := [3]string{"#1f618d", "#7d3c98", "#b00020"}
	for c := range cols {
		for i, n := range cols[c] {
			label := labelOf(n)
			fmt.Fprintf(&sb, `<circle cx="%d" cy="%d" r="4" fill="%s"/><text x="%d" y="%d"><title>%s</title>%s</text>`,
				c*colW+6, y(i), colors[c], c*colW+14, y(i)+4, template.HTMLEscapeString(n), template.HTMLEscapeString(label))
		}
	}
	sb.WriteString(`</svg>`)
	if len(edges) == 0 {
		return template.HTML("<p>No principal reaches a role session or holds administrator or escalation permissions.</p>")
	}
	return template.HTML(sb.String())
}

func short(arn string) string {
	if i := strings.LastIndex(arn, ":"); i >= 0 && strings.HasPrefix(arn, "arn:") {
		acct := strings.Split(arn, ":")[4]
		return acct + " " + arn[i+1:]
	}
	return arn
}

// roleOf and providerOf read the role and provider out of the titles the
// audit writes ("... reaches the administrator role ARN ...", "identities
// of PROVIDER can become role ...").
func roleOf(title string) string {
	for _, w := range strings.Fields(title) {
		if strings.Contains(w, ":role/") {
			return w
		}
	}
	return title
}

func providerOf(title string) string {
	fields := strings.Fields(title)
	if len(fields) > 2 {
		return fields[2]
	}
	return title
}
