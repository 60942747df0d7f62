package browsertest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	payments = "arn:aws:s3:::productionapp/payments/x.csv"
	reports  = "arn:aws:s3:::productionapp/reports/q3.csv"
	bobEx    = "arn:aws:iam::111122223333:user/bob"
)

// bobWithoutPrefixDeny is bob's developer policy in corpus/example
// without its OwnTeamPrefix Deny: the What if edit the screenshot shows.
const bobWithoutPrefixDeny = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Build", "Effect": "Allow", "Action": ["s3:*", "sqs:*", "ec2:*", "logs:*"], "Resource": "*"}
  ]
}
`

// denyProductionWrites is the SCP the What if screenshot adds to the Prod
// OU.
const denyProductionWrites = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "NoWrites", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::productionapp/*"}
  ]
}
`

// TestScreenshots writes a PNG of each view on corpus/example/company.yaml
// to $CLEARANCE_SCREENSHOTS (make screenshots); each view is checked to
// show its answer before it is captured.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("CLEARANCE_SCREENSHOTS")
	if dir == "" {
		t.Skip("set CLEARANCE_SCREENSHOTS=DIR (make screenshots) to write the console's screenshots")
	}
	if !filepath.IsAbs(dir) {
		dir = repoFile(dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t, 60*time.Second)
	open(t, ctx, console(t, "", repoFile("corpus/example/company.yaml")))
	views := []struct {
		name  string
		steps []chromedp.Action[chromedp.Void]
	}{
		{"ask", []chromedp.Action[chromedp.Void]{
			click("#ask-add-key"),
			setValue("#ask-ctx .ctx:nth-child(1) .key", "aws:SecureTransport"),
			setValue("#ask-ctx .ctx:nth-child(1) .value", "true"),
			click("#ask-add-key"),
			setValue("#ask-ctx .ctx:nth-child(2) .key", "aws:RequestedRegion"),
			setValue("#ask-ctx .ctx:nth-child(2) .value", "us-east-1"),
			ask(bobEx, "s3:PutObject", payments),
			waitText("#ask-answers .answer .verdict", "ALLOW"),
			ask(bobEx, "s3:PutObject", reports),
			waitText("#ask-answers .answer:first-child .verdict", "DENY"),
			wait(`document.querySelector("#ask-answers .answer:first-child .docs pre.policy .hl") !== null`),
			wait(`(document.querySelector("#ask-answers .answer:first-child").scrollIntoView(), true)`),
		}},
		{"who-can", []chromedp.Action[chromedp.Void]{
			click(`#tabs button[data-view="whocan"]`),
			setValue("#wc-action", "s3:GetObject"),
			setValue("#wc-resource", reports),
			click("#whocan-form button"),
			wait(`document.getElementById("wc-stage").textContent === "done"`),
		}},
		{"reach", []chromedp.Action[chromedp.Void]{
			click(`#tabs button[data-view="reach"]`),
			setValue("#reach-as", "arn:aws:iam::444455556666:user/ci"),
			click("#reach-form button"),
			wait(`document.querySelectorAll("#reach-tree li").length > 0`),
		}},
		{"what-if", []chromedp.Action[chromedp.Void]{
			click(`#tabs button[data-view="whatif"]`),
			click("#ov-open"),
			waitText("#ov-state", "overlay open"),
			selectPolicy("bob / developer"),
			wait(`document.getElementById("ov-doc").value.includes("OwnTeamPrefix")`),
			setValue("#ov-doc", bobWithoutPrefixDeny),
			click("#ov-apply"),
			wait(`document.querySelector("#ov-answers .answer.changed") !== null`),
		}},
		{"what-if-scp", []chromedp.Action[chromedp.Void]{
			setValue("#ov-new-name", "DenyProductionWrites"),
			setValue("#ov-attach", "ou-exco-prod0001"),
			setValue("#ov-new-doc", denyProductionWrites),
			click("#ov-new-add"),
			waitText("#ov-log", "SCP DenyProductionWrites added"),
			waitText("#ov-answers .answer .verdict", "DENY (explicit)"),
			chromedp.ScrollIntoView(chromedp.CSS("#ov-new")),
		}},
		{"audit", []chromedp.Action[chromedp.Void]{
			click(`#tabs button[data-view="audit"]`),
			click("#audit-run"),
			waitText("#audit-summary", "findings over"),
		}},
	}
	for _, v := range views {
		if err := chromedp.Do(ctx, v.steps...); err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("%s: screenshot: %v", v.name, err)
		}
		path := filepath.Join(dir, v.name+".png")
		if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", path, len(shot))
	}
}
