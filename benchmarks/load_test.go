package benchmarks

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/loader/scenario"
	"github.com/clearance-dev/clearance/server"
)

var (
	loadClients   = flag.Int("load-clients", 20, "console load test: concurrent clients (the full run: 200)")
	loadQuestionN = flag.Int("load-questions", 10, "console load test: questions per client (the full run: 50)")
	loadTimeout   = flag.Duration("load-timeout", 5*time.Minute, "console load test: time bound of the whole run")
)

const loadToken = "load-test-token"

// loadServer serves corpus/example/company.yaml on loopback with room
// for clients connections (the default --max-connections is 64).
func loadServer(t *testing.T, clients int) (*server.Server, string) {
	t.Helper()
	sc, err := scenario.LoadFile("../corpus/example/company.yaml", scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := checks.OpenScenario(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	s, err := server.New(sc.World, eng, server.Config{Token: loadToken, MaxConns: clients,
		Hosts: server.LoopbackHosts(ts.Listener.Addr().String())})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s.Handler()
	ts.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		ts.Close()
	})
	return s, "ws" + strings.TrimPrefix(ts.URL, "http") + "/v1/ws"
}

// loadResult is what one client saw.
type loadResult struct {
	answered, lost, mixedUp int
	latencies               []time.Duration
	problems                []string
}

// TestConsoleUnderLoad: N clients × M mixed questions (asks, chains,
// who-cans) against a real server on loopback; every answer is checked
// against the engine's direct answer (the CLI's code path) for the same
// question. 0 lost, 0 mixed up; p50/p99 latency, the peak HeapInuse, and
// the goroutine count back to its idle level after the clients leave.
// The server is given exactly N connections: one more is refused (503).
func TestConsoleUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("the console load test is not short")
	}
	n, m := *loadClients, *loadQuestionN
	ctx, cancel := context.WithTimeout(context.Background(), *loadTimeout)
	defer cancel()
	qs := loadQuestions()
	direct, err := scenario.LoadFile("../corpus/example/company.yaml", scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := checks.OpenScenario(ctx, direct)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, eng, qs)
	s, url := loadServer(t, n)
	// Warm up with one client asking each question once; the idle level
	// is then the server's goroutines with no client.
	if r := runClient(ctx, url, -1, len(qs), qs); r.answered != len(qs) || len(r.problems) > 0 {
		t.Fatalf("warm-up: %+v", r)
	}
	idle := settle(0, 5*time.Second)

	conns := make([]*websocket.Conn, n)
	for i := range conns {
		if conns[i], err = hello(ctx, url); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
	}
	if _, resp, err := websocket.DefaultDialer.DialContext(ctx, url, nil); err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("connection %d of a server allowing %d: %v, want 503 (too many connections)", n+1, n, err)
	}
	peak := sampleHeap(ctx)
	start := time.Now()
	results := make([]loadResult, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i] = ask(ctx, conns[i], i, m, qs) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	heap := peak()
	for _, c := range conns {
		c.Close()
	}
	after := settle(idle, 10*time.Second)

	var total loadResult
	for _, r := range results {
		total.answered += r.answered
		total.lost += r.lost
		total.mixedUp += r.mixedUp
		total.latencies = append(total.latencies, r.latencies...)
		total.problems = append(total.problems, r.problems...)
	}
	slices.Sort(total.latencies)
	t.Logf("%d clients × %d questions: %d answered in %s, %d lost, %d mixed up; latency p50 %s p99 %s max %s; peak HeapInuse %.1f MiB; goroutines idle %d, after %d",
		n, m, total.answered, elapsed.Round(time.Millisecond), total.lost, total.mixedUp, pct(total.latencies, 50), pct(total.latencies, 99),
		pct(total.latencies, 100), float64(heap)/(1<<20), idle, after)
	for i, p := range total.problems {
		if i == 10 {
			t.Errorf("... and %d more", len(total.problems)-10)
			break
		}
		t.Error(p)
	}
	if total.answered != n*m || total.lost != 0 || total.mixedUp != 0 {
		t.Errorf("answered %d of %d, %d lost, %d mixed up", total.answered, n*m, total.lost, total.mixedUp)
	}
	if after > idle {
		t.Errorf("goroutines: %d after the clients left, idle level %d", after, idle)
	}
	if s.Conns() != 0 {
		t.Errorf("%d connections still open", s.Conns())
	}
}

// settle polls the goroutine count until it is at most level (0: until
// it stops falling) or the timeout passes, and returns it.
func settle(level int, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	last := runtime.NumGoroutine()
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		now := runtime.NumGoroutine()
		if (level > 0 && now <= level) || (level == 0 && now == last) {
			return now
		}
		last = now
	}
	return runtime.NumGoroutine()
}

// sampleHeap samples runtime.MemStats.HeapInuse every 50 ms (the server
// and the clients share the process); the returned func stops and gives
// the peak.
func sampleHeap(ctx context.Context) func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(stop); <-done; return peak.Load() }
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(i, len(sorted))-1)].Round(100 * time.Microsecond)
}

func hello(ctx context.Context, url string) (*websocket.Conn, error) {
	c, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	c.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","version":1,"token":"`+loadToken+`"}`))
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, data, err := c.ReadMessage(); err != nil || !strings.Contains(string(data), `"type":"welcome"`) {
		c.Close()
		return nil, fmt.Errorf("hello: %s %v", data, err)
	}
	return c, nil
}

// runClient connects, asks m questions and closes.
func runClient(ctx context.Context, url string, client, m int, qs []*loadQuestion) loadResult {
	c, err := hello(ctx, url)
	if err != nil {
		return loadResult{lost: m, problems: []string{err.Error()}}
	}
	defer c.Close()
	return ask(ctx, c, client, m, qs)
}
