package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// orgWorld: alice (a member account's user) may read the objects of
// bucket b; the organization's root lists no SCP, so it has AWS's
// FullAWSAccess ("By default, an SCP named FullAWSAccess is attached to
// every root, OU, and account", orgs_manage_policies_scps.html).
const orgWorld = `
world:
  organization:
    id: o-1
    management_account: "999999999999"
    root: {id: r-1, children: [{name: Prod, id: ou-1}]}
  accounts:
    - id: "999999999999"
    - id: "111122223333"
      org_path: Prod
      users:
        - name: alice
          policies:
            - name: read
              document: {Version: "2012-10-17", Statement: {Sid: ReadB, Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}}
      resources:
        - arn: arn:aws:s3:::b
          type: s3-bucket
`

const noRead = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "NoRead", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
  ]
}`

// What if, a new SCP: alice's read is allowed, the SCPs letting it
// through (FullAWSAccess); an SCP that denies it, added at the root from
// the page, makes the answer on screen DENY (explicit), marked ALLOW →
// DENY, the SCP row blocked by an explicit Deny and the new SCP's
// statement highlighted in its text ("an explicit deny in any of these
// policies overrides the allow", reference_policies_evaluation-logic.html).
// A second page, with its own overlay, still answers ALLOW.
func TestWhatIfAddsADenyingSCP(t *testing.T) {
	ctx := tab(t, 40*time.Second)
	url := console(t, orgWorld, "")
	open(t, ctx, url)
	other := tab(t, 40*time.Second)
	open(t, other, url)
	err := chromedp.Do(ctx,
		ask(alice, "s3:GetObject", "arn:aws:s3:::b/k"),
		waitText("#ask-answers .answer .verdict", "ALLOW"),
		waitText("#ask-answers .answer .g-scp .state", "allowed"),
		click(`#tabs button[data-view="whatif"]`),
		click("#ov-open"),
		waitText("#ov-state", "overlay open"),
		setValue("#ov-new-name", "NoRead"),
		setValue("#ov-attach", "r-1"),
		setValue("#ov-new-doc", noRead),
		click("#ov-new-add"),
		waitText("#ov-answers .answer .verdict", "DENY (explicit)"),
		waitText("#ask-answers .answer .g-scp .state", "blocked: explicit Deny"),
		wait(`[...document.querySelectorAll("#ask-answers .answer .docs .doc-head")].some((h) => h.textContent.includes("scp/NoRead"))`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#ov-answers .answer.changed .before"); got != "ALLOW" {
		t.Errorf("before %q, want ALLOW", got)
	}
	hl, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#ask-answers .answer .docs pre.policy .hl.deny")].map((l) => l.textContent).join("\n")`))
	if err != nil || !strings.Contains(hl, `"Sid": "NoRead"`) || !strings.Contains(hl, `"Effect": "Deny"`) || strings.Contains(hl, "Version") {
		t.Errorf("highlighted %q (%v), want the NoRead statement", hl, err)
	}
	if got := text(ctx, t, "#ov-log"); !strings.Contains(got, "SCP NoRead added at r-1") {
		t.Errorf("edit log %q", got)
	}
	// The other page has its own overlay (none): its answer is ALLOW.
	if err := chromedp.Do(other, ask(alice, "s3:GetObject", "arn:aws:s3:::b/k"),
		waitText("#ask-answers .answer .verdict", "ALLOW")); err != nil {
		t.Fatal(err)
	}
	// An edit in the other page's overlay leaves the first page's answers.
	if err := chromedp.Do(other,
		click(`#tabs button[data-view="whatif"]`),
		click("#ov-open"),
		waitText("#ov-state", "overlay open"),
		selectPolicy("alice / read"),
		wait(`document.getElementById("ov-doc").value.includes("ReadB")`),
		setValue("#ov-doc", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}}`),
		click("#ov-apply"),
		waitText("#ov-answers .answer .verdict", "DENY (implicit)"),
	); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#ov-answers .answer .verdict"); !strings.Contains(got, "DENY (explicit)") {
		t.Errorf("the first page's answer became %q after the other page's edit", got)
	}
	// A broken new SCP shows the loader's positioned error under its editor.
	if err := chromedp.Do(ctx,
		setValue("#ov-new-name", "Broken"),
		setValue("#ov-new-doc", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Deny\"}\n}"),
		click("#ov-new-add"),
		waitText("#ov-new-error", "line 3"),
	); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#ov-new-gutter .bad"); strings.TrimSpace(got) != "3" {
		t.Errorf("gutter marks %q, want line 3", got)
	}
}

// A chain in Ask, built step by step: alice assumes the reader role,
// whose trust policy names her (id_roles_terms-and-concepts.html, "trust
// policy", as TestAsk in server), and the session may list bucket b (the
// role's policy). The answer shows the hop, the session it made and the
// verdict.
func TestAskAChain(t *testing.T) {
	ctx := tab(t, 25*time.Second)
	open(t, ctx, console(t, world, ""))
	err := chromedp.Do(ctx,
		click(`#tabs button[data-view="ask"]`),
		setValue("#ask-principal", alice),
		click("#ask-add-step"),
		setValue("#ask-steps .step .role", "arn:aws:iam::111122223333:role/reader"),
		setValue("#ask-steps .step .session", "s1"),
		setValue("#ask-action", "s3:ListBucket"),
		setValue("#ask-resource", "arn:aws:s3:::b"),
		click("#ask-submit"),
		waitText("#ask-answers .answer .verdict", "ALLOW"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#ask-answers .answer .chain"); !strings.Contains(got, "AssumeRole arn:aws:iam::111122223333:role/reader by "+alice) ||
		!strings.Contains(got, "assumed-role/reader/s1") {
		t.Errorf("chain %q", got)
	}
	if got := text(ctx, t, "#ask-answers .answer .q"); !strings.Contains(got, "⟶ AssumeRole arn:aws:iam::111122223333:role/reader") {
		t.Errorf("question %q", got)
	}
}
