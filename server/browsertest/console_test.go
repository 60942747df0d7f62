package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	alice = "arn:aws:iam::111122223333:user/alice"
	bob   = "arn:aws:iam::111122223333:user/bob"
)

// world: alice may read the objects of bucket b (an identity policy);
// bob may do everything (an administrator, which the audit reports).
const world = `
world:
  accounts:
    - id: "111122223333"
      users:
        - name: alice
          policies:
            - name: read
              document: {Version: "2012-10-17", Statement: {Sid: ReadB, Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}}
        - name: bob
          policies:
            - name: everything
              document: {Version: "2012-10-17", Statement: {Sid: All, Effect: Allow, Action: "*", Resource: "*"}}
      roles:
        - name: reader
          trust: {Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: "arn:aws:iam::111122223333:user/alice"}, Action: sts:AssumeRole}}
          policies:
            - name: r
              document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: s3:ListBucket, Resource: "*"}}
      resources:
        - arn: arn:aws:s3:::b
          type: s3-bucket
`

// ask fills the Ask form and submits it.
func ask(principal, action, resource string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		click(`#tabs button[data-view="ask"]`),
		setValue("#ask-principal", principal),
		setValue("#ask-action", action),
		setValue("#ask-resource", resource),
		click("#ask-submit"),
	)
}

// waitText waits until the element's text contains want.
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	return wait(fmt.Sprintf(`(document.querySelector(%q)?.textContent || "").includes(%q)`, sel, want))
}

// Ask: alice may read b/k, allowed by her identity policy's statement
// ReadB (same-account identity Allow,
// reference_policies_evaluation-logic_policy-eval-denyallow.html); she may
// not write it: no statement allows it, an implicit deny (same page).
// The answer shows the verdict and the deciding statement.
func TestAskShowsTheDecidingStatement(t *testing.T) {
	ctx := tab(t, 20*time.Second)
	open(t, ctx, console(t, world, ""))
	if err := chromedp.Do(ctx, ask(alice, "s3:GetObject", "arn:aws:s3:::b/k"),
		waitText("#ask-answers .answer .verdict", "ALLOW")); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#ask-answers .answer .deciding"); !strings.Contains(got, `Allow identity: `+alice+`#read Sid "ReadB", statement 0`) {
		t.Errorf("deciding statements %q, want alice's ReadB", got)
	}
	if got := text(ctx, t, "#ask-answers .answer .why"); !strings.Contains(got, "identity-based policy allows it") {
		t.Errorf("why %q", got)
	}
	// The statement is shown in its policy's text (the policy verb), its
	// lines highlighted: they hold its Sid, Effect, Action and Resource and
	// nothing else of the document.
	if err := chromedp.Do(ctx, wait(`document.querySelector("#ask-answers .answer .docs pre.policy .hl") !== null`)); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#ask-answers .answer .docs .doc-head"); !strings.Contains(got, alice+"#read") || !strings.Contains(got, "(inline)") {
		t.Errorf("document head %q", got)
	}
	hl, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#ask-answers .answer .docs pre.policy .hl.allow")].map((l) => l.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(hl, "\n")
	for _, want := range []string{`"Sid": "ReadB"`, `"Effect": "Allow"`, `"s3:GetObject"`, `"arn:aws:s3:::b/*"`} {
		if !strings.Contains(joined, want) {
			t.Errorf("highlighted lines %q lack %s", hl, want)
		}
	}
	if strings.Contains(joined, "Version") || len(hl) < 6 || len(hl) > 8 {
		t.Errorf("highlighted lines %q: want the statement's lines only", hl)
	}
	// No guardrail is in force in this world (no organization, boundary,
	// session policy or endpoint).
	if got := text(ctx, t, "#ask-answers .answer .guardrails"); strings.Count(got, "not in force") != 5 {
		t.Errorf("guardrails %q, want all five not in force", got)
	}
	if err := chromedp.Do(ctx, ask(alice, "s3:PutObject", "arn:aws:s3:::b/k"),
		waitText("#ask-answers .answer:first-child .verdict", "DENY (implicit)")); err != nil {
		t.Fatal(err)
	}
}

// selectPolicy picks the What if editor's policy whose label has label.
func selectPolicy(label string) chromedp.Action[chromedp.Void] {
	return wait(fmt.Sprintf(`(() => { const s = document.getElementById("ov-policy");
		for (const o of s.options) if (o.textContent.includes(%q)) { s.value = o.value; s.dispatchEvent(new Event("change")); return true; }
		return false; })()`, label))
}

// What if: with an overlay open, alice's policy edited to deny the read:
// the answer on screen changes from ALLOW to DENY (explicit), marked, as
// an explicit Deny overrides any Allow
// (reference_policies_evaluation-logic_policy-eval-denyallow.html). A
// broken document shows the loader's error with its line, and the line
// is marked in the editor's gutter.
func TestWhatIfMarksTheChangeAndPositionsErrors(t *testing.T) {
	ctx := tab(t, 25*time.Second)
	open(t, ctx, console(t, world, ""))
	deny := `{"Version": "2012-10-17", "Statement": {"Sid": "NoRead", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}}`
	err := chromedp.Do(ctx,
		ask(alice, "s3:GetObject", "arn:aws:s3:::b/k"),
		waitText("#ask-answers .answer .verdict", "ALLOW"),
		click(`#tabs button[data-view="whatif"]`),
		click("#ov-open"),
		waitText("#ov-state", "overlay open"),
		selectPolicy("alice / read"),
		wait(`document.getElementById("ov-doc").value.includes("ReadB")`),
		setValue("#ov-doc", deny),
		click("#ov-apply"),
		waitText("#ov-answers .answer .verdict", "DENY (explicit)"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#ov-answers .answer.changed .before"); got != "ALLOW" {
		t.Errorf("before %q, want ALLOW", got)
	}
	if got := text(ctx, t, "#ov-answers .answer .deciding"); !strings.Contains(got, `Deny identity: `+alice+`#read Sid "NoRead"`) {
		t.Errorf("deciding %q, want the NoRead statement", got)
	}
	broken := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Perhaps\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n}"
	if err := chromedp.Do(ctx,
		setValue("#ov-doc", broken),
		click("#ov-apply"),
		waitText("#ov-error", "line 3"),
	); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#ov-error"); !strings.Contains(got, "$.Statement.Effect") || !strings.Contains(got, "Perhaps") {
		t.Errorf("error %q, want the JSON path and the bad value", got)
	}
	if got := text(ctx, t, "#ov-gutter .bad"); strings.TrimSpace(got) != "3" {
		t.Errorf("gutter marks %q, want line 3", got)
	}
	// Discarding restores the loaded world: the answer changes back.
	if err := chromedp.Do(ctx,
		click("#ov-discard"),
		waitText("#ov-answers .answer .verdict", "ALLOW"),
	); err != nil {
		t.Fatal(err)
	}
}

// The audit lists bob as administrator-equivalent (his policy allows
// "*" on "*"), and its link opens Ask with the finding's evidence, which
// is allowed.
func TestAuditLinksToAsk(t *testing.T) {
	ctx := tab(t, 30*time.Second)
	open(t, ctx, console(t, world, ""))
	err := chromedp.Do(ctx,
		click(`#tabs button[data-view="audit"]`),
		click("#audit-run"),
		waitText("#audit-summary", "findings"),
	)
	if err != nil {
		t.Fatal(err)
	}
	findings := text(ctx, t, "#audit-findings")
	if !strings.Contains(findings, "administrator") || !strings.Contains(findings, bob) {
		t.Fatalf("findings %q, want bob as administrator", findings)
	}
	if err := chromedp.Do(ctx,
		click(`#audit-findings li:first-child a.ask-link`),
		chromedp.WaitVisible(chromedp.CSS("#ask-form")),
		waitText("#ask-answers .answer .verdict", "ALLOW"),
	); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#ask-answers .answer .q"); !strings.HasPrefix(got, bob+" · ") {
		t.Errorf("the ask from the finding is %q, want bob's", got)
	}
}

// bigWorld has n users, each allowed s3:Get* on its own prefix and
// s3:GetObject on the bucket under a tag condition: a who-can over it
// decides thousands of requests and takes seconds.
func bigWorld(n int) string {
	var b strings.Builder
	b.WriteString("world:\n  accounts:\n    - id: \"111122223333\"\n      users:\n")
	for i := range n {
		fmt.Fprintf(&b, `        - name: u%d
          policies:
            - name: p
              document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:Get*", Resource: "arn:aws:s3:::b/t%d/*"}, {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*", Condition: {StringEquals: {"aws:PrincipalTag/team": "t%d"}}}]}
`, i, i, i)
	}
	b.WriteString("      resources:\n        - arn: arn:aws:s3:::b\n          type: s3-bucket\n")
	return b.String()
}

// A long who-can shows its progress; the Cancel button stops it, and the
// UI says cancelled (not done).
func TestCancelALongWhoCan(t *testing.T) {
	ctx := tab(t, 40*time.Second)
	open(t, ctx, console(t, bigWorld(3000), ""))
	err := chromedp.Do(ctx,
		click(`#tabs button[data-view="whocan"]`),
		setValue("#wc-action", "s3:GetObject"),
		setValue("#wc-resource", "arn:aws:s3:::b/k"),
		click(`#whocan-form button`),
		waitText("#wc-stage", "/"),
	)
	if err != nil {
		t.Fatal(err)
	}
	progress := text(ctx, t, "#wc-stage")
	if err := chromedp.Do(ctx,
		click("#wc-cancel"),
		wait(`["cancelled", "done", "error"].includes(document.getElementById("wc-stage").textContent)`),
	); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#wc-stage"); got != "cancelled" {
		t.Fatalf("after cancel (at %s) the stage says %q, want cancelled", progress, got)
	}
	if got := text(ctx, t, "#wc-result"); !strings.Contains(got, "cancelled by the client") {
		t.Errorf("result %q", got)
	}
	if disabled, err := chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](chromedp.CSS("#wc-cancel"), "disabled")); err != nil || !disabled {
		t.Errorf("the cancel button is still enabled (%v)", err)
	}
}
