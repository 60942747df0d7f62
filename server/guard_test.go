package server

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// An unauthenticated connection is refused: a first message that is not
// a hello, a wrong token, or another protocol version gets an error
// answer and a policy-violation close; a silent client is closed after
// HelloWait.
func TestHelloRequired(t *testing.T) {
	ts := startServer(t, Config{HelloWait: 300 * time.Millisecond})
	for _, tc := range []struct{ msg, want string }{
		{askMsg("1", alice, "s3:GetObject", "*"), "must be a hello"},
		{`{"type":"hello","version":1,"token":"nope"}`, "wrong token"},
		{`{"type":"hello","version":2,"token":"` + token + `"}`, "protocol version 2"},
		{`{"type":"hello","version":1}`, "wrong token"},
	} {
		c, _, err := ts.dial(nil)
		if err != nil {
			t.Fatal(err)
		}
		send(t, c, tc.msg)
		if o := recv(t, c); o.Type != outError || !strings.Contains(o.Error, tc.want) {
			t.Errorf("%s: got %+v, want %q", tc.msg, o, tc.want)
		}
		if _, _, err := c.ReadMessage(); !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
			t.Errorf("%s: got %v, want a policy-violation close", tc.msg, err)
		}
	}
	c, _, err := ts.dial(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ReadMessage(); err == nil {
		t.Error("a client that never says hello stays connected")
	}
}

// The websocket accepts the server's own origin and those allowed; a page
// from any other origin is refused before the upgrade (403).
func TestOrigin(t *testing.T) {
	ts := startServer(t, Config{AllowOrigins: []string{"https://console.example"}})
	self := "http://" + ts.ts.Listener.Addr().String()
	for _, tc := range []struct {
		origin string
		ok     bool
	}{
		{"", true}, {self, true}, {"https://console.example", true},
		{"http://evil.example", false}, {"null", false}, {"https://console.example:444", false},
	} {
		h := http.Header{}
		if tc.origin != "" {
			h.Set("Origin", tc.origin)
		}
		_, resp, err := ts.dial(h)
		if (err == nil) != tc.ok {
			t.Errorf("origin %q: err %v, want ok=%v", tc.origin, err, tc.ok)
		}
		if !tc.ok && (resp == nil || resp.StatusCode != http.StatusForbidden) {
			t.Errorf("origin %q: got %v, want 403", tc.origin, resp)
		}
	}
}

// A request whose Host is not the bound address (a DNS-rebound name) is
// refused, for the page and for the websocket; localhost on the same port
// is the same loopback server.
func TestHostChecked(t *testing.T) {
	ts := startServer(t, Config{})
	_, port, _ := strings.Cut(ts.ts.Listener.Addr().String(), ":")
	for _, tc := range []struct {
		host, path string
		want       int
	}{
		{"127.0.0.1:" + port, "/", http.StatusOK},
		{"localhost:" + port, "/", http.StatusOK},
		{"rebound.example:" + port, "/", http.StatusMisdirectedRequest},
		{"127.0.0.1:1", "/", http.StatusMisdirectedRequest},
		{"rebound.example:" + port, "/v1/ws", http.StatusMisdirectedRequest},
		{"rebound.example:" + port, "/healthz", http.StatusMisdirectedRequest},
	} {
		req, _ := http.NewRequest("GET", ts.ts.URL+tc.path, nil)
		req.Host = tc.host
		resp, err := ts.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("Host %s %s: %d, want %d", tc.host, tc.path, resp.StatusCode, tc.want)
		}
	}
}

// Connections beyond MaxConns are refused (503) while the others stay
// open; a closed one frees its place.
func TestConnectionLimit(t *testing.T) {
	ts := startServer(t, Config{MaxConns: 2})
	a, b := ts.client(), ts.client()
	if _, resp, err := ts.dial(nil); err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("third connection: %v %v, want 503", resp, err)
	}
	send(t, b, askMsg("b", alice, "s3:GetObject", "arn:aws:s3:::b/k"))
	if o := recv(t, b); o.ID != "b" || o.Type != outAnswer {
		t.Errorf("got %+v", o)
	}
	a.Close()
	deadline := time.Now().Add(5 * time.Second)
	for ts.s.Conns() > 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	ts.client() // fits again
}

// A message larger than MaxMessage closes the connection with "message
// too big" (1009).
func TestMessageSize(t *testing.T) {
	ts := startServer(t, Config{MaxMessage: 1024})
	c := ts.client()
	send(t, c, `{"type":"ask","id":"big","principal":"`+strings.Repeat("a", 2048)+`"}`)
	if _, _, err := c.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
		t.Errorf("got %v, want close 1009", err)
	}
}

// The page is served from the binary, with a policy that lets it load
// only its own files and connect only to its own origin.
func TestPageServed(t *testing.T) {
	ts := startServer(t, Config{})
	for _, p := range []string{"/", "/app.js", "/style.css"} {
		resp, err := ts.ts.Client().Get(ts.ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != http.StatusOK || len(body) == 0 || !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: %d, %d bytes, CSP %q", p, resp.StatusCode, len(body), csp)
		}
	}
}
