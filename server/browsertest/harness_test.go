package browsertest

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/server"
)

// chromium finds the browser: $CHROMIUM, Debian's /usr/bin/chromium, or
// one on PATH.
func chromium() (string, bool) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, true
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// The browser process is shared by the tests (one start, ~1 s); each test
// has its own tab.
var (
	browserOnce  sync.Once
	browserCtx   context.Context
	browserStop  func()
	browserError string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if browserStop != nil {
		browserStop()
	}
	os.Exit(code)
}

// tab opens a new browser tab bounded by timeout. Without Chromium the
// test is skipped, or fails when CI is set: CI must run it.
func tab(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	browserOnce.Do(startBrowser)
	if browserCtx == nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and %s: the browser tests must run in CI (apt-get install chromium)", browserError)
		}
		t.Skip(browserError)
	}
	tabCtx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tabCtx); err != nil { // opens the tab (no timeout: a timeout here would close it)
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancelTime := context.WithTimeout(tabCtx, timeout)
	t.Cleanup(cancelTime)
	return ctx
}

func startBrowser() {
	path, ok := chromium()
	if !ok {
		browserError = "chromium is not installed (no /usr/bin/chromium, none on PATH, no $CHROMIUM)"
		return
	}
	dir, err := os.MkdirTemp("", "clearance-chromium-")
	if err != nil {
		browserError = err.Error()
		return
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(alloc)
	// The first Do starts the browser, which lives as long as its context:
	// it takes no timeout of its own, so a start that hangs is cut by this
	// timer instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	var err2 error
	select {
	case err2 = <-started:
	case <-time.After(30 * time.Second):
		err2 = errors.New("no answer in 30 s")
	}
	if err := err2; err != nil {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(dir)
		browserError = "chromium " + path + " did not start: " + err.Error()
		return
	}
	browserCtx = ctx
	browserStop = func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(dir)
	}
}

// console serves the world of a scenario (YAML text, or a file when file
// is set) on loopback and returns the page's URL with its token.
func console(t *testing.T, yaml, file string) string {
	t.Helper()
	var sc *scenario.Scenario
	var err error
	if file != "" {
		sc, err = scenario.LoadFile(file, scenario.Options{})
	} else {
		sc, err = scenario.ParseScenario("world.yaml", []byte(yaml))
	}
	if err != nil {
		t.Fatal(err)
	}
	eng, err := checks.OpenScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	const token = "browser-test-token"
	s, err := server.New(sc.World, eng, server.Config{Token: token, Hosts: server.LoopbackHosts(ts.Listener.Addr().String())})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s.Handler()
	ts.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		ts.Close()
	})
	return ts.URL + "/#token=" + token
}

// open loads the page and waits for the welcome (the status line shows
// the world's counts).
func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#tabs")),
		wait(`document.getElementById("status").textContent.includes("accounts")`),
	); err != nil {
		t.Fatalf("load %s: %v", url, err)
	}
}

// repoFile is a path from the repository's root.
func repoFile(rel string) string { return filepath.Join("..", "..", rel) }

// wait polls a JavaScript predicate until it is true.
func wait(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond))(ctx, t)
		return err
	})
}

// text is the text content of the first element sel selects.
func text(ctx context.Context, t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("%s: %v", sel, err)
	}
	return s
}

func click(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }

func setValue(sel, v string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(sel), v)
}
