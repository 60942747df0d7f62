package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// reachWorld: user u may assume any role; n roles p<i> trust u, and
// each has k roles c<i>-<j> that trust it: u reaches n sessions in one
// hop and n*k in two (role chaining, id_roles_terms-and-concepts.html,
// "role chaining"; a trust policy naming the principal,
// "trust policy").
func reachWorld(n, k int) string {
	const acct = "arn:aws:iam::111122223333:"
	trust := func(who string) string {
		return `{Version: "2012-10-17", Statement: {Effect: Allow, Principal: {AWS: "` + acct + who + `"}, Action: sts:AssumeRole}}`
	}
	hop := `[{name: hop, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: "sts:AssumeRole", Resource: "*"}}}]`
	var b strings.Builder
	b.WriteString("world:\n  accounts:\n    - id: \"111122223333\"\n      users:\n        - name: u\n          policies: " + hop + "\n      roles:\n")
	for i := range n {
		fmt.Fprintf(&b, "        - name: p%d\n          trust: %s\n          policies: %s\n", i, trust("user/u"), hop)
		for j := range k {
			fmt.Fprintf(&b, "        - name: c%d-%d\n          trust: %s\n", i, j, trust(fmt.Sprintf("role/p%d", i)))
		}
	}
	return b.String()
}

// Reach with 420 sessions: the page renders it collapsed, one line per
// first hop, at once; a branch opens and closes; expand all shows every
// session and the page still answers a frame promptly. The times are
// logged (go test -v) and bounded.
func TestReachHundredsOfSessions(t *testing.T) {
	const n, k = 20, 20
	ctx := tab(t, 60*time.Second)
	open(t, ctx, console(t, reachWorld(n, k), ""))
	err := chromedp.Do(ctx,
		click(`#tabs button[data-view="reach"]`),
		setValue("#reach-as", "arn:aws:iam::111122223333:user/u"),
		click("#reach-form button"),
		waitText("#reach-stats", fmt.Sprintf("%d sessions", n+n*k)),
	)
	if err != nil {
		t.Fatal(err)
	}
	count := func(sel string) int {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := count("#reach-tree li"); got != n {
		t.Errorf("%d lines at first, want %d (collapsed, one per first hop)", got, n)
	}
	renderMS, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("reach-stats").dataset.renderMs`))
	t.Logf("%s", text(ctx, t, "#reach-stats"))
	// Open the first branch: its k sessions appear; close it.
	if err := chromedp.Do(ctx, click("#reach-tree details summary"),
		wait(fmt.Sprintf(`document.querySelectorAll("#reach-tree li").length === %d`, n+k))); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#reach-tree details[open] li"); !strings.Contains(got, "AssumeRole arn:aws:iam::111122223333:role/c0-0") ||
		!strings.Contains(got, "assumed-role/c0-0/") {
		t.Errorf("first child %q", got)
	}
	if err := chromedp.Do(ctx, click("#reach-tree details summary"), wait(`document.querySelectorAll("#reach-tree details[open]").length === 0`)); err != nil {
		t.Fatal(err)
	}
	// Expand all, then time a frame: the page is responsive.
	frame, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`new Promise((done) => {
		const t0 = performance.now();
		document.getElementById("reach-expand").click();
		requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if got := count("#reach-tree li"); got != n+n*k {
		t.Errorf("%d lines after expand all, want %d", got, n+n*k)
	}
	if got := count("#reach-tree details:not([open])"); got != 0 {
		t.Errorf("%d branches still closed after expand all", got)
	}
	t.Logf("render %s ms; expand all and two frames %.0f ms", renderMS, frame)
	if frame > 2000 {
		t.Errorf("expand all took %.0f ms to the next frames, want under 2 s", frame)
	}
	var ms int
	fmt.Sscan(renderMS, &ms)
	if ms > 1000 {
		t.Errorf("rendering took %d ms, want under 1 s", ms)
	}
	if err := chromedp.Do(ctx, click("#reach-collapse"), wait(`document.querySelectorAll("#reach-tree details[open]").length === 0`)); err != nil {
		t.Fatal(err)
	}
}
