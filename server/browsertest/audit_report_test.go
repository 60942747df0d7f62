package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clearance-dev/clearance/engine/audit"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/render"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// auditWorld has three accounts, each with n users (half holding iam:*
// through the group ops, half a build policy with PassRole, RunInstances,
// Lambda and policy management) and two administrator roles trusting the
// account: every user escalates by many methods and reaches both roles,
// which gives more than 2,000 findings at n = 40.
func auditWorld(n int) string {
	var b strings.Builder
	b.WriteString("world:\n  accounts:\n")
	for _, acct := range []string{"111122223333", "444455556666", "777788889999"} {
		fmt.Fprintf(&b, `    - id: "%s"
      groups:
        - name: ops
          policies:
            - name: ops-iam
              document: {Version: "2012-10-17", Statement: [{Sid: OpsIAM, Effect: Allow, Action: ["iam:*", "sts:AssumeRole"], Resource: "*"}]}
      users:
`, acct)
		for i := range n {
			if i%2 == 0 {
				fmt.Fprintf(&b, "        - name: dev%d\n          groups: [ops]\n", i)
				continue
			}
			fmt.Fprintf(&b, `        - name: dev%d
          policies:
            - name: build
              document: {Version: "2012-10-17", Statement: [{Sid: Build, Effect: Allow, Action: ["iam:PassRole", "ec2:RunInstances", "lambda:*", "iam:CreatePolicyVersion", "iam:AttachUserPolicy", "sts:AssumeRole"], Resource: "*"}]}
`, i)
		}
		b.WriteString("      roles:\n")
		for _, r := range []string{"Admin", "BreakGlass"} {
			fmt.Fprintf(&b, `        - name: %s
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: "arn:aws:iam::%s:root"}, Action: sts:AssumeRole}}
          policies:
            - name: all
              document: {Version: "2012-10-17", Statement: {Sid: All, Effect: Allow, Action: "*", Resource: "*"}}
`, r, acct)
		}
	}
	return b.String()
}

// auditReport audits the world and writes its HTML report to a file.
func auditReport(t *testing.T, yaml string) (*audit.Report, string) {
	t.Helper()
	sc, err := scenario.ParseScenario("world.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := checks.OpenScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.New(eng).Audit(context.Background(), audit.AuditOptions{World: "world.yaml",
		Time: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "audit.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := render.HTML(f, rep, render.AuditOptions{World: "world.yaml", Sources: render.NewSources(sc.World)}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return rep, path
}

// choose selects a value of a select element, as a user's choice does
// (the change event).
func choose(sel, value string) chromedp.Action[chromedp.Void] {
	return wait(fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q;
		s.dispatchEvent(new Event("change")); return true; })()`, sel, value))
}

// countIs waits until the report says it shows n of total findings.
func countIs(n, total int) chromedp.Action[chromedp.Void] {
	return waitText("#count", fmt.Sprintf("%d of %d findings", n, total))
}

func count(fs []audit.Finding, keep func(audit.Finding) bool) int {
	n := 0
	for _, f := range fs {
		if keep(f) {
			n++
		}
	}
	return n
}

// The audit's HTML report of a world with more than 2,000 findings,
// opened from its file: it loads within a few seconds; the severity,
// rule and account filters change the count to the number of findings
// of that severity, rule and account; the principal filter and the
// search narrow it to a principal; Enter on a finding expands it; a
// role's reach tree lists who reaches it; grouped by policy, the policy
// granting most findings comes first, and a finding of it expanded shows
// the granting statement's text with its Sid.
func TestAuditReport(t *testing.T) {
	rep, path := auditReport(t, auditWorld(40))
	fs, total := rep.Findings, len(rep.Findings)
	if total < 2000 {
		t.Fatalf("%d findings, want at least 2,000", total)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := tab(t, 60*time.Second)
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path), countIs(total, total)); err != nil {
		t.Fatalf("load: %v", err)
	}
	loaded := time.Since(start)
	t.Logf("%d findings: %d bytes of HTML, loaded and listed in %v", total, info.Size(), loaded)
	if loaded > 5*time.Second {
		t.Errorf("the report took %v to load, want under 5 s", loaded)
	}
	crit := count(fs, func(f audit.Finding) bool { return f.Severity == audit.Critical })
	esc := count(fs, func(f audit.Finding) bool { return f.Rule == "privilege-escalation" })
	reach := count(fs, func(f audit.Finding) bool { return f.Rule == "reaches-administrator" })
	inAccount := count(fs, func(f audit.Finding) bool { return strings.Split(f.Principal, ":")[4] == "777788889999" })
	if crit == 0 || esc == 0 || reach == 0 || inAccount == 0 || inAccount == total {
		t.Fatalf("the world gives %d critical, %d escalation and %d reach findings", crit, esc, reach)
	}
	if err := chromedp.Do(ctx,
		click(`#sev-buttons button[data-sev="critical"]`), countIs(crit, total),
		click(`#sev-buttons button[data-sev="critical"]`), countIs(total, total),
		click(`#rules button[data-rule="privilege-escalation"]`), countIs(esc, total),
		choose("#f-rule", "reaches-administrator"), countIs(reach, total),
		choose("#f-sev", audit.Critical), countIs(0, total),
		click("#f-clear"), choose("#f-account", "777788889999"), countIs(inAccount, total),
		click("#f-clear"), countIs(total, total),
	); err != nil {
		t.Fatalf("filters: %v", err)
	}
	dev7 := "arn:aws:iam::444455556666:user/dev7"
	own := count(fs, func(f audit.Finding) bool { return f.Principal == dev7 })
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#f-principal"), dev7), countIs(own, total)); err != nil {
		t.Fatalf("principal filter: %v", err)
	}
	if got := text(ctx, t, "#list li.finding:first-child button.toggle"); !strings.Contains(got, dev7) {
		t.Errorf("first finding of %s is %q", dev7, got)
	}
	mentions := count(fs, func(f audit.Finding) bool { return strings.Contains(f.Title+" "+f.Detail, dev7) || f.Principal == dev7 })
	if err := chromedp.Do(ctx, click("#f-clear"), countIs(total, total),
		chromedp.SendKeys(chromedp.CSS("#f-search"), dev7), countIs(mentions, total)); err != nil {
		t.Fatalf("search: %v", err)
	}
	// From the keyboard: Enter on a finding's button expands it.
	if err := chromedp.Do(ctx,
		chromedp.Focus(chromedp.CSS("#list li.finding:first-child button.toggle")),
		chromedp.KeyEvent("\r"),
		wait(`document.querySelector("#list li.finding:first-child button.toggle").getAttribute("aria-expanded") === "true"`),
		waitText("#list li.finding:first-child .body", "Remediation"),
	); err != nil {
		t.Fatalf("keyboard: %v", err)
	}
	// Who reaches each administrator role: one collapsed tree per role;
	// opened, the Admin role of 444455556666 lists dev7 among those who
	// reach it (every user may assume it: its trust names the account and
	// each user's policy allows sts:AssumeRole, id_roles_terms-and-concepts.html).
	adminRole := "arn:aws:iam::444455556666:role/Admin"
	if err := chromedp.Do(ctx,
		wait(fmt.Sprintf(`(() => { for (const d of document.querySelectorAll("#targets details.target"))
			if (d.querySelector("summary").textContent.startsWith(%q + " ")) { d.open = true; d.id = "t-admin"; return true; } return false; })()`, adminRole)),
		waitText("#t-admin ul.tree", dev7),
	); err != nil {
		t.Fatalf("reach tree: %v", err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#targets details.target[open]").length`)); err != nil || n != 1 {
		t.Errorf("%d target trees open (%v), want only the one opened", n, err)
	}
	policy, sid := topPolicy(fs)
	if err := chromedp.Do(ctx, click("#f-clear"), choose("#f-group", "policy"),
		wait(`document.querySelectorAll("#list details.group").length > 0`)); err != nil {
		t.Fatalf("group: %v", err)
	}
	if got := text(ctx, t, "#list details.group:first-of-type > summary"); !strings.HasPrefix(got, policy+" ") {
		t.Errorf("first group %q, want the policy granting most findings, %s", got, policy)
	}
	if err := chromedp.Do(ctx,
		click("#list details.group:first-of-type > summary"),
		click("#list details.group:first-of-type li.finding:first-child button.toggle"),
		waitText("#list details.group:first-of-type li.finding:first-child pre.stmt", `"Sid": "`+sid+`"`),
	); err != nil {
		t.Fatalf("expand: %v", err)
	}
	body := text(ctx, t, "#list details.group:first-of-type li.finding:first-child .body")
	for _, want := range []string{`"Effect": "Allow"`, "Remediation", "Evidence", "docs.aws.amazon.com"} {
		if !strings.Contains(body+bodyLinks(ctx, t), want) {
			t.Errorf("the expanded finding lacks %q", want)
		}
	}
	if err := chromedp.Do(ctx, wait(`(document.getElementById("filters").scrollIntoView(), true)`)); err != nil {
		t.Fatal(err)
	}
	screenshot(ctx, t, "audit-report")
}

// topPolicy is the policy granting the most findings, and its first
// grant's Sid.
func topPolicy(fs []audit.Finding) (string, string) {
	n, sid := map[string]int{}, map[string]string{}
	for _, f := range fs {
		seen := map[string]bool{}
		for _, g := range f.Grants {
			if !seen[g.Policy] {
				seen[g.Policy] = true
				n[g.Policy]++
				sid[g.Policy] = g.Sid
			}
		}
	}
	names := make([]string, 0, len(n))
	for p := range n {
		names = append(names, p)
	}
	sort.Slice(names, func(i, j int) bool {
		return n[names[i]] > n[names[j]] || n[names[i]] == n[names[j]] && names[i] < names[j]
	})
	return names[0], sid[names[0]]
}

// bodyLinks are the link targets of the first expanded finding.
func bodyLinks(ctx context.Context, t *testing.T) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".body a")].map(a => a.href).join(" ")`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// screenshot writes a PNG of the page to $CLEARANCE_SCREENSHOTS/NAME.png
// when the variable is set (make screenshots).
func screenshot(ctx context.Context, t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("CLEARANCE_SCREENSHOTS")
	if dir == "" {
		return
	}
	if !filepath.IsAbs(dir) {
		dir = repoFile(dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("%s: screenshot: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", path, len(shot))
}
